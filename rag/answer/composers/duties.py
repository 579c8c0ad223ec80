"""Everything an agency (or schools) must do: every such clause of the plan(s), grouped by
role, each cited in full."""
from __future__ import annotations

from rag.answer.assignments import PARTNER, assignments
from rag.answer.composers.base import Abstention, Composed, Context
from rag.models import ClauseLevel
from rag.retrieval.cues import cues
from rag.structure.agencies import agency_name, find_agencies
from rag.text import fold

_NOT_TASKS = (ClauseLevel.PART, ClauseLevel.GROUP, ClauseLevel.APPENDIX, ClauseLevel.FRONT)


def _school_agencies() -> tuple[str, ...]:
    """The agencies that answer for schools (``[audiences] school`` in questions.toml)."""
    from rag import lexicon

    return tuple(k for name in lexicon.load("questions")["audiences"]["school"] for k in find_agencies(name))


class DutiesComposer:
    def compose(self, ctx: Context):
        a = ctx.analysis
        keys = a.subjects or (_school_agencies() if a.school else ())
        lines: list[str] = []
        school_cue = cues("school_task")
        for plan_id in ctx.scoped_plans():
            found = [x for k in keys for x in assignments(ctx.corpus, k, [plan_id], ctx.labels.indexes)]
            seen = {x.clause.address for x in found}
            school = []
            if a.school:
                idx = ctx.labels.indexes[plan_id]
                school = [c for c in idx.plan.clauses if idx.is_leaf(c) and c.address not in seen
                          and c.level not in _NOT_TASKS and school_cue(fold(c.text))]
            if not (found or school):
                continue
            lines.append(f"Theo {ctx.short(plan_id)}:")
            doing = [x for x in found if x.role != PARTNER]
            helping = [x for x in found if x.role == PARTNER]
            lines += [f"- {ctx.line(plan_id, x.clause, whole=True)}" for x in doing]
            if helping:
                lines.append("  Phối hợp thực hiện:")
                lines += [f"- {ctx.line(plan_id, x.clause, whole=True)}" for x in helping]
            if school:
                lines.append("  Các nhiệm vụ khác có giao cho nhà trường, giáo viên, học sinh:")
                lines += [f"- {ctx.line(plan_id, c, whole=True)}" for c in school]
        if lines:
            return Composed(lines)
        if a.subjects and ctx.result.scope.plan_ids:
            names = ", ".join(agency_name(k) for k in a.subjects)
            plans = ", ".join(ctx.short(p) for p in ctx.result.scope.plan_ids)
            return Abstention(f"{plans} không giao nhiệm vụ nào cho {names}.", tuple(ctx.ranked[:2]), "no-duties")
        return None
