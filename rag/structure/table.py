"""Task tables (the appendix of assignments): groups, rows, and rows continued
across page breaks, with the repeated header dropped.

Columns are found from the header by name (Nội dung / Cơ quan chủ trì / Cơ quan phối hợp /
Thời hạn), so a table with another column order still parses.
"""
from __future__ import annotations

import re

from rag.structure.agencies import find_agencies
from rag.structure.lines import Line
from rag.structure.tree import AddressBook, Node
from rag.text import fold

_ROMAN_RE = re.compile(r"^(?P<num>[IVX]{1,5})\s*\.?$")
_GROUP_IN_CONTENT_RE = re.compile(r"^(?P<num>[IVX]{1,5})\s*\.\s+(?P<title>\S.*)$")
_ROW_NUM_RE = re.compile(r"^(?P<num>\d{1,3})\s*\.?$")
_MISREAD_MAX = 5  # characters: a longer number cell is text, not a misread number
# OCR reads a thin "I" or "1" as one of these; which one it was, the row says (a group row names no agency)
_ROMANS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
_I_LIKE = "lL|!1iíìỉĩịïÍÌỈĨỊÏ"
_OCR_ROMAN = str.maketrans({**{c: "I" for c in _I_LIKE}, "v": "V", "x": "X"})


def _ocr_number(number: str, task_row: bool) -> str:
    """A number cell as printed, when OCR misread "I" (a group: "l", "lÍ") or "1" (a task row: "l", "I")."""
    bare = number.rstrip(".")
    if not bare or len(bare) > 5 or bare.isdigit() or bare.isupper() and _ROMAN_RE.match(bare) and not task_row:
        return number
    if not all(c in _I_LIKE or c in "IVXvx" for c in bare):
        return number
    roman = bare.translate(_OCR_ROMAN)
    return roman.replace("I", "1") if task_row and set(roman) == {"I"} and len(roman) == 1 else roman


_COLUMN_NAMES = {
    "content": ("noi dung", "nhiem vu", "ten nhiem vu"),
    "lead": ("chu tri",),
    "partners": ("phoi hop",),
    "deadline": ("thoi han", "thoi gian", "tien do"),
}


def header_columns(cells: list[str]) -> dict[str, int] | None:
    """Column index by role when ``cells`` is a header row, else None."""
    folded = [fold(c) for c in cells]
    cols: dict[str, int] = {}
    for role, names in _COLUMN_NAMES.items():
        for i, cell in enumerate(folded):
            if any(n in cell for n in names) and i not in cols.values():
                cols[role] = i
                break
    if "content" in cols and "lead" not in cols:
        # a two-row header: "Cơ quan thực hiện" over "Chủ trì | Phối hợp" (the row below says which is which)
        at = next((i for i, cell in enumerate(folded) if "co quan" in cell and i not in cols.values()), None)
        if at is not None:
            cols["lead"] = at
    if "content" in cols and len(cols) >= 2:
        cols["labels"] = {role: cells[i] for role, i in cols.items()}  # type: ignore[assignment]
        cols["number"] = 0 if cols["content"] != 0 else -1
        return cols
    return None


def sub_header(cells: list[str]) -> dict[str, int]:
    """The second row of a two-row header: which columns are lead, partners, deadline."""
    folded = [fold(c) for c in cells]
    found = {role: i for role in ("lead", "partners", "deadline") for i, cell in enumerate(folded)
             if any(n in cell for n in _COLUMN_NAMES[role])}
    if not found or any(cell and i not in found.values() for i, cell in enumerate(folded)):
        return {}
    return found


