"""rag/structure/reflow.py on small made-up lines (no plan file)."""
from rag.structure.lines import Line
from rag.structure.reflow import joins, reflow


def _lines(*texts: str) -> list[Line]:
    out, at = [], 0
    for text in texts:
        out.append(Line(text, at, at + len(text)))
        at += len(text) + 1
    return out


def test_a_lower_case_line_continues_the_sentence():
    blocks = reflow(_lines("Sở Y tế chủ trì, phối hợp với", "các cơ quan liên quan."), wrapped=False)
    assert [b.text for b in blocks] == ["Sở Y tế chủ trì, phối hợp với các cơ quan liên quan."]
    assert (blocks[0].start, blocks[0].end) == (0, 52) and len(blocks[0].lines) == 2


def test_a_finished_sentence_is_not_joined():
    blocks = reflow(_lines("Sở Y tế chủ trì.", "Sở Tư pháp phối hợp."), wrapped=True)
    assert [b.text for b in blocks] == ["Sở Y tế chủ trì.", "Sở Tư pháp phối hợp."]


def test_hard_wrapped_text_joins_an_unfinished_sentence_even_at_a_capital():
    lines = _lines("Phối hợp với Sở Giáo dục và", "Đào tạo tổ chức tập huấn.")
    assert len(reflow(lines, wrapped=True)) == 1
    assert len(reflow(lines, wrapped=False)) == 2  # not hard-wrapped: a capital opens a new paragraph


def test_never_joins_numbering_headings_tables_or_bold():
    prev, numbered = _lines("Các nhiệm vụ gồm", "a) tuyên truyền")
    assert not joins(prev, numbered, wrapped=True)
    heading, body = _lines("II. NHIỆM VỤ VÀ GIẢI PHÁP", "Tăng cường tuyên truyền")
    assert not joins(heading, body, wrapped=True)
    bold = Line("Điều khoản chung", 0, 16, emphasised=True)
    assert not joins(bold, Line("tiếp theo", 17, 26), wrapped=True)
    row = Line("1 | Tập huấn", 0, 11, cells=["1", "Tập huấn"])
    assert not joins(row, Line("giáo viên", 12, 21), wrapped=True)


def test_a_line_opening_with_a_number_continues_an_unfinished_sentence():
    prev, nxt = _lines("Hoàn thành trước ngày", "31/12/2026 theo quy định.")
    assert joins(prev, nxt, wrapped=False)


def test_the_next_join_is_judged_on_the_whole_sentence():
    blocks = reflow(_lines("Sở Y tế chủ trì", "thực hiện.", "Sở Tư pháp"), wrapped=True)
    assert [b.text for b in blocks] == ["Sở Y tế chủ trì thực hiện.", "Sở Tư pháp"]
