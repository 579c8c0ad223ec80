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


def test_several_items_asked_in_everyday_words_get_the_whole_list():
    ctx = context("Kinh phí thực hiện gồm những nguồn nào?", [binh_lam()], [(P, "II.1"), (P, "II.2")])
    text = "\n".join(ContentComposer().compose(ctx).lines)
    for item in ("Ngân sách nhà nước", "Nguồn xã hội hóa", "Các nguồn hợp pháp khác"):
        assert item in text
    # an item found is one of the list asked when another item names what is asked ("nguồn") too
    ctx = context("Kinh phí thực hiện gồm những nguồn nào?", [binh_lam()], [(P, "II.1.b")])
    assert [c.clause for c in (ContentComposer().compose(ctx), ctx)[1].cited.items] == ["II.1", "II.1.a", "II.1.b", "II.1.c"]
    # what the question sets aside is left out of the list
    ctx = context("Ngoài ngân sách nhà nước, kinh phí thực hiện gồm những nguồn nào?", [binh_lam()], [(P, "II.1.b")])
    assert [c.clause for c in (ContentComposer().compose(ctx), ctx)[1].cited.items] == ["II.1", "II.1.b", "II.1.c"]
    # …and stands for itself when no other item does: everyday words do not pull in the whole section
    ctx = context("Kinh phí thực hiện gồm những khoản nào?", [binh_lam()], [(P, "II.1.b")])
    assert [c.clause for c in (ContentComposer().compose(ctx), ctx)[1].cited.items] == ["II.1.b"]


def test_a_list_inside_a_long_clause_is_not_cut():
    from tests.answer.synthetic import clause, plan

    items = "; ".join(f"({n}) kỹ năng thứ {n} về an toàn thông tin cá nhân khi dùng mạng xã hội" for n in range(1, 9))
    long = clause(P, "II.5", f"Trang bị cho học sinh các kỹ năng gồm: {items}.", parent="II")
    p = plan(P, [*binh_lam().clauses, long], "Bình Lâm")
    ctx = context("Học sinh được trang bị kỹ năng gì?", [p], [(P, "II.5")])
    text = "\n".join(ContentComposer().compose(ctx).lines)
    assert "(1)" in text and "(8)" in text and "…" not in text


def test_one_thing_asked_under_a_heading_is_answered_by_the_item_not_the_whole_section():
    from rag.answer.composers.content import ContentComposer
    from tests.answer.synthetic import P, binh_lam, context

    ctx = context("Ai tổ chức giáo dục kỹ năng an toàn trên mạng cho học sinh?", [binh_lam()], [(P, "III.1")])
    out = ContentComposer().compose(ctx)
    assert [c.clause for c in ctx.cited.items] == ["III.1.a"]
    assert "Sở Giáo dục và Đào tạo" in out.lines[0]
    # asked for everything under it: the whole section
    ctx = context("Kể hết nhiệm vụ của Sở Giáo dục và Đào tạo trong phần tổ chức thực hiện", [binh_lam()], [(P, "III.1")])
    out = ContentComposer().compose(ctx)
    # the heading names the list (written, not cited); the items under it are cited
    cited = [c.clause for c in ctx.cited.items]
    assert cited == ["III.1.a"]
    assert out.lines[0].startswith("Theo ") and "III.1 «" in out.lines[0]



def test_where_one_plans_money_comes_from_is_every_source_its_money_part_lists():
    from rag.answer.composers.section import SectionComposer

    # search found an unrelated clause first; the money heading is looked up by structure
    ctx = context("Bình Lâm lấy tiền ở đâu để làm kế hoạch?", [binh_lam()], [(P, "II.2"), (P, "II.1.a")])
    SectionComposer().compose(ctx)
    out = ContentComposer().compose(ctx)
    text = "\n".join(out.lines)
    assert all(s in text for s in ("Ngân sách nhà nước", "Nguồn xã hội hóa", "Các nguồn hợp pháp khác"))
