"""Malformed question lines are named, skipped, and the rest is evaluated."""
from __future__ import annotations

from rag.eval.dataset import load_questions

PLANS = ["lai-chau-2021-2025", "ha-noi-2022-2025"]


def test_bad_lines_are_named_and_skipped(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join([
        '{"id": "Q1", "question": "Hà Nội giao ai chủ trì?", "plans": ["ha-noi"], '
        '"gold": [{"plan": "ha-noi", "quote": "Sở Tài chính"}], "answer_must_mention": [["Sở Tài chính"]]}',
        '{"id": "Q2", "question": "thiếu ngoặc"',
        '{"question": "không có id"}',
        '{"id": "Q1", "question": "trùng id"}',
        '{"id": "Q5", "question": "kế hoạch lạ", "gold": [{"plan": "lam-dong", "quote": "x"}]}',
        '',
        '{"id": "Q7", "question": "chỉ có id và câu hỏi"}',
        '[1, 2]',
        '{"id": "Q9", "question": "không có đáp án", "gold": []}',
    ]), encoding="utf-8")
    qs = load_questions(path, PLANS)
    assert [q.id for q in qs.questions] == ["Q1", "Q7", "Q9"]
    assert [str(p) for p in qs.problems] == [
        "dòng 2: JSON không hợp lệ (Expecting ',' delimiter)",
        "dòng 3: thiếu «id»",
        "dòng 4: trùng id «Q1» (đã có ở dòng 1)",
        "dòng 5: kế hoạch «lam-dong» (trích dẫn đúng) không khớp kế hoạch nào",
        "dòng 8: không phải đối tượng JSON",
    ]
    q1, q7, q9 = qs.questions
    assert q1.answerable and q1.must_mention == (("Sở Tài chính",),) and q1.plans == ("ha-noi",)
    assert not q7.answerable and not q7.unanswerable
    assert q9.unanswerable
