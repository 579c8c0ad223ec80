from rag.answer.composers.base import Abstention, Composed
from rag.answer.composers.who import WhoComposer
from tests.answer.synthetic import P, binh_lam, context


def test_partners_read_from_the_appendix_row():
    ctx = context("Cơ quan nào phối hợp xây dựng phần mềm cảnh báo nội dung độc hại?", [binh_lam()],
                  [(P, "PL.1"), (P, "II.2")])
    out = WhoComposer().compose(ctx)
    assert isinstance(out, Composed)
    assert "cơ quan phối hợp: Công an tỉnh" in "\n".join(out.lines)
    assert "cơ quan chủ trì: Sở Thông tin và Truyền thông" in "\n".join(out.lines)


def test_deadline_read_from_the_appendix_row():
    ctx = context("Thời hạn xây dựng phần mềm cảnh báo nội dung độc hại là khi nào?", [binh_lam()], [(P, "PL.1")])
    out = WhoComposer().compose(ctx)
    assert "thời hạn: Năm 2023" in "\n".join(out.lines)


def test_no_date_in_the_clause_says_no_deadline():
    ctx = context("Thời hạn tư vấn tâm lý cho trẻ em bị xâm hại là khi nào?", [binh_lam()], [(P, "III.2.a")])
    out = WhoComposer().compose(ctx)
    assert isinstance(out, Abstention) and out.reason == "no-deadline"
