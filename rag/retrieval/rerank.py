"""The learned ranker: reorders the hybrid search's top candidates by a model trained on
questions generated from the plans' own clauses and on the evaluation question sets
(``eval/train_ranker.py``; figures in ``eval/reports/ranker.md``).

The model is a small text file shipped in the package (``rag/retrieval/models/ranker.json``):
its format, the features it was trained on (``rag.retrieval.features``) and their version, and
the model itself (a LightGBM lambdarank model as LightGBM's own text, or linear weights). When
the file is missing, unreadable or was trained on other features, search keeps the fused order
and a warning is logged once.
"""
from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

import numpy as np

from rag.models import Clause, Corpus, Passage
from rag.retrieval.analysis import QuestionAnalysis
from rag.retrieval.features import (FEATURE_NAMES, FEATURES_VERSION, Candidate, ClauseFacts, QuestionFacts,
                                    clause_facts, features)

log = logging.getLogger(__name__)

MODEL_FORMAT = "rag-ranker/1"
DEFAULT_MODEL = Path(__file__).resolve().parent / "models" / "ranker.json"


class RankerModelError(ValueError):
    """The model file cannot be used (missing, not valid, trained on other features)."""


class _Linear:
    def __init__(self, weights: list[float], bias: float, mean: list[float], scale: list[float]) -> None:
        self.w = np.asarray(weights, dtype=np.float64)
        self.b = float(bias)
        self.mean = np.asarray(mean, dtype=np.float64)
        self.scale = np.asarray(scale, dtype=np.float64)

    def predict(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.w + self.b


class _Trees:
    def __init__(self, text: str) -> None:
        import lightgbm

        self.booster = lightgbm.Booster(model_str=text)
        self._lock = threading.Lock()  # questions answered at once share one booster

    def predict(self, x: np.ndarray) -> np.ndarray:
        with self._lock:
            return self.booster.predict(x, num_threads=1)


def load_model(path: Path) -> tuple[object, dict]:
    """(predictor, header) from a model file; raises ``RankerModelError``."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RankerModelError(f"ranker model file missing: {path}") from exc
    except (OSError, ValueError) as exc:
        raise RankerModelError(f"ranker model file {path} is not valid JSON: {exc}") from exc
    if data.get("format") != MODEL_FORMAT:
        raise RankerModelError(f"ranker model {path}: format {data.get('format')!r}, expected {MODEL_FORMAT}")
    if data.get("features_version") != FEATURES_VERSION or tuple(data.get("features", ())) != FEATURE_NAMES:
        raise RankerModelError(f"ranker model {path} was trained on other features "
                               f"(version {data.get('features_version')!r}, this code {FEATURES_VERSION}): retrain it")
    kind = data.get("kind")
    try:
        if kind == "lightgbm":
            return _Trees(data["model"]), data
        if kind == "linear":
            return _Linear(data["weights"], data["bias"], data["mean"], data["scale"]), data
    except (KeyError, TypeError, ValueError) as exc:
        raise RankerModelError(f"ranker model {path} is incomplete: {exc}") from exc
    except ImportError as exc:
        raise RankerModelError(f"ranker model {path} needs lightgbm: {exc}") from exc
    raise RankerModelError(f"ranker model {path}: unknown kind {kind!r}")


class LearnedRanker:
    """Configured with the corpus (to read each candidate's clause) and the model file;
    ``rerank`` reorders one question's candidates."""

    def __init__(self, corpus: Corpus, model_path: Path | str | None = None, depth: int = 30,
                 load: bool = True) -> None:
        """``load`` False: features only (for training)."""
        self.depth = depth
        self.path = Path(model_path) if model_path else DEFAULT_MODEL
        self._clauses: dict[tuple[str, str], Clause] = {(c.plan_id, c.address): c for c in corpus.clauses()}
        self._facts: dict[Passage, ClauseFacts] = {}
        self.model, self.header = None, {}
        if not load:
            return
        try:
            self.model, self.header = load_model(self.path)
        except RankerModelError as exc:
            log.warning("%s; search keeps the fused order", exc)
            self.model, self.header = None, {}

    @property
    def ready(self) -> bool:
        return self.model is not None

    def facts(self, passage: Passage) -> ClauseFacts:
        found = self._facts.get(passage)
        if found is None:
            found = clause_facts(passage, self._clauses.get((passage.plan_id, passage.clause)))
            if len(self._facts) > 100_000:
                self._facts.clear()
            self._facts[passage] = found
        return found

    def candidates(self, ranking: list[tuple[int, float]], dense: list[tuple[int, float]],
                   lexical: list[tuple[int, float]], passages) -> list[Candidate]:
        """The first ``depth`` of the fused ranking, with the ranks and scores each retriever gave them."""
        dense_at = {pid: (rank, score) for rank, (pid, score) in enumerate(dense, start=1)}
        lexical_at = {pid: (rank, score) for rank, (pid, score) in enumerate(lexical, start=1)}
        out = []
        for rank, (pid, score) in enumerate(ranking[:self.depth], start=1):
            d_rank, d_score = dense_at.get(pid, (None, None))
            l_rank, l_score = lexical_at.get(pid, (None, None))
            passage = passages[pid]
            out.append(Candidate(passage, self._clauses.get((passage.plan_id, passage.clause)), score, rank,
                                 l_score, l_rank, d_score, d_rank))
        return out

    def feature_matrix(self, analysis: QuestionAnalysis, candidates: list[Candidate]) -> np.ndarray:
        facts = [self.facts(c.passage) for c in candidates]
        return np.asarray(features(QuestionFacts.of(analysis), candidates, facts), dtype=np.float64)

    def rerank(self, analysis: QuestionAnalysis, ranking: list[tuple[int, float]], dense: list[tuple[int, float]],
               lexical: list[tuple[int, float]], passages) -> list[tuple[int, float]]:
        """The fused ranking with its first ``depth`` reordered by the model. Each position keeps
        the fused score of that position, so scores still fall with rank and keep their scale
        (the answer layer compares a hit's score with the first one's)."""
        if self.model is None or len(ranking) < 2:
            return ranking
        candidates = self.candidates(ranking, dense, lexical, passages)
        scores = self.model.predict(self.feature_matrix(analysis, candidates))
        order = sorted(range(len(candidates)), key=lambda i: (-scores[i], i))
        head = [(ranking[i][0], ranking[pos][1]) for pos, i in enumerate(order)]
        return head + ranking[len(candidates):]
