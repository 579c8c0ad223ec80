"""`ask` latency, the previous design against this one in the same session: the dev questions
through `rag eval` (latency per question as `ask` measures it, warm, in process), the two code
trees alternating, a few runs each; writes a table of p50 per run and their median.

    git archive <previous commit> | tar -x -C /tmp/previous
    python eval/bench_ask.py --previous /tmp/previous --runs 3 --out eval/reports/bench-ask.md
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one_run(tree: Path, questions: Path, index_dir: Path) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run.jsonl"
        report = Path(tmp) / "run.md"
        env = {**os.environ, "PYTHONPATH": str(tree), "RAG_INDEX_DIR": str(index_dir), "RAG_RUNS_DIR": tmp}
        subprocess.run([sys.executable, "-m", "rag.cli", "eval", str(questions), "--out", str(out), "--report",
                        str(report)], cwd=tree, env=env, check=True, capture_output=True)
        summary = json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))
        return float(summary["runs"][0]["summary"]["latency_p50_ms"])


def _commit(tree: Path) -> str:
    """The commit a tree is checked out at (a work tree or a clone), or "?" (an exported archive)."""
    done = subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--previous", type=Path, required=True, help="a checkout of the previous design")
    parser.add_argument("--questions", type=Path, default=ROOT / "eval" / "questions" / "dev.jsonl")
    parser.add_argument("--index-dir", type=Path, default=ROOT / "index")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    designs = {f"previous ({_commit(args.previous)})": args.previous.resolve(), f"this one ({_commit(ROOT)})": ROOT}
    p50: dict[str, list[float]] = {name: [] for name in designs}
    for _ in range(args.runs):
        for name, tree in designs.items():
            p50[name].append(one_run(tree, args.questions.resolve(), args.index_dir.resolve()))
    load = os.getloadavg()[0]
    lines = [f"`ask` p50 over {args.questions.name}, designs alternating, {args.runs} runs each "
             f"({os.cpu_count()} cores, load average {load:.1f} at the end):", "",
             "| design | p50 per run (ms) | median |", "|---|---|---|"]
    for name, values in p50.items():
        lines.append(f"| {name} | {', '.join(f'{v:.0f}' for v in values)} | {statistics.median(values):.0f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
