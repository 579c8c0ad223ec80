"""The page's document downloads (XLSX, .ics, DOCX): one temporary folder per owner, short safe file names,
written atomically (two visitors may export the same thing at once), removed at exit. Gradio copies a file
into its own cache to serve it (cleaned by ``delete_cache``)."""
from __future__ import annotations

import atexit
import re
import shutil
import tempfile
import uuid
from pathlib import Path

_UNSAFE_RE = re.compile(r"[^a-z0-9-]+")


class Downloads:
    def __init__(self, prefix: str = "rag-downloads-") -> None:
        self.folder = Path(tempfile.mkdtemp(prefix=prefix))
        atexit.register(self.cleanup)

    def write(self, stem: str, suffix: str, data: bytes) -> Path:
        """``<stem><suffix>`` (the stem made safe and cut to 60 characters) holding ``data``."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = (_UNSAFE_RE.sub("-", stem.lower()).strip("-")[:60] or "tai-ve") + suffix
        path = self.folder / name
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        return path

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
