"""A clause named by its address ("mục II.5", "điểm b khoản 3 phần IV", "dòng 4 nhóm II phụ
lục"): the whole clause with every clause under it, cited once as that address."""
from __future__ import annotations

from rag.answer.composers.base import Abstention, Composed, Context
from rag.models import ClauseLevel
from rag.retrieval.address import resolve

MAX_PLANS = 4


class AddressComposer:
    def compose(self, ctx: Context):
        ref = ctx.analysis.address
        if ref is None:
            return None
        plan_ids = ctx.plans_asked()
        lines: list[str] = []
        missing: list[str] = []
        for plan_id in plan_ids[:MAX_PLANS]:
            plan = ctx.labels.indexes[plan_id].plan
            found = resolve(ref, plan)
            if not found:
                missing.append(plan_id)
                continue
            clause = found[0]
            mark = ctx.cited.mark(plan_id, clause, text=ctx.labels.subtree_text(plan_id, clause))
            title = f" «{clause.title}»" if clause.title else ""
            lines.append(f"Theo {ctx.short(plan_id)}, {clause.address}{title}:")
            if clause.level is ClauseLevel.ROW:
                lines.append(f"- {ctx.labels.row_roles(clause)} — nhiệm vụ «{ctx.labels.content(clause)}» {mark}")
            elif clause.text and clause.text != clause.title:
                lines.append(f"- «{clause.text}» {mark}")
            for child in plan.descendants(clause.address):
                depth = "  " * max(0, child.address.count(".") - clause.address.count("."))
                text = ctx.labels.content(child) if child.level is ClauseLevel.ROW else child.text
                lines.append(f"{depth}- {child.address}: «{text}» {mark}")
            if len(found) > 1:
                others = ", ".join(c.address for c in found[1:])
                lines.append(f"(Kế hoạch còn có mục cùng số: {others}.)")
        if lines:
            return Composed(lines)
        parts = []
        for plan_id in missing[:1]:
            plan = ctx.labels.indexes[plan_id].plan
            parts = [f"{c.address}. {c.title}" for c in plan.clauses if c.level is ClauseLevel.PART]
        plans = ", ".join(ctx.short(p) for p in missing)
        listing = f" Các phần của kế hoạch: {'; '.join(parts)}." if parts else ""
        return Abstention(f"{plans} không có {ref.label or 'điều khoản'} như câu hỏi nêu.{listing}",
                          tuple(ctx.ranked[:2]), "no-such-address")
