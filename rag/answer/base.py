"""What every answerer provides, and helpers they share."""
from __future__ import annotations

from typing import Protocol

from rag.models import Answer, Corpus
from rag.retrieval.hybrid import SearchResult


class Answerer(Protocol):
    name: str

    def answer(self, question: str, result: SearchResult, analysis=None) -> Answer:
        """Compose the answer from the search result and the question's analysis (latency is
        filled in by the pipeline)."""



def plans_listing(corpus: Corpus) -> str:
    return "; ".join(f"{p.info.short_name} (giai đoạn {p.info.period})" for p in corpus.plans)
