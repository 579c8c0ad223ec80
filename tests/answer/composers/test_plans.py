from rag.answer.composers.base import Composed
from rag.answer.composers.plans import PlansComposer
from rag.models import ClauseLevel
from rag.retrieval.analysis import Kind
from tests.answer.synthetic import P, binh_lam, clause, context, plan

Q = "an-phu-2026-2030"


def _an_phu():
    return plan(Q, [clause(Q, "PM.1", "Căn cứ Quyết định số 468/QĐ-TTg của Thủ tướng Chính phủ, Ủy ban nhân dân "
                                      "tỉnh ban hành Kế hoạch.", ClauseLevel.PREAMBLE),
                    clause(Q, "I", "MỤC TIÊU", ClauseLevel.PART, title="MỤC TIÊU")],
                "An Phú", decision="468/QĐ-TTg", period="2026-2030")


def test_which_plans_carry_out_a_decision_are_listed_with_their_opening_paragraph():
    ctx = context("Những kế hoạch nào thực hiện Quyết định 830?", [binh_lam(), _an_phu()], [(P, "I.1")])
    assert ctx.analysis.kind is Kind.PLANS
    out = PlansComposer().compose(ctx)
    assert isinstance(out, Composed)
    text = "\n".join(out.lines)
    assert "KH Bình Lâm" in text and "KH An Phú" not in text
    assert [c.clause for c in ctx.cited.items] == ["PM.1"]


def test_a_plan_named_by_its_place_is_not_a_which_plans_question():
    ctx = context("Kế hoạch nào của Bình Lâm giao Sở Y tế tư vấn tâm lý?", [binh_lam(), _an_phu()], [(P, "III.2.a")])
    assert ctx.analysis.kind is not Kind.PLANS
