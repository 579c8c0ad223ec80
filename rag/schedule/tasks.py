"""Every task of a plan that the timeline and the documents list, each with its deadline and clause address.

A task is one of:

- an appendix row (``ROW``): its content, lead and partner columns, and its deadline column;
- a duty (``DUTY``): a clause under an agency's heading in the "Tổ chức thực hiện" part (listed even when
  it states no deadline: an agency's work plan needs all of them);
- a target (``TARGET``): a clause under a "Mục tiêu" heading that states a deadline, or whose heading does;
- any other clause that states a deadline (``TASK``: "các cơ quan, đơn vị báo cáo … trước ngày 30/11 hằng năm").

A clause that states two deadlines ("định kỳ … báo cáo sơ kết hằng năm") gives one task per deadline.
Roles come from ``rag.structure.assignments`` so the agency view, the timeline and the work plan agree.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace

from rag import lexicon
from rag.structure.assignments import LEAD, PARTNER, DOER, PlanIndex, duty_role, names_as_subject, row_content
from rag.models import Clause, ClauseLevel, Corpus, PlanDocument
from rag.structure.deadlines import NO_DEADLINE, Deadline, find_deadlines, parse_deadline, parse_period
from rag.structure.agencies import agency_name, find_agencies
from rag.text import fold


class TaskSource(str, enum.Enum):
    ROW = "row"
    DUTY = "duty"
    TARGET = "target"
    TASK = "task"

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        return {"row": "dòng phụ lục", "duty": "nhiệm vụ", "target": "mục tiêu", "task": "việc có thời hạn"}[self.value]


@dataclass(frozen=True)
class Task:
    plan_id: str
    plan_name: str  # the plan's short name, as citations write it
    address: str
    path: tuple[str, ...]
    source: TaskSource
    text: str  # what is to be done: the row's content, or the clause's words
    deadline: Deadline
    leads: tuple[str, ...] = ()  # agency keys
    partners: tuple[str, ...] = ()
    lead_names: str = ""  # as the plan writes them (the row's column, or the heading the duty sits under)
    partner_names: str = ""
    lead_role: str = LEAD  # chủ trì, or thực hiện for a duty that is simply the agency's own work
    plan_period: tuple[int, int] | None = field(default=None, compare=False)

    def role_of(self, key: str) -> str | None:
        if key in self.leads:
            return self.lead_role
        if key in self.partners:
            return PARTNER
        return None

    @property
    def citation(self) -> str:
        return f"{self.plan_name}, {self.address}"

    def to_dict(self) -> dict:
        return {"plan_id": self.plan_id, "plan": self.plan_name, "clause": self.address, "path": " › ".join(self.path),
                "source": self.source.value, "task": self.text, "lead": self.lead_names, "partners": self.partner_names,
                "lead_agencies": list(self.leads), "partner_agencies": list(self.partners), "lead_role": self.lead_role,
                "deadline": self.deadline.to_dict()}


_NOT_TASKS = {ClauseLevel.FRONT, ClauseLevel.PREAMBLE, ClauseLevel.PART, ClauseLevel.GROUP,
              ClauseLevel.APPENDIX}


def _target_heading(plan: PlanDocument, idx: PlanIndex, clause: Clause) -> Clause | None:
    words = lexicon.load("deadlines")["sections"]["targets"]
    node = idx.by_address.get(clause.parent) if clause.parent else None
    while node is not None:
        if any(fold(node.title).startswith(w) for w in words):
            return node
        node = idx.by_address.get(node.parent) if node.parent else None
    return None


def _names(keys) -> str:
    return "; ".join(agency_name(k) for k in keys)


def _named_after_cooperate(text: str, exclude: tuple[str, ...]) -> tuple[str, ...]:
    """Agencies a duty names after "phối hợp (với)": those it works with."""
    folded = fold(text)
    at = folded.find("phoi hop")
    if at < 0:
        return ()
    # the folded text drops punctuation, so search the agencies in the words after the cue
    tail = " ".join(text.split()[len(folded[:at].split()):])
    return tuple(k for k in find_agencies(tail) if k not in exclude)


def _subject(clause: Clause) -> tuple[str, ...]:
    """The agencies a clause opens with as its subject, after a word that assigns ("Giao Công an …")."""
    words = clause.text.split()
    for cue in sorted(lexicon.load("deadlines")["sections"]["assigning"], key=len, reverse=True):
        n = len(cue.split())
        if fold(" ".join(words[:n])) == cue:
            clause = replace(clause, text=" ".join(words[n:]))
            break
    return tuple(k for k in find_agencies(" ".join(clause.text.split()[:8])) if names_as_subject(clause, {k}))


def plan_tasks(plan: PlanDocument, index: PlanIndex | None = None) -> list[Task]:
    """The plan's tasks in document order."""
    idx = index or PlanIndex(plan)
    period = parse_period(plan.info.period)
    name = plan.info.short_name
    out: list[Task] = []

    def add(c: Clause, source: TaskSource, text: str, deadlines: list[Deadline], **agencies) -> None:
        for d in deadlines or [NO_DEADLINE]:
            out.append(Task(plan.id, name, c.address, c.path, source, text, d, plan_period=period, **agencies))

    for c in plan.clauses:
        if c.level in _NOT_TASKS or not idx.is_leaf(c):
            continue
        if c.level == ClauseLevel.ROW:
            add(c, TaskSource.ROW, row_content(c), [parse_deadline(c.deadline, period)],
                leads=c.lead_agencies, partners=c.partner_agencies, lead_names=c.lead or "",
                partner_names=c.partners or "")
            continue
        found = find_deadlines(c.text, period)
        owner = idx.owner_item(c)
        if owner is not None:
            own = tuple(c.agency) or tuple(k for k in find_agencies(" ".join(c.text.split()[:8]))
                                          if names_as_subject(c, {k}))
            role = duty_role(c)
            # agencies the duty names after "phối hợp (với)" are shown as the plan words them; the duty is
            # the heading agency's own (as in the agency view), so only that agency is keyed
            named = _names(_named_after_cooperate(c.text, own))
            owner_names = _names(own) if own else owner.title
            if role == PARTNER:  # "Phối hợp với X …": the heading's agency partners X
                add(c, TaskSource.DUTY, c.text, found, partners=own, lead_names=named, partner_names=owner_names)
            else:
                add(c, TaskSource.DUTY, c.text, found, leads=own, lead_names=owner_names, partner_names=named,
                    lead_role=role)
            continue
        heading = _target_heading(plan, idx, c)
        if heading is not None:
            stated = found or find_deadlines(heading.title, period, heading=True)
            if stated:
                add(c, TaskSource.TARGET, c.text, stated)
            continue
        if found:
            subject = _subject(c)
            add(c, TaskSource.TASK, c.text, found, leads=subject, lead_names=_names(subject), lead_role=DOER)
    return out


def corpus_tasks(corpus: Corpus, plan_ids: list[str] | None = None,
                 indexes: dict[str, PlanIndex] | None = None) -> list[Task]:
    return [t for plan in corpus.plans if not plan_ids or plan.id in plan_ids
            for t in plan_tasks(plan, (indexes or {}).get(plan.id))]
