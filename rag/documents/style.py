"""The look of a Vietnamese administrative document (Nghị định 30/2020/NĐ-CP, thể thức văn bản), in python-docx.

A4; margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 13 (14 for titles); the header of
two columns — the issuing body on the left, the national name (quốc hiệu) and motto (tiêu ngữ) on the right,
the motto underlined — then the place and date in italics; the title in bold capitals, centred.

python-docx does not set the East-Asian and complex-script font slots, so a Vietnamese run may fall back to
another font in Word or LibreOffice; ``_font`` sets all of them.
"""
from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
SIZE = 13
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
BLANK_DATE = "……, ngày …… tháng …… năm 20……"


def _font(run, size: float = SIZE, bold: bool | None = None, italic: bool | None = None,
          underline: bool | None = None) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    if underline is not None:
        run.underline = underline
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def new_document(landscape: bool = False) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(SIZE)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(3)
    return doc


def usable_width(doc) -> int:
    s = doc.sections[0]
    return s.page_width - s.left_margin - s.right_margin


def paragraph(doc_or_cell, text: str = "", size: float = SIZE, bold: bool = False, italic: bool = False,
              align=None, indent_first: bool = False, space_after: float = 3, underline: bool = False):
    p = doc_or_cell.add_paragraph()
    if text:
        _font(p.add_run(text), size, bold, italic, underline)
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    if indent_first:
        p.paragraph_format.first_line_indent = Mm(10)
    return p


def _cell_text(cell, lines, size: float = SIZE, bold: bool = False, italic: bool = False,
               align=WD_ALIGN_PARAGRAPH.CENTER, underline_last: bool = False) -> None:
    cell.paragraphs[0].text = ""
    first = True
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        _font(p.add_run(line), size, bold, italic, underline_last and i == len(lines) - 1)
        p.alignment = align
        p.paragraph_format.space_after = Pt(0)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def national_header(doc, issuer_lines: list[str], place_date: str = BLANK_DATE, number: str = "") -> None:
    """The two-column head of the document: issuing body | quốc hiệu and tiêu ngữ; then the place and date."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    width = usable_width(doc)
    left, right = table.rows[0].cells
    _fixed_widths(table, [int(width * 0.42), int(width * 0.58)])
    left.width, right.width = int(width * 0.42), int(width * 0.58)
    upper = [x.upper() for x in issuer_lines if x]
    _cell_text(left, upper[:-1], size=SIZE - 1) if len(upper) > 1 else None
    if upper:
        p = left.add_paragraph() if len(upper) > 1 else left.paragraphs[0]
        _font(p.add_run(upper[-1]), SIZE - 1, bold=True)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
    if number:
        p = left.add_paragraph()
        _font(p.add_run(number), SIZE)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _cell_text(right, [QUOC_HIEU], size=SIZE - 1, bold=True)
    p = right.add_paragraph()
    _font(p.add_run(TIEU_NGU), SIZE, bold=True, underline=True)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = right.add_paragraph()
    _font(p.add_run(place_date), SIZE, italic=True)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(doc, "")


def title(doc, main: str, subtitle: str = "") -> None:
    paragraph(doc, main.upper(), size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    if subtitle:
        paragraph(doc, subtitle, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    paragraph(doc, "—————", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)


def heading(doc, text: str, level: int = 1) -> None:
    """Part headings in bold capitals ("I. …"), item headings in bold ("1. …")."""
    paragraph(doc, text.upper() if level == 1 else text, bold=True, space_after=4,
              align=WD_ALIGN_PARAGRAPH.JUSTIFY)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _fixed_widths(t, widths: list[int]) -> None:
    """Column widths that Word and LibreOffice both keep: a fixed layout and the grid's widths."""
    t.autofit = False
    for col, w in zip(t.columns, widths):
        col.width = w


def table(doc, headers: list[str], rows: list[list[str]], shares: list[float], size: float = 12) -> None:
    """A bordered table, the header row bold and repeated on each page; ``shares`` of the usable width."""
    t = doc.add_table(rows=1, cols=len(headers))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    width = usable_width(doc)
    widths = [int(width * s / sum(shares)) for s in shares]
    _fixed_widths(t, widths)
    for cell, text, w in zip(t.rows[0].cells, headers, widths):
        _cell_text(cell, [text], size=size, bold=True)
        cell.width = w
    _repeat_header(t.rows[0])
    for values in rows:
        cells = t.add_row().cells
        for i, (cell, text, w) in enumerate(zip(cells, values, widths)):
            align = WD_ALIGN_PARAGRAPH.CENTER if i == 0 else WD_ALIGN_PARAGRAPH.LEFT
            _cell_text(cell, str(text).split("\n"), size=size, align=align)
            cell.width = w
    paragraph(doc, "", space_after=4)


def signature(doc, recipients: list[str], signer_title: str, signer_note: str = "(Ký, ghi rõ họ tên)") -> None:
    t = doc.add_table(rows=1, cols=2)
    _no_borders(t)
    width = usable_width(doc)
    _fixed_widths(t, [width // 2, width - width // 2])
    keep = OxmlElement("w:cantSplit")  # the signature block is never cut across two pages
    t.rows[0]._tr.get_or_add_trPr().append(keep)
    left, right = t.rows[0].cells
    p = left.paragraphs[0]
    _font(p.add_run("Nơi nhận:"), 12, bold=True, italic=True)
    for r in recipients:
        q = left.add_paragraph()
        _font(q.add_run(f"- {r}"), 11)
        q.paragraph_format.space_after = Pt(0)
    _cell_text(right, [signer_title.upper()], size=SIZE, bold=True)
    q = right.add_paragraph()
    _font(q.add_run(signer_note), SIZE, italic=True)
    q.alignment = WD_ALIGN_PARAGRAPH.CENTER


def to_bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
