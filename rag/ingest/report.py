"""The parse report shown after a plan is read: its metadata, how many clauses of each kind
were found, and warnings a person should look at before trusting the plan's answers."""
from __future__ import annotations

import enum
from collections import Counter
from dataclasses import asdict, dataclass, field

from rag.ingest.document import ExtractedText
from rag.models import Clause, PlanDocument, PlanInfo
from rag.structure.agencies import agency_name
from rag.structure.parser import RESPONSIBILITY_PART
from rag.text import fold

LONG_CLAUSE_CHARS = 3000
LEFT_OUT_SHOWN = 20  # lines of left-out text listed in the warning (all of them are in the report's data)
LEFT_OUT_CHARS = 160  # each shown this long at most
_POINT_ORDER = "abcdđeghiklmnopqrstuvxy"  # letters of Vietnamese legal enumeration
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
_HEADED = ("part", "item", "subitem")


class WarningKind(str, enum.Enum):
    NO_RESPONSIBILITY_PART = "no-responsibility-part"
    UNKNOWN_AGENCY = "unknown-agency"
    NUMBERING_GAP = "numbering-gap"
    LONG_CLAUSE = "long-clause"
    TEXT_LOST = "text-lost"
    OCR = "ocr"


@dataclass(frozen=True)
class ParseWarning:
    kind: WarningKind
    message: str  # Vietnamese, shown to the user
    clause: str = ""


@dataclass(frozen=True)
class ClauseCounts:
    parts: int = 0
    items: int = 0
    points: int = 0
    bullets: int = 0
    paragraphs: int = 0
    agency_sections: int = 0
    appendix_rows: int = 0
    clauses: int = 0


@dataclass(frozen=True)
class ParseReport:
    plan: PlanInfo
    counts: ClauseCounts
    warnings: tuple[ParseWarning, ...]
    source: str  # docx | pdf | text
    pages: int = 0
    ocr: bool = False
    agencies: tuple[str, ...] = ()  # display names of the agency sections found
    seconds: dict = field(default_factory=dict)
    coverage: float = 1.0  # share of the extracted text's characters that are in a clause, the front matter or the signature
    lines: int = 0  # the extracted text's lines
    left_out: tuple[str, ...] = ()  # the lines in none of them, verbatim

    def to_dict(self) -> dict:
        plan = asdict(self.plan)
        plan["aliases"] = list(self.plan.aliases)
        return {
            "id": self.plan.id,
            "metadata": plan,
            "source": self.source,
            "pages": self.pages,
            "ocr": self.ocr,
            "counts": asdict(self.counts),
            "agencies": list(self.agencies),
            "coverage": round(self.coverage, 4),
            "lines": self.lines,
            "left_out": list(self.left_out),
            "warnings": [{"kind": w.kind.value, "message": w.message, "clause": w.clause} for w in self.warnings],
            "seconds": {k: round(v, 2) for k, v in self.seconds.items()},
        }

    def coverage_text(self) -> str:
        """"100 % (412 dòng …)": how much of the text the plan's clauses hold."""
        share = f"{self.coverage * 100:.1f}".rstrip("0").rstrip(".").replace(".", ",")
        if not self.left_out:
            return f"{share} % ({self.lines} dòng, mọi dòng đều nằm trong một điều khoản, phần đầu hoặc phần chữ ký)"
        return f"{share} % ({len(self.left_out)}/{self.lines} dòng không nằm trong điều khoản nào)"

    def render(self) -> str:
        p, c = self.plan, self.counts
        lines = [
            f"Kế hoạch «{p.id}»: {p.short_name}",
            f"  Tiêu đề: {p.title}",
            f"  Cơ quan ban hành: {p.issuer or '–'}; tỉnh/thành phố: {p.province or '–'}",
            f"  Số: {p.number or '–'}; ngày: {p.date or '–'}; thực hiện: {p.decision or '–'}; giai đoạn: {p.period or '–'}",
            f"  Nguồn: {self.source}" + (f", {self.pages} trang" if self.pages else "") + (" (OCR)" if self.ocr else ""),
            f"Cấu trúc: {c.parts} phần, {c.items} mục, {c.points} điểm, {c.bullets} gạch đầu dòng, "
            f"{c.agency_sections} mục cơ quan, {c.appendix_rows} dòng phụ lục ({c.clauses} điều khoản).",
            f"Độ phủ văn bản: {self.coverage_text()}",
        ]
        if self.agencies:
            lines.append(f"Cơ quan: {', '.join(self.agencies)}")
        if self.warnings:
            lines.append(f"Cảnh báo ({len(self.warnings)}):")
            lines.extend(f"  - {w.message}" for w in self.warnings)
        else:
            lines.append("Không có cảnh báo.")
        return "\n".join(lines)


def _counts(plan: PlanDocument, agency_sections: list[Clause]) -> ClauseCounts:
    by_level = Counter(c.level for c in plan.clauses)
    return ClauseCounts(
        parts=by_level["part"], items=by_level["item"] + by_level["subitem"], points=by_level["point"],
        bullets=by_level["bullet"], paragraphs=by_level["paragraph"], agency_sections=len(agency_sections),
        appendix_rows=by_level["row"], clauses=len(plan.clauses))


def _responsibility_parts(plan: PlanDocument) -> list[Clause]:
    return [c for c in plan.clauses if c.level == "part" and RESPONSIBILITY_PART in fold(c.title)]


