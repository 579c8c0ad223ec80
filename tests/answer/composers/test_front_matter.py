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
