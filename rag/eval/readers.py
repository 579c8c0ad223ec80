"""Reads the table of a question set from a CSV or XLSX file into plain rows keyed by column.

What evaluators actually have: spreadsheets saved by Excel or LibreOffice, with Vietnamese or
English headers (``headers.toml``). The file's kind is told from its bytes, not its name, so a PDF
renamed ``.xlsx`` gets a clear message instead of a crash.

- What a file unpacks to is checked before it is parsed (``sheet_limits.py``): the zip directory's
  sizes, then the shared strings and sheets streamed for rows, columns, cells and cell length.
- XLSX is then read with openpyxl in read-only mode (streaming) with ``data_only=True``, bounded to the
  extent the scan found (openpyxl rather than python-calamine, measured in
  eval/reports/benchmark-uploads.md: calamine is ~15x faster but builds the whole sheet in memory and
  aborts the process when memory runs out, where openpyxl streams rows and raises MemoryError): a
  formula cell gives the value the spreadsheet program last calculated and
  saved; nothing is ever evaluated here. A formula that was never calculated (a file written by a
  script, never opened in a spreadsheet program) reads as an empty cell.
- CSV: UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text", with its BOM, tab-separated),
  UTF-32 with its BOM, and Windows-1258 (Excel's plain "CSV" on Vietnamese Windows) are detected; the separator is the
  one of ``,`` ``;`` or tab that the header line uses most. Anything else gets a message that asks
  for "CSV UTF-8". Encoding detection is written here, not left to a general-purpose detector,
  because the three encodings above are all that occur and a generic guess on a short Vietnamese
  file often names the wrong 8-bit code page.
- Text is NFC-normalised (Windows-1258 writes tones as combining marks).
"""
from __future__ import annotations

import csv
import io
import logging
import re
import tomllib
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from rag.eval.sheet_limits import SheetLimitError, SheetLimits, scan_xlsx
from rag.text import VI_LOWER, VI_UPPER, fold

log = logging.getLogger(__name__)

HEADERS_FILE = Path(__file__).with_name("headers.toml")
NUMBERED = ("gold_quote", "gold_plan")  # columns that may repeat as "gold_quote 2", "gold_quote 3", …
_NUMBER_RE = re.compile(r"^(.*?)\s*(\d+)$")
_VI_LETTERS = set(VI_LOWER[3:] + VI_UPPER[3:])  # the non-ASCII letters of Vietnamese (after "a-z")


class QuestionFileError(ValueError):
    """The file as a whole cannot be read; the message is Vietnamese, for the evaluator."""


class TooManyRows(QuestionFileError):
    """More questions than one run takes."""


@dataclass(frozen=True)
class Column:
    name: str  # a key of headers.toml [columns]
    number: int = 1


@dataclass(frozen=True)
class TableRow:
    number: int  # the row number the spreadsheet program shows (the header row counts)
    cells: dict[Column, str]

    def get(self, name: str, number: int = 1) -> str:
        return self.cells.get(Column(name, number), "")


@dataclass
class Table:
    kind: str  # "csv" | "xlsx"
    rows: list[TableRow] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    encoding: str = ""
    sheet: str = ""


@dataclass(frozen=True)
class HeaderNames:
    by_folded: dict[str, str]  # folded header name -> column key
    unanswerable_types: frozenset[str]  # folded values of "type" meaning "the plans do not answer"

    def column(self, header: str) -> Column | None:
        key = fold(header)
        if not key:
            return None
        if key in self.by_folded:
            return Column(self.by_folded[key])
        m = _NUMBER_RE.match(key)
        if m and self.by_folded.get(m.group(1)) in NUMBERED:
            return Column(self.by_folded[m.group(1)], int(m.group(2)))
        return None


@lru_cache(maxsize=1)
def header_names(path: Path = HEADERS_FILE) -> HeaderNames:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    by_folded = {fold(name): key for key, names in data["columns"].items() for name in [key, *names]}
    types = frozenset(fold(t) for t in data.get("unanswerable", {}).get("types", []))
    return HeaderNames(by_folded, types)


