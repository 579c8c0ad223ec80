"""What the «Lịch thực hiện» tab does, without Gradio: filters to a ``TimelineQuery``, the table rows, a row's
clause in its place in the plan, and the XLSX / .ics / DOCX files it offers. The tab component only wires these
to its widgets, so they are tested without a browser; the rows are the ones ``rag deadlines`` writes. The
files go through ``ui/downloads.py``."""
from __future__ import annotations

import html
from datetime import date

from rag.structure.assignments import PlanIndex
from rag.models import Corpus
from rag.structure.deadlines import DeadlineKind
from rag.schedule.timeline import RoleFilter, TimelineQuery, TimelineRow, timeline

ALL, DUE_SOON, OVERDUE, RECURRING = "all", "due", "overdue", "recurring"
QUICK_CHOICES = [("Tất cả", ALL), ("Đến hạn trong 90 ngày tới", DUE_SOON),
                 ("Quá hạn (kế hoạch còn hiệu lực)", OVERDUE), ("Định kỳ", RECURRING)]
ROLE_CHOICES = [("Chủ trì hoặc phối hợp", RoleFilter.ANY.value), ("Chủ trì / thực hiện", RoleFilter.LEAD.value),
                ("Phối hợp", RoleFilter.PARTNER.value)]
KIND_CHOICES = [(k.label, k.value) for k in DeadlineKind]
HEADERS = ["Hạn gần nhất", "Kế hoạch", "Điều khoản", "Việc", "Chủ trì / thực hiện", "Phối hợp", "Vai trò",
           "Thời hạn (nguyên văn)", "Loại thời hạn"]
DUE_SOON_DAYS = 90


def make_query(agency: str | None, role: str | None, plans: list[str] | None, year: str | int | None,
               kinds: list[str] | None, quick: str | None, today: date | None = None) -> TimelineQuery:
    """The tab's widgets as a query; bad values (a year that is not a number, an unknown kind) are ignored."""
    try:
        year_value = int(year) if year not in (None, "", "Tất cả") else None
    except (TypeError, ValueError):
        year_value = None
    known = {k.value for k in DeadlineKind}
    return TimelineQuery(
        agency=agency or None, role=RoleFilter(role) if role in {r.value for r in RoleFilter} else RoleFilter.ANY,
        plans=tuple(plans or ()), year=year_value,
        kinds=tuple(DeadlineKind(k) for k in (kinds or ()) if k in known),
        due_within_days=DUE_SOON_DAYS if quick == DUE_SOON else None, overdue=quick == OVERDUE,
        recurring_only=quick == RECURRING, today=today or date.today())


def table_row(row: TimelineRow) -> list[str]:
    t, d = row.task, row.task.deadline
    kind = f"{d.kind.label}: {d.reading}" if d.reading else d.kind.label
    return [f"{row.next_due:%d/%m/%Y}" if row.next_due else "—", t.plan_name, t.address, t.text,
            t.lead_names or "—", t.partner_names or "—", row.role or "", d.text or "—", kind]


def rows_for(corpus: Corpus, query: TimelineQuery, indexes: dict[str, PlanIndex] | None = None) -> list[TimelineRow]:
    return timeline(corpus, query, indexes)


def years_of(corpus: Corpus) -> list[str]:
    """The years the plans run over (the year filter's choices)."""
    from rag.structure.deadlines import parse_period

    years: set[int] = set()
    for p in corpus.plans:
        period = parse_period(p.info.period)
        if period:
            years |= set(range(period[0], period[1] + 1))
    return [str(y) for y in sorted(years)]


def clause_html(corpus: Corpus, indexes: dict[str, PlanIndex], row: TimelineRow | None) -> str:
    """The task's clause in its place: the plan, the headings above it, the clause (and an appendix row's columns)."""
    if row is None:
        return "<div class='sources-empty'>Bấm một dòng để xem điều khoản của nó trong kế hoạch.</div>"
    t = row.task
    idx = indexes.get(t.plan_id) or PlanIndex(corpus.plan(t.plan_id))
    clause = idx.by_address.get(t.address)
    if clause is None:
        return "<div class='sources-empty'>Không tìm thấy điều khoản này (kế hoạch đã thay đổi?).</div>"
    parts = [f"<div class='source-title'>{html.escape(t.plan_name)} — <b>{html.escape(t.address)}</b></div>"]
    parts += [f"<div class='ctx-head'>{html.escape(h)}</div>" for h in clause.path]
    parts.append(f"<div class='ctx-item ctx-current' id='timeline-clause'>{html.escape(clause.text)}</div>")
    if clause.level == "row":
        parts.append(f"<div class='ctx-item'>Chủ trì: {html.escape(clause.lead or '—')}; phối hợp: "
                     f"{html.escape(clause.partners or '—')}; thời hạn: {html.escape(clause.deadline or '—')}</div>")
    d = t.deadline
    parts.append(f"<div class='ctx-item'>Thời hạn: {html.escape(d.text or 'không nêu')} "
                 f"({html.escape(d.kind.label)}{': ' + html.escape(d.reading) if d.reading else ''})</div>")
    return "".join(parts)


def file_stem(query: TimelineQuery) -> str:
    parts = ["lich-thuc-hien", query.agency or "tat-ca"]
    if len(query.plans) == 1:
        parts.append(query.plans[0])
    elif query.plans:
        parts.append(f"{len(query.plans)}-ke-hoach")
    if query.year:
        parts.append(str(query.year))
    return "-".join(parts)
