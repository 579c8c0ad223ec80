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


def test_a_teachers_broad_question_says_what_schools_do_first_and_caps_the_rest():
    from rag.answer.composers import duties
    from rag.models import ClauseLevel
    from tests.answer.synthetic import clause, plan

    extra = [clause(P, f"II.{n}", f"Các trường trung học cơ sở tổ chức hoạt động số {n} cho học sinh.", parent="II")
             for n in range(3, 3 + duties.SHOWN_ONE_PLAN)]
    extra.append(clause(P, "II.9", "Các trường tiểu học tổ chức tiết học an toàn mạng cho học sinh.", parent="II"))
    base = binh_lam()
    bigger = plan(P, [*base.clauses, *extra], "Bình Lâm")
    ctx = context("Trường tiểu học ở Bình Lâm phải làm gì?", [bigger], [(P, "III.1.a")])
    out = DutiesComposer().compose(ctx)
    text = "\n".join(out.lines)
    assert out.lines[0].startswith("Theo KH Bình Lâm")
    assert "tiết học an toàn mạng" in out.lines[1]  # the level asked first
    assert "Xem thêm" in out.lines[-1]  # capped
    assert "tư vấn tâm lý" not in text  # another agency's duty that does not name schools
    assert len(ctx.cited.items) == duties.SHOWN_ONE_PLAN
    assert all(c.level is not ClauseLevel.FRONT for c in bigger.clauses if c.address in
               {i.clause for i in ctx.cited.items})
