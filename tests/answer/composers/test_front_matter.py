from rag.answer.composers.base import Abstention, Composed
from rag.answer.composers.front_matter import FrontMatterComposer
from tests.answer.synthetic import P, binh_lam, context


def test_a_blank_number_is_said_to_be_blank():
    ctx = context("Kế hoạch Bình Lâm có số hiệu là gì?", [binh_lam()], [(P, "PM.1")])
    out = FrontMatterComposer().compose(ctx)
    assert isinstance(out, Abstention) and "để trống số hiệu" in out.message


def test_the_signer_is_quoted():
    ctx = context("Ai ký kế hoạch Bình Lâm?", [binh_lam()], [(P, "PM.1")])
    out = FrontMatterComposer().compose(ctx)
    assert isinstance(out, Composed) and "Nguyễn Văn A" in "\n".join(out.lines)


def test_the_period_asked_is_read_from_the_opening_paragraph():
    from rag.answer.composers.base import Composed
    from rag.answer.composers.front_matter import FrontMatterComposer
    from tests.answer.synthetic import P, binh_lam, context

    ctx = context("Kế hoạch của Bình Lâm áp dụng cho giai đoạn nào?", [binh_lam()], [(P, "I.1")])
    out = FrontMatterComposer().compose(ctx)
    assert isinstance(out, Composed)
    assert "Giai đoạn: 2021-2025" in "\n".join(out.lines)
    assert [c.clause for c in ctx.cited.items] == ["PM.1"]


def test_the_plans_full_name_beside_the_paragraph_that_issues_it():
    ctx = context("Tên đầy đủ của kế hoạch Bình Lâm là gì?", [binh_lam()], [(P, "PM.1")])
    out = FrontMatterComposer().compose(ctx)
    text = "\n".join(out.lines)
    assert "Kế hoạch bảo vệ trẻ em trên môi trường mạng Bình Lâm" in text and "PM.1" in [c.clause for c in ctx.cited.items]
