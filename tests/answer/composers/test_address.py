from rag.answer.composers.address import AddressComposer
from rag.answer.composers.base import Abstention, Composed
from tests.answer.synthetic import P, binh_lam, context


def test_the_clause_named_with_everything_under_it_cited_once():
    ctx = context("Mục II.1 của kế hoạch Bình Lâm nói gì?", [binh_lam()], [(P, "II.2")])
    out = AddressComposer().compose(ctx)
    assert isinstance(out, Composed)
    text = "\n".join(out.lines)
    assert "Ngân sách nhà nước" in text and "Các nguồn hợp pháp khác" in text
    assert [c.clause for c in ctx.cited.items] == ["II.1"]


def test_an_address_the_plan_lacks_is_said_so():
    ctx = context("Mục VII.9 của kế hoạch Bình Lâm nói gì?", [binh_lam()], [(P, "II.2")])
    out = AddressComposer().compose(ctx)
    assert isinstance(out, Abstention) and out.reason == "no-such-address"


def test_no_address_nothing_to_say():
    ctx = context("Kinh phí từ đâu?", [binh_lam()], [(P, "II.1")])
    assert AddressComposer().compose(ctx) is None
