from rag.answer.composers.base import Abstention
from rag.answer.composers.value import ValueComposer
from tests.answer.synthetic import P, binh_lam, context


def test_the_clause_stating_the_value_goes_first():
    ctx = context("Bao nhiêu phần trăm trẻ em được trang bị kỹ năng an toàn?", [binh_lam()], [(P, "II.2"), (P, "I.1")])
    assert ValueComposer().compose(ctx) is None
    assert ctx.ranked[0].clause.address == "I.1"


def test_no_value_in_the_best_clauses_abstains():
    ctx = context("Bao nhiêu phần trăm giáo viên được tập huấn?", [binh_lam()], [(P, "II.2"), (P, "II.1")])
    out = ValueComposer().compose(ctx)
    assert isinstance(out, Abstention) and out.reason == "no-value"


def test_a_figure_the_question_sets_aside_is_not_the_value_asked():
    # I.1 states "90%"; set aside, no best clause states another share
    ctx = context("Ngoài 90%, kế hoạch đặt thêm bao nhiêu phần trăm trẻ em được trang bị kỹ năng?", [binh_lam()],
                  [(P, "I.1"), (P, "II.2")])
    out = ValueComposer().compose(ctx)
    assert isinstance(out, Abstention) and out.reason == "no-value"


def test_a_share_of_one_group_does_not_answer_a_share_of_another():
    asked_teachers = context("Bình Lâm đặt mục tiêu bao nhiêu phần trăm giáo viên được trang bị kỹ năng an toàn?",
                             [binh_lam()], [(P, "I.1")])
    out = ValueComposer().compose(asked_teachers)
    assert isinstance(out, Abstention) and "giáo viên" in out.message
    asked_children = context("Bình Lâm đặt mục tiêu bao nhiêu phần trăm trẻ em được trang bị kỹ năng an toàn?",
                             [binh_lam()], [(P, "I.1")])
    assert ValueComposer().compose(asked_children) is None  # answered: the 90% is of children
