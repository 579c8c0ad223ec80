"""Reading the DOCX files the product writes back with python-docx."""
from __future__ import annotations

import io


def read_docx(data: bytes):
    from docx import Document

    return Document(io.BytesIO(data))


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def fonts(doc) -> set[str]:
    names = set()
    for p in doc.paragraphs:
        names |= {r.font.name for r in p.runs if r.text.strip()}
    for t in doc.tables:
        for row in t.rows:
            for c in row.cells:
                for p in c.paragraphs:
                    names |= {r.font.name for r in p.runs if r.text.strip()}
    return names


from tests.schedule.conftest import added_plans  # noqa: E402,F401  (the plans added from DOCX, PDF, text)
