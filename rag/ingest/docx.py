"""A Word (.docx) plan → plain plan text.

python-docx reads the paragraphs and tables, in body order. Two things it does not do, done
here by hand from the XML:
* Word's automatic numbering (``w:numPr`` → ``numbering.xml``): "1.", "a)", "I." that are
  not in the paragraph text are computed from the list definition (format, level text,
  start value, restart), so the parser sees the numbers a reader sees;
* tables read cell by cell from ``w:tc`` with ``gridSpan`` / ``vMerge``, so a merged group
  row ("I. Truyền thông" across all columns) is one cell, not the same text five times.
A task table (its header names Nội dung / Chủ trì / Phối hợp / Thời hạn) becomes ``| … |``
rows for the parser's table reader; any other table (the issuer | national-motto header
block, a signature block) becomes its cells' paragraphs, one per line, so it is read as
front matter.
"""
from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from rag.ingest.document import ExtractedText, SourceKind
from rag.ingest.errors import IngestError
from rag.structure.table import header_columns

log = logging.getLogger(__name__)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
_BULLET_GLYPHS = {"\uf0b7": "•", "\uf0a7": "•", "\uf0d8": "•", "\uf076": "•", "o": "-", "\uf02d": "-"}


def _roman(n: int) -> str:
    out = ""
    for value, digits in _ROMAN:
        while n >= value:
            out, n = out + digits, n - value
    return out


