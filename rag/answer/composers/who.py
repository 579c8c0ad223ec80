"""Who does it, with whom, by when: the lead, partners or deadline field of the appendix row
that holds the task, or the sentence of the clause that states it."""
from __future__ import annotations

import re

from rag.answer.composers.base import Abstention, Composed, Context
from rag.answer.evidence import segments, states
from rag.answer.ranked import RankedClause
from rag.index.analyzer import analyze
from rag.models import ClauseLevel
from rag.retrieval.analysis import Attribute, asked_part
from rag.retrieval.cues import cues
from rag.text import fold

ROW_WINDOW = 3  # a row among the best clauses answers for the task


def _sentence(question: str, text: str, test) -> str | None:
    """The sentence of ``text`` that passes ``test`` and shares most words with the question."""
    q = set(analyze(question, accents=False))
    found = [s for s in segments(text) if test(s)]
    return max(found, key=lambda s: len(q & set(analyze(s, accents=False))), default=None)


class WhoComposer:
    def compose(self, ctx: Context):
        a = ctx.analysis
        if a.attribute not in (Attribute.PARTNERS, Attribute.DEADLINE) or a.asks_lead:
            return None  # lead, partners and deadline together: the whole row, as the content composer gives it
        if not ctx.ranked:
            return None
        asked = fold(asked_part(a.text))
        # a day asked ("trước ngày nào") wants a day; a rhythm asked ("theo nhịp nào") wants a rhythm
        when = "when" if a.attribute is not Attribute.DEADLINE else (
            "day" if cues("day", "values")(asked) else "often" if cues("often")(asked) else "when")
        rows = [r for r in ctx.ranked[:ROW_WINDOW] if r.clause.level is ClauseLevel.ROW]
        # an appendix row among the best answers for its task, unless the best clause itself
        # states what is asked (a clause naming its partners outranks a row about a wider task)
        if rows and (ctx.ranked[0] is rows[0] or self._sentence(ctx, ctx.ranked[:1], a.attribute, when) is None):
            return Composed(self._row(ctx, rows[0], a.attribute))
        found = self._sentence(ctx, ctx.ranked[:ROW_WINDOW], a.attribute, when)
        if found is None and a.attribute is Attribute.DEADLINE and not a.asks_who:
            plans = ", ".join(dict.fromkeys(ctx.short(r.plan_id) for r in ctx.ranked[:2]))
            what = "ngày cụ thể" if when == "day" else "thời hạn hay thời điểm cụ thể"
            return Abstention(f"Kế hoạch ({plans}) không nêu {what} cho nội dung này.",
                              tuple(ctx.ranked[:2]), "no-deadline")
        return found

    @staticmethod
    def _row(ctx: Context, r: RankedClause, attribute: Attribute) -> list[str]:
        c = r.clause
        mark = ctx.cited.mark(r.plan_id, c)
        task = ctx.labels.content(c)
        head = f"Theo {ctx.short(r.plan_id)}, {c.address} (nhiệm vụ «{task}»):"
        if attribute is Attribute.PARTNERS:
            main = (f"cơ quan phối hợp: {c.partners} {mark}" if c.partners else
                    f"bảng phân công không ghi cơ quan phối hợp cho nhiệm vụ này {mark}")
        else:
            main = (f"thời hạn: {c.deadline} {mark}" if c.deadline else
                    f"bảng phân công không ghi thời hạn cho nhiệm vụ này {mark}")
        rest = [f"cơ quan chủ trì: {c.lead}" if c.lead else ""]
        if attribute is Attribute.PARTNERS and c.deadline:
            rest.append(f"thời hạn: {c.deadline}")
        if attribute is Attribute.DEADLINE and c.partners:
            rest.append(f"cơ quan phối hợp: {c.partners}")
        rest = [x for x in rest if x]
        return [head, f"- {main}", *(f"- {x}" for x in rest)]

    @staticmethod
    def _sentence(ctx: Context, evidence: list[RankedClause], attribute: Attribute, when: str = "when"):
        """The sentence stating the partners or the time, from the best clause that has one: the
        first clause unless a later one of ``evidence`` has a sentence sharing more of the
        question's words (the time asked may sit in the neighbouring clause)."""
        # the words that ask the time ("theo chu kỳ nào") say nothing of which task: a sentence sharing them
        # ("định kỳ tổ chức …") is not closer to the question for it
        asked = fold(ctx.question)
        if attribute is Attribute.DEADLINE:
            asked = cues("deadline").pattern.sub(" ", asked)
        q = set(analyze(asked, accents=False))
        best = None
        for r in evidence:
            if attribute is Attribute.PARTNERS:
                found = _sentence(ctx.question, r.clause.text, lambda s: re.search(r"\bphoi hop\b", fold(s)))
            else:
                found = _sentence(ctx.question, r.clause.text, lambda s: states(s, when))
            if found is not None:
                shared = len(q & set(analyze(found, accents=False)))
                if best is None or shared > best[0]:
                    best = (shared, r, found)
        if best is None:
            return None
        _, r, found = best
        c = r.clause
        label = ctx.labels.agency_label(r.plan_id, c)
        who = f" (cơ quan thực hiện: {label})" if label else ""
        return Composed([f"Theo {ctx.short(r.plan_id)}, {c.address}{who}: «{found}» {ctx.cited.mark(r.plan_id, c)}"])
