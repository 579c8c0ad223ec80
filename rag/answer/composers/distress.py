"""A child in danger now comes first: a short card of what to do at once (call the national child
protection hotline, the police, keep the evidence, report on the platform), then what the plans
say about the hotline, quoted with its plan and clause written out. Those clauses are not among
the answer's citations: they back the card, not the answer to what was asked (a citation is a
clause that answers the question). The wording is data: ``rag/lexicon/distress.toml``; the
page shows the card first and folds what follows its ``plans_title`` (``ui/render.py``)."""
from __future__ import annotations

from rag import lexicon
from rag.answer.composers.base import Context
from rag.answer.evidence import best_segments
from rag.text import fold

MAX_PLANS = 2


def card_headings() -> tuple[str, str]:
    """The card's heading line and the heading of what the plans say, as the answer writes them."""
    data = lexicon.load("distress")
    return f"**{data['card_title']}:**", f"**{data['plans_title']}:**"


class DistressComposer:
    def __init__(self) -> None:
        data = lexicon.load("distress")
        self.card = list(data["card"])
        self.quote = data["hotline_quote"]
        self.terms = [fold(t) for t in data["hotline_terms"]]
        self.card_title, self.plans_title = card_headings()

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
            quotes.append(f"- {self.quote.format(plan=ctx.short(plan_id), clause=clause.address, quote=quote)}")
            if len(quotes) >= MAX_PLANS:
                break
        return [self.card_title, *[f"- {line}" for line in self.card], "", self.plans_title, *quotes]
