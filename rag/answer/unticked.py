"""Questions that name a province whose plan is left out of the plan filter: the user is told so,
with the plan to tick, instead of getting an answer from the plans that are ticked (another
province's duties, with no warning)."""
from __future__ import annotations

from rag.models import Answer, Corpus


class UntickedPlans:
    """Configured with the corpus; ``answer`` returns an abstention naming the plans to tick when the
    question (read with its conversation) names a place whose plans are all outside ``plan_ids``."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus

    def answer(self, question: str, scope, plan_ids) -> Answer | None:
        if not plan_ids or not scope.plan_ids or not any(r.startswith("place:") for r in scope.reasons):
            return None
        chosen = set(plan_ids)
        if chosen & set(scope.plan_ids):
            return None
        named = [p.info for p in self.corpus.plans if p.id in scope.plan_ids]
        ticked = [p.info for p in self.corpus.plans if p.id in chosen]
        if not named:
            return None
        names = "; ".join(f"{i.short_name} ({i.province})" for i in named)
        others = "; ".join(i.short_name for i in ticked) or "không kế hoạch nào"
        text = (f"Câu hỏi nói về {', '.join(dict.fromkeys(i.province for i in named))}, nhưng kế hoạch {names} "
                f"không nằm trong các kế hoạch được chọn để trả lời (đang chọn: {others}). Hãy chọn kế hoạch "
                "đó rồi hỏi lại; trợ lý không trả lời câu này bằng kế hoạch của tỉnh, thành phố khác.")
        return Answer(question, text, True, (), (), 0.0, "default")
