"""Recognises the numbering that opens a clause: top sections ("A.", "Phần thứ nhất"),
parts (I.), items (1., 1), (1)), decimal sub-items (1.1.), lettered points (a), a.) and
bullets (-, –, +, •, *)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from rag.text import VI_UPPER

_ROMAN = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"
_ORDINALS = ("nhất", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười")
_PHAN_THU_RE = re.compile(rf"^(?:PHẦN|Phần)\s+(?:THỨ|thứ)\s+(?P<ord>{'|'.join(_ORDINALS)})\b\s*[.:–-]?\s*(?P<title>.*)$",
                          re.I)
_SECTION_RE = re.compile(rf"^(?P<num>[A-HĐ])\s*\.\s+(?P<title>[{VI_UPPER}].*)$")
_PART_RE = re.compile(rf"^(?:PHẦN|Phần)\s+(?P<num>{_ROMAN}|\d{{1,2}})\b\s*[.:–-]?\s*(?P<title>.*)$"
                      rf"|^(?P<num2>{_ROMAN})\s*\.\s+(?P<title2>\S.*)$")
_DECIMAL_RE = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?P<title>\S.*)$")
_ITEM_RE = re.compile(r"^(?P<num>\d{1,2})\s*[.)]\s+(?P<title>\S.*)$|^\((?P<num2>\d{1,2})\)\s*(?P<title2>\S.*)$")
_POINT_RE = re.compile(r"^(?P<num>[a-zđ])\s*\)\s*(?P<title>\S.*)$|^(?P<num2>[a-zđ])\.\s+(?P<title2>\S.*)$")
_BULLET_RE = re.compile(r"^[-–—•+*]\s*(?P<title>[^\W\d_].*|\d.*)$")

# rank: smaller is higher in the tree
RANKS = {"section": 0, "part": 1, "item": 2, "subitem": 3, "point": 10, "bullet": 11}


@dataclass(frozen=True)
class Marker:
    level: str  # section | part | item | subitem | point | bullet
    number: str  # as written: "A", "Phần thứ nhất", "IV", "3", "1.2", "b", "" for bullets
    body: str  # the text after the marker
    key: str = ""  # the number as it appears in addresses, when not ``number``: "P1" for "Phần thứ nhất"

    @property
    def rank(self) -> int:
        if self.level == "subitem":
            return RANKS["subitem"] + self.number.count(".") - 1
        return RANKS[self.level]

    @property
    def address_key(self) -> str:
        return self.key or self.number


def _roman_ok(num: str | None) -> bool:
    return bool(num) and bool(re.fullmatch(_ROMAN, num))


def _pick(m: re.Match) -> tuple[str, str]:
    """(number, title) of a pattern written as two alternatives."""
    if m.group("num") is not None:
        return m.group("num"), m.group("title") or ""
    return m.group("num2"), m.group("title2") or ""


def read_marker(text: str) -> Marker | None:
    m = _PHAN_THU_RE.match(text)
    if m:
        n = _ORDINALS.index(m.group("ord").lower()) + 1
        written = text[: m.start("ord")] + m.group("ord")
        return Marker("section", " ".join(written.split()), m.group("title").strip(), key=f"P{n}")
    m = _PART_RE.match(text)
    if m:
        num, title = _pick(m)
        if _roman_ok(num) or num.isdigit():
            return Marker("part", num, title.strip())
    m = _SECTION_RE.match(text)
    if m:
        return Marker("section", m.group("num"), m.group("title").strip())
    m = _DECIMAL_RE.match(text)
    if m:
        return Marker("subitem", m.group("num"), m.group("title").strip())
    m = _ITEM_RE.match(text)
    if m:
        num, title = _pick(m)
        return Marker("item", str(int(num)), title.strip())
    m = _POINT_RE.match(text)
    if m:
        num, title = _pick(m)
        return Marker("point", num, title.strip())
    m = _BULLET_RE.match(text)
    if m:
        return Marker("bullet", "", m.group("title").strip())
    return None


def is_marked(text: str) -> bool:
    return read_marker(text) is not None
