"""The ranked clause record every composer is given."""
from __future__ import annotations

from dataclasses import dataclass

from rag.models import Clause, SearchHit


@dataclass(frozen=True)
class RankedClause:
    plan_id: str
    clause: Clause
    hit: SearchHit

    @property
    def score(self) -> float:
        return self.hit.score

    @property
    def key(self) -> tuple[str, str]:
        return self.plan_id, self.clause.address
