"""Stage 2: a plan's text becomes its clause tree.

text → clean lines → (title block, signature, appendix set apart) → re-flowed
paragraphs → nested clauses with unique addresses → responsibilities recorded.

Address scheme (what a reader sees printed in the plan):
  ``IV``        part IV                    ``IV.3``     item 3 of part IV
  ``IV.1.2``    decimal sub-item 1.2       ``IV.3.b``   point b) of item IV.3
  ``IV.3-2``    2nd bullet or un-numbered paragraph under IV.3
  ``MĐ-1``      1st paragraph of the opening (before part I)
  ``KL-1``      1st paragraph of the closing ("Trên đây là Kế hoạch …")
  ``PL.II.4``   appendix table, group II, row 4
A number the plan repeats gets "(2)": Lai Châu's second part "II." is ``II(2)``.
"""
from __future__ import annotations

import hashlib
import logging
import re

from rag.corpus.reader import PlanFileError
from rag.models import PlanDocument, PlanInfo
from rag.structure.agencies import find_agencies
from rag.structure.appendix import parse_appendix
from rag.structure.coverage import Ledger, Place
from rag.structure.frontmatter import segment
from rag.structure.lines import Line, split_lines
from rag.structure.markers import RANKS, Marker, read_marker
from rag.structure.reflow import Block, reflow
from rag.structure.table import TableParser
from rag.structure.tree import AddressBook, Node, freeze
from rag.text import fold

log = logging.getLogger(__name__)

PARSER_VERSION = "3"  # 2: front matter as clauses; 3: appendix in any case, every line kept, form metadata

_CLOSING_RE = re.compile(r"^Trên đây là\b")
RESPONSIBILITY_PART = "to chuc thuc hien"
OPENING, CLOSING = "MĐ", "KL"


class _BodyParser:
    def __init__(self, book: AddressBook) -> None:
        self.book = book
        self.stack: list[Node] = []
        self.nodes: list[Node] = []
        self.closing = False
        self.table: TableParser | None = None

    def _add(self, node: Node) -> Node:
        self.nodes.append(node)
        return node

    def _paragraph(self, block: Block, level: str, parent: Node | None, prefix: str) -> Node:
        node = Node(level, "", "", [block.text], block.start, block.end, parent=parent)
        if parent is None:
            node.address = self.book.next_paragraph(prefix)
            node.title = ""
        else:
            parent.sub_count += 1
            node.address = self.book.claim(f"{parent.address}-{parent.sub_count}")
        return self._add(node)

    def _address(self, marker: Marker, parent: Node | None) -> str:
        if marker.level == "section":
            return self.book.claim(marker.address_key)
        if marker.level == "part":
            # under a top section ("A.", "Phần thứ nhất") parts restart: B.I is not A.I
            section = next((n for n in reversed(self.stack) if n.rank == RANKS["section"]), None)
            return self.book.claim(f"{section.address}.{marker.number}" if section else marker.number)
        if marker.level in ("item", "subitem"):
            part = next((n for n in reversed(self.stack) if n.level == "part"), None)
            return self.book.claim(f"{part.address}.{marker.number}" if part else marker.number)
        if marker.level == "point":
            return self.book.claim(f"{parent.address}.{marker.number}" if parent else marker.number)
        parent.sub_count += 1
        return self.book.claim(f"{parent.address}-{parent.sub_count}")

    def feed(self, block: Block) -> Node:
        """Place one paragraph; returns the clause that took it."""
        if _CLOSING_RE.match(block.text):
            self.closing, self.stack = True, []
        if self.closing:
            return self._paragraph(block, "closing", None, CLOSING)
        marker = read_marker(block.text)
        if marker is None:
            top = self.stack[-1] if self.stack else None
            if top is None:
                return self._paragraph(block, "preamble", None, OPENING)
            if top.level in ("point", "bullet"):
                top.texts.append(block.text)  # a further paragraph of the same point
                top.end = block.end
                return top
            return self._paragraph(block, "paragraph", top, "")
        while self.stack and self.stack[-1].rank >= marker.rank:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        if parent is None and marker.level == "bullet":
            return self._paragraph(block, "preamble", None, OPENING)
        headed = marker.level in ("section", "part", "item", "subitem")
        level = "part" if marker.level == "section" else marker.level  # a top section is a part above parts
        node = Node(level, marker.number, marker.body if headed else "", [marker.body],
                    block.start, block.end, parent=parent, rank=marker.rank)
        node.address = self._address(marker, parent)
        self.stack.append(self._add(node))
        return node

    def feed_table_line(self, line: Line) -> tuple[Node, str]:
        if self.table is None:
            parent = self.stack[-1] if self.stack else None
            if parent is None:
                parent = self._add(Node("part", "", "Bảng", ["Bảng"], line.start, line.end, address=self.book.claim("BANG")))
            self.table = TableParser(parent, self.book)
        return self.table.feed(line)

    def end_table(self) -> None:
        if self.table is not None:
            self.nodes.extend(self.table.finish())
            self.table = None


def _parse_body(lines: list[Line], wrapped: bool, book: AddressBook, ledger: Ledger) -> list[Node]:
    parser = _BodyParser(book)
    run: list[Line] = []

    def flush_prose() -> None:
        for block in reflow(run, wrapped):
            node = parser.feed(block)
            for line in block.lines:
                ledger.claim(line, Place.CLAUSE, node.address)
        run.clear()

    for line in lines:
        if line.is_table:
            flush_prose()
            node, kind = parser.feed_table_line(line)
            ledger.claim(line, Place.CLAUSE, node.address, kind)
        else:
            parser.end_table()
            run.append(line)
    flush_prose()
    parser.end_table()
    return parser.nodes


