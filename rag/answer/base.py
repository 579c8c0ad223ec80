"""What every answerer provides, and helpers they share."""
from __future__ import annotations

from typing import Protocol

from rag.models import Answer, Citation, Corpus, SearchHit
from rag.retrieval.hybrid import SearchResult


class Answerer(Protocol):
    name: str

    def answer(self, question: str, result: SearchResult) -> Answer:
        """Compose the answer from the search result (latency is filled in by the pipeline)."""


def citation_for(hit_or_passage, corpus: Corpus) -> Citation:
    passage = hit_or_passage.passage if isinstance(hit_or_passage, SearchHit) else hit_or_passage
    short = corpus.plan(passage.plan_id).info.short_name
    return Citation(plan_id=passage.plan_id, clause=passage.clause, path=" › ".join(passage.path),
                    text=passage.text, short_name=short)


def plans_listing(corpus: Corpus) -> str:
    return "; ".join(f"{p.info.short_name} (giai đoạn {p.info.period})" for p in corpus.plans)
