"""Which plans: the plans a question names through what several share (a national decision, a
period, an issue date), each with its opening paragraph, which states that decision and period."""
from __future__ import annotations

from rag.answer.composers.base import Composed, Context
from rag.answer.evidence import best_segments


class PlansComposer:
    def compose(self, ctx: Context):
        plan_ids = list(ctx.result.scope.plan_ids)
        if not plan_ids:
            return None
        how = ", ".join(dict.fromkeys(m.text for m in ctx.result.scope.mentions))
        lines = [f"Các kế hoạch ứng với «{how}» ({len(plan_ids)}):"]
        for plan_id in plan_ids:
            plan = ctx.labels.indexes[plan_id].plan
            opening = plan.opening
            period = f" (giai đoạn {plan.info.period})" if plan.info.period else ""
            if opening is None:
                lines.append(f"- {ctx.short(plan_id)}{period}")
                continue
            quote = best_segments(ctx.analysis.question, opening.text, keep=1, short=320)
            lines.append(f"- {ctx.short(plan_id)}{period}: «{quote}» {ctx.cited.mark(plan_id, opening)}")
        return Composed(lines)