def _letter(n: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[(n - 1) % 26] * ((n - 1) // 26 + 1)


def _format(fmt: str, n: int) -> str:
    if fmt in ("lowerLetter",):
        return _letter(n)
    if fmt in ("upperLetter",):
        return _letter(n).upper()
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class _Numbering:
    """Word list definitions and the running counters of each list."""

    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    overrides: dict[tuple[str, int], int] = field(default_factory=dict)  # (numId, ilvl) -> start
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def read(cls, document) -> "_Numbering":
        numbering = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return numbering
        for abstract in root.iter(f"{W}abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in abstract.iter(f"{W}lvl"):
                level = _Level()
                fmt = lvl.find(f"{W}numFmt")
                text = lvl.find(f"{W}lvlText")
                start = lvl.find(f"{W}start")
                if fmt is not None:
                    level.fmt = fmt.get(f"{W}val", "decimal")
                if text is not None:
                    level.text = text.get(f"{W}val", "")
                if start is not None:
                    level.start = int(start.get(f"{W}val", "1"))
                levels[int(lvl.get(f"{W}ilvl", "0"))] = level
            numbering.abstract[abstract.get(f"{W}abstractNumId")] = levels
        for num in root.iter(f"{W}num"):
            num_id = num.get(f"{W}numId")
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                numbering.nums[num_id] = ref.get(f"{W}val")
            for override in num.iter(f"{W}lvlOverride"):
                start = override.find(f"{W}startOverride")
                if start is not None:
                    numbering.overrides[(num_id, int(override.get(f"{W}ilvl", "0")))] = int(start.get(f"{W}val"))
        return numbering

    def label(self, num_id: str, ilvl: int) -> str:
        """The label Word shows for the next paragraph of list ``num_id`` at level ``ilvl``."""
        levels = self.abstract.get(self.nums.get(num_id, ""), {})
        if not levels:
            return ""
        level = levels.get(ilvl, _Level())
        counts = self.counters.setdefault(num_id, [0] * 10)
        if counts[ilvl] == 0:
            counts[ilvl] = self.overrides.get((num_id, ilvl), level.start) - 1
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, 10):
            counts[deeper] = 0  # a deeper level restarts under each new parent
        if level.fmt == "bullet":
            glyph = level.text.strip()
            return _BULLET_GLYPHS.get(glyph, glyph if glyph in "-–•+*" and glyph else "-")

        def fill(m: re.Match) -> str:
            lv = int(m.group(1)) - 1
            lvl_def = levels.get(lv, _Level())
            n = counts[lv] if counts[lv] else self.overrides.get((num_id, lv), lvl_def.start)
            return _format(lvl_def.fmt, n)

        return re.sub(r"%(\d)", fill, level.text)


def _num_pr(p_element, styles) -> tuple[str, int] | None:
    """(numId, ilvl) of a paragraph, from its own properties or its style's."""
    ppr = p_element.find(f"{W}pPr")
    num_pr = ppr.find(f"{W}numPr") if ppr is not None else None
    style_id = None
    if ppr is not None and ppr.find(f"{W}pStyle") is not None:
        style_id = ppr.find(f"{W}pStyle").get(f"{W}val")
    if num_pr is None and style_id:
        seen = set()
        while style_id and style_id not in seen and num_pr is None:
            seen.add(style_id)
            style = styles.get(style_id)
            if style is None:
                break
            sppr = style.find(f"{W}pPr")
            num_pr = sppr.find(f"{W}numPr") if sppr is not None else None
            based = style.find(f"{W}basedOn")
            style_id = based.get(f"{W}val") if based is not None else None
    if num_pr is None:
        return None
    num_id = num_pr.find(f"{W}numId")
    ilvl = num_pr.find(f"{W}ilvl")
    if num_id is None or num_id.get(f"{W}val") in (None, "0"):
        return None
    return num_id.get(f"{W}val"), int(ilvl.get(f"{W}val", "0")) if ilvl is not None else 0


def _paragraph_text(p_element) -> str:
    parts = []
    for node in p_element.iter():
        if node.tag == f"{W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{W}tab":
            parts.append(" ")
        elif node.tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
    return "".join(parts)


class DocxExtractor:
    def run(self, path: Path) -> ExtractedText:
        import docx

        started = time.perf_counter()
        try:
            document = docx.Document(str(path))
        except Exception as exc:  # python-docx raises several kinds on a broken package
            raise IngestError(f"Tệp «{Path(path).name}» bị hỏng: không đọc được nội dung Word.", "damaged") from exc
        styles = {s.get(f"{W}styleId"): s for s in document.styles.element.iter(f"{W}style")}
        self._numbering = _Numbering.read(document)
        self._styles = styles
        out: list[str] = []
        self._blocks(document.element.body, out)
        text = "\n\n".join(out) + "\n"
        return ExtractedText(text=text, kind=SourceKind.DOCX, lost_chars=text.count("\ufffd"),
                             seconds=time.perf_counter() - started)

    def _blocks(self, parent, out: list[str]) -> None:
        """Paragraphs and tables in body order, including those inside content controls (w:sdt)."""
        for child in parent.iterchildren():
            if child.tag == f"{W}p":
                line = self._paragraph(child)
                if line:
                    out.append(line)
            elif child.tag == f"{W}tbl":
                out.extend(self._table(child))
            elif child.tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    self._blocks(content, out)

    def _paragraph(self, p_element, keep_breaks: bool = False) -> str:
        """The paragraph's text with its list label; a soft line break (Shift+Enter) is a space, or,
        with ``keep_breaks`` (a layout table's cell: "ỦY BAN NHÂN DÂN TỈNH …" ↵ "Số: 42/KH-UBND"), a new line."""
        pieces = [" ".join(piece.split()) for piece in _paragraph_text(p_element).split("\n")]
        text = ("\n" if keep_breaks else " ").join(piece for piece in pieces if piece)
        num = _num_pr(p_element, self._styles)
        if num is not None:
            label = self._numbering.label(*num)  # an empty numbered paragraph still counts (a table's "STT" cell)
            if label:
                text = f"{label} {text}".strip()
        return text

    def _rows(self, tbl) -> list[list[list[str]]]:
        """Rows of cells; each cell a list of its paragraphs. A horizontally merged cell is one
        cell followed by empty ones; a vertically merged cell repeats the text above it."""
        rows: list[list[list[str]]] = []
        for tr in tbl.iterchildren(f"{W}tr"):
            row: list[list[str]] = []
            for tc in tr.iterchildren(f"{W}tc"):
                tcpr = tc.find(f"{W}tcPr")
                span, vmerge = 1, None
                if tcpr is not None:
                    gs = tcpr.find(f"{W}gridSpan")
                    span = int(gs.get(f"{W}val", "1")) if gs is not None else 1
                    vm = tcpr.find(f"{W}vMerge")
                    if vm is not None:
                        vmerge = vm.get(f"{W}val", "continue")
                paragraphs = [self._paragraph(p, keep_breaks=True) for p in tc.iter(f"{W}p")]
                paragraphs = [p for p in paragraphs if p]
                if vmerge == "continue":
                    col = len(row)
                    above = rows[-1][col] if rows and col < len(rows[-1]) else []
                    paragraphs = list(above) if col > 0 else []
                row.append(paragraphs)
                row.extend([] for _ in range(span - 1))
            rows.append(row)
        return rows

    def _table(self, tbl) -> list[str]:
        rows = self._rows(tbl)
        is_task_table = any(header_columns([" ".join(c) for c in row]) for row in rows[:3])
        if not is_task_table:
            # layout table (issuer | national motto, signature): its paragraphs' lines are plain lines
            return [line for row in rows for cell in row for p in cell for line in p.split("\n")]
        lines = []
        for row in rows:
            cells = [" ".join(" ".join(cell).split()).replace("|", "/") for cell in row]
            if any(cells):
                lines.append("| " + " | ".join(cells) + " |")
        return ["\n".join(lines)] if lines else []
