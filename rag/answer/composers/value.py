"""A specific value (a number with its unit, money, a percentage, a date, a name): the clause
that states it, or "the plan does not state it" with the related clauses labelled as such."""
from __future__ import annotations

import re

from rag.answer.composers.base import Abstention, Context
from rag.answer.evidence import besides, has_value, value_match

_VALUE_LABEL = {"money": "số tiền hay mức phạt cụ thể", "percent": "tỷ lệ phần trăm cụ thể",
                "name": "tên cụ thể", "phone": "số điện thoại cụ thể", "date": "thời điểm cụ thể"}
EVIDENCE_CLAUSES = 3  # the value must be in one of the best clauses, not anywhere in the plan


class ValueComposer:
    def compose(self, ctx: Context) -> Abstention | None:
        """Puts the clause whose value-stating sentence best matches the question first
        (``ctx.ranked``), or abstains when none of the best clauses states such a value."""
        value = ctx.analysis.value
        evidence = ctx.ranked[:EVIDENCE_CLAUSES]
        # "Ngoài số 111, … số mấy?": the figure set aside is not the one asked
        aside = [t for t in besides(ctx.question).split() if any(ch.isdigit() for ch in t)]

        def stated(text: str) -> bool:
            for figure in aside:
                text = re.sub(rf"(?<![\d.]){re.escape(figure)}(?![\d.])", " ", text)
            return has_value(text, value)

        if not any(stated(r.clause.text) for r in evidence):
            label = _VALUE_LABEL.get(value, f"con số cụ thể ({value.split(':', 1)[-1]})")
            plans = ", ".join(dict.fromkeys(ctx.short(r.plan_id) for r in evidence))
            return Abstention(f"Kế hoạch ({plans}) không nêu {label} cho nội dung này.", tuple(evidence[:2]),
                              "no-value")
        # the clauses that state such a value first, the best matching of them first
        head = sorted(evidence, key=lambda r: (not stated(r.clause.text),
                                               -value_match(ctx.question, r.clause.text, value)))
        ctx.ranked = head + ctx.ranked[EVIDENCE_CLAUSES:]
        return None
