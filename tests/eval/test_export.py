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
    col = {h: i for i, h in enumerate(HEADERS)}
    cited = col["Trích dẫn (kế hoạch — điều khoản: nguyên văn)"]
    assert a1[0] == "A1" and a1[1].startswith("=HYPERLINK") and a1[cited] == "KH Hà Nội — IV.1: «Sở Tài chính bố trí kinh phí.»"
    assert book["Kết quả"]["B2"].data_type == "s"  # a question starting with "=" stays text
    # what was expected stands beside what was answered: the gold clause and the facts to name
    assert a1[col["Đáp án chuẩn (kế hoạch — điều khoản: đoạn trích)"]] == "KH Hà Nội — IV.1: «bố trí kinh phí»"
    assert a1[col["Phải nêu"]] == "Sở Tài chính"
    assert a1[col["Thời gian (ms)"]] == 12.3 and a1[col["Tìm thấy đáp án (top 5)"]:col["Trạng thái"] + 1] == (
        "✓", "✓", "đạt")
    assert a1[col["Lý do không đạt"]] in ("", None)
    assert a2[col["Tìm thấy đáp án (top 5)"]] == "✗" and a2[col["Trạng thái"]] == "không đạt"  # should have abstained
    assert "nhưng trợ lý vẫn trả lời" in a2[col["Lý do không đạt"]]
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


def test_each_failure_gets_a_plain_reason():
    from rag.eval.export import fail_reasons

    q = EvalQuestion("B1", "Sở nào chủ trì?", 4, gold=(GoldItem("ha-noi", "bố trí kinh phí"),),
                     must_mention=(("Sở Tài chính",), ("Sở Tư pháp", "STP")), has_gold=True)
    wrong = {"id": "B1", "answer": "Sở Tài chính chủ trì [1]", "abstained": False, "latency_ms": 1,
             "retrieved": [{"rank": 7, "plan_id": "ha-noi-2022-2025", "clause": "IV.1", "text": "bố trí kinh phí",
                            "path": "", "score": 0.1}],
             "citations": [{"plan_id": "ha-noi-2022-2025", "clause": "II.2", "path": "", "text": "khác"}]}
    reason = fail_reasons(q, wrong, score_question(q, wrong))
    assert "5 đoạn đầu" in reason and "thiếu: «Sở Tư pháp»" in reason and "1/1 trích dẫn" in reason
    refused = {**wrong, "answer": "Các kế hoạch không nêu.", "abstained": True, "citations": []}
    assert "từ chối trả lời" in fail_reasons(q, refused, score_question(q, refused))


def test_the_counts_add_up_with_questions_that_have_no_gold():
    from rag.eval.report import counts_sentence

    q3 = EvalQuestion("A3", "Câu không có đáp án chuẩn", 4, must_mention=(("111",),))
    r3 = {"id": "A3", "answer": "Gọi 111", "abstained": False, "latency_ms": 1, "retrieved": [], "citations": []}
    scores = [score_question(q, r) for q, r in zip([*Q, q3], [*R, r3])]
    summary = summarize(scores)
    assert summary["answerable"] + summary["unanswerable"] + summary["ungraded"] == summary["questions"] == 3
    assert counts_sentence(summary) == ("3 câu hỏi: 1 có đáp án, 1 không có đáp án trong kế hoạch, 1 chưa có đáp án "
                                        "chuẩn (chỉ chấm các dữ kiện phải nêu, nếu có).")
