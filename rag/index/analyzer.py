"""Turns Vietnamese text into lexical terms, the same way for passages and questions.

Terms: diacritic-folded syllables (so "giao duc" matches "giáo dục"), folded syllable
bigrams (compounds: "giao_duc", "tre_em"), and — only when the text is typed with
diacritics — the accented syllables as well ("@giáo"), which keep "bộ"/"bỏ" apart when
the user gave the accents. Vietnamese stopwords (stopwords-iso) are dropped from the
accented syllables only: folded, a stopword collides with content words ("lại" and
"Lai Châu", "về" and "bảo vệ"), so folded terms are left to BM25's idf.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rag import lexicon
from rag.text import fold, has_diacritics  # has_diacritics: also imported from here by callers

ANALYZER_VERSION = "1"  # bump when the terms change: lexical indexes built before are rebuilt
_SYLLABLE_RE = re.compile(r"[^\W_]+", re.UNICODE)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Single-syllable Vietnamese stopwords, with their diacritics."""
    try:
        import stopwordsiso

        words = stopwordsiso.stopwords("vi")
    except Exception:  # the package is optional at query time; fall back to a tiny list
        words = set(lexicon.load("stopwords")["fallback"]["words"])
    keep = set(lexicon.load("stopwords")["keep"]["words"])  # stopwords that carry meaning in these plans
    single = {w for w in words if " " not in w and w not in keep}
    return frozenset(single)


def syllables(text: str) -> list[str]:
    return _SYLLABLE_RE.findall(unicodedata.normalize("NFC", text).lower())


def analyze(text: str, accents: bool | None = None, bigrams: bool = True) -> list[str]:
    """Lexical terms of ``text``. ``accents`` None = keep accented terms iff the text has diacritics."""
    sylls = syllables(text)
    folded = [fold(s) or s for s in sylls]
    terms = list(folded)
    if bigrams:
        terms += [f"{a}_{b}" for a, b in zip(folded, folded[1:])]
    if accents is None:
        accents = has_diacritics(text)
    if accents:
        stop = stopwords()
        terms += [f"@{s}" for s, f in zip(sylls, folded) if s != f and s not in stop]
    return terms


@lru_cache(maxsize=1)
def _segmenter():
    """pyvi's Vietnamese word segmenter (a CRF model shipped inside the package), or None."""
    try:
        from pyvi import ViTokenizer
    except ImportError:  # optional: without it, words are read syllable by syllable
        return None
    return ViTokenizer


@lru_cache(maxsize=1)
def _tagger():
    """pyvi's part-of-speech tagger (shipped inside the package), or None."""
    try:
        from pyvi import ViPosTagger
    except ImportError:
        return None
    return ViPosTagger


def tagged_words(text: str) -> list[tuple[str, str]]:
    """``words(text)`` with each word's part of speech (pyvi's tags: "N" noun, "V" verb, "C"
    conjunction …); "" for every word when the text has no diacritics (the tagger needs them)."""
    segmenter, tagger = _segmenter(), _tagger()
    if segmenter is None or tagger is None or not has_diacritics(text):
        return [(w, "") for w in words(text)]
    tokens, tags = tagger.postagging(segmenter.tokenize(unicodedata.normalize("NFC", text)))
    out = []
    for token, tag in zip(tokens, tags):
        parts = [p for p in (fold(p) for p in token.split("_")) if p]
        if parts:
            out.append(("_".join(parts), str(tag)))
    return out


def words(text: str) -> list[str]:
    """Vietnamese words of ``text``, folded, a compound joined by "_" ("chứng chỉ" → "chung_chi").
    Word segmentation needs diacritics; text typed without them is read syllable by syllable."""
    segmenter = _segmenter() if has_diacritics(text) else None
    if segmenter is None:
        return [fold(s) or s for s in syllables(text)]
    out = []
    for token in segmenter.tokenize(unicodedata.normalize("NFC", text)).split():
        parts = [fold(p) for p in token.split("_")]
        parts = [p for p in parts if p]
        if parts:
            out.append("_".join(parts))
    return out
