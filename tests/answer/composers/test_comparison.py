from rag.answer.composers.base import Composed
from rag.answer.composers.comparison import ComparisonComposer
from rag.models import ClauseLevel
from tests.answer.synthetic import P, binh_lam, clause, context, plan

Q = "an-son-2026-2030"


def _an_son():
    return plan(Q, [clause(Q, "I", "MỤC TIÊU", title="MỤC TIÊU"),
                    clause(Q, "I.1", "Phấn đấu 95% trẻ em được trang bị kỹ năng an toàn trên môi trường mạng.",
                           parent="I")], "An Sơn", decision="468/QĐ-TTg", period="2026-2030")


def test_one_row_per_plan_each_cited():
    ctx = context("So sánh mục tiêu về kỹ năng an toàn của Bình Lâm và An Sơn", [binh_lam(), _an_son()],
                  [(P, "I.1"), (Q, "I.1")])
    out = ComparisonComposer().compose(ctx)
    assert isinstance(out, Composed)
    rows = [line for line in out.lines if line.startswith("| KH")]
    assert len(rows) == 2 and "90%" in rows[0] and "95%" in rows[1]


def test_one_plan_is_not_a_comparison():
    ctx = context("Mục tiêu về kỹ năng an toàn của Bình Lâm?", [binh_lam(), _an_son()], [(P, "I.1")])
    assert ComparisonComposer().compose(ctx) is None


def test_targets_asked_take_each_plans_clause_stating_one():
    # Bình Lâm's best hit (II.2) only shares the topic; its target (I.1) states a share
    ctx = context("Chỉ tiêu về kỹ năng cho trẻ em của Bình Lâm và An Sơn khác nhau thế nào?", [binh_lam(), _an_son()],
                  [(P, "II.2"), (Q, "I.1"), (P, "I.1")])
    rows = [line for line in ComparisonComposer().compose(ctx).lines if line.startswith("| KH")]
    assert "90%" in rows[0] and "95%" in rows[1]


def test_who_asked_quotes_the_piece_naming_the_agency_in_charge():
    long = ("Định kỳ tổng hợp báo cáo của các cơ quan, đơn vị tham mưu Ủy ban nhân dân tỉnh thực hiện chế độ báo cáo "
            "theo quy định của pháp luật hiện hành về công tác bảo vệ trẻ em trên môi trường mạng. Giao Công an tỉnh "
            "theo dõi, kiểm tra, đôn đốc các cơ quan, đơn vị triển khai thực hiện Kế hoạch và báo cáo kết quả.")
    son = plan(Q, [clause(Q, "KL-1", long)], "An Sơn", decision="468/QĐ-TTg", period="2026-2030")
    ctx = context("Cơ quan đầu mối theo dõi, tổng hợp báo cáo ở Bình Lâm và An Sơn khác nhau thế nào?", [binh_lam(), son],
                  [(Q, "KL-1"), (P, "I.1")])
    rows = [line for line in ComparisonComposer().compose(ctx).lines if line.startswith("| KH")]
    assert "Công an tỉnh" in next(r for r in rows if "KL-1" in r)


def test_the_agency_asked_is_each_plans_row_even_when_search_found_only_its_partner():
    # An Sơn's clause search found names the court only as the police's partner; its own duty is looked up
    son = plan(Q, [clause(Q, "III", "TỔ CHỨC THỰC HIỆN", ClauseLevel.PART, title="TỔ CHỨC THỰC HIỆN"),
                   clause(Q, "III.1", "Công an tỉnh", parent="III", title="Công an tỉnh"),
                   clause(Q, "III.1.a", "Phối hợp với Tòa án nhân dân tỉnh điều tra, truy tố các vụ xâm hại trẻ em.",
                          ClauseLevel.POINT, parent="III.1", agency="Công an tỉnh"),
                   clause(Q, "III.2", "Tòa án nhân dân tỉnh", parent="III", title="Tòa án nhân dân tỉnh"),
                   clause(Q, "III.2.a", "Xét xử các vụ xâm hại trẻ em theo hướng thân thiện, giảm tổn thương.",
                          ClauseLevel.POINT, parent="III.2", agency="Tòa án nhân dân tỉnh")],
               "An Sơn", decision="468/QĐ-TTg", period="2026-2030")
    ctx = context("Tòa án ở Bình Lâm và An Sơn xét xử các vụ xâm hại trẻ em thế nào?", [binh_lam(), son],
                  [(Q, "III.1.a"), (P, "III.2.a")])
    rows = [line for line in ComparisonComposer().compose(ctx).lines if line.startswith("| KH An Sơn")]
    assert "III.2.a" in rows[0] and "thân thiện" in rows[0]
