"""No plan text is lost: which clause took each line of the plan.

Every clean line of the text (``lines.split_lines``: blank lines, page numbers and markdown
rules are not text) must end up in exactly one place: a clause, the front matter (title block)
or the signature block. The parser claims each line as it places it; what nobody claimed is
*left out*, and the parse report lists it. A line claimed twice is a parser bug, kept as well
so a test can catch it.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from rag.structure.lines import Line


class Place(str, enum.Enum):
    CLAUSE = "clause"
    FRONT = "front"  # the title block: issuer, number, national motto, date, "KẾ HOẠCH", subtitle
    SIGNATURE = "signature"  # "Nơi nhận" and its list, the signer's roles and name


@dataclass(frozen=True)
class Claim:
    line: int  # index in the plan's clean lines
    place: Place
    address: str  # the clause's address ("" for the front matter and the signature)
    kind: str  # "text": the line's words are in that clause; "header": a table header row; "title"


@dataclass(frozen=True)
class Coverage:
    """How much of the plan's text the clause tree holds."""

    lines: int = 0
    chars: int = 0
    kept_chars: int = 0
    left_out: tuple[str, ...] = ()  # the lines no clause took, verbatim
    claims: tuple[Claim, ...] = ()
    twice: tuple[str, ...] = ()  # lines claimed by two places (a parser bug)

    @property
    def share(self) -> float:
        return self.kept_chars / self.chars if self.chars else 1.0

    @property
    def complete(self) -> bool:
        return not self.left_out and not self.twice


class Ledger:
    """Collects the parser's claims on the plan's lines."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self._index = {id(line): i for i, line in enumerate(lines)}
        self._claims: dict[int, Claim] = {}
        self._twice: list[int] = []

    def claim(self, line: Line, place: Place, address: str = "", kind: str = "text") -> None:
        i = self._index.get(id(line))
        if i is None:
            return  # a line made by joining others (a re-flowed block's own lines are claimed instead)
        if i in self._claims:
            self._twice.append(i)
            return
        self._claims[i] = Claim(i, place, address, kind)

    def coverage(self) -> Coverage:
        left = [ln for i, ln in enumerate(self.lines) if i not in self._claims]
        chars = sum(len(ln.text) for ln in self.lines)
        return Coverage(
            lines=len(self.lines), chars=chars, kept_chars=chars - sum(len(ln.text) for ln in left),
            left_out=tuple(ln.text for ln in left), claims=tuple(sorted(self._claims.values(), key=lambda c: c.line)),
            twice=tuple(self.lines[i].text for i in self._twice))
