"""The plan's own aim ("kế hoạch nhằm mục đích gì", "hướng tới điều gì"): of the best clauses,
those under the plan's aim headings ("MỤC ĐÍCH, YÊU CẦU", "MỤC TIÊU") go first, and of them those
under the heading the question names ("mục đích" before "mục tiêu" when it asks the purpose). The
headings are read from the clause's path, so any plan headed the usual way is read the same."""
from __future__ import annotations

from rag.answer.composers.base import Context
from rag.retrieval.cues import cues
from rag.retrieval.lookup import aim_free_terms
from rag.text import fold

CANDIDATES = 10  # how deep in the search's order an aim clause is looked for


def _position(ctx: Context, r) -> int:
    """Where the clause stands in its plan (document order)."""
    clauses = ctx.labels.indexes[r.plan_id].plan.clauses
    return next((i for i, c in enumerate(clauses) if c.address == r.clause.address), len(clauses))


class GoalComposer:
    def compose(self, ctx: Context) -> None:
        a = ctx.analysis
        if not a.asks_goal:
            return None
        sections = cues("sections", "goal")
        asked = {m.group() for m in sections.pattern.finditer(fold(a.question))} if sections.pattern else set()
        head = ctx.ranked[:CANDIDATES]
        headings = {r.key: fold(" ".join(r.clause.path)) for r in head}
        aim = {r.key: sections(headings[r.key]) for r in head}
        if not any(aim.values()):
            return None  # no aim clause among the best: the search's order stands
        # the content words besides the aim asked; when they tell no aim clause from another ("mục đích
        # chính của kế hoạch?"), the plan's leading aim, its first aim clause, goes first
        terms = aim_free_terms(a)
        covers = {r.key: sum(t in fold(r.clause.text).split() for t in terms) for r in head}
        aims = [covers[r.key] for r in head if aim[r.key]]
        if terms and max(aims) < covers[head[0].key]:
            return None  # "việc đưa học liệu số vào trường nhằm hướng tới gì": the aim of the task found, not the plan's
        tied = not a.english and len(set(aims)) == 1
        order = {r.key: i for i, r in enumerate(head)}
        if tied:
            order = {r.key: (_position(ctx, r), i) for i, r in enumerate(head)}
        head = sorted(head, key=lambda r: (not aim[r.key],
                                           not any(f" {w} " in f" {headings[r.key]} " for w in asked), order[r.key]))
        ctx.ranked = head + ctx.ranked[CANDIDATES:]
        return None
