"""Mutable builder nodes for the clause tree, and the address book that keeps
addresses unique within a plan. The parser fills them; ``freeze`` turns them into
``Clause`` objects."""
from __future__ import annotations

from dataclasses import dataclass, field

from rag.models import Clause, ClauseLevel


@dataclass
class Node:
    level: str
    number: str
    title: str
    texts: list[str]
    start: int
    end: int
    address: str = ""
    parent: "Node | None" = None
    rank: int = 0
    sub_count: int = 0  # bullets and paragraphs numbered under this node
    agency: tuple[str, ...] = ()
    fields: dict = field(default_factory=dict)  # lead / partners / deadline for table rows

    def heading(self) -> str:
        label = self.title or " ".join(self.texts)
        if len(label) > 90:
            label = label[:90].rsplit(" ", 1)[0] + "…"
        if self.level == "point":
            return f"{self.number}) {label}"
        if self.number and self.level in ("part", "item", "subitem", "group", "row"):
            return f"{self.number}. {label}"
        return label

    def ancestors(self) -> list["Node"]:
        out, node = [], self.parent
        while node is not None:
            out.append(node)
            node = node.parent
        return list(reversed(out))


class AddressBook:
    """Hands out addresses, adding "(2)", "(3)" … when a plan repeats a number
    (e.g. two parts both numbered "II."), so a reader still finds the clause by its
    printed number and every address stays unique."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._counters: dict[str, int] = {}

    def claim(self, address: str) -> str:
        candidate, k = address, 1
        while candidate in self._used:
            k += 1
            candidate = f"{address}({k})"
        self._used.add(candidate)
        return candidate

    def next_paragraph(self, prefix: str) -> str:
        """Addresses of un-numbered paragraphs outside any part: MĐ-1, MĐ-2 … / KL-1 …"""
        self._counters[prefix] = self._counters.get(prefix, 0) + 1
        return self.claim(f"{prefix}-{self._counters[prefix]}")


def freeze(plan_id: str, nodes: list[Node]) -> tuple[Clause, ...]:
    clauses = []
    for node in nodes:
        f = node.fields
        clauses.append(Clause(
            plan_id=plan_id,
            address=node.address,
            level=ClauseLevel(node.level),
            number=node.number,
            title=node.title,
            path=tuple(f.get("path", ())) or tuple(a.heading() for a in node.ancestors()),
            text=" ".join(t for t in node.texts if t).strip(),
            span=(node.start, node.end),
            parent=node.parent.address if node.parent else None,
            agency=node.agency,
            lead=f.get("lead"),
            partners=f.get("partners"),
            deadline=f.get("deadline"),
            lead_agencies=f.get("lead_agencies", ()),
            partner_agencies=f.get("partner_agencies", ()),
        ))
    return tuple(clauses)