def sniff_kind(data: bytes) -> str:
    """'xlsx', 'text', or a QuestionFileError naming what the file is instead."""
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile as exc:
            raise QuestionFileError("Tệp XLSX bị hỏng (không mở được như tệp nén ZIP).") from exc
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names:
            raise QuestionFileError("Đây là bảng tính OpenDocument (.ods); hãy lưu lại thành .xlsx hoặc CSV UTF-8.")
        raise QuestionFileError("Tệp không phải bảng tính: hãy dùng .xlsx, .csv hoặc .jsonl.")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise QuestionFileError("Đây là tệp Excel 97-2003 (.xls); hãy lưu lại thành .xlsx (Excel Workbook).")
    if data.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise QuestionFileError("Tệp không phải bảng tính (có vẻ là PDF hoặc ảnh): hãy dùng .xlsx, .csv hoặc .jsonl.")
    return "text"


def _plausible_vietnamese(text: str) -> bool:
    foreign = [ch for ch in text if ord(ch) > 127 and ch.isalpha() and ch not in _VI_LETTERS]
    return len(foreign) <= max(2, len([ch for ch in text if ord(ch) > 127]) // 20)


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name) for UTF-8 (BOM or not), UTF-16 or UTF-32 with a BOM, or Windows-1258."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # before UTF-16: its BOM starts the same
        try:
            return data.decode("utf-32"), "utf-32"
        except UnicodeDecodeError as exc:
            raise QuestionFileError("Tệp đánh dấu UTF-32 nhưng nội dung hỏng; hãy lưu lại thành CSV UTF-8.") from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise QuestionFileError("Tệp đánh dấu UTF-16 nhưng nội dung hỏng; hãy lưu lại thành CSV UTF-8.") from exc
    if b"\x00" in data[:4096]:
        if _utf16_or_32_without_bom(data[:4096]):
            raise QuestionFileError("Tệp CSV mã hóa UTF-16 hoặc UTF-32 nhưng thiếu dấu BOM ở đầu tệp nên không đọc được; "
                                    "trong Excel hãy chọn Lưu thành → «CSV UTF-8 (Comma delimited)».")
        raise QuestionFileError("Tệp không phải văn bản hay bảng tính (có byte nhị phân): hãy dùng .xlsx, .csv "
                                "hoặc .jsonl.")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        text = ""
    text = unicodedata.normalize("NFC", text)
    if text and _plausible_vietnamese(text):
        return text, "cp1258"
    raise QuestionFileError("Không nhận ra bảng mã của tệp CSV (chỉ đọc được UTF-8, UTF-16 và Windows-1258). "
                            "Trong Excel hãy chọn Lưu thành → «CSV UTF-8 (Comma delimited)».")


def _utf16_or_32_without_bom(head: bytes) -> bool:
    """Mostly ASCII text in a wide encoding: every second or fourth byte is zero."""
    for width in (4, 2):
        zeros = sum(1 for i in range(0, len(head) - width + 1, width) if head[i + 1:i + width] == b"\x00" * (width - 1)
                    or head[i:i + width - 1] == b"\x00" * (width - 1))
        if zeros >= 0.8 * (len(head) // width):
            return True
    return False


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).strip()


def too_many_rows(max_rows: int) -> TooManyRows:
    limit = f"{max_rows:,}".replace(",", ".")  # Vietnamese groups thousands with a dot
    return TooManyRows(f"Tệp có hơn {limit} câu hỏi (giới hạn của một lần đánh giá). "
                       "Hãy chia thành nhiều tệp nhỏ hơn.")


def _rows_to_table(kind: str, raw_rows, max_rows: int, names: HeaderNames) -> Table:
    """``raw_rows``: (row number, list of cell texts). The first non-empty row is the header."""
    table = Table(kind=kind)
    mapping: dict[int, Column] | None = None
    for number, cells in raw_rows:
        if not any(cells):
            continue
        if mapping is None:
            mapping = {}
            for i, header in enumerate(cells):
                col = names.column(header)
                if col is None or col in mapping.values():
                    if header:
                        table.ignored_headers.append(header)
                    continue
                mapping[i] = col
            table.columns = list(mapping.values())
            if Column("question") not in table.columns:
                found = ", ".join(f"«{h}»" for h in cells if h) or "không có"
                raise QuestionFileError(f"Không tìm thấy cột «câu hỏi» (question) ở dòng tiêu đề {number}; "
                                        f"các cột đang có: {found}.")
            continue
        if len(table.rows) >= max_rows:
            raise too_many_rows(max_rows)
        table.rows.append(TableRow(number, {col: cells[i] for i, col in mapping.items() if i < len(cells) and cells[i]}))
    if mapping is None:
        raise QuestionFileError("Tệp không có dòng nào (bảng tính trống).")
    return table


