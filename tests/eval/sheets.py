"""Question files as evaluators make them: XLSX written with openpyxl (plus a formula cell whose value
was cached by a spreadsheet program), CSV in the encodings Excel writes."""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Vietnamese the way Windows-1258 stores it: letters precomposed where the code page has them,
    tones as combining marks (Python's codec alone refuses most accented letters)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append((base + "".join(c for c in parts if c in _TONES)).encode("cp1258"))
    return b"".join(out)


def xlsx_bytes(rows: list[list], sheets: dict[str, list[list]] | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Câu hỏi"
    for row in rows:
        book.active.append(row)
    for name, extra in (sheets or {}).items():
        sheet = book.create_sheet(name)
        for row in extra:
            sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def with_cached_formula_values(data: bytes, values: dict[str, str]) -> bytes:
    """Give formula cells (by address, e.g. "B2") the value a spreadsheet program would have saved."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = content.decode("utf-8")
                for address, value in values.items():
                    xml = re.sub(rf'<c r="{address}"><f>(.*?)</f>(?:<v\s*/>|<v></v>)',
                                 lambda m: f'<c r="{address}" t="str"><f>{m.group(1)}</f><v>{value}</v>', xml)
                content = xml.encode("utf-8")
            dst.writestr(item, content)
    return out.getvalue()
