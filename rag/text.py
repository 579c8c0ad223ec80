"""Vietnamese text helpers shared by every stage: whitespace, case and diacritic folding."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WS_RE = re.compile(r"\s+")
_NON_WORD_RE = re.compile(r"[^0-9a-z]+")
_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "D"})

# Vietnamese lower-case letters, for "does this line start mid-sentence?"
VI_LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
VI_UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"


def squash(text: str) -> str:
    """Collapse every run of whitespace to one space and trim."""
    return _WS_RE.sub(" ", text).strip()


def strip_diacritics(text: str) -> str:
    """'Sở Giáo dục' -> 'So Giao duc' (case kept)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_TABLE))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


@lru_cache(maxsize=1 << 16)  # the same clause and alias texts are folded on every question
def fold(text: str) -> str:
    """Lower-case, diacritic-free, punctuation as single spaces: the matching key of a phrase.

    'Sở GD&ĐT' -> 'so gd dt'; 'Sở Lao động - Thương binh và Xã hội' and
    'Sở Lao động, Thương binh và Xã hội' both -> 'so lao dong thuong binh va xa hoi'.
    """
    return _NON_WORD_RE.sub(" ", strip_diacritics(text).lower()).strip()


def normalize_quote(text: str) -> str:
    """Whitespace-normalised, case-folded form used to find a quote inside a passage."""
    return squash(unicodedata.normalize("NFC", text)).casefold()



# --- the language of a text: the one place for these heuristics -------------------------------

def has_diacritics(text: str) -> bool:
    """Typed with Vietnamese diacritics (any of them): the analyzer keeps accented terms then."""
    return strip_diacritics(text) != text


def looks_vietnamese(text: str) -> bool:
    """More than 8 % of the letters carry a diacritic: written Vietnamese, not English or
    Vietnamese typed without accents (used to accept a generated answer)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    accented = sum(1 for c in letters if has_diacritics(c))
    return accented / len(letters) > 0.08


# English words that are not also Vietnamese syllables typed without diacritics ("the", "do", "to" are)
_ENGLISH_RE = re.compile(r"\b(which|what|who|whom|when|where|how|does|did|plan|plans|is|are|of|and|with|for|from|by"
                         r"|department|children|child|responsible|according|provincial|province|city|through|should"
                         r"|must|school|schools|agency|agencies|leads|tasks|deadline|deadlines|target|targets|funding"
                         r"|budget|committee|teachers|students|parents|protect|protection|cooperate|partners|implement"
                         r"|decision|there|this|that|their|they|have|has|will|about|under)\b")


def looks_english(text: str) -> bool:
    """At least three English function/topic words, and about one word in six."""
    words = text.split()
    found = set(_ENGLISH_RE.findall(text.lower()))
    return len(found) >= 3 and len(found) >= len(words) // 6
