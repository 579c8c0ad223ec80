"""Load benchmark of the chat page's /ask API: 20 concurrent gradio_client users against a
real `rag serve` on 127.0.0.1, several rounds, medians of the per-round p50/p95.

    .venv/bin/python eval/bench_server.py      # writes eval/reports/benchmark-server.md
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from gradio_client import Client

    from rag.eval.metrics import percentile
    from ui.app import wait_until_up

    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--per-client", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "eval" / "reports" / "benchmark-server.md"))
    args = parser.parse_args()

    questions = [json.loads(line)["question"] for line in (ROOT / "eval" / "questions" / "dev.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tempfile.NamedTemporaryFile(prefix="serve-", suffix=".log", delete=False)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "rag.cli", "serve", "--port", str(port)], cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT, env={**os.environ})
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url)
        up_s = time.perf_counter() - started
        Client(url, verbose=False).predict(questions[0], [], api_name="/ask")  # index loaded
        first_s = time.perf_counter() - started

        def user(i: int) -> list[float]:
            client = Client(url, verbose=False)
            times = []
            for j in range(args.per_client):
                q = questions[(i * args.per_client + j) % len(questions)]
                t = time.perf_counter()
                answer, _ = client.predict(q, [], api_name="/ask")
                assert answer
                times.append((time.perf_counter() - t) * 1000)
            return times

        p50s, p95s, errors = [], [], 0
        for _ in range(args.rounds):
            with ThreadPoolExecutor(max_workers=args.clients) as pool:
                futures = [pool.submit(user, i) for i in range(args.clients)]
            times = []
            for f in futures:
                try:
                    times += f.result()
                except Exception:  # counted, not hidden
                    errors += 1
            p50s.append(percentile(times, 50))
            p95s.append(percentile(times, 95))
        single = []
        client = Client(url, verbose=False)
        for q in questions[:20]:
            t = time.perf_counter()
            client.predict(q, [], api_name="/ask")
            single.append((time.perf_counter() - t) * 1000)
    finally:
        proc.terminate()
        proc.wait(15)

    lines = [
        "# Chat server benchmark (/ask through gradio_client)", "",
        f"Generated {time.strftime('%Y-%m-%d %H:%M')} by `eval/bench_server.py` on {os.cpu_count()} cores: a real "
        f"`rag serve` on 127.0.0.1, {args.rounds} rounds of {args.clients} concurrent clients × {args.per_client} "
        "dev questions each; medians over rounds of the per-round p50/p95.", "",
        "| measure | value |", "|---|---|",
        f"| page up (process start → HTTP 200) | {up_s:.1f} s |",
        f"| first answer (process start, index on disk) | {first_s:.1f} s |",
        f"| one client, sequential: p50 / p95 | {percentile(single, 50):.0f} / {percentile(single, 95):.0f} ms |",
        f"| {args.clients} concurrent clients: p50 | {statistics.median(p50s):.0f} ms |",
        f"| {args.clients} concurrent clients: p95 | {statistics.median(p95s):.0f} ms |",
        f"| failed requests | {errors} |", "",
        "Answering is serialised through one embedder (a lock), so under load requests queue: "
        "the p95 is about the number of clients times the single-answer time plus Gradio's own overhead.", "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
