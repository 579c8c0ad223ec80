"""A small BM25 index (Okapi BM25, the bm25s way: a sparse term-by-passage score matrix
computed once, a query is a sum of rows). Persisted as one ``.npz``."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy import sparse

from rag.index.analyzer import analyze


class LexicalIndex:
    def __init__(self, vocab: dict[str, int], scores: sparse.csr_matrix, n_docs: int) -> None:
        self.vocab = vocab
        self.scores = scores  # terms x docs, BM25 weight of each term in each doc
        self.n_docs = n_docs

    @classmethod
    def fit(cls, texts: list[str], k1: float = 1.2, b: float = 0.75, **analyze_args) -> "LexicalIndex":
        vocab: dict[str, int] = {}
        rows, cols, tfs = [], [], []
        lengths = np.zeros(len(texts), dtype=np.float32)
        for doc, text in enumerate(texts):
            terms = analyze(text, **analyze_args)
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
        return cls(vocab, scores, n)

    def score(self, query: str, **analyze_args) -> np.ndarray:
        """BM25 score of every passage for ``query`` (zeros when no term is known)."""
        ids = [self.vocab[t] for t in analyze(query, **analyze_args) if t in self.vocab]
        if not ids:
            return np.zeros(self.n_docs, dtype=np.float32)
        uniq, counts = np.unique(ids, return_counts=True)
        return np.asarray(self.scores[uniq].T @ counts.astype(np.float32)).ravel()

    def save(self, path: Path) -> None:
        sparse.save_npz(path.with_suffix(".npz"), self.scores)
        path.with_suffix(".vocab.json").write_text(json.dumps(self.vocab, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "LexicalIndex":
        scores = sparse.load_npz(path.with_suffix(".npz")).tocsr()
        vocab = json.loads(path.with_suffix(".vocab.json").read_text(encoding="utf-8"))
        return cls(vocab, scores, scores.shape[1])