_HEADED = ("part", "item", "subitem")
_AGENCY_HEADING_CHARS = 120  # deeper than the part's own children, only a short heading names an agency


def _under_responsibility(node: Node) -> Node | None:
    """The "Tổ chức thực hiện" part (or top section) ``node`` is under, if any."""
    return next((a for a in reversed(node.ancestors()) if a.level == "part" and RESPONSIBILITY_PART in fold(a.title)),
                None)


def _record_responsibilities(nodes: list[Node]) -> None:
    """Under "Tổ chức thực hiện", each heading names who carries out what is below it: the
    part's own items (or parts, under a top section), and deeper headings such as
    "1) Sở Công Thương" under "I. Các sở, ngành"."""
    for node in nodes:
        if node.level not in _HEADED or node.parent is None:
            continue
        owner = _under_responsibility(node)
        if owner is None:
            continue
        if node.parent is owner and (node.level != "part" or node.rank > owner.rank):
            node.agency = find_agencies(node.title, register=True)
        elif node.parent is not owner and node.parent.level in _HEADED and len(node.title) <= _AGENCY_HEADING_CHARS:
            node.agency = find_agencies(node.title, register=True) or node.parent.agency
    for node in nodes:
        if not node.agency and node.level not in ("row", "group", "appendix"):
            owner = next((a for a in reversed(node.ancestors()) if a.agency), None)
            if owner is not None:
                node.agency = owner.agency


FRONT_HEADING = "Thông tin văn bản"
# address, title: the front matter a plan prints, each a citable clause
FRONT_FIELDS = {
    "number": ("VB.số-hiệu", "Số hiệu"),
    "date": ("VB.ngày", "Ngày ban hành"),
    "issuer": ("VB.cơ-quan", "Cơ quan ban hành"),
    "signer": ("VB.người-ký", "Người ký"),
    "recipients": ("VB.nơi-nhận", "Nơi nhận"),
}


_DATE_ISO_RE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$")


def _form_date(date: str) -> str:
    """A date from the manifest (or the add form) as a plan prints it."""
    m = _DATE_ISO_RE.match(date)
    return f"Ngày {int(m.group('d'))} tháng {int(m.group('m'))} năm {m.group('y')}" if m else date


def _front_nodes(segments, info: PlanInfo, book: AddressBook) -> list[Node]:
    """The number, date, issuer, signer and recipients as clauses (verbatim lines), in that order.

    The number and date given in the manifest (typed into the add form, ``rag add --number
    --date``) stand in for what the text does not print (or prints blank), and a number given
    there that differs from the printed one is the user's correction; both become the clause."""
    front, sig = segments.front, segments.signature
    sources = {
        "number": [front.number_line] if front.number_line else [],
        "date": [front.date_line] if front.date_line else [],
        "issuer": front.issuer_lines,
        "signer": sig.signer_lines,
        "recipients": sig.recipient_lines,
    }
    given = {}
    if info.number and info.number != front.number:
        given["number"] = f"Số: {info.number}"
    if info.date and not front.date:
        given["date"] = _form_date(info.date)
    nodes = []
    for key, lines in sources.items():
        if not lines and key not in given:
            continue
        address, title = FRONT_FIELDS[key]
        if key in given:
            span = (lines[0].start, lines[-1].end) if lines else (0, 0)
            node = Node("front", "", title, [given[key]], *span)
        else:
            node = Node("front", "", title, [" ".join(ln.text for ln in lines)], lines[0].start, lines[-1].end)
        node.address = book.claim(address)
        node.fields["path"] = (FRONT_HEADING, title)
        nodes.append(node)
    return nodes


def parse_plan(info: PlanInfo, text: str) -> PlanDocument:
    """Parse one plan's (NFC) text. Raises PlanFileError when no clause structure is found."""
    lines = split_lines(text)
    ledger = Ledger(lines)
    segments, wrapped = segment(lines)
    for line in segments.front.source_lines:
        ledger.claim(line, Place.FRONT)
    for line in segments.signature.source_lines:
        ledger.claim(line, Place.SIGNATURE)
    book = AddressBook()
    nodes = _parse_body(segments.body, wrapped, book, ledger)
    nodes += parse_appendix(segments.appendix, book,
                            lambda line, node, kind: ledger.claim(line, Place.CLAUSE, node.address, kind))
    numbered = [n for n in nodes if n.level in ("part", "item", "subitem", "point", "row")]
    if not numbered:
        raise PlanFileError(f"{info.file}: no numbered parts or items found (expected headings such as "
                            f"'I. MỤC ĐÍCH', '1. …', 'a) …'); is this a plan text?")
    _record_responsibilities(nodes)
    nodes = _front_nodes(segments, info, book) + nodes
    if wrapped:
        log.debug("%s: hard-wrapped text re-flowed", info.file)
    coverage = ledger.coverage()
    if coverage.left_out:
        log.info("%s: %d line(s) in no clause", info.file, len(coverage.left_out))
    front = segments.front
    return PlanDocument(
        info=info,
        clauses=freeze(info.id, nodes),
        source_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        front_matter=tuple(front.lines),
        recipients=tuple(segments.signature.recipients),
        signer=segments.signature.signer,
        signer_title=segments.signature.signer_title,
        number=info.number if info.number and info.number != front.number else front.number,
        date=front.date or info.date,
        coverage=coverage,
    )
