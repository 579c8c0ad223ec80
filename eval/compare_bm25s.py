"""Hand-written BM25 (rag/index/lexical.py) against bm25s fed by the project's own analyzer,
in one run: lexical-only recall@5 / MRR@10 on the dev set (plan scoping on, the same query
expansion as the product) and the median time of one query over the dev questions.

    PYTHONPATH=$PWD .venv/bin/python eval/compare_bm25s.py
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import bm25s
import numpy as np

sys.path.insert(0, ".")
from rag.index.lexical import LexicalIndex, TokenizerSettings  # noqa: E402
from rag.index.passages import build_passages  # noqa: E402
from rag.retrieval.expansion import expand_query  # noqa: E402
from rag.retrieval.scope import PlanScoper  # noqa: E402
from rag.structure import load_corpus  # noqa: E402
from rag.text import normalize_quote  # noqa: E402


class Bm25sLexical:
    """The same interface as LexicalIndex (score, query_max, df_share), with bm25s doing the work."""

    def __init__(self, texts: list[str], tokenizer: TokenizerSettings) -> None:
        self.tokenizer = tokenizer
        self.model = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
        self.model.index([tokenizer.analyze(t) or [""] for t in texts], show_progress=False)
        self.vocab = self.model.vocab_dict
        s = self.model.scores  # CSC: one column per term, holding that term's weight per passage
        self.n_docs = s["num_docs"]
        self._df = np.diff(s["indptr"])
        self.max_weight = np.maximum.reduceat(s["data"], s["indptr"][:-1]) if len(s["data"]) else np.zeros(0)
        self.max_weight[self._df == 0] = 0.0

    def _terms(self, query: str) -> list[str]:
        return [t for t in self.tokenizer.analyze(query) if t in self.vocab]

    def score(self, query: str) -> np.ndarray:
        terms = self._terms(query)
        return self.model.get_scores(terms) if terms else np.zeros(self.n_docs, np.float32)

    def query_max(self, query: str) -> float:
        ids = [self.vocab[t] for t in self._terms(query)]
        return float(self.max_weight[ids].sum()) if ids else 0.0


def main() -> None:
    corpus = load_corpus(Path("corpus"))
    passages = build_passages(corpus)
    texts = [p.embed_text for p in passages]
    scoper = PlanScoper([p.info for p in corpus.plans])
    questions = [json.loads(line) for line in open("eval/questions/dev.jsonl", encoding="utf-8")]
    questions = [q for q in questions if q["gold"]]
    plan_of = np.array([p.plan_id for p in passages])
    tok = TokenizerSettings()

    t0 = time.perf_counter(); hand = LexicalIndex.fit(texts, tokenizer=tok); t_hand = time.perf_counter() - t0
    t0 = time.perf_counter(); lib = Bm25sLexical(texts, tok); t_lib = time.perf_counter() - t0
    rows = []
    for name, idx, build in (("hand-written (rag/index/lexical.py)", hand, t_hand), ("bm25s 0.3 (lucene, same analyzer)", lib, t_lib)):
        r5, rr, times, rel = [], [], [], []
        for q in questions:
            scope = scoper.scope(q["question"])
            query = f"{q['question']} {expand_query(q['question'])}"
            best = []
            for _ in range(5):
                t0 = time.perf_counter(); s = idx.score(query); best.append(time.perf_counter() - t0)
            times.append(min(best))
            top_max = idx.query_max(q["question"])
            rel.append(float(idx.score(q["question"]).max(initial=0.0)) / top_max if top_max > 0 else 0.0)
            if scope.plan_ids:
                s = np.where(np.isin(plan_of, scope.plan_ids), s, 0)
            top = list(np.argsort(-s, kind="stable")[:10])
            ranks = [next((i + 1 for i, pid in enumerate(top) if passages[pid].plan_id.startswith(g["plan"])
                           and normalize_quote(g["quote"]) in normalize_quote(passages[pid].text)), None)
                     for g in q["gold"]]
            r5.append(sum(1 for r in ranks if r and r <= 5) / len(ranks))
            rr.append(max([1 / r for r in ranks if r] or [0]))
        rows.append((name, np.mean(r5), np.mean(rr), statistics.median(times) * 1000, build, np.array(rel)))
    print(f"{len(passages)} passages, {len(questions)} dev questions with gold\n")
    print("| BM25 | recall@5 | MRR@10 | median query (ms) | build (s) |\n|---|---|---|---|---|")
    for name, r5, mrr, ms, build, _ in rows:
        print(f"| {name} | {r5:.3f} | {mrr:.3f} | {ms:.2f} | {build:.2f} |")
    diff = np.abs(rows[0][5] - rows[1][5]).max()
    print(f"\nlargest difference in the gate's relative score (best BM25 / query maximum): {diff:.2e}")


if __name__ == "__main__":
    main()
