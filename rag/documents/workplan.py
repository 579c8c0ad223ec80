"""An agency's work plan as a DOCX: the skeleton of the report the plans require.

For each chosen plan: the duties and appendix rows the plan gives the agency — those it leads or carries out
first, then those it partners on — each with the other agencies, the deadline (the plan's wording, and how it
was read), the clause address, and an empty «Kết quả thực hiện» column to fill in. ``WorkPlan`` is the typed
content (also what the tests read); ``workplan_docx`` renders it.
"""
from __future__ import annotations

from dataclasses import dataclass

from docx.enum.text import WD_ALIGN_PARAGRAPH

from rag.structure.assignments import PARTNER, PlanIndex
from rag.documents import style
from rag.models import Corpus
from rag.schedule.tasks import Task, TaskSource
from rag.schedule.timeline import TimelineQuery, timeline
from rag.structure.agencies import agency_name

RESULT_COLUMN = "Kết quả thực hiện"
LEAD_HEADERS = ["TT", "Nhiệm vụ", "Cơ quan phối hợp", "Thời hạn", "Điều khoản", RESULT_COLUMN]
PARTNER_HEADERS = ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Điều khoản", RESULT_COLUMN]
_SHARES = [5, 43, 17, 14, 9, 16]
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


@dataclass(frozen=True)
class Duty:
    plan_id: str
    address: str
    role: str  # chủ trì | thực hiện | phối hợp
    task: str
    others: str  # partners of a led duty; the lead of a partnered one
    deadline: str  # the plan's wording and the reading, or «Không nêu»
    source: TaskSource


@dataclass(frozen=True)
class PlanDuties:
    plan_id: str
    short_name: str
    title: str
    lead: tuple[Duty, ...]
    partner: tuple[Duty, ...]


@dataclass(frozen=True)
class WorkPlan:
    agency: str  # key
    agency_name: str
    plans: tuple[PlanDuties, ...]

    @property
    def duties(self) -> list[Duty]:
        return [d for p in self.plans for d in (*p.lead, *p.partner)]


def deadline_cell(tasks: list[Task]) -> str:
    parts = []
    for t in tasks:
        d = t.deadline
        if not d.stated:
            continue
        parts.append(f"{d.text}\n({d.reading})" if d.reading else d.text)
    return "\n".join(dict.fromkeys(parts)) or "Không nêu"


def work_plan(corpus: Corpus, agency: str, plan_ids: list[str] | None = None,
              indexes: dict[str, PlanIndex] | None = None) -> WorkPlan:
    rows = timeline(corpus, TimelineQuery(agency=agency, plans=tuple(plan_ids or ())), indexes)
    by_clause: dict[tuple[str, str], list] = {}
    for r in rows:
        by_clause.setdefault((r.task.plan_id, r.task.address), []).append(r)
    plans = []
    for plan in corpus.plans:
        if plan_ids and plan.id not in plan_ids:
            continue
        lead, partner = [], []
        order = {c.address: i for i, c in enumerate(plan.clauses)}
        keys = sorted((k for k in by_clause if k[0] == plan.id), key=lambda k: order.get(k[1], 0))
        for key in keys:
            group = by_clause[key]
            t, role = group[0].task, group[0].role
            others = t.lead_names if role == PARTNER else t.partner_names
            duty = Duty(plan.id, t.address, role, t.text, others or "—", deadline_cell([r.task for r in group]),
                        t.source)
            (partner if role == PARTNER else lead).append(duty)
        if lead or partner:
            plans.append(PlanDuties(plan.id, plan.info.short_name, plan.info.title, tuple(lead), tuple(partner)))
    return WorkPlan(agency, agency_name(agency), tuple(plans))


def _rows(duties) -> list[list[str]]:
    return [[str(i), d.task, d.others, d.deadline, d.address, ""] for i, d in enumerate(duties, start=1)]


def workplan_docx(plan: WorkPlan) -> bytes:
    doc = style.new_document(landscape=True)
    style.national_header(doc, [plan.agency_name], number="Số:      /KH-……")
    style.title(doc, "Kế hoạch", f"Thực hiện các nhiệm vụ được giao cho {plan.agency_name}")
    if not plan.plans:
        style.paragraph(doc, f"Các kế hoạch đã chọn không giao nhiệm vụ nào cho {plan.agency_name}.",
                        indent_first=True)
        return style.to_bytes(doc)
    bases = "; ".join(f"{p.title} ({p.short_name})" for p in plan.plans)
    style.paragraph(doc, f"Căn cứ {bases};", indent_first=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    style.paragraph(doc, f"{plan.agency_name} xây dựng kế hoạch thực hiện các nhiệm vụ được giao như sau "
                         f"(thời hạn ghi nguyên văn kế hoạch; trong ngoặc là cách hiểu thời hạn; cột «Điều khoản» "
                         f"là địa chỉ điều khoản trong kế hoạch):", indent_first=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    for n, p in enumerate(plan.plans):
        style.heading(doc, f"{_ROMAN[n] if n < len(_ROMAN) else n + 1}. Theo {p.short_name}")
        k = 1
        if p.lead:
            style.heading(doc, f"{k}. Nhiệm vụ chủ trì, thực hiện ({len(p.lead)})", level=2)
            style.table(doc, LEAD_HEADERS, _rows(p.lead), _SHARES)
            k += 1
        if p.partner:
            style.heading(doc, f"{k}. Nhiệm vụ phối hợp ({len(p.partner)})", level=2)
            style.table(doc, PARTNER_HEADERS, _rows(p.partner), _SHARES)
    style.heading(doc, f"{_ROMAN[len(plan.plans)] if len(plan.plans) < len(_ROMAN) else ''}. Tổ chức thực hiện")
    style.paragraph(doc, "Các phòng, đơn vị được giao chủ trì cập nhật cột «Kết quả thực hiện» và báo cáo theo thời "
                         "hạn các kế hoạch quy định.", indent_first=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    style.signature(doc, ["Như trên;", "Lưu: VT."], "Thủ trưởng cơ quan")
    return style.to_bytes(doc)
