"""What a question file may unpack to, checked before any spreadsheet library reads it.

An XLSX is a zip of XML parts, and what it unpacks to has nothing to do with its size: the probe's
1.5 MB file held one 1.5 GB shared string (3 GB of memory in openpyxl), a 112 KB file had 1 M
columns (934 MB, 15 MB of markdown back), and a small one had 1 M blank rows (56 s of CPU). So:

1. from the zip directory alone, before anything is unpacked: the number of parts, the total and
   the per-part uncompressed size (``check_zip``);
2. the shared strings and every worksheet are then streamed through expat (``iterparse``, each
   element cleared as soon as it is read, so memory stays flat) and refused at the first cell past
   the last allowed row or column, the first string longer than a cell may hold, or past the
   allowed number of cells (``scan_xlsx``). The scan returns the real extent of each sheet, which
   the reader then passes to openpyxl so it never pads rows or columns out to a ``<dimension>``
   the file merely claims.

CSV is bounded by the file size (``MAX_FILE_BYTES``) and checked row by row for columns, cell length
and row count as it is read (``readers.read_csv``). Every refusal is one Vietnamese sentence
(QuestionFileError). Defaults are in ``rag/config.py`` (``sheet_*``).
"""
from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import iterparse

log = logging.getLogger(__name__)

_MB = 1024 * 1024
_REF_RE = re.compile(r"^\$?([A-Za-z]{1,7})\$?(\d{1,9})$")


def _n(number: float) -> str:
    """A number as Vietnamese writes it: thousands grouped with a dot."""
    return f"{number:,.0f}".replace(",", ".")


class SheetLimitError(ValueError):
    """Refused before reading; the message is Vietnamese. (A QuestionFileError to callers: readers.py
    re-raises it as one, so this module has no import of the reader.)"""


@dataclass(frozen=True)
class SheetLimits:
    max_unzipped_mb: int = 50  # all parts together
    max_part_mb: int = 20  # one part (a worksheet, the shared strings)
    max_parts: int = 500
    max_columns: int = 100  # a question set has a dozen columns
    max_row_number: int = 20_000  # the last row a cell may be on, blank rows included
    max_cells: int = 400_000  # non-empty cells and shared strings, each counted
    max_cell_chars: int = 32_767  # what Excel itself allows in one cell

    @classmethod
    def from_settings(cls, settings) -> "SheetLimits":
        return cls(max_unzipped_mb=settings.sheet_max_unzipped_mb, max_part_mb=settings.sheet_max_part_mb,
                   max_columns=settings.sheet_max_columns, max_row_number=settings.sheet_max_row_number,
                   max_cells=settings.sheet_max_cells, max_cell_chars=settings.sheet_max_cell_chars)

    @classmethod
    def current(cls) -> "SheetLimits":
        """From the configuration (``rag.toml``, ``RAG_SHEET_*``)."""
        from rag.config import load_settings

        return cls.from_settings(load_settings())

    # the messages, shared by the XLSX scan and the CSV reader
    def too_many_columns(self, column: int) -> SheetLimitError:
        return SheetLimitError(f"Bảng tính có ô ở cột thứ {_n(column)} (tối đa {self.max_columns} cột cho một bộ câu "
                               "hỏi); hãy xóa các cột thừa rồi tải lên lại.")

    def too_many_rows(self, row: int) -> SheetLimitError:
        return SheetLimitError(f"Bảng tính có dòng số {_n(row)} (tối đa {_n(self.max_row_number)} dòng, kể cả dòng "
                               "trống); hãy xóa các dòng thừa rồi tải lên lại.")

    def too_many_cells(self) -> SheetLimitError:
        return SheetLimitError(f"Bảng tính có hơn {_n(self.max_cells)} ô có nội dung, quá lớn cho một bộ câu hỏi.")

    def too_long(self, chars: int) -> SheetLimitError:
        return SheetLimitError(f"Một ô của bảng tính dài {_n(chars)} ký tự (tối đa {_n(self.max_cell_chars)}); "
                               "không đọc tệp này.")


@dataclass
class SheetExtent:
    """The real last row and column with a cell, per worksheet part."""

    rows: int = 0
    columns: int = 0


@dataclass
class XlsxScan:
    extents: dict[str, SheetExtent] = field(default_factory=dict)  # part name -> extent
    cells: int = 0


