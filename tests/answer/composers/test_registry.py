from rag.answer.composers.content import ContentComposer
from rag.answer.composers.registry import Stage, default_registry
from rag.answer.composers.who import WhoComposer
from tests.answer.synthetic import P, binh_lam, context


def test_a_deadline_question_tries_the_who_composer_then_content():
    ctx = context("Thời hạn xây dựng phần mềm cảnh báo là khi nào?", [binh_lam()], [(P, "PL.1")])
    chain = default_registry().composers(Stage.ANSWER, ctx.analysis, fallback=True)
    assert [type(c) for c in chain] == [WhoComposer, ContentComposer]


def test_without_fallback_a_plain_question_has_no_answer_composer():
    ctx = context("Kinh phí thực hiện gồm những nguồn nào?", [binh_lam()], [(P, "II.1")])
    assert default_registry().composers(Stage.ANSWER, ctx.analysis) == []
