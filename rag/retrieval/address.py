"""A clause named by its address in a question ("mục II.5", "điểm b khoản 3 phần IV",
"dòng 4 nhóm II phụ lục"), and where that address is in a plan.

The words of the numbering ("phần", "mục", "khoản", "điểm", "dòng", "nhóm", "phụ lục", and
their English counterparts) are the vocabulary of Vietnamese administrative documents, not of
any one plan; the address scheme is the product's own (see ``rag.structure.parser``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rag.models import Clause, ClauseLevel, PlanDocument
from rag.text import strip_diacritics

_ROMAN = r"(?:x{0,3})(?:ix|iv|v?i{0,3})"
_ORDINALS = {"nhat": "I", "mot": "I", "hai": "II", "ba": "III", "tu": "IV", "bon": "IV", "nam": "V", "sau": "VI",
             "bay": "VII", "tam": "VIII", "chin": "IX", "muoi": "X", "first": "I", "second": "II", "third": "III",
             "fourth": "IV", "fifth": "V", "sixth": "VI"}
_COUNT_WORDS = {"mot": 1, "nhat": 1, "hai": 2, "ba": 3, "tu": 4, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8}

_DOTTED_RE = re.compile(rf"(?<![\w.])(?P<part>{_ROMAN})\.(?P<item>\d{{1,2}}(?:\.\d{{1,2}})*)(?:\.(?P<point>[a-z]))?(?![\w])")
_PART_RE = re.compile(rf"\b(?:phan|part|section)\s+(?:thu\s+(?P<ord>\w+)|(?P<num>{_ROMAN}|\d{{1,2}}))(?![\w.])")
_ITEM_RE = re.compile(r"\b(?:tieu muc|muc|khoan|item|clause)\s+(?:so\s+)?(?P<num>\d{1,2}(?:\.\d{1,2})*)(?![\w])")
_POINT_RE = re.compile(r"\b(?:diem|point)\s+(?P<num>[a-z])(?:\s*\))?(?![\w])")
_BULLET_RE = re.compile(r"\b(?:gach dau dong|gach dong|y|bullet)\s+(?:thu\s+)?(?P<num>\d{1,2}|\w+)\b")
_APPENDIX_RE = re.compile(r"\b(?:phu luc|bang phan cong|bang nhiem vu|appendix|annex)\b")
_GROUP_RE = re.compile(rf"\b(?:nhom|group|phan|muc)\s+(?P<num>{_ROMAN})(?![\w.])")
_ROW_RE = re.compile(r"\b(?:dong|hang|nhiem vu|row|stt|so thu tu|task)\s+(?:so\s+|thu\s+)?(?P<num>\d{1,3})(?![\w])")


@dataclass(frozen=True)
class ClauseRef:
    """What the question says of the address; any part may be missing."""

    part: str = ""  # "IV"
    item: str = ""  # "3" or "1.2"
    point: str = ""  # "b"
    bullet: int = 0
    appendix: bool = False
    group: str = ""  # appendix group "II"
    row: str = ""  # appendix row "4"
    text: str = ""  # the words of the question that named it

    @property
    def label(self) -> str:
        if self.appendix:
            return "phụ lục" + (f", nhóm {self.group}" if self.group else "") + (f", dòng {self.row}" if self.row else "")
        address = ".".join(p for p in (self.part, self.item, self.point) if p)
        return address + (f"-{self.bullet}" if self.bullet else "")


def _roman_or_digit(value: str) -> str:
    return value.upper() if re.fullmatch(_ROMAN, value) and value else value


def read_address(question: str) -> ClauseRef | None:
    """The address a question names, or None."""
    text = strip_diacritics(question).lower()
    text = re.sub(r"[“”\"'«»]", " ", text)
    if _APPENDIX_RE.search(text):
        row = _ROW_RE.search(text)
        group = _GROUP_RE.search(text)
        if row or group:
            return ClauseRef(appendix=True, group=group.group("num").upper() if group else "",
                             row=row.group("num") if row else "", text=(row or group).group())
    dotted = _DOTTED_RE.search(text)
    part = _PART_RE.search(text)
    item = _ITEM_RE.search(text)
    point = _POINT_RE.search(text)
    bullet = _BULLET_RE.search(text)
    ref_part = ref_item = ref_point = ""
    if dotted and dotted.group("part"):
        ref_part, ref_item, ref_point = dotted.group("part").upper(), dotted.group("item"), dotted.group("point") or ""
    if part:
        if part.group("ord"):
            ref_part = _ORDINALS.get(part.group("ord"), ref_part)
        elif part.group("num"):
            ref_part = _roman_or_digit(part.group("num"))
    if item and not ref_item:
        ref_item = item.group("num")
    if point and not ref_point:
        ref_point = point.group("num")
    n_bullet = 0
    if bullet:
        raw = bullet.group("num")
        n_bullet = int(raw) if raw.isdigit() else _COUNT_WORDS.get(raw, 0)
    if not (ref_part or ref_item):
        return None
    if not (dotted or part or item):
        return None
    words = " ".join(m.group() for m in (dotted, part, item, point, bullet) if m)
    return ClauseRef(part=ref_part, item=ref_item, point=ref_point, bullet=n_bullet, text=words)


def _variants(address: str, plan: PlanDocument) -> list[str]:
    """The address and the repeats of its first number ("II" → "II", "II(2)")."""
    have = {c.address for c in plan.clauses}
    head, _, rest = address.partition(".")
    out = [a for a in [address] + [f"{head}({k}){'.' + rest if rest else ''}" for k in range(2, 5)] if a in have]
    return out


def resolve(ref: ClauseRef, plan: PlanDocument) -> list[Clause]:
    """The clauses of ``plan`` that ``ref`` can name, best first (more than one when the plan
    repeats a number, or the question leaves out the part)."""
    have = {c.address: c for c in plan.clauses}
    candidates: list[str] = []
    if ref.appendix:
        roots = [c for c in plan.clauses if c.level is ClauseLevel.APPENDIX]
        rows = [c for c in plan.clauses if c.level in (ClauseLevel.ROW, ClauseLevel.GROUP) and any(
            c.address.startswith(r.address + ".") for r in roots)]
        for c in rows:
            parts = c.address.split(".")
            if ref.row and c.level is ClauseLevel.ROW and parts[-1] == ref.row and (not ref.group or ref.group in parts[:-1]):
                candidates.append(c.address)
            elif not ref.row and c.level is ClauseLevel.GROUP and parts[-1] == ref.group:
                candidates.append(c.address)
        return [have[a] for a in candidates]
    points = [ref.point] + (["đ"] if ref.point == "d" else [])
    if ref.part:
        bases = _variants(".".join(p for p in (ref.part, ref.item) if p), plan)
    else:  # "mục 3" without its part: every part that has an item 3
        bases = [c.address for c in plan.clauses if c.level in (ClauseLevel.ITEM, ClauseLevel.SUBITEM) and c.number == ref.item]
    for base in bases:
        if ref.point:
            candidates += [f"{base}.{p}" for p in points if f"{base}.{p}" in have]
        else:
            candidates.append(base)
    if ref.bullet:
        candidates = [f"{a}-{ref.bullet}" for a in candidates if f"{a}-{ref.bullet}" in have]
    return [have[a] for a in dict.fromkeys(candidates) if a in have]
