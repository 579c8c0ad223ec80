"""An answer to keep: question, answer and the cited clauses in full, from the typed Answer."""
from __future__ import annotations

from rag.documents.answer import answer_docx
from rag.models import Answer, Citation
from tests.documents.conftest import all_text, fonts, read_docx


def test_answer_docx_has_question_answer_and_clauses_in_full(corpus):
    plan = corpus.plan("lai-chau-2021-2025")
    heading = plan.clause("IV.3")  # a heading: cited in full is the heading with the duties under it
    answer = Answer(question="Sở Giáo dục và Đào tạo Lai Châu phải làm gì?",
                    answer="Theo KH Lai Châu 2022, Sở Giáo dục và Đào tạo: chỉ đạo các cơ sở giáo dục … [1]",
                    abstained=False, citations=(Citation(plan.id, "IV.3", " › ".join(heading.path), heading.text,
                                                         plan.info.short_name),),
                    retrieved=(), latency_ms=1.0)
    doc = read_docx(answer_docx(answer, corpus))
    text = all_text(doc)
    assert answer.question in text and "chỉ đạo các cơ sở giáo dục … [1]" in text
    assert "[1] KH Lai Châu 2022, điều khoản IV.3" in text
    for child in plan.descendants("IV.3"):
        assert child.text in text  # the clause in full, not an excerpt
    assert fonts(doc) == {"Times New Roman"}


def test_abstained_answer_without_citations(corpus):
    answer = Answer(question="Kế hoạch có nói về trí tuệ nhân tạo ở Lai Châu không?",
                    answer="Các kế hoạch không nêu nội dung này.", abstained=True, citations=(), retrieved=(),
                    latency_ms=1.0)
    text = all_text(read_docx(answer_docx(answer)))
    assert "Không có điều khoản nào được trích dẫn." in text and answer.answer in text
