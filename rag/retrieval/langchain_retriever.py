"""The searcher as a LangChain retriever, for chains that expect one."""
from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict


class PlanRetriever(BaseRetriever):
    """``PlanRetriever(assistant=Assistant(settings)).invoke("câu hỏi")`` → Documents whose
    ``page_content`` is the verbatim clause text and whose metadata names plan and clause."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    assistant: object
    plan_ids: list[str] | None = None
    k: int = 10
    mode: str | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        result = self.assistant.search(query, self.plan_ids, k=self.k, mode=self.mode)
        docs = []
        for hit in result.hits:
            p = hit.passage
            docs.append(Document(page_content=p.text, id=f"{p.plan_id}#{p.clause}", metadata={
                "plan_id": p.plan_id, "clause": p.clause, "path": " › ".join(p.path), "rank": hit.rank,
                "score": hit.score}))
        return docs