def agency_sections(plan: PlanDocument) -> list[Clause]:
    """Headings that name who carries out what is below them (their own agency, not inherited)."""
    by_address = {c.address: c for c in plan.clauses}
    out = []
    for c in plan.clauses:
        if c.level in _HEADED and c.agency:
            parent = by_address.get(c.parent) if c.parent else None
            if parent is None or parent.agency != c.agency:
                out.append(c)
    return out


def _ordinal(level: str, number: str) -> int | None:
    if level == "point":
        return _POINT_ORDER.index(number) + 1 if number in _POINT_ORDER else None
    if number.isdigit():
        return int(number)
    if level == "part" and number and all(ch in _ROMAN_VALUES for ch in number):
        total, prev = 0, 0
        for ch in reversed(number):
            v = _ROMAN_VALUES[ch]
            total, prev = (total - v, prev) if v < prev else (total + v, v)
        return total
    return None


def _gaps(plan: PlanDocument) -> list[ParseWarning]:
    warnings = []
    last: dict[tuple, tuple[int, Clause]] = {}
    for c in plan.clauses:
        if c.level not in ("part", "item", "point"):
            continue
        n = _ordinal(c.level, c.number)
        if n is None:
            continue
        key = (c.parent, c.level, c.number.isdigit())
        if key in last:
            prev_n, prev = last[key]
            if n != prev_n + 1 and n != prev_n:
                warnings.append(ParseWarning(WarningKind.NUMBERING_GAP,
                                             f"Đánh số nhảy từ «{prev.number}» ({prev.address}) sang «{c.number}» "
                                             f"({c.address}): có thể thiếu một mục.", c.address))
        elif n != 1:
            warnings.append(ParseWarning(WarningKind.NUMBERING_GAP,
                                         f"Mục đầu tiên của nhóm đánh số «{c.number}» ({c.address}), không bắt đầu "
                                         f"từ 1/a/I: có thể thiếu mục phía trước.", c.address))
        last[key] = (n, c)
    return warnings


def _left_out_warning(left_out: tuple[str, ...]) -> ParseWarning:
    shown = [t if len(t) <= LEFT_OUT_CHARS else t[:LEFT_OUT_CHARS].rsplit(" ", 1)[0] + "…" for t in left_out[:LEFT_OUT_SHOWN]]
    more = f" (và {len(left_out) - LEFT_OUT_SHOWN} dòng khác)" if len(left_out) > LEFT_OUT_SHOWN else ""
    return ParseWarning(WarningKind.TEXT_LOST,
                        f"{len(left_out)} dòng của văn bản không nằm trong điều khoản nào (sẽ không được dùng để trả "
                        f"lời): " + "; ".join(f"«{t}»" for t in shown) + more)


def build_report(plan: PlanDocument, extracted: ExtractedText, seconds: dict | None = None) -> ParseReport:
    warnings: list[ParseWarning] = []
    parts = _responsibility_parts(plan)
    if not parts:
        warnings.append(ParseWarning(WarningKind.NO_RESPONSIBILITY_PART,
                                     "Không thấy phần «Tổ chức thực hiện»: trách nhiệm của từng cơ quan sẽ không được "
                                     "ghi nhận."))
    for part in parts:
        for c in plan.children(part.address):
            grouped = any(d.agency for d in plan.descendants(c.address))  # "I. Các sở, ngành" over agencies
            if c.level in _HEADED and not c.agency and not grouped:
                warnings.append(ParseWarning(WarningKind.UNKNOWN_AGENCY,
                                             f"Tiêu đề «{c.number}. {c.title[:80]}» ({c.address}) trong phần Tổ chức "
                                             f"thực hiện không nhận ra cơ quan nào.", c.address))
    warnings.extend(_gaps(plan))
    for c in plan.clauses:
        if len(c.text) > LONG_CLAUSE_CHARS:
            warnings.append(ParseWarning(WarningKind.LONG_CLAUSE,
                                         f"Điều khoản {c.address} dài {len(c.text)} ký tự (trên {LONG_CLAUSE_CHARS}): "
                                         f"có thể đánh số bên trong bị mất.", c.address))
    if extracted.lost_chars:
        warnings.append(ParseWarning(WarningKind.TEXT_LOST,
                                     f"{extracted.lost_chars} ký tự không đọc được khi trích xuất (phông chữ không "
                                     f"có bảng mã Unicode hoặc trang chỉ có ảnh)."))
    coverage = plan.coverage
    left_out = coverage.left_out if coverage else ()
    if left_out:
        warnings.append(_left_out_warning(left_out))
    if extracted.ocr:
        warnings.append(ParseWarning(WarningKind.OCR, "Văn bản lấy bằng nhận dạng chữ (OCR) từ bản quét: nên đối chiếu "
                                                      "lại với bản gốc."))
    sections = agency_sections(plan)
    names = tuple(dict.fromkeys(agency_name(k) for c in sections for k in c.agency))
    return ParseReport(plan=plan.info, counts=_counts(plan, sections), warnings=tuple(warnings),
                       source=extracted.kind.value, pages=extracted.pages, ocr=extracted.ocr, agencies=names,
                       seconds=dict(seconds or {}), coverage=coverage.share if coverage else 1.0,
                       lines=coverage.lines if coverage else 0, left_out=left_out)
