"""Which documents a clause refers to: every law, decree, decision, directive … it names,
each quoted as the plan writes it, none left out."""
from __future__ import annotations

import re

from rag.answer.composers.base import Composed, Context
from rag.answer.ranked import RankedClause
from rag.models import ClauseLevel

# the kinds of document, written out or short before "số" ("KH số 1601/KH-UBND", "QĐ số 377/QĐ-UBND")
_KINDS = (r"(?:Luật|Bộ luật|Nghị quyết|Nghị định|Quyết định|Chỉ thị|Thông tư|Kế hoạch|Công văn|Chương trình|Đề án|"
          r"Hướng dẫn|Công ước|(?:KH|QĐ|NĐ|NQ|CT|TT)(?=\s+số\s))")
# "Quyết định số 830/QĐ-TTg ngày 01/6/2021 của Thủ tướng Chính phủ", "Luật Trẻ em năm 2016"
_DOC_RE = re.compile(rf"{_KINDS}(?:\s+[a-zà-ỹđ]+){{0,3}}?\s+(?:số\s+)?(?:\d+[\w/.-]*|[A-ZĐ][^\s,;]*)[^;,.()]*?"
                     rf"(?=[;,.()]|\s+và\s+{_KINDS}|$)")
# "830/QĐ-TTg", "57-NQ/TW", "13-CTr/TU", "56/2017/NĐ-CP": a number joined to letters by "/" or "-"
_NUMBERED_RE = re.compile(r"\d+(?:\s*[/-]\s*[\dA-ZĐ][\w]*)*\s*[/-]\s*[A-ZĐ][\w]*")
WINDOW = 3


def documents(text: str) -> list[str]:
    """The document references of ``text``, verbatim, in order, each once."""
    out = []
    for m in _DOC_RE.finditer(text):
        ref = m.group().strip()
        if ref not in out and (_NUMBERED_RE.search(ref) or re.match(r"(?:Luật|Bộ luật|Công ước)\s+[A-ZĐ]", ref)):
            out.append(ref)
    return out


class DocumentsComposer:
    def compose(self, ctx: Context):
        candidates = list(ctx.ranked[:WINDOW])
        if not candidates:
            return None
        # the documents a plan rests on are, by the form of such plans, cited in its opening
        for plan_id in ctx.scoped_plans()[:1]:
            for clause in ctx.labels.indexes[plan_id].plan.clauses:
                if clause.level is ClauseLevel.PREAMBLE:
                    hit = next((r.hit for r in ctx.ranked if r.key == (plan_id, clause.address)), candidates[-1].hit)
                    candidates.append(RankedClause(plan_id, clause, hit))
        best = max(candidates, key=lambda r: (len(documents(r.clause.text)), -r.hit.rank))
        found = documents(best.clause.text)
        if not found:
            return None
        mark = ctx.cited.mark(best.plan_id, best.clause)
        lines = [f"Theo {ctx.short(best.plan_id)}, {best.clause.address}, các văn bản được nêu ({len(found)}):"]
        lines += [f"- «{ref}» {mark}" for ref in found]
        return Composed(lines)
