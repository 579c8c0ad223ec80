"""Everything an agency must do: every such clause of the plan(s), grouped by role, each cited
in full. A teacher's broad question ("Trường tiểu học phải làm gì?", no agency named) gets, per
plan, what the schools themselves must do first (the level of school asked before the others),
then what the education agencies must do for schools, capped, with "xem thêm" for the rest."""
from __future__ import annotations

from rag import lexicon
from rag.structure.assignments import PARTNER, assignments
from rag.answer.composers.base import Abstention, Composed, Context
from rag.models import Clause, ClauseLevel
from rag.retrieval.cues import cues
from rag.structure.agencies import agency_name, find_agencies
from rag.text import fold

_NOT_TASKS = (ClauseLevel.PART, ClauseLevel.GROUP, ClauseLevel.APPENDIX, ClauseLevel.FRONT, ClauseLevel.PREAMBLE)
SHOWN_ONE_PLAN = 6  # school duties shown for a plan named; the rest are listed under "xem thêm"
SHOWN_EACH_PLAN = 3  # … for each plan when none is named


def _school_agencies() -> tuple[str, ...]:
    """The agencies that answer for schools (``[audiences] school`` in questions.toml)."""
    return tuple(k for name in lexicon.load("questions")["audiences"]["school"] for k in find_agencies(name))


def _levels_asked(folded: str) -> list[list[str]]:
    return [level for level in lexicon.load("questions")["audiences"]["school_levels"]
            if any(f" {w} " in f" {folded} " for w in level)]


class DutiesComposer:
    def compose(self, ctx: Context):
        a = ctx.analysis
        if a.school and not a.subjects:
            return self._schools(ctx)
        keys = a.subjects
        lines: list[str] = []
        for plan_id in ctx.scoped_plans():
            found = [x for k in keys for x in assignments(ctx.corpus, k, [plan_id], ctx.labels.indexes)]
            if not found:
                continue
            lines.append(f"Theo {ctx.short(plan_id)}:")
            doing = [x for x in found if x.role != PARTNER]
            helping = [x for x in found if x.role == PARTNER]
            lines += [f"- {ctx.line(plan_id, x.clause, whole=True)}" for x in doing]
            if helping:
                lines.append("  Phối hợp thực hiện:")
                lines += [f"- {ctx.line(plan_id, x.clause, whole=True)}" for x in helping]
        if lines:
            return Composed(lines)
        if a.subjects and ctx.result.scope.plan_ids:
            names = ", ".join(agency_name(k) for k in a.subjects)
            plans = ", ".join(ctx.short(p) for p in ctx.result.scope.plan_ids)
            return Abstention(f"{plans} không giao nhiệm vụ nào cho {names}.", tuple(ctx.ranked[:2]), "no-duties")
        return None

    def _schools(self, ctx: Context):
        """Per plan: the clauses that give schools, teachers or pupils a task (the level asked
        first), then the education agencies' duties, capped; "xem thêm" names the rest."""
        school_cue = cues("school_task")
        levels = _levels_asked(fold(ctx.question))
        educators = set(_school_agencies())
        plans = ctx.scoped_plans()
        cap = SHOWN_ONE_PLAN if len(plans) == 1 else SHOWN_EACH_PLAN
        lines: list[str] = []
        for plan_id in plans:
            idx = ctx.labels.indexes[plan_id]
            educator_duties = {x.clause.address for k in educators
                               for x in assignments(ctx.corpus, k, [plan_id], ctx.labels.indexes)}

            def rank(c: Clause) -> tuple:
                text = fold(c.text)
                owner = idx.owner_item(c)
                other_agency = owner is not None and not (set(owner.agency) & educators)
                level = any(f" {w} " in f" {text} " for lv in levels for w in lv)
                return (not level, not school_cue(text), other_agency, c.address not in educator_duties)

            tasks = [c for c in idx.plan.clauses if idx.is_leaf(c) and c.level not in _NOT_TASKS
                     and (school_cue(fold(c.text)) or c.address in educator_duties)]
            tasks = [c for c in tasks if not (rank(c)[2] and not school_cue(fold(c.text)))]
            if not tasks:
                continue
            order = {c.address: i for i, c in enumerate(idx.plan.clauses)}
            tasks.sort(key=lambda c: (*rank(c), order[c.address]))
            shown, rest = tasks[:cap], tasks[cap:]
            lines.append(f"Theo {ctx.short(plan_id)}, việc của nhà trường và ngành giáo dục:")
            lines += [f"- {ctx.line(plan_id, c)}" for c in shown]
            if rest:
                lines.append(f"  (Xem thêm {len(rest)} điều khoản khác: {', '.join(c.address for c in rest)}.)")
        return Composed(lines) if lines else None