def _bounded_csv_rows(reader, limits: SheetLimits):
    """(row number, cell texts), refused at the first row past the limits (the file size bounds the rest)."""
    for number, cells in enumerate(reader, start=1):
        if number > limits.max_row_number:
            raise limits.too_many_rows(number)
        if len(cells) > limits.max_columns:
            raise limits.too_many_columns(len(cells))
        longest = max((len(c) for c in cells), default=0)
        if longest > limits.max_cell_chars:
            raise limits.too_long(longest)
        yield number, [_cell_text(c) for c in cells]


def read_csv(data: bytes, max_rows: int, names: HeaderNames | None = None, limits: SheetLimits | None = None) -> Table:
    limits = limits or SheetLimits.current()
    text, encoding = decode_text(data)
    text = unicodedata.normalize("NFC", text)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max([",", ";", "\t"], key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        table = _rows_to_table("csv", _bounded_csv_rows(reader, limits), max_rows, names or header_names())
    except SheetLimitError as exc:
        raise QuestionFileError(str(exc)) from None
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):  # the csv module's own cap, above ours
            raise QuestionFileError(f"Một ô của tệp CSV dài hơn {limits.max_cell_chars} ký tự; không đọc tệp này.") \
                from None
        raise QuestionFileError(f"Tệp CSV không đúng định dạng: {exc}") from exc
    table.encoding = encoding
    return table


def read_xlsx(data: bytes, max_rows: int, names: HeaderNames | None = None, limits: SheetLimits | None = None) -> Table:
    import openpyxl

    names = names or header_names()
    try:
        scan = scan_xlsx(data, limits or SheetLimits.current())  # before openpyxl unpacks anything
    except SheetLimitError as exc:
        raise QuestionFileError(str(exc)) from None
    except zipfile.BadZipFile as exc:
        raise QuestionFileError("Tệp XLSX bị hỏng (không mở được như tệp nén ZIP).") from exc
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        log.warning("openpyxl could not open the workbook: %s", exc)
        raise QuestionFileError("Không mở được tệp XLSX (tệp hỏng hoặc không phải bảng tính Excel).") from exc
    try:
        first_error: QuestionFileError | None = None
        for sheet in book.worksheets:
            extent = scan.extents.get(str(getattr(sheet, "_worksheet_path", "")).lstrip("/"))
            if extent is None or not extent.rows or not extent.columns:
                first_error = first_error or QuestionFileError("Tệp không có dòng nào (bảng tính trống).")
                continue
            # bounded to the cells the scan found: openpyxl would pad out to the <dimension> the file claims
            rows = ((n, [_cell_text(v) for v in values]) for n, values in enumerate(
                sheet.iter_rows(min_row=1, max_row=extent.rows, min_col=1, max_col=extent.columns,
                                values_only=True), start=1))
            try:
                table = _rows_to_table("xlsx", rows, max_rows, names)
            except TooManyRows:
                raise
            except QuestionFileError as exc:  # e.g. an instructions sheet first: try the next sheet
                first_error = first_error or exc
                continue
            table.sheet = sheet.title
            return table
        raise first_error or QuestionFileError("Tệp XLSX không có trang tính nào.")
    finally:
        book.close()


def read_table(data: bytes, max_rows: int, limits: SheetLimits | None = None) -> Table:
    """A CSV or XLSX question table (the caller has told it is not JSON Lines)."""
    if sniff_kind(data) == "xlsx":
        return read_xlsx(data, max_rows, limits=limits)
    return read_csv(data, max_rows, limits=limits)
