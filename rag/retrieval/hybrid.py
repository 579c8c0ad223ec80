"""Hybrid search: dense (FAISS inner product on e5 vectors) and lexical (BM25 on folded
Vietnamese terms plus query expansion), fused by a weighted mix of normalised scores (or by
reciprocal rank), restricted to the plans the question is about. When a learned ranker is given
(``rag.retrieval.rerank``) and the question's analysis is passed, it reorders the first
candidates of the fused ranking."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from rag.index.embeddings import VectorEmbeddings
from rag.index.store import LoadedIndex
from rag.models import SearchHit
from rag.retrieval.expansion import expand_query
from rag.retrieval.scope import PlanScoper, Scope
from rag.text import has_diacritics, looks_english

if TYPE_CHECKING:
    from rag.retrieval.analysis import QuestionAnalysis
    from rag.retrieval.rerank import LearnedRanker

log = logging.getLogger(__name__)

MODES = ("hybrid", "dense", "lexical")
_CANDIDATES = 100


@dataclass(frozen=True)
class SearchResult:
    hits: tuple[SearchHit, ...]
    scope: Scope
    plan_ids: tuple[str, ...]  # the plans searched
    dense_scores: dict = field(default_factory=dict)  # passage id -> cosine, for the dense candidates
    lexical_scores: dict = field(default_factory=dict)  # passage id -> raw BM25, for the lexical candidates
    # the best BM25 of the question's own words (no expansion) over its query maximum, in [0, 1]:
    # a scale that does not move when plans or paraphrases are added
    lexical_relative: float = 0.0


class HybridSearcher:
    def __init__(self, index: LoadedIndex, embedder: VectorEmbeddings, scoper: PlanScoper,
                 mode: str = "hybrid", fusion: str = "score", dense_weight: float = 0.4,
                 dense_weight_unaccented: float = 0.15, dense_weight_english: float = 0.9, rrf_k: int = 60,
                 reranker: "LearnedRanker | None" = None) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown retriever {mode!r}; choose one of {', '.join(MODES)}")
        if fusion not in ("score", "rrf"):
            raise ValueError(f"unknown fusion {fusion!r}; choose score or rrf")
        self.index = index
        self.embedder = embedder
        self.scoper = scoper
        self.mode = mode
        self.fusion = fusion
        self.dense_weight = dense_weight
        self.dense_weight_unaccented = dense_weight_unaccented
        self.dense_weight_english = dense_weight_english
        self.rrf_k = rrf_k
        self.reranker = reranker
        self._plan_of = np.array([p.plan_id for p in index.passages])
        self._all_plans = tuple(dict.fromkeys(p.plan_id for p in index.passages))

    # --- the two rankers -------------------------------------------------------------------

    def dense_ranking(self, question: str, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        import faiss

        q = self.embedder.embed_query_vector(question).reshape(1, -1)
        vmap = self.index.vector_map
        params = None
        if allowed is not None:
            rows = np.flatnonzero(np.isin(vmap, allowed)).astype(np.int64)
            if not len(rows):
                return []
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(rows))
        k = min(_CANDIDATES * 2, self.index.dense.ntotal)
        scores, rows = self.index.dense.search(q, k, params=params)
        ranking, seen = [], set()
        for row, score in zip(rows[0], scores[0]):
            if row < 0:
                continue
            pid = int(vmap[row])
            if pid not in seen:  # a long passage has several vectors: keep its best
                seen.add(pid)
                ranking.append((pid, float(score)))
        return ranking[:_CANDIDATES]

    def lexical_ranking(self, question: str, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        query = f"{question} {expand_query(question, looks_english(question))}"
        scores = self.index.lexical.score(query)
        if allowed is not None:
            mask = np.zeros_like(scores, dtype=bool)
            mask[allowed] = True
            scores = np.where(mask, scores, 0.0)
        top = np.argsort(-scores, kind="stable")[:_CANDIDATES]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    # --- fusion ----------------------------------------------------------------------------

    def _fuse(self, dense: list[tuple[int, float]], lexical: list[tuple[int, float]],
              dense_weight: float) -> list[tuple[int, float]]:
        """Score fusion (default): BM25 scaled by its best score, cosine scaled to [0, 1]
        over the dense candidates, mixed with ``dense_weight``. RRF: rank-based."""
        fused: dict[int, float] = {}
        if self.fusion == "rrf":
            for weight, ranking in ((dense_weight, dense), (1.0 - dense_weight, lexical)):
                for rank, (pid, _) in enumerate(ranking, start=1):
                    fused[pid] = fused.get(pid, 0.0) + weight / (self.rrf_k + rank)
        else:
            if lexical:
                top = lexical[0][1]
                for pid, score in lexical:
                    fused[pid] = (1.0 - dense_weight) * score / top
            if dense:
                hi, lo = dense[0][1], dense[-1][1]
                for pid, score in dense:
                    fused[pid] = fused.get(pid, 0.0) + dense_weight * (score - lo) / max(hi - lo, 1e-6)
        return sorted(fused.items(), key=lambda kv: -kv[1])

    def _interleave(self, ranking: list[tuple[int, float]], plan_ids: tuple[str, ...]) -> list[tuple[int, float]]:
        """For a question about several plans, alternate plans so each is represented at the top."""
        queues = {pid: [r for r in ranking if self._plan_of[r[0]] == pid] for pid in plan_ids}
        out: list[tuple[int, float]] = []
        while any(queues.values()):
            for pid in plan_ids:
                if queues[pid]:
                    out.append(queues[pid].pop(0))
        return out

    def search(self, question: str, plan_ids: list[str] | tuple[str, ...] | None = None, k: int = 10,
               scope: Scope | None = None, analysis: "QuestionAnalysis | None" = None) -> SearchResult:
        """Top ``k`` passages. ``plan_ids`` is the user's filter (None/empty = all plans);
        plans named in the question narrow it further. With ``analysis`` (and a reranker), the
        learned ranker orders the first candidates."""
        scope = scope or self.scoper.scope(question)
        selected = tuple(plan_ids) if plan_ids else self._all_plans
        named = tuple(p for p in scope.plan_ids if p in selected)
        searched = named or selected
        allowed = None if set(searched) == set(self._all_plans) else np.flatnonzero(np.isin(self._plan_of, searched))
        dense = self.dense_ranking(question, allowed) if self.mode in ("hybrid", "dense") else []
        lexical = self.lexical_ranking(question, allowed) if self.mode in ("hybrid", "lexical") else []
        if self.mode == "dense":
            ranking = dense
        elif self.mode == "lexical":
            ranking = lexical
        else:
            # e5 reads Vietnamese typed without diacritics poorly: lean on the folded lexical terms
            weight = self.dense_weight if has_diacritics(question) else self.dense_weight_unaccented
            if looks_english(question):  # BM25 cannot match English words to Vietnamese clauses
                weight = self.dense_weight_english
            ranking = self._fuse(dense, lexical, weight)
            if self.reranker is not None and analysis is not None:
                ranking = self.reranker.rerank(analysis, ranking, dense, lexical, self.index.passages)
        if len(named) > 1:
            ranking = self._interleave(ranking, named)
        hits = tuple(SearchHit(rank=i, passage=self.index.passages[pid], score=score)
                     for i, (pid, score) in enumerate(ranking[:k], start=1))
        return SearchResult(hits, scope, searched, dict(dense), dict(lexical),
                            self.lexical_relative(question, allowed))

    def lexical_relative(self, question: str, allowed: np.ndarray | None) -> float:
        """Best BM25 of the question's own words over its query maximum; place names left out
        (they match every clause of their plan and say nothing of the topic)."""
        question = self.scoper.strip_places(question)
        lexical = self.index.lexical
        top = lexical.query_max(question)
        if top <= 0:
            return 0.0
        scores = lexical.score(question)
        if allowed is not None:
            scores = scores[allowed]
        return float(scores.max(initial=0.0)) / top
