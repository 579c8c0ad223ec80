"""Measurable evidence for answering or abstaining, and the verbatim pieces an answer quotes."""
from __future__ import annotations

import re
from functools import lru_cache

from rag.index.analyzer import analyze
from rag.retrieval.analysis import key_terms
from rag.structure.deadlines import DeadlineKind, Frequency, find_deadlines
from rag.text import fold

_SEGMENT_RE = re.compile(r"(?<=[.;])\s+")
_NUMBER = r"(?:\d+(?:[.,]\d+)?|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mot|bon|sau|bay|tam|chin|muoi)"
_MONEY_RE = re.compile(rf"{_NUMBER}\s*(?:đồng|triệu|tỷ|nghìn|ngàn|vnđ|vnd|usd|đô la)\b", re.I)
# a hotline ("111", "(111)") or a telephone number ("0260.3862.111"); a span of years ("2022-2025") is not one
_PHONE_RE = re.compile(r"(?<![\d/.,])(?!(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d)"
                       r"(?:\(?\d{3}\)?|\d{3,5}(?:[.\s-]\d{2,4}){1,3})(?![\d/%,])")
_PERCENT_RE = re.compile(r"\d+(?:[.,]\d+)?\s*%")
_QUOTED_NAME_RE = re.compile(r"(?:phần mềm|ứng dụng|nền tảng|công cụ|trang|website)\s+(?:“[^”]{2,60}”|\"[^\"]{2,60}\"|[A-Z][\w.-]+[A-Z0-9][\w.-]*)")


@lru_cache(maxsize=None)
def attribute_reader(name: str) -> re.Pattern:
    """The ways plans write an attribute (``when``, ``often``, ``target``): ``rag/lexicon/attributes.toml``."""
    from rag import lexicon

    patterns = lexicon.load("attributes")[name]
    return re.compile("|".join(f"(?:{p})" for p in [*patterns, *(fold(p) for p in patterns if fold(p) != p)]), re.I)


def states(text: str, attribute: str) -> bool:
    """Does ``text`` state ``attribute`` (``when``, ``often``, ``target``), as plans write it? When
    and how often are also read by the deadline parser (``rag/lexicon/deadlines.toml``), so a way
    of writing a deadline taught to it is understood here too."""
    if attribute_reader(attribute).search(text) or attribute_reader(attribute).search(fold(text)):
        return True
    if attribute == "when":
        return bool(find_deadlines(text))
    if attribute == "often":
        return any(d.kind in (DeadlineKind.RECURRING, DeadlineKind.CONTINUOUS) for d in find_deadlines(text))
    if attribute == "rhythm":
        return any(d.kind is DeadlineKind.RECURRING and d.frequency not in (None, Frequency.UNSTATED)
                   for d in find_deadlines(text))
    if attribute == "day":
        return any(d.kind is DeadlineKind.DATE or d.day is not None for d in find_deadlines(text))
    return False


_BESIDES = re.compile(r"(?:ngoai|besides|apart from)\s+(.+)")


def besides(question: str) -> str:
    """What a question sets aside before its first comma ("Ngoài ngân sách nhà nước, …"), folded
    ('' when nothing)."""
    head, comma, _ = question.strip().partition(",")
    m = _BESIDES.match(fold(head)) if comma else None
    aside = m.group(1).strip() if m else ""
    return aside if len(aside.split()) >= 2 or any(ch.isdigit() for ch in aside) else ""


def has_value(text: str, value: str) -> bool:
    """Does ``text`` state the kind of value the question asks for (or, per ``[answers]`` in
    attributes.toml, the attribute that answers it: "mấy lần" is answered by "hằng năm")?"""
    from rag import lexicon

    if any(states(text, a) for a in lexicon.load("attributes")["answers"].get(value, ())):
        return True
    if value == "money":
        return bool(_MONEY_RE.search(text))
    if value == "percent":
        return bool(_PERCENT_RE.search(text))
    if value == "name":
        return bool(_QUOTED_NAME_RE.search(text))
    if value == "phone":  # a hotline ("111", "(111)") or a telephone number ("0260.3862.111")
        return bool(_PHONE_RE.search(text))
    if value in ("date", "day"):
        return states(text, "when" if value == "date" else "day")
    if value.startswith("unit:"):
        unit = value[5:]
        folded = fold(text)
        # "100% các trường" answers "bao nhiêu trường": a share of the things counted is a count of them
        share = "%" in text and re.search(rf"\b\d+(?:[.,]\d+)?\s+(?:(?:cac|nhung|so)\s+)?{unit}\b", folded)
        return bool(re.search(rf"\b{_NUMBER}\s+{unit}\b", folded)) or bool(
            re.search(rf"{_NUMBER}\s+{unit}\b", text.lower())) or bool(share)
    return True


def bigram_coverage(question: str, passage_text: str, ignore: set[str]) -> float:
    """Share of the question's syllable bigrams (those without an ignored syllable, e.g. place
    names) that also occur in the passage."""
    asked = {t for t in analyze(question, accents=False) if "_" in t and not set(t.split("_")) & ignore}
    if not asked:
        return 1.0
    have = {t for t in analyze(passage_text, accents=False) if "_" in t}
    return len(asked & have) / len(asked)


def segments(text: str) -> list[str]:
    """Sentence-like pieces of a clause (split after '.' and ';')."""
    return [s.strip() for s in _SEGMENT_RE.split(text) if s.strip()]


def _terms(text: str) -> set[str]:
    return set(analyze(text, accents=False))


@lru_cache(maxsize=256)
def _key_syllables(question: str) -> frozenset[str]:
    return frozenset(key_terms(question))  # the question's content words, as the gate reads them


def best_segments(question: str, text: str, keep: int = 2, short: int = 420, prefer=None) -> str:
    """The clause itself when short, else its pieces that share most words with the
    question (in their original order, joined by '…'); ``prefer``: a test a piece should pass
    first (it states the value asked), whatever words it shares. Always verbatim."""
    if len(text) <= short:
        return text
    pieces = segments(text)
    if len(pieces) <= keep:
        return text
    q = _terms(question)
    keys = _key_syllables(question)  # the words that say what is asked outweigh the plans' common words
    scored = sorted(range(len(pieces)), key=lambda i: (-(prefer is not None and bool(prefer(pieces[i]))),
                                                       -len(keys & _terms(pieces[i])), -len(q & _terms(pieces[i]))))
    chosen = sorted(scored[:keep])
    out = []
    for prev, i in zip([None, *chosen], chosen):
        if prev is not None and i != prev + 1:
            out.append("…")
        out.append(pieces[i])
    text_out = " ".join(out)
    if chosen[0] != 0:
        text_out = "… " + text_out
    if chosen[-1] != len(pieces) - 1:
        text_out += " …"
    return text_out


def value_match(question: str, text: str, value: str) -> int:
    """How well the sentence of ``text`` that states the asked value matches the question
    (shared terms); 0 when no sentence states it."""
    q = _terms(question)
    return max((len(q & _terms(seg)) for seg in segments(text) if has_value(seg, value)), default=0)
