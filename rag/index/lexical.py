"""A small BM25 index (Okapi BM25, the bm25s way: a sparse term-by-passage score matrix
computed once, a query is a sum of rows). Persisted as ``.npz`` + vocabulary, with the
tokenizer settings it was built with (``.tokenizer.json``), so that a query is always
analysed the way the passages were.

Why not bm25s itself: ``eval/compare_bm25s.py`` fed bm25s 0.3 (method "lucene", the same
k1, b and idf) with this project's analyzer, in one run on the dev set (292 passages, 35
questions, lexical only): recall@5 0.957 and MRR@10 0.888 for both, the gate's relative score
equal to 2e-7, but the median query 0.25 ms with bm25s against 0.18 ms here (three runs:
0.17-0.20 vs 0.25). Equal recall, slower queries: the rule was to switch only if no slower,
so this stays (about 60 lines, the same matrix bm25s builds). Report: eval/reports/bm25s.md."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from rag.index.analyzer import ANALYZER_VERSION, analyze


@dataclass(frozen=True)
class TokenizerSettings:
    """How text becomes terms, for passages and queries alike (see ``rag.index.analyzer``)."""

    accents: bool | None = None  # None: accented terms iff the text has diacritics
    bigrams: bool = True
    analyzer_version: str = ANALYZER_VERSION

    def analyze(self, text: str) -> list[str]:
        return analyze(text, accents=self.accents, bigrams=self.bigrams)


class LexicalIndex:
    def __init__(self, vocab: dict[str, int], scores: sparse.csr_matrix, n_docs: int,
                 tokenizer: TokenizerSettings | None = None) -> None:
        self.vocab = vocab
        self.scores = scores  # terms x docs, BM25 weight of each term in each doc
        self.n_docs = n_docs
        self.tokenizer = tokenizer or TokenizerSettings()
        # the most any one passage gets from each term: a query's own maximum score is their sum
        self.max_weight = np.asarray(scores.max(axis=1).todense()).ravel() if scores.shape[0] else np.zeros(0)
        self._df = np.diff(scores.indptr)  # passages holding each term

    def df_share(self, term: str) -> float:
        """The share of passages that hold ``term`` (0 when no passage does)."""
        tid = self.vocab.get(term)
        return float(self._df[tid]) / max(self.n_docs, 1) if tid is not None else 0.0

    @classmethod
    def fit(cls, texts: list[str], k1: float = 1.2, b: float = 0.75,
            tokenizer: TokenizerSettings | None = None) -> "LexicalIndex":
        tokenizer = tokenizer or TokenizerSettings()
        vocab: dict[str, int] = {}
        rows, cols, tfs = [], [], []
        lengths = np.zeros(len(texts), dtype=np.float32)
        for doc, text in enumerate(texts):
            terms = tokenizer.analyze(text)
            lengths[doc] = len(terms)
            counts: dict[int, int] = {}
            for term in terms:
                tid = vocab.setdefault(term, len(vocab))
                counts[tid] = counts.get(tid, 0) + 1
            rows.extend(counts)
            cols.extend([doc] * len(counts))
            tfs.extend(counts.values())
        n = len(texts)
        tf = sparse.csr_matrix((np.asarray(tfs, np.float32), (rows, cols)), shape=(len(vocab), n))
        df = np.diff(tf.indptr).astype(np.float32)
        idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        avg = float(lengths.mean()) if n else 1.0
        coo = tf.tocoo()
        norm = k1 * (1 - b + b * lengths[coo.col] / max(avg, 1e-9))
        weights = idf[coo.row] * coo.data * (k1 + 1) / (coo.data + norm)
        scores = sparse.csr_matrix((weights.astype(np.float32), (coo.row, coo.col)), shape=tf.shape)
        return cls(vocab, scores, n, tokenizer)

    def _query_ids(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        ids = [self.vocab[t] for t in self.tokenizer.analyze(query) if t in self.vocab]
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        uniq, counts = np.unique(ids, return_counts=True)
        return uniq, counts.astype(np.float32)

    def score(self, query: str) -> np.ndarray:
        """BM25 score of every passage for ``query`` (zeros when no term is known)."""
        uniq, counts = self._query_ids(query)
        if not len(uniq):
            return np.zeros(self.n_docs, dtype=np.float32)
        return np.asarray(self.scores[uniq].T @ counts).ravel()

    def query_max(self, query: str) -> float:
        """The score a passage would get if it held every term of ``query`` at its best weight:
        the scale for a BM25 score that does not move when plans are added."""
        uniq, counts = self._query_ids(query)
        return float(self.max_weight[uniq] @ counts) if len(uniq) else 0.0

    def save(self, path: Path) -> None:
        sparse.save_npz(path.with_suffix(".npz"), self.scores)
        path.with_suffix(".vocab.json").write_text(json.dumps(self.vocab, ensure_ascii=False), encoding="utf-8")
        path.with_suffix(".tokenizer.json").write_text(json.dumps(asdict(self.tokenizer)), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "LexicalIndex":
        """Raises ValueError when the index was built with another tokenizer than this code's."""
        scores = sparse.load_npz(path.with_suffix(".npz")).tocsr()
        vocab = json.loads(path.with_suffix(".vocab.json").read_text(encoding="utf-8"))
        settings_file = path.with_suffix(".tokenizer.json")
        tokenizer = TokenizerSettings(**json.loads(settings_file.read_text(encoding="utf-8"))) \
            if settings_file.exists() else TokenizerSettings(analyzer_version="unknown")
        if tokenizer.analyzer_version != ANALYZER_VERSION:
            raise ValueError(f"lexical index built with analyzer {tokenizer.analyzer_version}, "
                             f"this code has {ANALYZER_VERSION}")
        return cls(vocab, scores, scores.shape[1], tokenizer)
