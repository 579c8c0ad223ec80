"""Citations and the labels that say who a clause is for, shared by every answerer.

``Citations`` hands out the [n] markers in the order they appear in an answer;
``ClauseLabels`` says which agency carries out a clause (its "Tổ chức thực hiện" heading, or the
lead / partners / deadline of an appendix row).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.structure.assignments import PlanIndex, row_content
from rag.models import Citation, Clause, ClauseLevel, Corpus
from rag.structure.agencies import agency_name

# a "Tổ chức thực hiện" item heading longer than this runs into its duty: the agency names stand for it
MAX_LABEL_CHARS = 160


@dataclass
class Citations:
    """Citations in the order their markers appear in the answer."""

    corpus: Corpus
    items: list[Citation] = field(default_factory=list)

    def mark(self, plan_id: str, clause: Clause, text: str | None = None) -> str:
        """The [n] of ``clause`` (added when new). ``text``: what the citation shows, when more
        than the clause's own words (a clause with the clauses under it)."""
        for i, c in enumerate(self.items, start=1):
            if c.plan_id == plan_id and c.clause == clause.address:
                return f"[{i}]"
        plan = self.corpus.plan(plan_id)
        self.items.append(Citation(plan_id=plan_id, clause=clause.address,
                                   path=" › ".join((plan.info.short_name, *clause.path)),
                                   text=text if text is not None else clause.text, short_name=plan.info.short_name))
        return f"[{len(self.items)}]"


class ClauseLabels:
    def __init__(self, corpus: Corpus, indexes: dict[str, PlanIndex] | None = None) -> None:
        self.corpus = corpus
        self.indexes = indexes or {p.id: PlanIndex(p) for p in corpus.plans}

    def clause(self, plan_id: str, address: str) -> Clause:
        return self.indexes[plan_id].by_address[address]

    def agency_label(self, plan_id: str, clause: Clause) -> str:
        """Who carries out ``clause``: the heading of its "Tổ chức thực hiện" item ('' if none)."""
        item = self.indexes[plan_id].owner_item(clause)
        if item is None:
            return ""
        title = re.sub(r"^Đề nghị\s+", "", item.title).strip()
        if len(title) > MAX_LABEL_CHARS:
            title = ", ".join(agency_name(k) for k in item.agency) or title[:MAX_LABEL_CHARS]
        return title

    @staticmethod
    def row_roles(clause: Clause, lead: str = "Chủ trì", partners: str = "phối hợp") -> str:
        """'Chủ trì: …; phối hợp: …; thời hạn: …' of an appendix row (the parts it states)."""
        parts = [f"{lead}: {clause.lead}" if clause.lead else "",
                 f"{partners}: {clause.partners}" if clause.partners else "",
                 f"thời hạn: {clause.deadline}" if clause.deadline else ""]
        return "; ".join(p for p in parts if p)

    def who_line(self, plan_id: str, clause: Clause) -> str:
        """'Cơ quan chủ trì: …; cơ quan phối hợp: …; thời hạn: …' or 'Cơ quan thực hiện: …' ('' if unknown)."""
        if clause.level is ClauseLevel.ROW:
            return self.row_roles(clause, "Cơ quan chủ trì", "cơ quan phối hợp")
        label = self.agency_label(plan_id, clause)
        return f"Cơ quan thực hiện: {label}" if label else ""

    def has_who(self, plan_id: str, clause: Clause) -> bool:
        return clause.level is ClauseLevel.ROW or bool(self.agency_label(plan_id, clause))

    def content(self, clause: Clause) -> str:
        """The words of the task: a row's content column, any other clause's text."""
        return row_content(clause) if clause.level is ClauseLevel.ROW else clause.text

    def subtree_text(self, plan_id: str, clause: Clause) -> str:
        """The clause with every clause under it, in order (what "mục II.5" holds)."""
        plan = self.indexes[plan_id].plan
        parts = [f"{clause.title}" if clause.title and not clause.text.startswith(clause.title) else "", clause.text]
        for child in plan.descendants(clause.address):
            parts.append(f"{child.address}: {child.text}")
        return " ".join(p for p in parts if p)
