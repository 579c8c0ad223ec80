"""A scanned PDF (pages are images, no text layer) → plan text, by Tesseract with its
Vietnamese model, run directly: each page is rendered by PyMuPDF, Tesseract returns words
with positions (TSV), and the words become lines for ``layout.assemble`` — the same header,
footer and re-flow rules as a text PDF. A ruled table (an appendix of tasks) is found from its
ruling lines in the image (``ruling``); its lines are painted out before OCR and the words are
put back into its cells by their boxes, so its rows keep lead, partners and deadline apart.

Direct calls rather than OCRmyPDF: the product needs the text, not a searchable PDF, and
OCRmyPDF would add Ghostscript and a second extraction pass for the same Tesseract result.
"""
from __future__ import annotations

import csv
import io
import logging
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rag.ingest.deskew import straighten
from rag.ingest.despeckle import despeckle
from rag.ingest.document import ExtractedText, SourceKind
from rag.ingest.errors import IngestError
from rag.ingest.layout import Page, PageItem, assemble, drop_running_lines
from rag.ingest.ruling import Grid, fill, find_grids, rule_masks, uncovered_bands, without_rules

log = logging.getLogger(__name__)

INSTALL_HINT = "sudo apt-get install tesseract-ocr tesseract-ocr-vie"
PageProgress = Callable[[int, int], None]
_COLUMN_GAP = 3.0  # a gap between words wider than this many word heights separates two columns
_BAND_PSM = "11"  # a band of ink the page pass skipped is read again as sparse text (6 also skips it)
_BAND_PSM_BLOCK = "6"  # a table's number column, read again as one block
_NUMBER_COLUMN = 0.15  # a first column narrower than this share of the table is a number column
_RULE_INSET = 6  # pixels kept off a cell's borders when cropping it
_BAND_BLOCK = 10_000  # block numbers of those words, apart from the page pass's blocks


def _save(fitz, gray, path: Path) -> None:
    import numpy as np

    gray = np.ascontiguousarray(gray)
    fitz.Pixmap(fitz.csGRAY, gray.shape[1], gray.shape[0], gray.tobytes(), False).save(path)