def check_zip(zf: zipfile.ZipFile, limits: SheetLimits) -> list[zipfile.ZipInfo]:
    """Sizes from the zip directory; nothing is unpacked."""
    infos = zf.infolist()
    if len(infos) > limits.max_parts:
        raise SheetLimitError(f"Tệp XLSX có {len(infos)} phần (tối đa {limits.max_parts}); không đọc.")
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped_mb * _MB:
        log.warning("xlsx refused: unpacks to %d bytes", total)
        raise SheetLimitError(f"Tệp XLSX giải nén ra {_n(total / _MB)} MB, vượt giới hạn {limits.max_unzipped_mb} MB "
                              "của một bộ câu hỏi (nghi là «bom zip»); không đọc.")
    for info in infos:
        if info.file_size > limits.max_part_mb * _MB:
            log.warning("xlsx refused: part %s unpacks to %d bytes", info.filename, info.file_size)
            raise SheetLimitError(f"Phần «{info.filename[:80]}» của tệp XLSX giải nén ra "
                                  f"{_n(info.file_size / _MB)} MB, vượt giới hạn {limits.max_part_mb} MB; không đọc.")
    return infos


def column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _scan_strings(stream, limits: SheetLimits, scan: XlsxScan) -> None:
    """Shared strings: each ``<si>`` is a cell text (its ``<t>`` runs together)."""
    root = None
    for event, elem in iterparse(stream, events=("start", "end")):
        if root is None:
            root = elem
        if event == "start":
            continue
        tag = _local(elem.tag)
        if tag == "t" and elem.text and len(elem.text) > limits.max_cell_chars:
            raise limits.too_long(len(elem.text))
        if tag == "si":
            length = sum(len(t.text or "") for t in elem.iter() if _local(t.tag) == "t")
            if length > limits.max_cell_chars:
                raise limits.too_long(length)
            scan.cells += 1
            if scan.cells > limits.max_cells:
                raise limits.too_many_cells()
            root.clear()  # the strings read so far are no longer kept


def _scan_sheet(stream, limits: SheetLimits, scan: XlsxScan) -> SheetExtent:
    """Cells by their ``r`` reference, or counted along the row when it is missing (both are valid)."""
    extent = SheetExtent()
    row = column = 0
    data = None
    for event, elem in iterparse(stream, events=("start", "end")):
        tag = _local(elem.tag)
        if event == "start":
            if tag == "sheetData":
                data = elem
            elif tag == "row":
                r = elem.get("r")
                row = int(r) if r and r.isdigit() else row + 1
                column = 0
                if row > limits.max_row_number:
                    raise limits.too_many_rows(row)
            elif tag == "c":
                m = _REF_RE.match(elem.get("r") or "")
                column = column_number(m.group(1)) if m else column + 1
                if column > limits.max_columns:
                    raise limits.too_many_columns(column)
                if m and int(m.group(2)) > limits.max_row_number:
                    raise limits.too_many_rows(int(m.group(2)))
            continue
        if tag in ("v", "t") and elem.text and len(elem.text) > limits.max_cell_chars:
            raise limits.too_long(len(elem.text))
        if tag == "c":
            if len(elem):  # a cell with a value (an empty <c/> only carries a style)
                scan.cells += 1
                if scan.cells > limits.max_cells:
                    raise limits.too_many_cells()
                extent.rows = max(extent.rows, row)
                extent.columns = max(extent.columns, column)
            elem.clear()
        elif tag == "row" and data is not None:
            data.clear()  # the rows read so far are no longer kept
        elif tag == "sheetData":
            break  # what follows (merged cells, print settings) holds no values
    return extent


def scan_xlsx(data: bytes, limits: SheetLimits) -> XlsxScan:
    """Check an XLSX against ``limits`` before it is parsed; SheetLimitError on the first excess."""
    scan = XlsxScan()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = check_zip(zf, limits)
        names = {i.filename for i in infos}
        try:
            if "xl/sharedStrings.xml" in names:
                with zf.open("xl/sharedStrings.xml") as fh:
                    _scan_strings(fh, limits, scan)
            for name in sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")):
                with zf.open(name) as fh:
                    scan.extents[name] = _scan_sheet(fh, limits, scan)
        except SyntaxError as exc:  # expat's ParseError: a damaged part
            log.warning("xlsx part is not well-formed XML: %s", exc)
            raise SheetLimitError("Tệp XLSX bị hỏng (một phần XML đọc không được).") from exc
    return scan
