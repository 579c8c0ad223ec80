"""Two or more plans compared: the same thing asked of each plan, side by side in a table
(plan | what it says | clause), each cell quoted and cited. No word-by-word diff: a reader
compares whole statements."""
from __future__ import annotations

import re

from rag.answer.composers.base import Composed, Context
from rag.answer.composers.section import named_heading
from rag.answer.evidence import best_segments, bigram_coverage, states
from rag.answer.ranked import RankedClause
from rag.models import ClauseLevel
from rag.retrieval.analysis import Attribute
from rag.retrieval.cues import cues
from rag.structure.agencies import find_agencies
from rag.structure.assignments import assignments, names_as_subject
from rag.text import fold

PER_PLAN = 2
SECOND_FLOOR = 0.85  # a plan's second clause joins its first only when search ranks it close
MAX_SECTION_ITEMS = 4  # a longer section is a part of the plan, not a row of a table
_FIGURE_RE = re.compile(r"\d+(?:[.,]\d+)?\s*%|\b\d+(?:[.,]\d+)?\s+(?:giờ|lớp|buổi|lần|người|trường|học sinh|xã)\b")


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


def _own(clause, subjects) -> bool:
    """The clause is the agency's own work: under its heading, its lead, or it opens with its name."""
    keys = set(subjects)
    return bool(keys & set(clause.agency) or keys & set(clause.lead_agencies) or names_as_subject(clause, keys))


def _own_duty(ctx: Context, plan_id: str, subjects, anchor: RankedClause | None) -> RankedClause | None:
    """Of the duties ``plan_id`` gives the asked agencies, the one that shares most of the question's
    word pairs (None when the plan gives them none, or none shares any)."""
    if anchor is None:
        return None
    duties = [d for key in subjects for d in assignments(ctx.corpus, key, [plan_id], ctx.labels.indexes)]
    scored = [(bigram_coverage(ctx.question, d.clause.text, set()), i, d) for i, d in enumerate(duties)]
    best = max(scored, key=lambda t: (t[0], -t[1]), default=None)
    if best is None or best[0] <= 0:
        return None
    return RankedClause(plan_id, ctx.labels.clause(plan_id, best[2].clause.address), anchor.hit)


class ComparisonComposer:
    def compose(self, ctx: Context):
        plan_ids = list(ctx.result.scope.plan_ids)
        if len(plan_ids) < 2:
            return None
        a = ctx.analysis
        # targets asked: each plan's best clauses that state one come first (a plan's best hit may
        # only share the topic)
        targets = cues("targets")(fold(ctx.question))
        ranked = sorted(ctx.ranked, key=lambda r: not states(r.clause.text, "target")) if targets else ctx.ranked
        # a time asked ("hạn gửi báo cáo … khác nhau chỗ nào"): likewise, each plan's clauses that state one
        timed = a.attribute is Attribute.DEADLINE or a.asks_deadline
        chosen: dict[str, list[RankedClause]] = {p: [] for p in plan_ids}
        for r in ranked:
            if r.plan_id in chosen and len(chosen[r.plan_id]) < PER_PLAN:
                chosen[r.plan_id].append(r)
        if timed:  # a time asked ("hạn gửi báo cáo … khác nhau chỗ nào"): a plan's close second that states one
            for p, found in chosen.items():
                if (len(found) == 2 and not states(found[0].clause.text, "when") and states(found[1].clause.text, "when")
                        and found[1].score >= SECOND_FLOOR * found[0].score):
                    chosen[p] = [found[1], found[0]]
        # the agency asked about: each plan's row is that agency's own work, looked up by structure when
        # the plan's best clauses only name it beside another agency (a plan's share of the search is small)
        if a.subjects:
            for p, found in chosen.items():
                if not any(_own(r.clause, a.subjects) for r in found):
                    own = _own_duty(ctx, p, a.subjects, ranked[0] if ranked else None)
                    if own is not None:
                        chosen[p] = [own, *found][:PER_PLAN]
        # a section every plan heads alike ("So sánh nguồn kinh phí …" and "KINH PHÍ THỰC HIỆN"): each plan's
        # row is every item of its section, not the one clause search ranked first
        sections = {} if a.agencies else {p: named_heading(ctx.labels.indexes[p].plan, set(a.key_terms)) for p in plan_ids}
        whole: set[str] = set()
        if sections and all(sections.values()) and ranked:
            for p, (_, _, heading) in sections.items():
                items = ctx.labels.indexes[p].plan.children(heading.address)
                if len(items) <= MAX_SECTION_ITEMS:
                    chosen[p] = [RankedClause(p, ctx.labels.clause(p, c.address), ranked[0].hit) for c in items]
                    whole.add(p)
        figures = a.value in ("percent",) or (a.value or "").startswith("unit:")
        header = "| Kế hoạch | Nội dung | Con số | Điều khoản |" if figures else "| Kế hoạch | Nội dung | Điều khoản |"
        lines = ["So sánh theo từng kế hoạch:", "", header, "|---" * (header.count("|") - 1) + "|"]
        for plan_id, found in chosen.items():
            if not found:
                lines.append(f"| {ctx.short(plan_id)} | (không tìm thấy điều khoản tương ứng) | |" + (" |" if figures else ""))
                continue
            top = found if plan_id in whole else found[:1]
            second = found[1] if len(found) > 1 and plan_id not in whole else None
            # an agency's duty may span two clauses of the same "Tổ chức thực hiện" item
            if (second is not None and a.subjects and second.clause.level is not ClauseLevel.ROW
                    and second.clause.parent == top[0].clause.parent
                    and second.score >= SECOND_FLOOR * top[0].score
                    and set(a.subjects) & set(second.clause.agency)):
                top = found[:2]
            elif (second is not None and timed and second.clause.parent == top[0].clause.parent
                  and states(second.clause.text, "when") and states(top[0].clause.text, "when")):
                top = found[:2]  # two times of one part ("trước ngày 30/11", "trước ngày 15/12"): both asked
            for r in top:
                who = ctx.labels.agency_label(r.plan_id, r.clause) if r.clause.level is not ClauseLevel.ROW else r.clause.lead
                # who asked and no label says it: the piece that names an agency (other than the issuer,
                # to whom everything is reported)
                issuer = set(find_agencies(ctx.corpus.plan(r.plan_id).info.issuer))
                prefer = (lambda piece: bool(set(find_agencies(piece)) - issuer)) if a.asks_who and not who else None
                quote = best_segments(ctx.question, ctx.labels.content(r.clause), keep=1, short=300, prefer=prefer)
                mark = ctx.cited.mark(r.plan_id, r.clause)
                said = f"{who}: «{quote}»" if who else f"«{quote}»"
                cells = [ctx.short(plan_id), _cell(said)]
                if figures:
                    cells.append(", ".join(dict.fromkeys(m.group().strip() for m in _FIGURE_RE.finditer(quote))) or "—")
                cells.append(f"{r.clause.address} {mark}")
                lines.append("| " + " | ".join(cells) + " |")
        return Composed(lines)
