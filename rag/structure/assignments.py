"""Everything a plan assigns to an agency, with the role it has: from the appendix rows
(chủ trì / phối hợp, with deadline) and from the "Tổ chức thực hiện" clauses under the
agency's heading (thực hiện, or chủ trì when the clause says so). One place, used by the
duty answers and by the agency view of the chat page."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from rag.models import Clause, ClauseLevel, Corpus, PlanDocument
from rag.structure.agencies import find_agencies
from rag.structure.parser import RESPONSIBILITY_PART
from rag.text import fold

LEAD, PARTNER, DOER = "chủ trì", "phối hợp", "thực hiện"


@dataclass(frozen=True)
class Assignment:
    plan_id: str
    clause: Clause
    role: str  # chủ trì | phối hợp | thực hiện (a "Phối hợp với …" duty is phối hợp)
    task: str  # the clause's words (for a row: its content column)
    deadline: str = ""


class PlanIndex:
    """Clause lookups for one plan: by address, children, and the responsible item."""

    def __init__(self, plan: PlanDocument) -> None:
        self.plan = plan
        self.by_address = {c.address: c for c in plan.clauses}
        self.parents = {c.parent for c in plan.clauses if c.parent}
        self._named: dict[str, frozenset[str]] = {}

    def named_in(self, clause: Clause) -> frozenset[str]:
        """The agencies ``clause``'s words name (read once per clause)."""
        found = self._named.get(clause.address)
        if found is None:
            found = self._named[clause.address] = frozenset(find_agencies(clause.text))
        return found

    @cached_property
    def agencies_named(self) -> frozenset[str]:
        """Every agency the plan names anywhere: as the one doing a task, or only in passing."""
        keys: set[str] = set()
        for c in self.plan.clauses:
            keys |= set(c.agency) | set(c.lead_agencies) | set(c.partner_agencies) | self.named_in(c)
        return frozenset(keys)

    def is_leaf(self, clause: Clause) -> bool:
        return clause.address not in self.parents

    def owner_item(self, clause: Clause) -> Clause | None:
        """The "Tổ chức thực hiện" item whose heading names who carries out ``clause``: an item
        of that part, else (other layouts: "C. TỔ CHỨC THỰC HIỆN" › "II. Sở Công Thương", or
        "I. Các sở, ngành" › "1) Sở Công Thương") the nearest heading below it that names an agency."""
        node = clause
        while node is not None:
            parent = self.by_address.get(node.parent) if node.parent else None
            if node.level in (ClauseLevel.ITEM, ClauseLevel.SUBITEM) and parent is not None and RESPONSIBILITY_PART in fold(parent.title):
                return node
            node = parent
        node = clause
        while node is not None:
            parent = self.by_address.get(node.parent) if node.parent else None
            if node.level in (ClauseLevel.PART, ClauseLevel.ITEM, ClauseLevel.SUBITEM) and node.agency and self._under_responsibility(node):
                return node
            node = parent
        return None

    def _under_responsibility(self, clause: Clause) -> bool:
        node = self.by_address.get(clause.parent) if clause.parent else None
        while node is not None:
            if node.level is ClauseLevel.PART and RESPONSIBILITY_PART in fold(node.title):
                return True
            node = self.by_address.get(node.parent) if node.parent else None
        return False


def involves(clause: Clause, keys) -> bool:
    """The clause is one of these agencies' work: under its heading, its lead or partner, or it
    opens with the agency as subject."""
    keys = set(keys)
    return bool(keys & set(clause.agency) or keys & set(clause.lead_agencies) or keys & set(clause.partner_agencies)
                or names_as_subject(clause, keys))


def names_as_subject(clause: Clause, keys: set[str]) -> bool:
    """The clause opens with the agency as its subject ("Đoàn TNCS Hồ Chí Minh … tiếp tục …"): its name
    starts at the first word. An agency named later ("Rà soát, phối hợp Công an thành phố …") is not the
    subject: that duty is its partner's, and labelling it the agency's own was wrong."""
    words = clause.text.split()
    opening = set(find_agencies(" ".join(words[:8]))) & keys
    return bool(opening - set(find_agencies(" ".join(words[1:8])))) and \
        not fold(clause.text).startswith(("chu tri", "phoi hop"))


def duty_role(clause: Clause) -> str:
    """The role a duty gives the agency whose heading it sits under: "Chủ trì …" leads, "Phối hợp với …"
    partners (the agency named after it leads), anything else is the agency's own work."""
    folded = fold(clause.text)
    if folded.startswith("chu tri"):
        return LEAD
    if folded.startswith("phoi hop"):
        return PARTNER
    return DOER


def row_content(clause: Clause) -> str:
    return re.split(r"\s\|\s", clause.text)[0]


def assignments(corpus: Corpus, key: str, plan_ids: list[str] | None = None,
                indexes: dict[str, PlanIndex] | None = None) -> list[Assignment]:
    """In document order, per plan."""
    keys = {key}
    out: list[Assignment] = []
    for plan in corpus.plans:
        if plan_ids and plan.id not in plan_ids:
            continue
        idx = (indexes or {}).get(plan.id) or PlanIndex(plan)
        for c in plan.clauses:
            if not idx.is_leaf(c) or c.level in (ClauseLevel.PART, ClauseLevel.GROUP, ClauseLevel.APPENDIX):
                continue
            if c.level is ClauseLevel.ROW:
                if keys & set(c.lead_agencies):
                    out.append(Assignment(plan.id, c, LEAD, row_content(c), c.deadline or ""))
                elif keys & set(c.partner_agencies):
                    out.append(Assignment(plan.id, c, PARTNER, row_content(c), c.deadline or ""))
                continue
            if idx.owner_item(c) is None:
                continue
            if keys & set(c.agency) or names_as_subject(c, keys):
                out.append(Assignment(plan.id, c, duty_role(c), c.text))
    return out
