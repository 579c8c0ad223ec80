"""The timeline across plans: tasks filtered and ordered by deadline, the same for the CLI and the page.

``TimelineQuery`` holds the filters (agency as lead or partner, plans, year, kinds, a date window, "due in the
next N days", "overdue for plans still running", "recurring only"); ``timeline(corpus, query)`` returns the
matching rows, each a task with its role for the agency asked about and its next due day.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, timedelta

from rag.structure.assignments import PlanIndex
from rag.models import Corpus
from rag.structure.deadlines import DeadlineKind
from rag.schedule.tasks import Task, corpus_tasks


class RoleFilter(str, enum.Enum):
    ANY = "any"
    LEAD = "lead"  # chủ trì or thực hiện: the agency does it
    PARTNER = "partner"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class TimelineQuery:
    agency: str | None = None  # an agency key
    role: RoleFilter = RoleFilter.ANY
    plans: tuple[str, ...] = ()
    year: int | None = None
    kinds: tuple[DeadlineKind, ...] = ()
    since: date | None = None  # a due day, or the window of a deadline, in [since, until]
    until: date | None = None
    due_within_days: int | None = None  # "due in the next 90 days" (from ``today``)
    overdue: bool = False  # due day passed, and the plan's period still running
    recurring_only: bool = False
    with_deadline_only: bool = False  # leave out duties that state no deadline
    today: date = field(default_factory=date.today)


@dataclass(frozen=True)
class TimelineRow:
    task: Task
    role: str | None  # the asked agency's role (chủ trì / phối hợp / thực hiện), None without an agency filter
    next_due: date | None  # the first due day on or after today, else the last one before

    def to_dict(self) -> dict:
        return {**self.task.to_dict(), "role": self.role,
                "next_due": self.next_due.isoformat() if self.next_due else None}


def _plan_running(task: Task, today: date) -> bool:
    return bool(task.plan_period) and task.plan_period[0] <= today.year <= task.plan_period[1]


def _window(task: Task) -> tuple[date | None, date | None]:
    d = task.deadline
    if d.start or d.end:
        return d.start or d.end, d.end or d.start
    if task.plan_period:
        return date(task.plan_period[0], 1, 1), date(task.plan_period[1], 12, 31)
    return None, None


def next_due(task: Task, today: date, since: date | None = None, until: date | None = None) -> date | None:
    """The first due day in the asked window; without one, the first on or after today, else the last before."""
    d = task.deadline
    if since or until:
        days = d.due_dates(since or date(1900, 1, 1), until or date(2999, 12, 31))
        return days[0] if days else None
    days = d.due_dates(date(1900, 1, 1), date(2999, 12, 31))
    upcoming = [x for x in days if x >= today]
    return upcoming[0] if upcoming else (days[-1] if days else None)


def matches(task: Task, q: TimelineQuery) -> tuple[bool, str | None]:
    d = task.deadline
    role = None
    if q.agency:
        role = task.role_of(q.agency)
        if role is None:
            return False, None
        is_partner = q.agency in task.partners
        if q.role is RoleFilter.LEAD and is_partner or q.role is RoleFilter.PARTNER and not is_partner:
            return False, role
    if q.plans and task.plan_id not in q.plans:
        return False, role
    if q.kinds and d.kind not in q.kinds:
        return False, role
    if q.with_deadline_only and not d.stated:
        return False, role
    if q.recurring_only and not d.recurring:
        return False, role
    if q.year is not None:
        years = d.years() or ({y for y in range(task.plan_period[0], task.plan_period[1] + 1)}
                              if task.plan_period and d.kind is DeadlineKind.NONE else set())
        if q.year not in years:
            return False, role
    if q.since or q.until:
        since, until = q.since or date(1900, 1, 1), q.until or date(2999, 12, 31)
        if d.due_dates(since, until):
            pass
        elif d.kind in (DeadlineKind.CONTINUOUS, DeadlineKind.RECURRING):
            start, end = _window(task)
            if not (start and end and start <= until and since <= end):
                return False, role
        else:
            return False, role
    if q.due_within_days is not None and not d.due_dates(q.today, q.today + timedelta(days=q.due_within_days)):
        return False, role
    if q.overdue:
        if d.kind in (DeadlineKind.RECURRING, DeadlineKind.CONTINUOUS) or not d.end:
            return False, role
        if not (d.end < q.today and _plan_running(task, q.today)):
            return False, role
    return True, role


def _order(row: TimelineRow) -> tuple:
    d = row.task.deadline
    start, end = _window(row.task)
    first = row.next_due or (end if d.stated and d.kind is not DeadlineKind.UNPARSED else None)
    return (first is None, first or date.max, row.task.plan_id, row.task.address)


def timeline(corpus: Corpus, query: TimelineQuery = TimelineQuery(),
             indexes: dict[str, PlanIndex] | None = None) -> list[TimelineRow]:
    """Matching tasks, the soonest due first; tasks due on no particular day (continuous, unanchored
    recurring) by the end of their window; tasks with no deadline last."""
    rows = []
    for task in corpus_tasks(corpus, list(query.plans) or None, indexes):
        ok, role = matches(task, query)
        if ok:
            rows.append(TimelineRow(task, role, next_due(task, query.today, query.since, query.until)))
    return sorted(rows, key=_order)
