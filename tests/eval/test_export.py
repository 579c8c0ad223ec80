"""Downloads of a run: XLSX (results, metrics, configuration, bad rows) and CSV, text never as formulas."""
from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from rag.eval.dataset import EvalQuestion, GoldItem, RowProblem
from rag.eval.export import HEADERS, result_rows, results_csv, results_xlsx
from rag.eval.metrics import score_question, summarize

Q = [EvalQuestion("A1", "=HYPERLINK(\"http://x\") Sở nào?", 2, gold=(GoldItem("ha-noi", "bố trí kinh phí"),),
                  must_mention=(("Sở Tài chính",),), has_gold=True),
     EvalQuestion("A2", "Lâm Đồng?", 3, gold=(), has_gold=True)]
R = [{"id": "A1", "question": Q[0].question, "answer": "Sở Tài chính: «bố trí kinh phí» [1]", "abstained": False,
      "latency_ms": 12.34, "retrieved": [{"rank": 1, "plan_id": "ha-noi-2022-2025", "clause": "IV.1",
                                          "text": "Sở Tài chính bố trí kinh phí.", "path": "", "score": 1.0}],
      "citations": [{"plan_id": "ha-noi-2022-2025", "clause": "IV.1", "path": "IV", "text": "Sở Tài chính bố trí kinh phí."}]},
     {"id": "A2", "question": "Lâm Đồng?", "answer": "-1 điều", "abstained": False, "latency_ms": 5, "retrieved": [],
      "citations": []}]
NAMES = {"ha-noi-2022-2025": "KH Hà Nội"}


def _rows():
    scores = [score_question(q, r) for q, r in zip(Q, R)]
    return result_rows(Q, R, scores, NAMES), summarize(scores)


def test_xlsx_has_a_row_a_question_and_a_metrics_sheet():
    rows, summary = _rows()
    book = load_workbook(io.BytesIO(results_xlsx(rows, summary, {"id": "run-1", "config": {"retriever": "hybrid"}},
                                                 [RowProblem(7, "thiếu câu hỏi")])))
    assert book.sheetnames == ["Kết quả", "Chỉ số", "Cấu hình", "Dòng bị bỏ qua"]
    values = list(book["Kết quả"].iter_rows(values_only=True))
    assert list(values[0]) == HEADERS
    a1, a2 = values[1], values[2]
    assert a1[0] == "A1" and a1[1].startswith("=HYPERLINK") and a1[3] == "KH Hà Nội — IV.1: «Sở Tài chính bố trí kinh phí.»"
    assert book["Kết quả"]["B2"].data_type == "s"  # a question starting with "=" stays text
    assert a1[4] == 12.3 and a1[5:8] == ("✓", "✓", "đạt")
    assert a2[5] == "✗" and a2[7] == "không đạt"  # should have abstained
    metrics = dict(book["Chỉ số"].iter_rows(min_row=2, values_only=True))
    assert metrics["Recall@5"] == 1.0 and metrics["Từ chối sai (câu có đáp án) / false abstentions"] == 0
    assert list(book["Dòng bị bỏ qua"].iter_rows(min_row=2, values_only=True)) == [(7, "thiếu câu hỏi")]


def test_csv_rows_and_formula_guard():
    rows, _ = _rows()
    data = results_csv(rows)
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == HEADERS and len(table) == 3
    assert table[1][1].startswith("'=HYPERLINK") and table[2][2] == "'-1 điều"
