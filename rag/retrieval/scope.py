"""Which plans a question is about: by province or city (with or without diacritics),
by the national decision it implements (830/QĐ-TTg, 468/QĐ-TTg), by the plan's own
number (308/KH-UBND) or by period (2026-2030). A named place without a plan in the
corpus is reported, so the answer can say the corpus has no such plan."""
from __future__ import annotations

import re
from dataclasses import dataclass

from rag.models import PlanInfo
from rag.retrieval.provinces import province_names
from rag.text import fold

_PERIOD_RE = re.compile(r"(20\d\d)\s*(?:-|–|—|đến|den|to)\s*(20\d\d)")
_NUMBER_RE = re.compile(r"(?<![\d/])(\d{2,5})(?![\d%])")


@dataclass(frozen=True)
class Scope:
    plan_ids: tuple[str, ...] = ()
    unknown_places: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()

    @property
    def named(self) -> bool:
        return bool(self.plan_ids)

    def or_searched(self, searched) -> tuple[str, ...]:
        """The plans the question names (or carries from the conversation), else every plan searched."""
        return tuple(self.plan_ids) or tuple(searched)


def _leading_number(code: str) -> str:
    m = re.match(r"\s*(\d+)", code or "")
    return m.group(1) if m else ""


def _period(text: str) -> tuple[int, int] | None:
    m = _PERIOD_RE.search(text)
    return (int(m.group(1)), int(m.group(2))) if m else None


class PlanScoper:
    """Recognises plan mentions; configured with the manifest entries of the loaded plans."""

    def __init__(self, plans: list[PlanInfo]) -> None:
        self.plans = plans
        self._places = {}
        for p in plans:
            for name in (p.province, *p.aliases):
                if name:
                    self._places.setdefault(fold(name), set()).add(p.id)
        known = {fold(p.province) for p in plans if p.province}
        self._unknown = {fold(name): name for name in province_names() if fold(name) not in known
                         and not any(fold(name) in k or k in fold(name) for k in known)}

    def place_names(self) -> list[str]:
        """Folded names of the places that have plans."""
        return list(self._places)

    def plan_place(self, plan_id: str) -> str:
        """The place a plan is about, as the manifest writes it."""
        return next((p.province for p in self.plans if p.id == plan_id and p.province), "")

    def strip_places(self, text: str) -> str:
        """``text`` without the names of places that have plans (folded matching; the rest of
        the text is kept as typed)."""
        words = text.split()
        folded = [fold(w) for w in words]
        drop: set[int] = set()
        for place in sorted(self._places, key=len, reverse=True):
            n = len(place.split())
            for i in range(len(words) - n + 1):
                if not drop & set(range(i, i + n)) and " ".join(f for f in folded[i:i + n]) == place:
                    drop |= set(range(i, i + n))
                    if i > 0 and folded[i - 1] in ("tinh", "thanh", "pho", "o", "tai", "cua", "tp"):
                        drop.add(i - 1)
                        if i > 1 and folded[i - 2] == "thanh" and folded[i - 1] == "pho":
                            drop.add(i - 2)
        return " ".join(w for i, w in enumerate(words) if i not in drop)

    def scope(self, question: str) -> Scope:
        folded = f" {fold(question)} "
        ids: list[str] = []
        reasons: list[str] = []

        def add(pid: str, why: str) -> None:
            if pid not in ids:
                ids.append(pid)
            reasons.append(why)

        by_place: set[str] = set()
        for place, pids in sorted(self._places.items(), key=lambda kv: -len(kv[0])):
            if f" {place} " in folded:
                for pid in sorted(pids):
                    add(pid, f"place:{place}")
                    by_place.add(pid)
        numbers = set(_NUMBER_RE.findall(question))
        for p in self.plans:
            decision = _leading_number(p.decision)
            if decision and decision in numbers:
                add(p.id, f"decision:{decision}")
            own = _leading_number(p.number)
            if own and own in numbers:
                add(p.id, f"number:{own}")
        asked = _period(question)
        if asked:
            for p in self.plans:
                if _period(p.period) == asked:
                    add(p.id, f"period:{asked[0]}-{asked[1]}")
        if by_place:  # a place named narrows: "QĐ 830 ở Lai Châu" is Lai Châu's plan, not every 830 plan
            ids = [pid for pid in ids if pid in by_place]
        unknown = tuple(name for f, name in self._unknown.items() if f" {f} " in folded)
        order = [p.id for p in self.plans]
        return Scope(tuple(sorted(ids, key=order.index)), unknown, tuple(reasons))
