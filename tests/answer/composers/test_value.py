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
