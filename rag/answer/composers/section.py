"""A section named by its heading: "những biện pháp kỹ thuật, công nghệ nào" asks for what stands under
the heading "Triển khai các biện pháp, giải pháp kỹ thuật, ứng dụng công nghệ", every item of it, even
when search found one item of another section first. The heading must hold most of the question's
content words (``MIN_COVER``, and at least ``MIN_TERMS`` of them): the words of a plan's own headings,
read from its structure, so a plan added later is read the same way."""
from __future__ import annotations

from rag.answer.composers.base import Context
from rag.answer.ranked import RankedClause
from rag.models import ClauseLevel
from rag.retrieval.analysis import Attribute
from rag.text import fold

MIN_COVER = 0.6
MIN_TERMS = 2
_MONEY_HEADING_WORDS = 8
_HEADS = (ClauseLevel.PART, ClauseLevel.ITEM, ClauseLevel.SUBITEM, ClauseLevel.GROUP)


def named_heading(plan, terms: set[str]):
    """(cover, matched, heading) of the plan's heading with two or more clauses under it that holds most
    of ``terms``, the best one; None when none holds ``MIN_COVER`` of them and ``MIN_TERMS`` at least."""
    best = None
    for clause in plan.clauses:
        if clause.level not in _HEADS:
            continue
        matched = len(terms & set(fold(clause.title or clause.text).split()))
        cover = matched / len(terms) if terms else 0.0
        if matched < MIN_TERMS or cover < MIN_COVER or (best is not None and (cover, matched) <= best[:2]):
            continue
        if len(plan.children(clause.address)) >= 2:  # a scan of the plan: only for a heading that qualifies
            best = (cover, matched, clause)
    return best


def funding_heading(plan):
    """The plan's part on money ("KINH PHÍ THỰC HIỆN"), when it holds two or more clauses (its sources);
    told by the ``funding`` cues of clauses.toml on headings, so an added plan is read the same way."""
    from rag.retrieval.features import clause_cues

    money = clause_cues("funding")
    for clause in plan.clauses:
        title = fold(clause.title or clause.text)
        # a short heading that names money ("KINH PHÍ THỰC HIỆN", "Các nguồn kinh phí gồm:"), not a task that
        # mentions it on the way ("Vận động nguồn lực và sự tham gia của xã hội, …")
        if (clause.level in _HEADS and len(title.split()) <= _MONEY_HEADING_WORDS and money(title)
                and len(plan.children(clause.address)) >= 2):
            return (1.0, 1, clause)
    return None


class SectionComposer:
    def compose(self, ctx: Context) -> None:
        a = ctx.analysis
        if a.agencies or a.front or not ctx.ranked:
            return None
        # "… lấy tiền ở đâu" of one plan: every source its money part lists
        funding = a.attribute is Attribute.FUNDING and a.wants_list and len(ctx.result.scope.plan_ids) == 1
        if not funding and (not (a.wants_items or a.wants_list) or not a.key_terms):
            return None
        find = (lambda plan: funding_heading(plan)) if funding else (lambda plan: named_heading(plan, set(a.key_terms)))
        found = [(hit[:2], plan_id, hit[2]) for plan_id in ctx.scoped_plans()
                 if (hit := find(ctx.labels.indexes[plan_id].plan)) is not None]
        if not found:
            return None
        _, plan_id, clause = max(found, key=lambda f: f[0])
        top = ctx.ranked[0]
        if top.plan_id == plan_id and top.clause.address == clause.address:
            return None
        ctx.ranked = [RankedClause(plan_id, clause, top.hit)] + [
            r for r in ctx.ranked if not (r.plan_id == plan_id and r.clause.address == clause.address)]
        return None
