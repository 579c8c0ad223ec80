"""Recognises the numbering that opens a clause: parts (I.), items (1.), decimal
sub-items (1.1.), lettered points (a), đ)) and bullets (-)."""
from __future__ import annotations

import re
from dataclasses import dataclass

_ROMAN = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"
_PART_RE = re.compile(rf"^(?:PHẦN|Phần)\s+(?P<num>{_ROMAN}|\d{{1,2}})\b\s*[.:–-]?\s*(?P<title>.*)$"
                      rf"|^(?P<num2>{_ROMAN})\s*\.\s+(?P<title2>\S.*)$")
_DECIMAL_RE = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?P<title>\S.*)$")
_ITEM_RE = re.compile(r"^(?P<num>\d{1,2})\s*[.)]\s+(?P<title>\S.*)$")
_POINT_RE = re.compile(r"^(?P<num>[a-zđ])\s*\)\s*(?P<title>\S.*)$")
_BULLET_RE = re.compile(r"^[-–—•+*]\s*(?P<title>[^\W\d_].*|\d.*)$")

# rank: smaller is higher in the tree
RANKS = {"part": 1, "item": 2, "subitem": 3, "point": 10, "bullet": 11}


@dataclass(frozen=True)
class Marker:
    level: str  # part | item | subitem | point | bullet
    number: str  # as written: "IV", "3", "1.2", "b", "" for bullets
    body: str  # the text after the marker

    @property
    def rank(self) -> int:
        if self.level == "subitem":
            return RANKS["subitem"] + self.number.count(".") - 1
        return RANKS[self.level]


def _roman_ok(num: str) -> bool:
    return bool(num) and bool(re.fullmatch(_ROMAN, num))


def read_marker(text: str) -> Marker | None:
    m = _PART_RE.match(text)
    if m:
        num = m.group("num") or m.group("num2")
        title = m.group("title") if m.group("num") else m.group("title2")
        if _roman_ok(num) or num.isdigit():
            return Marker("part", num, (title or "").strip())
    m = _DECIMAL_RE.match(text)
    if m:
        return Marker("subitem", m.group("num"), m.group("title").strip())
    m = _ITEM_RE.match(text)
    if m:
        return Marker("item", str(int(m.group("num"))), m.group("title").strip())
    m = _POINT_RE.match(text)
    if m:
        return Marker("point", m.group("num"), m.group("title").strip())
    m = _BULLET_RE.match(text)
    if m:
        return Marker("bullet", "", m.group("title").strip())
    return None


def is_marked(text: str) -> bool:
    return read_marker(text) is not None