class OcrEngine:
    def __init__(self, language: str = "vie", dpi: int = 300, binary: str = "tesseract", tables: bool = True,
                 straighten: bool = True, despeckle: bool = True) -> None:
        self.language = language
        self.dpi = dpi
        self.binary = binary
        self.tables = tables  # rebuild ruled tables from the image (False: the previous design, for the benchmark)
        self.straighten = straighten  # turn a skewed page straight first (deskew.py; False: the previous design)
        self.despeckle = despeckle  # clean a speckled page first (despeckle.py; False: the previous design)

    def missing(self) -> str | None:
        """None when OCR can run, else what is missing (English, for logs)."""
        exe = shutil.which(self.binary)
        if exe is None:
            return "tesseract is not installed"
        try:
            out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError) as exc:
            return f"tesseract does not run ({exc})"
        langs = {ln.strip() for ln in (out.stdout + out.stderr).splitlines()}
        if self.language not in langs:
            return f"tesseract has no '{self.language}' language model"
        return None

    def require(self, name: str) -> None:
        why = self.missing()
        if why:
            log.warning("cannot OCR %s: %s", name, why)
            raise IngestError(f"Tệp «{name}» là bản quét (không có lớp chữ) nhưng máy chưa cài OCR tiếng Việt; "
                              f"cài bằng: {INSTALL_HINT}", "ocr-missing")

    @staticmethod
    def _item(words: list[dict], scale: float) -> PageItem:
        x0 = min(int(w["left"]) for w in words) * scale
        y0 = min(int(w["top"]) for w in words) * scale
        x1 = max(int(w["left"]) + int(w["width"]) for w in words) * scale
        y1 = max(int(w["top"]) + int(w["height"]) for w in words) * scale
        return PageItem(" ".join(w["text"] for w in words), y0, y1, x0, x1)

    def _render(self, fitz, pg, image: Path):
        """Write the page image to OCR (ruling lines painted out); returns the ruled tables on it
        and the grey image that was written."""
        import numpy as np

        pix = pg.get_pixmap(dpi=self.dpi, colorspace=fitz.csGRAY)
        gray = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)[:, :pix.width]
        if self.straighten:
            gray, angle = straighten(gray, self.dpi)
            if angle:
                log.info("page %d turned %.2f° to straighten it", pg.number + 1, angle)
        if self.despeckle:
            gray, found = despeckle(gray, self.dpi)
            if found:
                log.info("page %d: %d specks removed before OCR", pg.number + 1, found)
        masks = rule_masks(gray, self.dpi) if self.tables else None
        grids = find_grids(*masks, self.dpi) if masks else []
        if grids:
            gray = np.ascontiguousarray(without_rules(gray, *masks))
        _save(fitz, gray, image)
        return grids, gray

    def _words(self, image: Path, psm: str) -> list[dict]:
        out = subprocess.run([self.binary, str(image), "stdout", "-l", self.language, "--psm", psm, "tsv"],
                             capture_output=True, text=True, timeout=300)
        if out.returncode != 0:
            raise RuntimeError(f"tesseract failed: {out.stderr.strip()[:200]}")
        return [row for row in csv.DictReader(io.StringIO(out.stdout), delimiter="\t", quoting=csv.QUOTE_NONE)
                if row.get("level") == "5" and (row.get("text") or "").strip()]

    def _missed(self, fitz, gray, words: list[dict], image: Path) -> list[dict]:
        """Words of ink bands the page pass left without any word (Tesseract's layout analysis
        sometimes skips a line, e.g. a bold title-block line): each such band read again on its own."""
        found: list[dict] = []
        for k, (top, bottom) in enumerate(uncovered_bands(gray, words, self.dpi)):
            crop = image.with_name(f"{image.stem}-band{k}.png")
            _save(fitz, gray[top:bottom], crop)
            for w in self._words(crop, _BAND_PSM):
                found.append({**w, "top": str(int(w["top"]) + top),
                              "block_num": str(_BAND_BLOCK * (k + 1) + int(w["block_num"]))})
        return found

    def _number_column(self, fitz, gray, grid: Grid, image: Path) -> list[str]:
        """A table's narrow first column ("STT": 1, 2 … I, II) read again as one strip: the page
        pass drops lone short numbers in small cells. One text per grid row ("" when none)."""
        top, left = grid.ys[0], grid.xs[0] + _RULE_INSET
        _save(fitz, gray[top:grid.ys[-1], left:grid.xs[1] - _RULE_INSET], image)
        rows = [[] for _ in grid.ys[1:]]
        for w in self._words(image, _BAND_PSM_BLOCK):
            text = w["text"].strip()
            if len(text) == 1 and not text.isalnum():
                continue
            cy = top + int(w["top"]) + int(w["height"]) / 2
            at = grid.cell_of(grid.xs[0] + 1, cy)
            if at is not None:
                rows[at[0]].append(text)
        return [" ".join(r) for r in rows]

    def _page(self, image: Path, grids: list[Grid] = (), fitz=None, gray=None) -> Page:
        words = self._words(image, "3")
        if gray is not None:
            words += self._missed(fitz, gray, words, image)
        lines: dict[tuple, list[dict]] = {}
        in_table: dict[int, list[dict]] = {}
        for row in words:
            cx, cy = int(row["left"]) + int(row["width"]) / 2, int(row["top"]) + int(row["height"]) / 2
            table = next((k for k, g in enumerate(grids) if g.cell_of(cx, cy) is not None), None)
            if table is not None:
                in_table.setdefault(table, []).append(row)
                continue
            key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
            lines.setdefault(key, []).append(row)
        items = []
        scale = 72.0 / self.dpi  # pixels → points, as the text layer is measured
        for k, grid in enumerate(grids):
            x0, y0, x1, y1 = grid.box
            rows = fill(grid, in_table.get(k, []))
            if gray is not None and grid.xs[1] - grid.xs[0] < _NUMBER_COLUMN * (x1 - x0):
                numbers = self._number_column(fitz, gray, grid, image.with_name(f"{image.stem}-t{k}.png"))
                for row, number in zip(rows, numbers):
                    row[0] = number or row[0]
            items.append(PageItem("", y0 * scale, y1 * scale, x0 * scale, x1 * scale, rows=rows))
        for words in lines.values():
            words.sort(key=lambda w: int(w["left"]))
            height = sorted(int(w["height"]) for w in words)[len(words) // 2]
            run: list[dict] = []
            for word in words:  # a wide gap inside a line separates two columns (issuer | national motto)
                if run and int(word["left"]) - (int(run[-1]["left"]) + int(run[-1]["width"])) > _COLUMN_GAP * height:
                    items.append(self._item(run, scale))
                    run = []
                run.append(word)
            items.append(self._item(run, scale))
        items.sort(key=lambda i: (i.y0, i.x0))
        return Page(items)

    def run(self, path: Path, progress: PageProgress | None = None) -> ExtractedText:
        from rag.ingest.pymupdf_lib import pymupdf
        fitz = pymupdf()

        self.require(Path(path).name)
        started = time.perf_counter()
        pages: list[Page] = []
        with fitz.open(path) as doc, tempfile.TemporaryDirectory(prefix="rag-ocr-") as tmp:
            total = doc.page_count
            for n, pg in enumerate(doc, start=1):
                image = Path(tmp) / f"page-{n}.png"
                grids, gray = self._render(fitz, pg, image)
                try:
                    pages.append(self._page(image, grids, fitz, gray))
                except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
                    log.exception("OCR of page %d of %s failed", n, path)
                    raise IngestError(f"Không nhận dạng được chữ ở trang {n} của «{Path(path).name}».",
                                      "ocr-failed") from exc
                if progress:
                    progress(n, total)
        dropped = drop_running_lines(pages)
        text = assemble(pages)
        return ExtractedText(text=text, kind=SourceKind.PDF, pages=len(pages), ocr=True, dropped_lines=dropped,
                             notes=(f"OCR ({self.language}, {self.dpi} dpi)",), seconds=time.perf_counter() - started)
