"""A PDF with a text layer → plan text, through one of three libraries (measured against
each other in ``eval/bench_ingest.py``; the default is the best measured, see
``eval/reports/ingest.md``). Each backend gives page lines with positions and tables with
cells; ``layout.assemble`` does the rest the same way for all three."""
from __future__ import annotations

import logging
import re
import time
from pathlib import Path

from rag.ingest.document import ExtractedText, SourceKind
from rag.ingest.errors import IngestError
from rag.ingest.layout import Page, PageItem, assemble, drop_running_lines

log = logging.getLogger(__name__)

BACKENDS = ("pymupdf", "pdfplumber", "pypdf")
MIN_CHARS_PER_PAGE = 40  # below this on average, the PDF is a scan (images of pages)
_SPAN_GAP = 12.0  # points between two spans of one line; a wider gap is another column
_MARKER_GAP = 80.0  # "1." then a tab then the heading: still one line
_BARE_MARKER_RE = re.compile(r"^(?:\(?\d{1,2}(?:\.\d{1,2})*[.)]?|[IVX]{1,5}\.|[a-zđ][.)]|[A-HĐ]\.|[-–•+*])$")


def _inside(box, x0, y0, x1, y1) -> bool:
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return box[0] - 1 <= cx <= box[2] + 1 and box[1] - 1 <= cy <= box[3] + 1


def _merge_same_row(items: list[PageItem]) -> list[PageItem]:
    """Spans printed on one baseline (e.g. a tab between number and title) are one line."""
    out: list[PageItem] = []
    for it in sorted(items, key=lambda i: (round(i.y0), i.x0)):
        last = out[-1] if out else None
        gap = _MARKER_GAP if last is not None and _BARE_MARKER_RE.match(last.text.strip()) else _SPAN_GAP
        if last is not None and not last.is_table and not it.is_table and abs(last.y0 - it.y0) < 2 \
                and last.x1 - 1 <= it.x0 <= last.x1 + gap:
            last.text = f"{last.text} {it.text}"
            last.x1, last.y1 = it.x1, max(last.y1, it.y1)
        else:
            out.append(it)
    return out


def _pymupdf_rows(pg, table) -> list[list[str]]:
    """Cell text read from each cell's rectangle: in reading order, with its spaces."""
    rows = []
    for row in table.rows:
        cells = []
        for box in row.cells:
            cells.append(" ".join(pg.get_text("text", clip=box).split()) if box else "")
        rows.append(cells)
    return rows


def _find_tables(pg):
    """Ruled tables from the page's lines. PyMuPDF 2 would first run its ONNX layout model
    (about 2 s a page here); the plans' task tables are ruled, so the line finder is enough."""
    try:
        return pg.find_tables(use_layout=False)
    except TypeError:  # PyMuPDF 1.x has no layout model and no such option
        return pg.find_tables()


def _pages_pymupdf(path: Path) -> tuple[list[Page], int]:
    from rag.ingest.pymupdf_lib import pymupdf
    fitz = pymupdf()

    pages, lost = [], 0
    with fitz.open(path) as doc:
        for pg in doc:
            # the table finder is the slow part: only pages with ruling lines can hold a ruled table
            ruled = any(d.get("items") for d in pg.get_drawings())
            tables = list(_find_tables(pg).tables) if ruled else []
            boxes = [t.bbox for t in tables]
            items = [PageItem("", t.bbox[1], t.bbox[3], t.bbox[0], t.bbox[2], rows=_pymupdf_rows(pg, t))
                     for t in tables]
            for block in pg.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    spans = [s for s in line["spans"] if s["text"].strip()]
                    text = "".join(s["text"] for s in line["spans"])
                    if not spans:
                        continue
                    x0, y0, x1, y1 = line["bbox"]
                    if any(_inside(b, x0, y0, x1, y1) for b in boxes):
                        continue
                    lost += text.count("\ufffd")
                    bold = all(s["flags"] & 16 or "bold" in s["font"].lower() for s in spans)
                    items.append(PageItem(text.strip(), y0, y1, x0, x1, bold=bold))
            pages.append(Page(_merge_same_row(items), pg.rect.height))
    return pages, lost


def _pages_pdfplumber(path: Path) -> tuple[list[Page], int]:
    import pdfplumber

    pages, lost = [], 0
    with pdfplumber.open(path) as pdf:
        for pg in pdf.pages:
            tables = pg.find_tables()
            boxes = [t.bbox for t in tables]
            items = [PageItem("", t.bbox[1], t.bbox[3], t.bbox[0], t.bbox[2], rows=t.extract()) for t in tables]
            for line in pg.extract_text_lines(strip=True):
                x0, y0, x1, y1 = line["x0"], line["top"], line["x1"], line["bottom"]
                if any(_inside(b, x0, y0, x1, y1) for b in boxes):
                    continue
                lost += line["text"].count("(cid:") + line["text"].count("\ufffd")
                bold = all("bold" in c.get("fontname", "").lower() for c in line.get("chars", []) if c["text"].strip())
                items.append(PageItem(line["text"], y0, y1, x0, x1, bold=bold))
            pages.append(Page(_merge_same_row(items), float(pg.height)))
    return pages, lost


def _pages_pypdf(path: Path) -> tuple[list[Page], int]:
    """pypdf has no positions and no tables: its lines as they come."""
    from pypdf import PdfReader

    pages, lost = [], 0
    for pg in PdfReader(str(path)).pages:
        text = pg.extract_text() or ""
        lost += text.count("\ufffd")
        pages.append(Page([PageItem(t.strip()) for t in text.split("\n") if t.strip()]))
    return pages, lost


_READERS = {"pymupdf": _pages_pymupdf, "pdfplumber": _pages_pdfplumber, "pypdf": _pages_pypdf}


def text_layer_chars(path: Path) -> tuple[int, int]:
    """(characters in the text layer, pages): a quick look to tell a scan from a text PDF."""
    from rag.ingest.pymupdf_lib import pymupdf
    fitz = pymupdf()

    with fitz.open(path) as doc:
        return sum(len(pg.get_text("text").strip()) for pg in doc), doc.page_count


class PdfExtractor:
    def __init__(self, backend: str = "pymupdf") -> None:
        if backend not in _READERS:
            raise ValueError(f"unknown PDF backend {backend!r}: use one of {', '.join(BACKENDS)}")
        self.backend = backend

    def run(self, path: Path) -> ExtractedText:
        started = time.perf_counter()
        try:
            pages, lost = _READERS[self.backend](Path(path))
        except IngestError:
            raise
        except Exception as exc:
            log.exception("%s could not read %s", self.backend, path)
            raise IngestError(f"Tệp PDF «{Path(path).name}» bị hỏng, không đọc được nội dung.", "damaged") from exc
        empty_pages = sum(1 for p in pages if not any(it.text.strip() or it.is_table for it in p.items))
        dropped = drop_running_lines(pages)
        text = assemble(pages)
        notes = (f"{empty_pages} page(s) without text",) if empty_pages else ()
        return ExtractedText(text=text, kind=SourceKind.PDF, pages=len(pages), lost_chars=lost,
                             dropped_lines=dropped, notes=notes, seconds=time.perf_counter() - started)
