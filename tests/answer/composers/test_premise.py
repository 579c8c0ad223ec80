from rag.answer.composers.premise import RolePremiseComposer
from tests.answer.synthetic import P, binh_lam, context


def test_a_lead_said_to_only_partner_is_corrected():
    ctx = context("Có phải Sở Thông tin và Truyền thông chỉ phối hợp xây dựng phần mềm cảnh báo?", [binh_lam()],
                  [(P, "PL.1")])
    out = RolePremiseComposer().compose(ctx)
    assert out is not None and "là cơ quan chủ trì" in out.lines[0]


def test_no_claimed_role_nothing_to_correct():
    ctx = context("Ai xây dựng phần mềm cảnh báo?", [binh_lam()], [(P, "PL.1")])
    assert RolePremiseComposer().compose(ctx) is None
