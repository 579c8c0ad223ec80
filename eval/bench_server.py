"""Load benchmark of `rag serve`: closed-loop clients asking dev questions through gradio_client
(`/ask`) and plain JSON (`POST /api/ask`), for each query-embedding design in the same run
(``lock`` is the old design: one question at a time), with the server's RSS.

    .venv/bin/python eval/bench_server.py      # writes eval/reports/benchmark-server.md

Each design gets a fresh `rag serve` on 127.0.0.1 (RAG_EMBED_MODE=<design>); for 1/5/20/50/100
concurrent clients, each client asks ``--per-client`` questions one after another with no pause.
A failure is an exception, an empty answer or the busy message. Clients run in this process, on
the same cores as the server, as a department's browsers would not: the figures are a floor.
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
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUSY = "Hệ thống đang bận"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, q):
    from rag.eval.metrics import percentile as p

    return p(values, q) if values else float("nan")


class Server:
    def __init__(self, design: str) -> None:
        from ui.app import wait_until_up

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = tempfile.NamedTemporaryFile(prefix=f"serve-{design}-", suffix=".log", delete=False)
        env = {**os.environ, "RAG_EMBED_MODE": design}
        self.proc = subprocess.Popen([sys.executable, "-m", "rag.cli", "serve", "--port", str(self.port)], cwd=ROOT,
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env)
        wait_until_up(self.url)

    @property
    def rss(self) -> float:
        return rss_mb(self.proc.pid)

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(15)


def gradio_round(url: str, questions: list[str], clients: int, per_client: int):
    from gradio_client import Client

    connected = list(ThreadPoolExecutor(min(clients, 20)).map(lambda _: Client(url, verbose=False), range(clients)))

    def user(i: int):
        times, failures, busy = [], 0, 0
        for j in range(per_client):
            q = questions[(i * per_client + j) % len(questions)]
            t = time.perf_counter()
            try:
                answer, _ = connected[i].predict(q, [], api_name="/ask")
            except Exception:
                answer = ""
            if answer and BUSY not in answer:
                times.append((time.perf_counter() - t) * 1000)
            elif answer:
                busy += 1
            else:
                failures += 1
        return times, failures, busy

    return _run(user, clients), connected


def api_round(url: str, questions: list[str], clients: int, per_client: int):
    import httpx

    def user(i: int):
        times, failures, busy = [], 0, 0
        with httpx.Client(base_url=url, timeout=120) as http:
            for j in range(per_client):
                q = questions[(i * per_client + j) % len(questions)]
                t = time.perf_counter()
                try:
                    r = http.post("/api/ask", json={"question": q})
                    status, ok = r.status_code, r.status_code == 200 and bool(r.json()["answer"])
                except Exception:
                    status, ok = 0, False
                if ok:
                    times.append((time.perf_counter() - t) * 1000)
                elif status == 503:
                    busy += 1
                else:
                    failures += 1
        return times, failures, busy

    return _run(user, clients)


def _run(user, clients: int) -> dict:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(user, range(clients)))
    wall = time.perf_counter() - started
    times = [t for r in results for t in r[0]]
    failures = sum(r[1] for r in results)
    busy = sum(r[2] for r in results)
    return {"p50": percentile(times, 50), "p95": percentile(times, 95), "failures": failures, "busy": busy,
            "answers_per_s": len(times) / wall, "n": len(times) + failures + busy}


def in_process_assistant(questions: list[str]):
    from rag.config import load_settings
    from rag.pipeline import Assistant

    assistant = Assistant(load_settings())
    for q in questions[:5]:
        assistant.ask(q)
    return assistant


def api_overhead(url: str, assistant, questions: list[str]) -> list[tuple[float, float]]:
    """The same question in process and through POST /api/ask, alternately (one at a time, so the
    machine's load hits both alike): (in-process ms, HTTP ms) pairs."""
    import httpx

    pairs = []
    with httpx.Client(base_url=url, timeout=120) as http:
        for q in questions:
            t = time.perf_counter()
            assistant.ask(q)
            inproc = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            http.post("/api/ask", json={"question": q}).raise_for_status()
            pairs.append((inproc, (time.perf_counter() - t) * 1000))
    return pairs


def main() -> None:
    from rag.config import load_settings

    parser = argparse.ArgumentParser()
    parser.add_argument("--designs", default="lock,threads,pool,batch")
    parser.add_argument("--clients", default="1,5,20,50,100")
    parser.add_argument("--per-client", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "eval" / "reports" / "benchmark-server.md"))
    args = parser.parse_args()

    questions = [json.loads(line)["question"] for line in (ROOT / "eval" / "questions" / "dev.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    counts = [int(c) for c in args.clients.split(",")]
    designs = [d.strip() for d in args.designs.split(",") if d.strip()]
    load_before = open("/proc/loadavg").read().split()[:3]
    rows, memory, api_rows, overhead = [], [], [], []
    assistant = in_process_assistant(questions)
    for design in designs:
        started = time.perf_counter()
        server = Server(design)
        try:
            with urllib.request.urlopen(urllib.request.Request(server.url + "api/ask", method="POST",
                                        data=json.dumps({"question": questions[0]}).encode(),
                                        headers={"Content-Type": "application/json"}), timeout=300):
                pass  # the index is loaded
            first_s = time.perf_counter() - started
            overhead += api_overhead(server.url, assistant, questions)  # before any load, on a quiet server
            idle = server.rss
            peak = idle
            for n in counts:
                result, connected = gradio_round(server.url, questions, n, args.per_client)
                peak = max(peak, server.rss)
                rows.append({"design": design, "clients": n, **result, "rss": server.rss})
                print(design, n, result, f"rss {server.rss:.0f}", flush=True)
                if n == max(counts):
                    memory.append({"design": design, "idle": idle, "connected": server.rss, "clients": n})
                for client in connected:  # each holds a heartbeat stream open: a connected user
                    client.close()
            for n in (1, 50):
                result = api_round(server.url, questions, n, args.per_client)
                api_rows.append({"design": design, "clients": n, **result})
                print(design, "api", n, result, flush=True)
            time.sleep(10)  # let the burst settle
            memory[-1].update(after=server.rss, peak=peak, first_s=first_s)
        finally:
            server.close()
    load_after = open("/proc/loadavg").read().split()[:3]

    fmt = lambda v: "–" if v != v else (f"{v / 1000:.2f} s" if v >= 1000 else f"{v:.0f} ms")  # noqa: E731
    lines = [
        "# Chat server benchmark (`rag serve` under concurrent clients)", "",
        f"Generated {time.strftime('%Y-%m-%d %H:%M')} by `eval/bench_server.py` on {os.cpu_count()} cores. "
        f"Each design is a fresh `rag serve` on 127.0.0.1 (`RAG_EMBED_MODE`); closed-loop clients (no pause), "
        f"{args.per_client} dev questions each, through gradio_client `/ask`. A failure is an error or an empty "
        "answer; *busy* counts the immediate «Hệ thống đang bận» answers past the in-flight limit "
        f"(`max_in_flight` = {load_settings().max_in_flight}). The clients run on the same 2 cores "
        "as the server.", "",
        f"**The machine is shared** with other jobs: load average {' / '.join(load_before)} before the run and "
        f"{' / '.join(load_after)} after (1/5/15 min, 2 cores). Absolute figures are therefore pessimistic; "
        "the designs were measured in the same run, one after another, so compare them with each other.", "",
        "| design | clients | p50 | p95 | failures | busy | answers/s | server RSS |", "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['design']} | {r['clients']} | {fmt(r['p50'])} | {fmt(r['p95'])} | {r['failures']} / "
                     f"{r['n']} | {r['busy']} | {r['answers_per_s']:.1f} | {r['rss']:.0f} MB |")
    lines += ["", "Plain JSON `POST /api/ask` (httpx), against `Assistant.ask` in process:", "",
              "| design | clients | p50 | p95 | failures | busy | answers/s |", "|---|---|---|---|---|---|---|"]
    for r in api_rows:
        lines.append(f"| {r['design']} | {r['clients']} | {fmt(r['p50'])} | {fmt(r['p95'])} | {r['failures']} / "
                     f"{r['n']} | {r['busy']} | {r['answers_per_s']:.1f} |")
    if overhead:
        inproc, http = [a for a, _ in overhead], [b for _, b in overhead]
        lines += ["", f"`/api/ask` against in-process `Assistant.ask`, the same {len(questions)} dev questions "
                  f"alternately, one at a time, on each design's fresh server ({len(overhead)} pairs): in process "
                  f"p50 {fmt(percentile(inproc, 50))} / p95 {fmt(percentile(inproc, 95))}, through HTTP p50 "
                  f"{fmt(percentile(http, 50))} / p95 {fmt(percentile(http, 95))}; overhead (median of the "
                  f"per-question difference) {fmt(statistics.median(b - a for a, b in overhead))}."]
    lines += ["", "Memory (server RSS):", "", "| design | idle, index loaded | with "
              f"{max(counts)} clients connected | peak | 10 s after the burst | start → first answer |",
              "|---|---|---|---|---|---|"]
    for m in memory:
        lines.append(f"| {m['design']} | {m['idle']:.0f} MB | {m['connected']:.0f} MB | {m['peak']:.0f} MB | "
                     f"{m.get('after', float('nan')):.0f} MB | {m.get('first_s', float('nan')):.1f} s |")
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
