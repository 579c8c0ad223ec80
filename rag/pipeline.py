"""The assembled assistant: corpus → index → retrieval → answer, shared by the CLI,
the evaluation harness and the chat page."""
from __future__ import annotations

import logging
import time
from dataclasses import replace

from rag.answer.base import Answerer
from rag.answer.unloaded import UnloadedPlans
from rag.config import Settings
from rag.index.embeddings import make_embedder
from rag.index.opener import Notify, open_index
from rag.index.pool import QueryEmbedder
from rag.models import Answer, Corpus
from rag.retrieval.analysis import QuestionAnalysis, QuestionAnalyzer
from rag.retrieval.conversation import clean_history
from rag.retrieval.hybrid import HybridSearcher, SearchResult
from rag.retrieval.question import clean_question
from rag.retrieval.scope import PlanScoper
from rag.structure import load_corpus

log = logging.getLogger(__name__)


class Assistant:
    def __init__(self, settings: Settings, corpus: Corpus | None = None, progress: bool = False,
                 notify: Notify | None = None) -> None:
        self.settings = settings
        self.corpus = corpus or load_corpus(settings.corpus_dir)
        if not self.corpus.plans:
            raise ValueError(f"no plan could be loaded from {settings.corpus_dir}")
        self.embedder = make_embedder(settings.embedder)
        self.index = open_index(settings, self.corpus, self.embedder, progress=progress, notify=notify)
        # concurrent questions share one engine through the chosen design (no lock around answering)
        self.embedder = QueryEmbedder(self.embedder, settings.embed_mode, timeout_s=settings.answer_timeout_s)
        self.scoper = PlanScoper([p.info for p in self.corpus.plans])
        self.analyzer = QuestionAnalyzer(self.scoper)
        self.unloaded = UnloadedPlans(self.corpus)
        self._searchers: dict[str, HybridSearcher] = {}
        self._reranker = None
        self._answerers: dict[str, Answerer] = {}

    def searcher(self, mode: str | None = None) -> HybridSearcher:
        mode = mode or self.settings.retriever
        if mode not in self._searchers:
            s = self.settings
            self._searchers[mode] = HybridSearcher(
                self.index, self.embedder, self.scoper, mode=mode, fusion=s.fusion, dense_weight=s.dense_weight,
                dense_weight_unaccented=s.dense_weight_unaccented, dense_weight_english=s.dense_weight_english,
                rrf_k=s.rrf_k, reranker=self.reranker())
        return self._searchers[mode]

    def reranker(self):
        """The learned ranker when ``settings.ranker`` is "learned" (None: the fused order)."""
        if self.settings.ranker != "learned":
            return None
        if self._reranker is None:
            from rag.retrieval.rerank import LearnedRanker

            self._reranker = LearnedRanker(self.corpus, self.settings.ranker_model or None, self.settings.ranker_depth)
        return self._reranker

    def answerer(self, name: str = "default") -> Answerer:
        if name not in self._answerers:
            if name == "default":
                from rag.answer.grounded import GroundedAnswerer

                from rag.answer.gate import GateSettings

                gate = GateSettings.from_settings(self.settings)
                self._answerers[name] = GroundedAnswerer(self.corpus, gate, self.index.lexical)
            elif name == "llm":
                from rag.answer.llm import LLMAnswerer

                self._answerers[name] = LLMAnswerer(self.settings, self.corpus, self.answerer("default"))
            else:
                raise ValueError(f"unknown answerer {name!r}: use default or llm")
        return self._answerers[name]

    def analyze(self, question: str, history=()) -> QuestionAnalysis:
        """The question (cleaned) read with its conversation: earlier user questions, oldest first."""
        question = clean_question(question, self.settings.max_question_chars)
        return self.analyzer.run(question, clean_history(history, self.settings.max_question_chars))

    def search(self, question: str, plan_ids=None, k: int | None = None, mode: str | None = None,
               history=()) -> SearchResult:
        analysis = self.analyze(question, history)
        return self._search(analysis, plan_ids, k or self.settings.top_k, mode)

    def _search(self, analysis: QuestionAnalysis, plan_ids, k: int, mode: str | None) -> SearchResult:
        result = self.searcher(mode).search(analysis.search_text, plan_ids, k, scope=analysis.scope, analysis=analysis)
        from rag.retrieval.lookup import with_addressed_clauses

        return with_addressed_clauses(result, analysis, self.corpus, self.index)

    def ask(self, question: str, plan_ids=None, retriever: str | None = None, answerer: str = "default",
            history=()) -> Answer:
        started = time.perf_counter()
        analysis = self.analyze(question, history)
        if self.corpus.errors and not plan_ids:
            failed = self.unloaded.answer(analysis.question, analysis.scope)
            if failed is not None:
                return replace(failed, latency_ms=(time.perf_counter() - started) * 1000)
        result = self._search(analysis, plan_ids, max(self.settings.top_k, 10), retriever)
        answer = self.answerer(answerer).answer(analysis.question, result, analysis)
        return replace(answer, latency_ms=(time.perf_counter() - started) * 1000)
