"""A child in danger now comes first: what to do at once (call the national child protection
hotline, report to the police), the hotline cited from the plans that name it. The wording
is data: ``rag/lexicon/distress.toml``."""
from __future__ import annotations

from rag import lexicon
from rag.answer.composers.base import Context
from rag.answer.evidence import best_segments
from rag.text import fold

MAX_PLANS = 2


class DistressComposer:
    def __init__(self) -> None:
        data = lexicon.load("distress")
        self.steps = list(data["steps"])
        self.terms = [fold(t) for t in data["hotline_terms"]]

    def compose(self, ctx: Context) -> list[str]:
        if not ctx.analysis.distress:
            return []
        plan_ids = list(ctx.result.scope.plan_ids) or list(ctx.result.plan_ids)
        quotes = []
        for plan_id in plan_ids:
            clause = next((c for c in ctx.labels.indexes[plan_id].plan.clauses
                           if c.level != "front" and any(t in fold(c.text) for t in self.terms)), None)
            if clause is None:
                continue
            quote = best_segments(" ".join(self.terms), clause.text, keep=1, short=240)
            quotes.append(f"{ctx.short(plan_id)}: «{quote}» {ctx.cited.mark(plan_id, clause)}")
            if len(quotes) >= MAX_PLANS:
                break
        hotline = f" — kế hoạch nêu: {'; '.join(quotes)}" if quotes else ""
        lines = [f"- {step.replace('{hotline}', hotline)}" for step in self.steps]
        return ["**Việc cần làm ngay:**", *lines, "", "**Theo kế hoạch:**"]
