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
    assert len(rows) == 40 and list(rows[0])[:len(KEYS)] == KEYS
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
    assert "dòng 4: JSON không hợp lệ" in proc.stderr and "dòng 5: thiếu «id»" in proc.stderr
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


def test_eval_reads_xlsx_lists_bad_rows_saves_the_run_and_compares(assistant, tmp_path):
    from tests.eval.sheets import xlsx_bytes

    dev = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines()[:4]]
    rows = [["Mã", "Câu hỏi", "Kế hoạch", "Trích dẫn đúng", "Kế hoạch của trích dẫn", "Phải nêu"]]
    for d in dev:
        rows.append([d["id"], d["question"], ", ".join(d.get("plans", [])), d["gold"][0]["quote"], d["gold"][0]["plan"],
                     "; ".join(" | ".join(g) for g in d["answer_must_mention"])])
    rows.append(["BAD", "", "", "", "", ""])
    path = tmp_path / "bo-cau-hoi.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    ids = []
    for retriever in ("hybrid", "lexical"):
        proc = run_rag("eval", str(path), "--retriever", retriever, "--report", str(tmp_path / f"{retriever}.md"),
                       "--export", str(tmp_path / f"{retriever}.xlsx"))
        assert proc.returncode == 0, proc.stderr
        assert "Bỏ qua dòng 6: thiếu câu hỏi" in proc.stderr
        ids.append(proc.stdout.split("Đã lưu lần chạy: ")[1].split()[0])
        assert f"[{retriever} + default] 4 câu" in proc.stdout
    assert "dòng 6: thiếu câu hỏi" in (tmp_path / "hybrid.md").read_text(encoding="utf-8")
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "hybrid.xlsx")
    assert [r[0] for r in book["Kết quả"].iter_rows(min_row=2, values_only=True)] == [d["id"] for d in dev]
    assert list(book["Dòng bị bỏ qua"].iter_rows(min_row=2, values_only=True)) == [(6, "thiếu câu hỏi")]
    proc = run_rag("eval", "--compare", *ids)
    assert proc.returncode == 0, proc.stderr
    assert "| Recall@5 |" in proc.stdout and "Kém đi / worse:" in proc.stdout and ids[0] in proc.stdout
    proc = run_rag("eval", "--compare", ids[0], "khong-co")
    assert proc.returncode == 2 and "Không có lần chạy «khong-co»" in proc.stderr and "Traceback" not in proc.stderr


def test_eval_template_and_a_file_that_is_not_a_spreadsheet(assistant, tmp_path):
    proc = run_rag("eval", "--template", "xlsx", "--out", str(tmp_path / "mau.xlsx"))
    assert proc.returncode == 0 and (tmp_path / "mau.xlsx").stat().st_size > 0
    fake = tmp_path / "cau-hoi.xlsx"
    fake.write_bytes(b"%PDF-1.7\n")
    proc = run_rag("eval", str(fake))
    assert proc.returncode == 2 and "không phải bảng tính" in proc.stderr and "Traceback" not in proc.stderr
