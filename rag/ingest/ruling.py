"""Ruled tables in a scanned page: the ruling lines found in the page image, the grid they
draw (rows, columns, and which cell borders a row leaves out: a merged group row), and the OCR
words put into its cells by their boxes.

Written by hand with numpy because nothing installed does it for an image: PyMuPDF and
pdfplumber find tables from a PDF's vector drawings, which a scan does not have, and Tesseract
reads words, not cell borders. A ruling line is a long run of dark pixels: a horizontal run
longer than any letter, or a vertical run taller than a line of text.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

INK = 160  # grey level below which a pixel is ink (the scan readers share it: deskew, despeckle)
_H_RUN_IN = 0.5  # inches: a horizontal run at least this long is a rule, not a letter
_V_RUN_IN = 0.2  # inches: a vertical run at least this tall is a rule (a text line is ~0.15 in)
_MERGE_PX = 4  # rule pixels this close belong to one line (a rule is 1-3 px thick)
_ALIGN_IN = 0.08  # two horizontal rules of one table start and end within this of each other
_BORDER_SHARE = 0.7  # a cell border is drawn in a row when this share of its height is ink


@dataclass(frozen=True)
class Grid:
    """A ruled table in pixel coordinates: row and column boundaries, and for each row which of
    the inner column boundaries are drawn (a missing one merges two cells)."""

    ys: tuple[int, ...]
    xs: tuple[int, ...]
    drawn: tuple[tuple[bool, ...], ...]

    @property
    def box(self) -> tuple[int, int, int, int]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def cell_of(self, x: float, y: float) -> tuple[int, int] | None:
        """(row, first column of the merged cell) holding the point, or None outside the grid."""
        x0, y0, x1, y1 = self.box
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            return None
        row = min(int(np.searchsorted(self.ys, y)) - 1, len(self.ys) - 2)
        col = min(int(np.searchsorted(self.xs, x)) - 1, len(self.xs) - 2)
        row, col = max(row, 0), max(col, 0)
        while col > 0 and not self.drawn[row][col - 1]:
            col -= 1  # inside a merged cell: the text belongs to its first column
        return row, col


def _runs(mask: np.ndarray, length: int) -> np.ndarray:
    """The pixels of ``mask`` that lie in a run of at least ``length`` along axis 1."""
    h, w = mask.shape
    if w < length:
        return np.zeros_like(mask)
    cs = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(mask, axis=1, out=cs[:, 1:])
    starts = (cs[:, length:] - cs[:, :-length]) == length  # a full run starts at this pixel
    n = starts.shape[1]
    s = np.zeros((h, n + 1), dtype=np.int32)
    np.cumsum(starts, axis=1, out=s[:, 1:])
    i = np.arange(w)
    # pixel i is covered when a run started at one of the ``length`` pixels up to it
    return (s[:, np.minimum(i, n - 1) + 1] - s[:, np.maximum(i - length + 1, 0)]) > 0


def _groups(positions: np.ndarray) -> list[tuple[int, int]]:
    """Consecutive positions (within _MERGE_PX) as (first, last) ranges."""
    out: list[tuple[int, int]] = []
    for p in positions.tolist():
        if out and p - out[-1][1] <= _MERGE_PX:
            out[-1] = (out[-1][0], p)
        else:
            out.append((p, p))
    return out


def rule_masks(gray: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(horizontal, vertical) rule pixels of a grey page image; None when the page has too few
    horizontal rules to hold a table (most pages: the vertical pass is skipped)."""
    ink = gray < INK
    horizontal = _runs(ink, max(int(_H_RUN_IN * dpi), 8))
    if len(_groups(np.flatnonzero(horizontal.any(axis=1)))) < 3:
        return None
    vertical = _runs(np.ascontiguousarray(ink.T), max(int(_V_RUN_IN * dpi), 8)).T
    return horizontal, vertical


def without_rules(gray: np.ndarray, horizontal: np.ndarray, vertical: np.ndarray) -> np.ndarray:
    """The page with its ruling lines painted white, so OCR reads the cells' words, not the borders."""
    clean = gray.copy()
    rules = horizontal | vertical
    rules[1:, :] |= rules[:-1, :].copy()  # and the anti-aliased pixel beside each rule
    rules[:, 1:] |= rules[:, :-1].copy()
    clean[rules] = 255
    return clean


