from rag.answer.composers.base import Composed
from rag.answer.composers.duties import DutiesComposer
from tests.answer.synthetic import P, binh_lam, context


def test_every_duty_of_the_agency_grouped_by_role():
    ctx = context("Sở Y tế tỉnh Bình Lâm phải làm gì?", [binh_lam()], [(P, "III.2.a")])
    out = DutiesComposer().compose(ctx)
    assert isinstance(out, Composed)
    text = "\n".join(out.lines)
    assert text.startswith("Theo KH Bình Lâm:")
    assert "tư vấn tâm lý" in text
    assert "giáo dục kỹ năng" not in text  # another agency's duty
