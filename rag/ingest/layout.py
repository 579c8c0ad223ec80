"""Page content → plan text, shared by the PDF text layer and OCR: running headers, footers
and page numbers dropped, hard line breaks re-flowed, tables written as ``| … |`` rows.

A table continued on the next page (its header row repeated) comes out as consecutive rows
once the footer and header between them are gone; the parser's table reader drops the
repeated header and carries a row split by the page break on (an empty number cell).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rag.structure.markers import read_marker

_PAGE_NUMBER_RE = re.compile(r"^(?:[-–]\s*)?(?:Trang|Page)?\s*\d{1,4}(?:\s*(?:/|trên|of)\s*\d{1,4})?(?:\s*[-–])?$",
                             re.I)
_ENDS_SENTENCE_RE = re.compile(r"[.;:!?…”\"]\s*$")
_STARTS_UPPER_RE = re.compile(r"^[A-ZÀ-ỸĐ“\"(]")
_EDGE_LINES = 2  # lines looked at on top and bottom of each page for running headers/footers
_FULL_LINE = 0.2  # a line ending within this share of the text width from the right margin was wrapped


@dataclass
class PageItem:
    """One line of text, or one table, on a page. Coordinates in points from the top-left;
    ``x1 < 0`` when the extractor gives no positions."""

    text: str
    y0: float = 0.0
    y1: float = 0.0
    x0: float = 0.0
    x1: float = -1.0
    rows: list[list[str]] | None = None
    bold: bool = False

    @property
    def is_table(self) -> bool:
        return self.rows is not None


@dataclass
class Page:
    items: list[PageItem] = field(default_factory=list)
    height: float = 0.0


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _edges(page: Page) -> list[int]:
    lines = [i for i, it in enumerate(page.items) if not it.is_table]
    return sorted(set(lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]))


def _isolated(page: Page, i: int) -> bool:
    """A short line at the very top or bottom of the page, set apart from the body by a wide gap."""
    item = page.items[i]
    if item.x1 < 0 or not page.height or len(item.text) > 120:
        return False
    lines = [it for it in page.items if not it.is_table]
    spacing = sorted(b.y0 - a.y0 for a, b in zip(lines, lines[1:]) if b.y0 > a.y0)
    if not spacing:
        return False
    usual = spacing[len(spacing) // 2]
    if item is lines[0] and item.y1 < 0.1 * page.height:
        nxt = page.items[i + 1] if i + 1 < len(page.items) else None
        return nxt is not None and nxt.y0 - item.y0 > 1.8 * usual
    if item is lines[-1] and item.y0 > 0.9 * page.height:
        before = page.items[i - 1] if i > 0 else None
        return before is not None and item.y0 - before.y1 > 1.8 * usual
    return False


def drop_running_lines(pages: list[Page]) -> int:
    """Remove page numbers, lines repeated at the top or bottom of most pages, and lines set
    apart in the top or bottom margin. Returns how many were removed."""
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_key(page.items[i].text) for i in _edges(page)})
    running = {k for k, n in counts.items() if len(pages) >= 2 and n >= max(2, len(pages) // 2)}
    dropped = 0
    for page in pages:
        doomed = {i for i in _edges(page)
                  if _key(page.items[i].text) in running or _PAGE_NUMBER_RE.match(page.items[i].text.strip())
                  or _isolated(page, i)}
        dropped += len(doomed)
        page.items = [it for i, it in enumerate(page.items) if i not in doomed]
    return dropped


def _table_lines(rows: list[list[str]]) -> list[str]:
    out = []
    for row in rows:
        cells = [" ".join((c or "").split()).replace("|", "/") for c in row]
        if any(cells):
            out.append("| " + " | ".join(cells) + " |")
    return out


def _continues(prev: PageItem, nxt: PageItem, left: float, right: float) -> bool:
    """Was ``prev`` hard-wrapped into ``nxt``? Only judged when positions are known: ``prev``
    reaches the right margin, and ``nxt`` starts at the left margin (or, for centred lines,
    is centred under it), in the same weight, without numbering of its own."""
    if prev.is_table or nxt.is_table or prev.x1 < 0 or nxt.x1 < 0 or prev.bold != nxt.bold:
        return False
    if read_marker(nxt.text) is not None:
        return False
    width = max(right - left, 1.0)
    if prev.x1 < right - _FULL_LINE * width:
        return False  # the line stopped short of the margin: its paragraph ended

    def centred(it: PageItem) -> bool:
        return it.x0 - left > 0.03 * width and abs((it.x0 - left) - (right - it.x1)) < 0.04 * width

    if centred(prev):  # a centred title goes on centred, under the same middle
        return centred(nxt) and abs((prev.x0 + prev.x1) / 2 - (nxt.x0 + nxt.x1) / 2) < 0.05 * width
    if nxt.x0 > left + 0.08 * width or prev.x0 > left + 0.15 * width:
        return False  # another column, or an indented new paragraph
    if _ENDS_SENTENCE_RE.search(prev.text) and _STARTS_UPPER_RE.match(nxt.text):
        return False
    return True


def assemble(pages: list[Page]) -> str:
    """The pages' items as plan text: one paragraph per line block, tables as rows."""
    paragraphs: list[str] = []
    prev: PageItem | None = None
    for page in pages:
        lines = [it for it in page.items if not it.is_table]
        right = max((it.x1 for it in lines), default=-1.0)
        left = min((it.x0 for it in lines), default=0.0)
        for item in page.items:
            if item.is_table:
                paragraphs.append("\n".join(_table_lines(item.rows)))
                prev = item
                continue
            text = " ".join(item.text.split())
            if not text:
                continue
            if prev is not None and paragraphs and _continues(prev, item, left, right):
                last = paragraphs[-1]
                paragraphs[-1] = last[:-1] + text if last.endswith("-") and text[:1].islower() else f"{last} {text}"
            else:
                paragraphs.append(text)
            prev = item
    return "\n\n".join(p for p in paragraphs if p) + "\n"
