"""The default answerer: no LLM, no network; every sentence comes from a cited clause."""
from __future__ import annotations

from rag.answer.base import citation_for, plans_listing
from rag.models import Answer, Corpus
from rag.retrieval.hybrid import SearchResult


class GroundedAnswerer:
    name = "default"

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus

    def _abstain(self, question: str, result: SearchResult, why: str) -> Answer:
        text = f"{why} Các kế hoạch hiện có: {plans_listing(self.corpus)}."
        return Answer(question, text, True, (), result.hits, 0.0, self.name)

    def answer(self, question: str, result: SearchResult) -> Answer:
        scope = result.scope
        if scope.unknown_places and not scope.plan_ids:
            places = ", ".join(scope.unknown_places)
            return self._abstain(question, result, f"Kho tài liệu không có kế hoạch của {places}.")
        if not result.hits:
            return self._abstain(question, result, "Các kế hoạch không có nội dung trả lời câu hỏi này.")
        top = result.hits[:2]
        citations = tuple(citation_for(h, self.corpus) for h in top)
        lines = [f"{c.short_name}, {c.clause}: {c.text} [{i}]" for i, c in enumerate(citations, start=1)]
        return Answer(question, "\n".join(lines), False, citations, result.hits, 0.0, self.name)
