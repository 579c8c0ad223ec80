"""Plain content: the best clause, plus (at most two more) the responsible agency's clause when
the best one only states the task, and another plan's close clause when no plan was named.
A question that asks for a whole list gets the clause in full, with the clauses under it."""
from __future__ import annotations

import re

from rag.answer.composers.base import Composed, Context
from rag.answer.evidence import besides
from rag.answer.ranked import RankedClause
from rag.index.analyzer import analyze
from rag.text import fold

_INLINE_LIST_RE = re.compile(r"(?:gồm|bao gồm|như sau)\s*:|\(\s*[12]\s*\).*\(\s*[23]\s*\)|(?:^|\s)[ab]\).*\s[bc]\)", re.S)
HEADING_CHARS = 120
MAX_LIST = 12  # a longer run of siblings is a whole section, not the list asked for


class ContentComposer:
    def compose(self, ctx: Context, ranked: list[RankedClause] | None = None):
        ranked = ranked if ranked is not None else ctx.ranked
        if not ranked:
            return None
        a = ctx.analysis
        best = ranked[0]
        plan_id, clause = best.plan_id, best.clause
        plan = ctx.labels.indexes[plan_id].plan
        # a heading ("Mục tiêu chung", "3. Sở Y tế") says nothing itself: what is under it answers
        heading_only = _is_heading(plan, clause)
        if heading_only and not a.wants_list and not a.wants_items:
            # one thing asked under a heading ("3. Công an thành phố"): the item under it that answers
            child = self._best_child(ctx, best)
            if child is not None:
                best, plan_id, clause, heading_only = child, child.plan_id, child.clause, False
        if a.wants_list or heading_only:
            return Composed(self._whole(ctx, best))
        if a.wants_items:
            kin = self._kin(ctx, best, a.items_noun)
            return Composed(self._list(ctx, best.plan_id, kin[0], kin[1]) if kin else self._whole(ctx, best, climb=False))
        # a list inside the clause ("gồm: (1) …; (2) …") is never cut mid-list
        whole = bool(_INLINE_LIST_RE.search(ctx.labels.content(clause)))
        lines = [f"Theo {ctx.short(plan_id)}, {clause.address}: {ctx.line(plan_id, clause, whole=whole)}"]
        wants_who = a.asks_who or a.kind.value == "agency"
        has_who = ctx.labels.has_who(plan_id, clause)
        extra = 0
        for other in ranked[1:6]:
            if extra >= 2:
                break
            if wants_who and not has_who and other.plan_id == plan_id and ctx.labels.has_who(other.plan_id, other.clause):
                lines.append(f"Cơ quan thực hiện ({other.clause.address}): {ctx.line(other.plan_id, other.clause)}")
                has_who, extra = True, extra + 1
            elif not ctx.result.scope.plan_ids and other.plan_id != plan_id and other.score >= 0.85 * best.score:
                lines.append(f"Theo {ctx.short(other.plan_id)}, {other.clause.address}: "
                             f"{ctx.line(other.plan_id, other.clause)}")
                extra += 1
        return Composed(lines)

    @staticmethod
    def _best_child(ctx: Context, heading: RankedClause) -> RankedClause | None:
        """The clause under ``heading`` that search ranks best, else the one sharing most words
        with the question (None when none shares any)."""
        plan = ctx.labels.indexes[heading.plan_id].plan
        under = {c.address for c in plan.descendants(heading.clause.address)}
        for r in ctx.ranked[1:]:
            if r.plan_id == heading.plan_id and r.clause.address in under:
                return r
        q = set(analyze(ctx.question, accents=False)) - set(analyze(heading.clause.text, accents=False))
        scored = [(len(q & set(analyze(c.text, accents=False))), c) for c in plan.descendants(heading.clause.address)]
        shared, found = max(scored, key=lambda x: x[0], default=(0, None))
        return RankedClause(heading.plan_id, found, heading.hit) if shared else None

    @staticmethod
    def _kin(ctx: Context, best: RankedClause, noun: str):
        """The items asked when the clause found is one of them: "những nguồn nào" found in one item
        of a list in which another item names a "nguồn" too: that list is the one asked, every item
        of it ("Ngân sách nhà nước;" is a source too). (parent, its items), or None."""
        plan = ctx.labels.indexes[best.plan_id].plan
        clause = best.clause
        if not noun or not clause.parent or plan.children(clause.address):
            return None
        if ctx.labels.agency_label(best.plan_id, clause):
            return None  # an agency's duties: what they share is a word, not a list (the duties answer lists them)
        said = re.compile(rf"\b{re.escape(noun)}\b")
        siblings = [s for s in plan.children(clause.parent) if s.level == clause.level]
        if len(siblings) > MAX_LIST or sum(bool(said.search(fold(s.text))) for s in siblings) < 2:
            return None
        aside = besides(ctx.question)  # "Ngoài ngân sách nhà nước, … những nguồn nào": not that one
        items = [s for s in siblings if not (aside and aside in fold(s.text))]
        return (ctx.labels.clause(best.plan_id, clause.parent), items) if len(items) > 1 else None

    @staticmethod
    def _list(ctx: Context, plan_id: str, parent, items) -> list[str]:
        """A list: its parent (a bare heading, "Mục tiêu giai đoạn …", is named, not cited: the items
        are what answers), then each item in full; with no items, the parent alone."""
        plan = ctx.labels.indexes[plan_id].plan
        if _is_heading(plan, parent):
            lines = [f"Theo {ctx.short(plan_id)}, {parent.address} «{parent.text.strip()}»:"]
        else:
            lines = [f"Theo {ctx.short(plan_id)}, {parent.address}: {ctx.line(plan_id, parent, whole=True)}"]
        return lines + [f"- {ctx.line(plan_id, c, whole=True)}" for c in items]

    @staticmethod
    def _whole(ctx: Context, best: RankedClause, climb: bool = True) -> list[str]:
        """The clause in full and, when it heads a list, every clause under it (a list asked
        for "in full" is never cut). ``climb``: a list item found stands for its whole list."""
        plan = ctx.labels.indexes[best.plan_id].plan
        clause = best.clause
        if _INLINE_LIST_RE.search(clause.text) and not plan.children(clause.address):  # "gồm: (1) …; (2) …"
            return [f"Theo {ctx.short(best.plan_id)}, {clause.address}: {ctx.line(best.plan_id, clause, whole=True)}"]
        parent = clause
        # a list item was found: the list is its parent's children
        if climb and clause.parent and not plan.children(clause.address):
            siblings = plan.children(clause.parent)
            if 1 < len(siblings) <= MAX_LIST and all(s.level == clause.level for s in siblings):
                parent = ctx.labels.clause(best.plan_id, clause.parent)
        children = plan.children(parent.address)
        if not climb and parent.text.rstrip().endswith((".", ";")) and len(parent.text) > HEADING_CHARS:
            children = []  # a whole statement of its own: what follows it is not its list
        return ContentComposer._list(ctx, best.plan_id, parent, children)


def _is_heading(plan, clause) -> bool:
    """A heading ("Mục tiêu chung", "3. Sở Y tế"): short, unpunctuated, with clauses under it."""
    return (bool(plan.children(clause.address)) and len(clause.text) <= HEADING_CHARS
            and not clause.text.rstrip().endswith((".", ";", ":")))
