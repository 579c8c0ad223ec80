from rag.answer.composers.base import Composed
from rag.answer.composers.content import ContentComposer
from tests.answer.synthetic import P, binh_lam, context


def test_best_clause_quoted_and_cited():
    ctx = context("Giáo viên được tập huấn kỹ năng số khi nào?", [binh_lam()], [(P, "II.2"), (P, "I.1")])
    out = ContentComposer().compose(ctx)
    assert isinstance(out, Composed)
    assert out.lines[0].startswith("Theo KH Bình Lâm, II.2:")
    assert [c.clause for c in ctx.cited.items] == ["II.2"]


def test_a_list_asked_for_is_given_whole():
    ctx = context("Kể đủ các nguồn kinh phí thực hiện.", [binh_lam()], [(P, "II.1.b"), (P, "II.2")])
    out = ContentComposer().compose(ctx)
    text = "\n".join(out.lines)
    for item in ("Ngân sách nhà nước", "Nguồn xã hội hóa", "Các nguồn hợp pháp khác"):
        assert item in text
    assert "…" not in text


def test_nothing_found_says_nothing():
    ctx = context("Các nguồn kinh phí?", [binh_lam()], [])
    assert ContentComposer().compose(ctx) is None
