"""A wrong premise about a role ("X chỉ phối hợp?" when the plan makes X lead, or the reverse):
the correction, cited."""
from __future__ import annotations

from rag.answer.composers.base import Composed, Context
from rag.models import ClauseLevel
from rag.structure.agencies import agency_name
from rag.text import fold


class RolePremiseComposer:
    def compose(self, ctx: Context) -> Composed | None:
        a = ctx.analysis
        if not a.claimed_role or not a.subjects:
            return None
        keys = set(a.subjects)
        for r in ctx.ranked[:5]:
            clause = r.clause
            is_lead = bool(set(clause.lead_agencies) & keys) or (
                bool(set(clause.agency) & keys) and clause.level is not ClauseLevel.ROW and fold(clause.text).startswith("chu tri"))
            is_partner = bool(set(clause.partner_agencies) & keys)
            names = ", ".join(agency_name(k) for k in a.subjects)
            short = ctx.short(r.plan_id)
            if a.claimed_role == "partner" and is_lead:
                return Composed([f"Không đúng như câu hỏi nêu: theo {short}, {names} là cơ quan chủ trì, không "
                                 f"chỉ phối hợp {ctx.cited.mark(r.plan_id, clause)}."])
            if a.claimed_role == "lead" and is_partner and not is_lead:
                return Composed([f"Không đúng như câu hỏi nêu: theo {short}, {names} là cơ quan phối hợp; "
                                 f"cơ quan chủ trì là {clause.lead} {ctx.cited.mark(r.plan_id, clause)}."])
        return None