def find_grids(horizontal: np.ndarray, vertical: np.ndarray, dpi: int) -> list[Grid]:
    """The ruled tables drawn by the rule pixels: horizontal rules of the same extent stacked
    one under another, cut by vertical rules."""
    align = _ALIGN_IN * dpi
    lines = []  # (y, x0, x1) of each horizontal rule
    for first, last in _groups(np.flatnonzero(horizontal.any(axis=1))):
        cols = np.flatnonzero(horizontal[first:last + 1].any(axis=0))
        lines.append(((first + last) // 2, int(cols[0]), int(cols[-1])))
    tables: list[list[tuple[int, int, int]]] = []
    for line in lines:
        home = next((t for t in tables if abs(t[0][1] - line[1]) <= align and abs(t[0][2] - line[2]) <= align), None)
        if home is None:
            tables.append([line])
        else:
            home.append(line)
    grids = []
    for rules in tables:
        if len(rules) < 3:  # a header and one row at least
            continue
        ys = [y for y, _, _ in rules]
        x0, x1 = min(r[1] for r in rules), max(r[2] for r in rules)
        band = vertical[ys[0]:ys[-1] + 1, :]
        xs = [(a + b) // 2 for a, b in _groups(np.flatnonzero(band.any(axis=0)))]
        xs = [x for x in xs if x0 - align <= x <= x1 + align]
        if len(xs) < 2:
            continue
        xs[0], xs[-1] = min(xs[0], x0), max(xs[-1], x1)
        drawn = []
        for top, bottom in zip(ys, ys[1:]):
            inner = slice(top + _MERGE_PX, max(bottom - _MERGE_PX, top + _MERGE_PX + 1))
            row = []
            for x in xs[1:-1]:
                strip = vertical[inner, max(x - _MERGE_PX, 0):x + _MERGE_PX + 1].any(axis=1)
                row.append(bool(strip.size) and bool(strip.mean() >= _BORDER_SHARE))
            drawn.append(tuple(row))
        grids.append(Grid(tuple(ys), tuple(xs), tuple(drawn)))
    return grids


def fill(grid: Grid, words: list[dict]) -> list[list[str]]:
    """The grid's rows of cell texts from OCR words (Tesseract TSV rows: left, top, width,
    height, text); a merged cell's text is in its first column, the others empty."""
    cells: dict[tuple[int, int], list[dict]] = {}
    for w in words:
        text = w["text"].strip()
        if len(text) == 1 and not text.isalnum():
            continue  # a dash for "none", or what is left of a rule
        at = grid.cell_of(int(w["left"]) + int(w["width"]) / 2, int(w["top"]) + int(w["height"]) / 2)
        if at is not None:
            cells.setdefault(at, []).append(w)
    rows = []
    for r in range(len(grid.ys) - 1):
        row = []
        for c in range(len(grid.xs) - 1):
            found = sorted(cells.get((r, c), []), key=lambda w: int(w["top"]))
            lines: list[list[dict]] = []
            for w in found:  # words on one text line of the cell, left to right
                if lines and abs(int(w["top"]) - int(lines[-1][0]["top"])) < 0.6 * int(w["height"]):
                    lines[-1].append(w)
                else:
                    lines.append([w])
            row.append(" ".join(w["text"] for line in lines for w in sorted(line, key=lambda w: int(w["left"]))))
        rows.append(row)
    return rows


_BAND_MIN_IN = 0.05  # inches: a band of ink lower than this is a speck or a rule, not a text line
_BAND_MAX_IN = 0.6  # a taller uncovered band is a picture or a stamp, not a skipped line
_BAND_PAD_PX = 12


def uncovered_bands(gray: np.ndarray, words: list[dict], dpi: int) -> list[tuple[int, int]]:
    """(top, bottom) pixel rows of horizontal bands of ink that no OCR word box touches."""
    ink_rows = (gray < INK).sum(axis=1) > 2
    covered = np.zeros(len(ink_rows), dtype=bool)
    for w in words:
        covered[int(w["top"]):int(w["top"]) + int(w["height"])] = True
    out = []
    for first, last in _groups(np.flatnonzero(ink_rows)):
        height = last - first + 1
        if covered[first:last + 1].any() or not (_BAND_MIN_IN * dpi <= height <= _BAND_MAX_IN * dpi):
            continue
        out.append((max(first - _BAND_PAD_PX, 0), min(last + 1 + _BAND_PAD_PX, len(ink_rows))))
    return out
