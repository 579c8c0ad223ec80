"""`rag eval` end to end on the dev set, and an interrupted run."""
from __future__ import annotations

import json

import pytest

from rag.eval.dataset import load_questions
from rag.eval.runner import RunConfig, run
from tests.conftest import DEV_SET
from tests.test_cli import run_rag

KEYS = ["id", "question", "history", "answer", "abstained", "citations", "retrieved", "latency_ms", "evidence"]


def test_eval_dev_set_end_to_end(assistant, tmp_path):
    out, report = tmp_path / "results.jsonl", tmp_path / "report.md"
    proc = run_rag("eval", str(DEV_SET), "--out", str(out), "--report", str(report))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 40 and list(rows[0]) == KEYS
    assert all(len(r["retrieved"]) <= 10 and [h["rank"] for h in r["retrieved"]] == list(range(1, len(r["retrieved"]) + 1))
               for r in rows)
    assert set(rows[0]["retrieved"][0]) == {"rank", "plan_id", "clause", "path", "text", "score"}
    md = report.read_text(encoding="utf-8")
    assert "Recall@5" in md and "MRR@10" in md and "| D038 |" in md and "corpus_hash" in md
    summary = json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))
    s = summary["runs"][0]["summary"]
    assert s["questions"] == 40 and s["answerable"] == 35 and s["unanswerable"] == 5
    assert s["recall@5"] >= 0.9
    assert set(summary["runs"][0]["by_type"]) == {"agency", "school", "deadline", "target", "funding", "content",
                                                  "comparison", "unanswerable"}
    # failures are listed first
    rows_md = [line for line in md.splitlines() if line.startswith("| D0")]
    marks = [line.split("|")[3].strip() for line in rows_md[:40]]
    assert marks == sorted(marks, key=lambda m: m == "✓")


def test_eval_ablation_in_one_run_and_skipped_lines(assistant, tmp_path):
    questions = tmp_path / "q.jsonl"
    lines = DEV_SET.read_text(encoding="utf-8").splitlines()[:3] + ['{"id": "X", "question": ', '{"question": "?"}']
    questions.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "res.jsonl"
    proc = run_rag("eval", str(questions), "--out", str(out), "--retriever", "hybrid,lexical",
                   "--report", str(tmp_path / "r.md"))
    assert proc.returncode == 0, proc.stderr
    assert "line 4: bad JSON" in proc.stderr and "line 5: missing 'id'" in proc.stderr
    assert "Đã bỏ qua 2 dòng" in proc.stdout
    for name in ("res.hybrid-default.jsonl", "res.lexical-default.jsonl"):
        assert len((tmp_path / name).read_text(encoding="utf-8").splitlines()) == 3
    assert "| hybrid + default | lexical + default |" in (tmp_path / "r.md").read_text(encoding="utf-8")


class _StopAfter:
    """The real assistant, interrupted (Ctrl-C) before the n-th question."""

    def __init__(self, assistant, n):
        self._a, self._n, self.index, self.corpus = assistant, n, assistant.index, assistant.corpus

    def ask(self, *args, **kwargs):
        self._n -= 1
        if self._n < 0:
            raise KeyboardInterrupt
        return self._a.ask(*args, **kwargs)


def test_interrupted_run_keeps_results_written_so_far(assistant, corpus, tmp_path):
    qset = load_questions(DEV_SET, corpus.plan_ids)
    out = tmp_path / "partial.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run(_StopAfter(assistant, 4), qset, out, RunConfig(), progress=False)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["D001", "D002", "D003", "D004"]
