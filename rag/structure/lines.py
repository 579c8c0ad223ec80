"""From raw plan text to clean lines: markdown and HTML remnants removed, offsets kept.

A ``Line`` is one logical line of the source: a physical line, or several when a bold
span (``**…**``) runs over a markdown hard break, or part of one when two headings were
glued together (``**II. MỤC TIÊU****1. Mục tiêu chung**``). Table rows keep their cells.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from rag.text import squash

_HTML_BREAK_RE = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>", re.I)
_HTML_TAG_RE = re.compile(r"</?(?:b|strong|i|em|u|p|span|div|font|sup|sub)\b[^>]*>", re.I)
_MD_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_QUOTE_RE = re.compile(r"^\s{0,3}>\s?")
_MD_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_STARS_RE = re.compile(r"\*{2,}|(?<![\w*])_{2,}|_{2,}(?![\w*])")
_LONE_EMPH_RE = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_PAGE_NUMBER_RE = re.compile(r"^(?:[-–]\s*)?(?:Trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*[-–])?$", re.I)
_PIPE_SEPARATOR_RE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")


@dataclass
class Line:
    text: str
    start: int
    end: int
    emphasised: bool = False  # the whole line was bold or a markdown heading
    cells: list[str] | None = None  # table row cells, when the line is a table row

    @property
    def is_table(self) -> bool:
        return self.cells is not None


def clean_inline(text: str) -> str:
    """Remove HTML tags and markdown emphasis/escapes from one piece of text."""
    text = _HTML_BREAK_RE.sub(" ", text)
    text = _HTML_TAG_RE.sub("", text)
    text = html.unescape(text)
    text = _MD_ESCAPE_RE.sub(r"\1", text)
    text = _STARS_RE.sub("", text)
    text = _LONE_EMPH_RE.sub(r"\1", text)
    return squash(text.replace("\u00a0", " "))


def _physical_lines(text: str) -> list[tuple[str, int, int]]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append((raw, pos, pos + len(raw)))
        pos += len(raw) + 1
    return out


def _merge_open_bold(physical: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Join a line whose ``**`` is left open with the lines right below it (a markdown
    hard break inside a bold run, e.g. a two-line title)."""
    merged: list[tuple[str, int, int]] = []
    i = 0
    while i < len(physical):
        raw, start, end = physical[i]
        while raw.count("**") % 2 == 1 and i + 1 < len(physical) and physical[i + 1][0].strip():
            i += 1
            raw = raw.rstrip() + " " + physical[i][0].strip()
            end = physical[i][2]
        merged.append((raw, start, end))
        i += 1
    return merged


def _split_glued(raw: str, start: int) -> list[tuple[str, int, int]]:
    """``**A****B**`` is two bold lines that lost their line break."""
    parts, offset = [], 0
    for piece in raw.split("****"):
        parts.append((piece, start + offset, start + offset + len(piece)))
        offset += len(piece) + 4
    if len(parts) == 1:
        return parts
    fixed = []
    for idx, (piece, s, e) in enumerate(parts):
        if idx > 0:
            piece = "**" + piece
        if idx < len(parts) - 1:
            piece = piece + "**"
        fixed.append((piece, s, e))
    return fixed


def _is_emphasised(raw: str) -> bool:
    body = _MD_QUOTE_RE.sub("", raw).strip()
    if _MD_HEADING_RE.match(body):
        return True
    body = _HTML_TAG_RE.sub(lambda m: "**" if m.group(0).lower() in ("<b>", "</b>", "<strong>", "</strong>") else "", body)
    return len(body) > 4 and body.startswith("**") and body.endswith("**")


def _table_cells(raw: str) -> list[str] | None:
    stripped = raw.strip()
    if raw.count("\t") >= 2:
        return [clean_inline(c) for c in raw.split("\t")]
    if stripped.startswith("|") and stripped.count("|") >= 3:
        inner = stripped.strip("|")
        return [clean_inline(c) for c in inner.split("|")]
    return None


def split_lines(text: str) -> list[Line]:
    """Clean logical lines of ``text`` (already NFC), blank ones and page numbers dropped."""
    lines: list[Line] = []
    for raw, start, end in _merge_open_bold(_physical_lines(text)):
        if _PIPE_SEPARATOR_RE.match(raw.strip()) and "-" in raw:
            continue
        for piece, s, e in _split_glued(raw, start):
            cells = _table_cells(piece)
            if cells is not None:
                if any(cells):
                    lines.append(Line(" ".join(c for c in cells if c), s, e, cells=cells))
                continue
            emphasised = _is_emphasised(piece)
            body = _MD_HEADING_RE.sub("", _MD_QUOTE_RE.sub("", piece))
            cleaned = clean_inline(body)
            if not cleaned or _PAGE_NUMBER_RE.match(cleaned):
                continue
            lines.append(Line(cleaned, s, min(e, end), emphasised=emphasised))
    return lines
