"""The appendix: where it begins, and its caption, tables and notes as clauses.

An appendix heading is recognised in any case and form the lexicon lists
(``rag/lexicon/structure.toml``: "PHỤ LỤC", "Phụ lục II", "Biểu 1", "Danh mục nhiệm vụ" …).
What follows the signature block and is not part of it is appendix matter even without a
heading (a task table printed straight after the signature), so none of it is lost.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rag import lexicon
from rag.structure.lines import Line
from rag.structure.table import TableParser
from rag.structure.tree import AddressBook, Node
from rag.text import VI_LOWER, fold

IMPLICIT_TITLE = "Phụ lục"
_NUMBER_RE = re.compile(r"^(?P<num>[ivxl]{1,6}|\d{1,3})\b")
_LOWER_RE = re.compile(rf"[{VI_LOWER}]")


@dataclass(frozen=True)
class _Forms:
    heads: tuple[str, ...]  # folded, longest first
    needs_number: frozenset[str]
    number_words: tuple[str, ...]
    max_chars: int


@lru_cache(maxsize=1)
def _forms() -> _Forms:
    data = lexicon.load("structure")["appendix"]
    heads = sorted({fold(h) for h in data["heads"]}, key=len, reverse=True)
    return _Forms(tuple(heads), frozenset(fold(h) for h in data.get("needs_number", ())),
                  tuple(fold(w) for w in data.get("number_words", ())), int(data["max_chars"]))


@dataclass(frozen=True)
class AppendixHeading:
    number: str  # "II", "1", "" when the heading has none


def appendix_heading(line: Line) -> AppendixHeading | None:
    """The heading an appendix opens with, in any case and form the lexicon lists."""
    text = line.text
    if line.is_table or len(text) > _forms().max_chars:
        return None
    folded = fold(text)
    for head in _forms().heads:
        if folded != head and not folded.startswith(head + " "):
            continue
        rest = folded[len(head):].strip()
        for word in _forms().number_words:  # "Biểu số 02"
            if rest.startswith(word + " "):
                rest = rest[len(word):].strip()
        m = _NUMBER_RE.match(rest)
        number = m.group("num").upper() if m else ""
        capitals = not _LOWER_RE.search(text)
        after_head = text[len(text) - len(text.lstrip()):]  # the printed text, to see a colon after the head
        colon = bool(re.match(r"^\S+(?:\s+\S+){%d}\s*:" % (len(head.split()) - 1), after_head))
        if head in _forms().needs_number and not (number or colon or capitals):
            return None
        return AppendixHeading(number)
    return None


def parse_appendix(lines: list[Line], book: AddressBook, claim) -> list[Node]:
    """The appendix: a heading, its caption lines, then task tables and notes.

    ``claim(line, node, kind)`` records which clause took each line (see ``coverage``)."""
    nodes: list[Node] = []
    root: Node | None = None
    table: TableParser | None = None

    def open_root(number: str, title: str, line: Line) -> Node:
        node = Node("appendix", number, title, [], line.start, line.end)
        node.address = book.claim(f"PL{number}")
        nodes.append(node)
        return node

    tabled = False  # the current appendix has a table already
    for line in lines:
        heading = appendix_heading(line)
        if heading and (root is None or tabled):  # right under a heading, "Danh mục nhiệm vụ …" is its caption
            if table:
                nodes.extend(table.finish())
                table = None
            root = open_root(heading.number, line.text, line)
            claim(line, root, "title")
            tabled = False
            continue
        if root is None:  # appendix matter printed without a heading
            root = open_root("", IMPLICIT_TITLE, line)
        if line.is_table:
            tabled = True
            table = table or TableParser(root, book)
            owner, kind = table.feed(line)
            claim(line, owner, kind)
        elif table is None:
            root.texts.append(line.text)  # caption: what the appendix is, which plan it belongs to
            root.end = line.end
            claim(line, root, "text")
        else:
            root.sub_count += 1
            note = Node("paragraph", "", "", [line.text], line.start, line.end, parent=root)
            note.address = book.claim(f"{root.address}-{root.sub_count}")
            nodes.append(note)
            claim(line, note, "text")
    if table:
        nodes.extend(table.finish())
    for node in nodes:
        if node.level == "appendix":
            node.title = " ".join([node.title, *node.texts[:1]]).strip()
            node.texts = [node.title, *node.texts[1:]]
    return nodes
