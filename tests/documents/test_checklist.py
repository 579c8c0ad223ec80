"""The checklist DOCX: every line cited, a section per school level, printable."""
from __future__ import annotations

from rag.audience.checklist import checklist
from rag.documents.checklist import checklist_docx
from tests.documents.conftest import all_text, fonts, read_docx


def test_school_checklist_docx(corpus):
    cl = checklist(corpus, "school")
    doc = read_docx(checklist_docx(cl))
    text = all_text(doc)
    for title in ("Mọi cấp học", "Tiểu học", "Trung học cơ sở", "Trung học phổ thông", "Cơ sở bảo vệ"):
        assert title.upper() in text.upper()
    rows = [row for t in doc.tables for row in t.rows[1:] if len(row.cells) == 5]
    assert len(rows) == len(cl.lines)
    assert all(row.cells[3].text.startswith("KH ") and "," in row.cells[3].text for row in rows)  # cited
    assert all(row.cells[4].text == "☐" for row in rows)
    assert fonts(doc) == {"Times New Roman"}


def test_family_checklist_docx(corpus):
    doc = read_docx(checklist_docx(checklist(corpus, "family")))
    text = all_text(doc)
    assert "Khuyến khích các gia đình" in text and "KH Hà Nội 308/KH-UBND, III.2-5" in text
