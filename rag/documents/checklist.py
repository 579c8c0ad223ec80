"""A checklist by audience as a printable DOCX: one section per school level (or for families), each line
with a box to tick, the deadline the plan states and its source (plan, clause address)."""
from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH

from rag.audience.checklist import Checklist
from rag.documents import style

HEADERS = ["TT", "Việc cần làm (nguyên văn kế hoạch)", "Thời hạn", "Nguồn", "Đã làm"]
_SHARES = [6, 58, 14, 15, 7]
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def checklist_docx(checklist: Checklist, issuer: str = "") -> bytes:
    doc = style.new_document()
    style.national_header(doc, [issuer] if issuer else ["……………………"])
    style.title(doc, "Danh mục việc cần làm", checklist.title)
    plans = sorted({x.citation.split(",")[0] for x in checklist.lines})
    style.paragraph(doc, f"Tổng hợp từ: {'; '.join(plans) if plans else 'không có kế hoạch nào nêu'}. Mỗi dòng ghi "
                         f"nguyên văn điều khoản và địa chỉ của nó trong kế hoạch.", indent_first=True,
                    align=WD_ALIGN_PARAGRAPH.JUSTIFY, italic=True)
    n = 0
    for section in checklist.sections:
        lines = checklist.in_section(section.key)
        if not lines:
            continue
        style.heading(doc, f"{_ROMAN[n] if n < len(_ROMAN) else n + 1}. {section.title} ({len(lines)})")
        n += 1
        rows = [[str(i), x.text, x.deadline.text if x.deadline.stated else "Không nêu", x.citation, "☐"]
                for i, x in enumerate(lines, start=1)]
        style.table(doc, HEADERS, rows, _SHARES)
    if n == 0:
        style.paragraph(doc, "Các kế hoạch đã chọn không nêu việc nào cho đối tượng này.", indent_first=True)
    return style.to_bytes(doc)
