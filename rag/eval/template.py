"""The empty question-set template (`rag eval --template xlsx|csv`): the columns ``dataset`` reads,
with Vietnamese headers, one example row, and (XLSX) a sheet that explains each column.
The columns, their meaning and the example row are data (``headers.toml`` [template])."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from rag.eval.dataset import DEFAULT_MAX_ROWS
from rag.eval.readers import HEADERS_FILE
from rag.sheets import append_row, csv_bytes, new_workbook, workbook_bytes, write_atomic

KINDS = ("xlsx", "csv")


@dataclass(frozen=True)
class TemplateColumn:
    key: str  # the column key of headers.toml
    header: str  # the header written (Vietnamese)
    help: str


def template_columns(path: Path = HEADERS_FILE) -> tuple[list[TemplateColumn], dict[str, str]]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)["template"]
    return [TemplateColumn(*row) for row in data["headers"]], dict(data["example"])


atomic_write = write_atomic  # kept for callers of the old name


def template_bytes(kind: str) -> bytes:
    if kind not in KINDS:
        raise ValueError(f"unknown template kind {kind!r}: use xlsx or csv")
    columns, example = template_columns()
    headers = [c.header for c in columns]
    row = [example.get(c.key, "") for c in columns]
    if kind == "csv":
        return csv_bytes(headers, [row])

    from openpyxl.styles import Font

    book = new_workbook()
    sheet = book.active
    sheet.title = "Câu hỏi"
    append_row(sheet, headers, bold=True, wrap=False)
    append_row(sheet, row)
    for letter, width in zip("ABCDEFGH", (10, 60, 16, 40, 50, 18, 40, 16)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Tên tiếng Anh (cũng được chấp nhận)", "Ý nghĩa"])
    for c in columns:
        guide.append([c.header, c.key, c.help])
    guide.append([])
    limit = f"{DEFAULT_MAX_ROWS:,}".replace(",", ".")
    guide.append(["", "", f"Tối đa {limit} câu hỏi một tệp. Dòng thiếu câu hỏi, trùng id hoặc ghi kế hoạch "
                          "không có sẽ được liệt kê theo số dòng trong báo cáo; các dòng khác vẫn chạy."])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 22
    guide.column_dimensions["C"].width = 100
    return workbook_bytes(book)


def write_template(kind: str, out: Path) -> Path:
    return atomic_write(out, template_bytes(kind))
