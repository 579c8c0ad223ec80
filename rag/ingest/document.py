"""What an extractor returns: the plan as plain UTF-8 text, numbering written out as text,
task tables as ``| … |`` rows, and what was learned while reading the file."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field


class SourceKind(str, enum.Enum):
    DOCX = "docx"
    PDF = "pdf"
    TEXT = "text"


@dataclass(frozen=True)
class ExtractedText:
    text: str
    kind: SourceKind
    pages: int = 0  # PDF pages (0 for other kinds)
    ocr: bool = False  # the text came from OCR of page images
    lost_chars: int = 0  # characters the extractor could not turn into text (unmapped glyphs, image-only pages)
    dropped_lines: int = 0  # running headers, footers and page numbers removed
    notes: tuple[str, ...] = field(default=())  # English, for logs
    seconds: float = 0.0
