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


def test_the_best_clause_naming_its_partners_outranks_a_row_below_it():
    ctx = context("Sở Y tế phối hợp tư vấn tâm lý cho trẻ em bị xâm hại với ai?", [binh_lam()],
                  [(P, "III.2.a"), (P, "PL.1")])
    out = WhoComposer().compose(ctx)
    assert isinstance(out, Composed) and "III.2.a" in out.lines[0] and "PL.1" not in "\n".join(out.lines)
    # the row comes first when the best clause says nothing of partners
    ctx = context("Cơ quan nào phối hợp xây dựng phần mềm cảnh báo nội dung độc hại?", [binh_lam()],
                  [(P, "I.1"), (P, "PL.1")])
    assert "cơ quan phối hợp: Công an tỉnh" in "\n".join(WhoComposer().compose(ctx).lines)


def test_the_time_may_sit_in_the_neighbouring_clause():
    ctx = context("Tập huấn kỹ năng số cho giáo viên tổ chức khi nào?", [binh_lam()], [(P, "III.1.a"), (P, "II.2")])
    out = WhoComposer().compose(ctx)
    assert isinstance(out, Composed) and "II.2" in out.lines[0] and "hằng năm" in out.lines[0]


def test_a_day_asked_is_not_answered_by_a_rhythm():
    ctx = context("Tập huấn kỹ năng số cho giáo viên phải xong trước ngày nào?", [binh_lam()], [(P, "II.2")])
    out = WhoComposer().compose(ctx)
    assert isinstance(out, Abstention) and "ngày cụ thể" in out.message
