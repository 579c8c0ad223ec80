"""A time asked of a task ("… theo chu kỳ nào", "hạn nộp khi nào"): of the best clauses, the first one
that states a time or a rhythm goes first when the best one states none (a heading that names the task,
"Đảm bảo cơ chế … sơ kết, tổng kết", is followed by the clause that says "hàng năm"). How plans write a
time is read by ``rag.answer.evidence.states`` (the deadline parser and attributes.toml)."""
from __future__ import annotations

from rag.answer.composers.base import Context
from rag.answer.evidence import states
from rag.retrieval.analysis import asked_part
from rag.retrieval.cues import cues
from rag.text import fold

WINDOW = 3  # how deep in the search's order a clause stating the time is looked for
FLOOR = 0.8  # and how close to the best clause's score it must be


class DeadlineFocusComposer:
    def compose(self, ctx: Context) -> None:
        # "theo nhịp nào", "bao lâu một lần": a rhythm; otherwise any time
        said = "often" if cues("often")(fold(asked_part(ctx.analysis.text))) else "when"
        if not ctx.ranked or states(ctx.ranked[0].clause.text, said):
            return None
        top = ctx.ranked[0]
        for r in ctx.ranked[1:WINDOW]:
            if r.score >= FLOOR * top.score and states(r.clause.text, said):
                ctx.ranked = [r] + [x for x in ctx.ranked if x is not r]
                break
        return None
