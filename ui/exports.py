"""The page's CSV exports: one temporary folder per server (made at the first export, inside the server's
scratch folder, ``ui/scratch.py``), short safe file names, removed at exit."""
from __future__ import annotations

import atexit
import hashlib
import re
import shutil
import tempfile
import uuid
from pathlib import Path

_UNSAFE_RE = re.compile(r"[^a-z0-9-]+")


class CsvExports:
    """``write(key, plans, text)`` puts one export in the folder and returns its path; Gradio copies it
    into its own cache (cleaned by ``delete_cache``) to serve it, and the folder goes at exit."""

    def __init__(self, prefix: str = "rag-agency-csv-") -> None:
        self.prefix = prefix
        self._folder: Path | None = None
        atexit.register(self.cleanup)

    @property
    def folder(self) -> Path:
        if self._folder is None:  # at first use: by then the server's scratch folder is tempfile's
            self._folder = Path(tempfile.mkdtemp(prefix=self.prefix))
        return self._folder

    @staticmethod
    def file_name(key: str, plans) -> str:
        """``nhiem-vu-<agency>-<plans>.csv`` under 100 characters: the agency key cut to 40 characters, and
        the plan list named by a short hash when it is longer than one plan (file systems stop at 255 bytes)."""
        agency = _UNSAFE_RE.sub("-", key.lower()).strip("-")[:40] or "co-quan"
        plans = sorted(set(plans or ()))
        if not plans:
            scope = "tat-ca"
        elif len(plans) == 1:
            scope = _UNSAFE_RE.sub("-", plans[0].lower()).strip("-")[:40]
        else:
            scope = f"{len(plans)}-ke-hoach-" + hashlib.sha1("\n".join(plans).encode()).hexdigest()[:8]
        return f"nhiem-vu-{agency}-{scope}.csv"

    def write(self, key: str, plans, text: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / self.file_name(key, plans)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")  # two visitors may export the same table
        tmp.write_text(text, encoding="utf-8-sig")  # BOM so spreadsheet programs read Vietnamese
        tmp.replace(path)
        return path

    def cleanup(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
