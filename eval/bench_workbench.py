"""Benchmark of the evaluator's workbench (the «Đánh giá» tab).

1. Time to run the 40 dev questions from the page (a real browser: upload, click «Chạy đánh giá»,
   wait for «Lần chạy đã lưu») against `rag eval` on the command line (a new process: start, open
   the index, run, save). Goal: the page within 20% of the CLI.
2. Chat latency (`/ask` through gradio_client, one question after another) with the server idle, and
   while an evaluation run is going on the page (the dev set five times, 200 questions, so the run
   outlasts the chat sample). Goal: p95 during a run ≤ 2× idle p95.

Medians of ``--repeat`` runs. Writes eval/reports/benchmark-workbench.md.

    python eval/bench_workbench.py [--repeat 3] [--chat 30]
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.eval.metrics import percentile  # noqa: E402
from tests.ui.conftest import free_port  # noqa: E402
from tests.ui.test_browser import ARGS, CHROMIUM  # noqa: E402

DEV = ROOT / "eval" / "questions" / "dev.jsonl"
REPORT = ROOT / "eval" / "reports" / "benchmark-workbench.md"
CHAT_QUESTIONS = [json.loads(line)["question"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
log = logging.getLogger("bench_workbench")


def cli_seconds(env: dict, tmp: Path) -> float:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "rag.cli", "eval", str(DEV), "--out", str(tmp / "cli.jsonl")],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr)
    return elapsed


def open_tab(browser, url: str):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_selector("#question textarea", timeout=60_000)
    page.get_by_role("tab", name="Đánh giá").click()
    return page


def page_run_seconds(page, path: Path) -> float:
    clear = page.locator("#eval-file button[aria-label=Clear]")
    if clear.count():
        clear.first.click()
        page.wait_for_function("() => document.querySelector('#eval-file input[type=file]') && "
                               "!document.querySelector('#eval-file-info').innerText.includes('hợp lệ')",
                               timeout=10_000)
    page.locator("#eval-file input[type=file]").set_input_files(str(path))
    page.wait_for_function("(name) => { const t = document.querySelector('#eval-file-info').innerText; "
                           "return t.includes(name) && t.includes('câu hỏi hợp lệ'); }", arg=path.name, timeout=60_000)
    before = page.locator("#eval-status").inner_text()
    before = before.split("Lần chạy đã lưu:")[1].strip().split()[0] if "Lần chạy đã lưu:" in before else "none"
    started = time.perf_counter()
    page.locator("#eval-run").click()
    page.wait_for_function("(before) => { const t = document.querySelector('#eval-status').innerText; "
                           "return t.includes('Lần chạy đã lưu') && !t.includes(before); }", arg=before,
                           timeout=900_000)
    return time.perf_counter() - started


def chat_latencies(url: str, n: int, until: threading.Event | None = None) -> list[float]:
    from gradio_client import Client

    client = Client(url, verbose=False)
    out = []
    i = 0
    while len(out) < n and not (until is not None and until.is_set()):
        started = time.perf_counter()
        client.predict(CHAT_QUESTIONS[i % len(CHAT_QUESTIONS)], [], api_name="/ask")
        out.append((time.perf_counter() - started) * 1000)
        i += 1
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chat", type=int, default=30, help="chat questions per sample")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per chat request otherwise
    from playwright.sync_api import sync_playwright

    load_start = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="bench-workbench-"))
    env = {**os.environ, "RAG_RUNS_DIR": str(tmp / "runs"), "GRADIO_ANALYTICS_ENABLED": "False"}
    big = tmp / "dev-x5.jsonl"
    lines = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    big.write_text("".join(json.dumps({**d, "id": f"{d['id']}-{k}"}, ensure_ascii=False) + "\n"
                           for k in range(5) for d in lines), encoding="utf-8")

    log.info("warming the index with one CLI run")
    cli_seconds(env, tmp)
    cli = []
    for i in range(args.repeat):
        cli.append(cli_seconds(env, tmp))
        log.info("CLI run %d: %.2f s", i + 1, cli[-1])

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([sys.executable, "-m", "rag.cli", "serve", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=open(tmp / "serve.log", "w"), stderr=subprocess.STDOUT)
    try:
        from ui.app import wait_until_up

        wait_until_up(url, timeout=180)
        chat_latencies(url, 3)  # the assistant is loaded and warm
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            page = open_tab(browser, url)
            page_run_seconds(page, DEV)  # warm-up of the page path
            page_times = []
            for i in range(args.repeat):
                page_times.append(page_run_seconds(page, DEV))
                log.info("page run %d: %.2f s", i + 1, page_times[-1])

            idle, busy = [], []
            for i in range(args.repeat):
                idle += chat_latencies(url, args.chat)
                done = threading.Event()
                result: dict = {}

                def long_run():
                    result["seconds"] = page_run_seconds(page, big)
                    done.set()

                # Playwright's sync API belongs to this thread: run the page here, the chat in a thread
                sample: list[float] = []
                chat = threading.Thread(target=lambda: sample.extend(_after_start(url, args.chat, done)))
                chat.start()
                long_run()
                chat.join()
                busy += sample
                log.info("round %d: idle p95 %.0f ms, during run p95 %.0f ms (%d samples), run %.1f s", i + 1,
                         percentile(idle, 95), percentile(busy, 95), len(sample), result["seconds"])
            browser.close()
    finally:
        server.terminate()
        server.wait(20)

    write_report(cli, page_times, idle, busy, args, loads=(load_start, os.getloadavg()[0]))
    print(REPORT.read_text(encoding="utf-8"))
    return 0


def _after_start(url: str, n: int, done: threading.Event) -> list[float]:
    time.sleep(1.0)  # let the run start (upload, first questions)
    return chat_latencies(url, n, until=done)


def write_report(cli: list[float], page: list[float], idle: list[float], busy: list[float], args,
                 loads: tuple[float, float] = (0.0, 0.0)) -> None:
    cli_med, page_med = statistics.median(cli), statistics.median(page)
    ratio = page_med / cli_med
    idle95, busy95 = percentile(idle, 95), percentile(busy, 95)
    lines = [
        "# Benchmark: the evaluator's workbench / bàn làm việc của đánh giá viên", "",
        f"Machine: {os.cpu_count()} cores, shared with other work while measuring (1-minute load average "
        f"{loads[0]:.1f} at the start, {loads[1]:.1f} at the end). "
        f"`python eval/bench_workbench.py --repeat {args.repeat} --chat {args.chat}`, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.", "",
        "## 40 dev questions: page vs CLI", "",
        "| way / cách | median (s) | runs (s) |", "|---|---|---|",
        f"| `rag eval dev.jsonl` (new process: start, open index, run, save the run) | {cli_med:.2f} | "
        + ", ".join(f"{x:.2f}" for x in cli) + " |",
        "| page «Đánh giá» (browser: click «Chạy đánh giá» → «Lần chạy đã lưu»; run, save, downloads) | "
        f"{page_med:.2f} | " + ", ".join(f"{x:.2f}" for x in page) + " |", "",
        f"Page / CLI = **{ratio:.2f}** (goal ≤ 1.20: {'met' if ratio <= 1.2 else 'missed'}).", "",
        "## Chat latency while a run is going / độ trễ hỏi đáp khi đang chạy đánh giá", "",
        "`/ask` through gradio_client, one question after another; the run is the dev set ×5 (200 questions) "
        "started from the page.", "",
        "| | samples | p50 (ms) | p95 (ms) |", "|---|---|---|---|",
        f"| idle / rảnh | {len(idle)} | {percentile(idle, 50):.0f} | {idle95:.0f} |",
        f"| during a run / khi đang chạy | {len(busy)} | {percentile(busy, 50):.0f} | {busy95:.0f} |", "",
        f"p95 during / idle = **{busy95 / idle95:.2f}** (goal ≤ 2: {'met' if busy95 <= 2 * idle95 else 'missed'}).", "",
        "The chat and the run share one first-come-first-served lock around the assistant (`ui/fair_lock.py`), so a "
        "chat question waits for at most the evaluation question in progress.",
    ]
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
