"""The timeline as a spreadsheet: one row a task, the plan's wording of the deadline beside its parsed value.

Text cells are stored as text (``data_type = "s"``), so a task that starts with "=" or "-" is never run as a
formula by a spreadsheet program.
"""
from __future__ import annotations

import io

from rag.schedule.timeline import TimelineRow

HEADERS = ["Kế hoạch", "Điều khoản", "Loại", "Nhiệm vụ", "Cơ quan chủ trì / thực hiện", "Cơ quan phối hợp",
           "Vai trò", "Thời hạn (nguyên văn)", "Loại thời hạn", "Thời hạn (đã đọc)", "Từ ngày", "Đến ngày",
           "Hạn gần nhất"]
WIDTHS = [22, 11, 14, 70, 30, 30, 11, 28, 14, 30, 11, 11, 12]


def row_values(row: TimelineRow) -> list:
    t, d = row.task, row.task.deadline
    return [t.plan_name, t.address, t.source.label, t.text, t.lead_names, t.partner_names, row.role or "",
            d.text, d.kind.label, d.describe() if d.stated else "", d.start, d.end, row.next_due]


def timeline_xlsx(rows: list[TimelineRow], title: str = "Lịch thực hiện") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row_values(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
            elif cell.value is not None and cell.column >= 11:
                cell.number_format = "DD/MM/YYYY"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
