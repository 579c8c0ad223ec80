"""Re-joins sentences that PDF extraction cut into separate lines."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.structure.lines import Line
from rag.structure.markers import read_marker
from rag.text import VI_LOWER

_STARTS_LOWER_RE = re.compile(rf"^[{VI_LOWER}]")
_ENDS_SENTENCE_RE = re.compile(r"[.;:!?…”\")]\s*$")


@dataclass
class Block:
    """A paragraph after re-flowing: its text and the source span it came from."""

    text: str
    start: int
    end: int
    emphasised: bool = False
    lines: list[Line] = field(default_factory=list)  # the source lines it was joined from


def _is_heading_line(line: Line) -> bool:
    marker = read_marker(line.text)
    return marker is not None and marker.level in ("part", "item", "subitem") and len(line.text) < 120


def joins(prev: Line, nxt: Line, wrapped: bool) -> bool:
    """Does ``nxt`` continue the sentence of ``prev``?

    Never across tables, bold/heading lines or a line that opens with numbering.
    A line starting in lower case continues; in hard-wrapped text, so does any line
    after one that did not end its sentence (unless that one is a heading).
    """
    if prev.is_table or nxt.is_table or prev.emphasised or nxt.emphasised:
        return False
    if read_marker(nxt.text) is not None:
        return False
    if _STARTS_LOWER_RE.match(nxt.text):
        return True
    if _ENDS_SENTENCE_RE.search(prev.text) or _is_heading_line(prev):
        return False
    return wrapped or nxt.text[0].isdigit()


def reflow(lines: list[Line], wrapped: bool) -> list[Block]:
    blocks: list[Block] = []
    prev: Line | None = None
    for line in lines:
        if blocks and prev is not None and joins(prev, line, wrapped):
            block = blocks[-1]
            block.text = f"{block.text} {line.text}"
            block.end = line.end
            block.lines.append(line)
            # judge the next join on the whole sentence so far
            prev = Line(block.text, block.start, block.end)
            continue
        blocks.append(Block(line.text, line.start, line.end, line.emphasised, [line]))
        prev = line
    return blocks
