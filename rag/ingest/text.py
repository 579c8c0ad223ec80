"""A plain text or markdown plan: read as UTF-8 (the corpus reader's checks), kept as it is;
the structure parser already removes markdown and re-flows hard line breaks."""
from __future__ import annotations

import time
from pathlib import Path

from rag.corpus.reader import PlanFileError, read_plan_text
from rag.ingest.document import ExtractedText, SourceKind
from rag.ingest.errors import IngestError


class TextExtractor:
    def run(self, path: Path) -> ExtractedText:
        started = time.perf_counter()
        try:
            text = read_plan_text(Path(path))
        except PlanFileError as exc:
            message = str(exc)
            if "not UTF-8" in message or "NUL" in message:
                raise IngestError(f"Tệp «{Path(path).name}» không phải văn bản UTF-8 (có thể là Windows-1258 hoặc "
                                  f"UTF-16); hãy lưu lại dưới dạng UTF-8.", "encoding") from exc
            raise IngestError(f"Tệp «{Path(path).name}» rỗng.", "empty") from exc
        return ExtractedText(text=text, kind=SourceKind.TEXT, lost_chars=text.count("\ufffd"),
                             seconds=time.perf_counter() - started)