class TableParser:
    """Feeds table lines one by one; yields group and row nodes under ``parent``."""

    def __init__(self, parent: Node, book: AddressBook) -> None:
        self.parent = parent
        self.book = book
        self.cols: dict | None = None
        self.group: Node | None = None
        self.row: Node | None = None
        self.nodes: list[Node] = []

    def _cell(self, cells: list[str], role: str) -> str:
        idx = self.cols.get(role) if self.cols else None
        if idx is None or idx < 0 or idx >= len(cells):
            return ""
        return cells[idx].strip()

    def feed(self, line: Line) -> tuple[Node, str]:
        """Take one table line; returns the node that took it and how ("header": a header row,
        whose labels every row repeats; "text": its words are in the node's text)."""
        cells = line.cells or []
        cols = header_columns(cells)
        if cols is not None:
            self.cols = cols  # a header, or the same header repeated after a page break
            return self.parent, "header"
        if self.cols is None:
            return self._plain(cells, line), "text"  # a table that is not a task table
        if self.row is None and self.group is None and (roles := sub_header(cells)):
            self.cols.update(roles)
            self.cols["labels"] = {**self.cols["labels"], **{r: cells[i] for r, i in roles.items()}}
            return self.parent, "header"
        content = self._cell(cells, "content")
        others = [self._cell(cells, r) for r in ("lead", "partners", "deadline")]
        number = _ocr_number(self._cell(cells, "number"), any(others))
        if _ROMAN_RE.match(number):
            return self._open_group(_ROMAN_RE.match(number).group("num"), content, line), "text"
        # a group heading spanning the row: "I. Xây dựng …" in the first non-empty cell
        heading = " ".join(c for c in (number, content) if c)
        group = _GROUP_IN_CONTENT_RE.match(heading) if not any(others) and not (number and content) else None
        if group:
            return self._open_group(group.group("num"), group.group("title"), line), "text"
        if _ROW_NUM_RE.match(number):
            return self._open_row(str(int(_ROW_NUM_RE.match(number).group("num"))), content, others, line), "text"
        if content and others[0] and (guess := self._misread_row_number(number)):
            return self._open_row(guess, content, others, line), "text"
        if not number and content and self._complete(others) and self.row is not None \
                and self._complete([self.row.fields.get(k, "") for k in ("lead", "partners", "deadline")]):
            # a whole task row after a whole one: a number OCR did not read, not a row going on after a page
            # break (that leaves the cells it has not finished, and the deadline's few words, to the next page)
            return self._open_row(self._next_number(), content, others, line), "text"
        if self.row is not None:
            # the row goes on (split by a page break: no number), or a number the table does not use
            return self._continue_row(" ".join(c for c in (number, content) if c), others, line), "text"
        if self.group is not None and not any(others):
            self.group.texts.append(heading)  # the group's title goes on
            self.group.end = line.end
            return self.group, "text"
        if not number and content and not any(others) and self.group is None:
            # a title with no number and no agency before the first task: a group whose "I" was not read (OCR)
            return self._open_group(_ROMANS[0], content, line), "text"
        return self._plain(cells, line), "text"

    def _misread_row_number(self, number: str) -> str | None:
        """The number of a task row (it has a task and a lead) whose number cell OCR garbled ("P2",
        "NI", "'.”:"): the one number in it when it has one, else the next number in its group.
        None for an empty cell (a row going on after a page break) or a cell of words."""
        if not number or len(number) > _MISREAD_MAX or " " in number:
            return None
        digits = re.findall(r"\d+", number)
        if len(digits) == 1 and len(digits[0]) <= 3:
            return str(int(digits[0]))
        if digits or sum(c.isalpha() for c in number) > 2:
            return None
        return self._next_number()

    def _next_number(self) -> str:
        parent = self.group or self.parent
        numbers = [int(n.number) for n in self.nodes if n.level == "row" and n.parent is parent and n.number.isdigit()]
        return str(max(numbers, default=0) + 1)

    def _complete(self, others: list[str]) -> bool:
        """A lead and a deadline both given (never, in a table without a deadline column)."""
        return (self.cols or {}).get("deadline") is not None and bool(others[0]) and bool(others[2])

    def _plain(self, cells: list[str], line: Line) -> Node:
        """A table line that is no task row: a paragraph of its cells, so its text is kept."""
        parent = self.group or self.parent
        parent.sub_count += 1
        node = Node("paragraph", "", "", [" | ".join(c for c in cells if c)], line.start, line.end, parent=parent)
        node.address = self.book.claim(f"{parent.address}-{parent.sub_count}")
        self.nodes.append(node)
        return node

    def _open_group(self, num: str, title: str, line: Line) -> Node:
        groups = [n.number for n in self.nodes if n.level == "group"]
        last = _ROMANS.index(groups[-1]) if groups and groups[-1] in _ROMANS else -1
        if num in _ROMANS and _ROMANS.index(num) <= last < len(_ROMANS) - 1:
            num = _ROMANS[last + 1]  # groups go up: "II" after "II" is "III" with an "I" not read (OCR)
        node = Node("group", num, title, [title], line.start, line.end, parent=self.parent)
        node.address = self.book.claim(f"{self.parent.address}.{num}")
        self.group, self.row = node, None
        self.nodes.append(node)
        return node

    def _open_row(self, num: str, content: str, others: list[str], line: Line) -> Node:
        parent = self.group or self.parent
        node = Node("row", num, "", [content], line.start, line.end, parent=parent)
        node.address = self.book.claim(f"{parent.address}.{num}")
        node.fields = dict(zip(("lead", "partners", "deadline"), others))
        self.row = node
        self.nodes.append(node)
        return node

    def _continue_row(self, content: str, others: list[str], line: Line) -> Node:
        row = self.row
        if content:
            row.texts.append(content)
        for key, value in zip(("lead", "partners", "deadline"), others):
            if value:
                row.fields[key] = f"{row.fields[key]} {value}".strip()
        row.end = line.end
        return row

    def finish(self) -> list[Node]:
        """Complete each row: its text names content, lead, partners and deadline with
        the table's own column labels; the agency fields are normalised."""
        labels = (self.cols or {}).get("labels", {})
        for node in self.nodes:
            if node.level != "row":
                continue
            content = " ".join(node.texts).strip()
            parts = [content]
            for key in ("lead", "partners", "deadline"):
                value = node.fields.get(key) or ""
                node.fields[key] = value
                if value:
                    parts.append(f"{labels.get(key, key)}: {value}")
            node.texts = [" | ".join(parts)]
            node.fields["content"] = content
            node.fields["lead_agencies"] = find_agencies(node.fields["lead"], register=True)
            node.fields["partner_agencies"] = find_agencies(node.fields["partners"], register=True)
            node.agency = node.fields["lead_agencies"]
        return self.nodes
