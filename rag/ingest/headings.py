"""Joins a bare section or part number printed on its own line ("Phần thứ nhất", "PHẦN I",
"A.") with the upper-case title printed on the next line, so the parser reads one heading
("Phần thứ nhất. MỤC ĐÍCH, YÊU CẦU") rather than a number without a title."""
from __future__ import annotations

from rag.structure.markers import read_marker


def _is_title(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and len(text) <= 150 and all(ch.isupper() for ch in letters) and read_marker(text) is None


def join_bare_headings(text: str) -> str:
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        marker = read_marker(line.strip().strip("*#").strip()) if line.strip() else None
        if marker is not None and marker.level in ("section", "part") and not marker.body:
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and _is_title(lines[j].strip()):
                out.append(f"{line.strip().rstrip('.:')}. {lines[j].strip()}")
                i = j + 1
                continue
        out.append(line)
        i += 1
    return "\n".join(out)
