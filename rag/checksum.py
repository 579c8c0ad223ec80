"""The sha256 of a file, for every stage that checks what it wrote or fetched (the index
manifest, the downloaded GGUF model)."""
from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: Path) -> str:
    """Hex sha256 of the file at ``path``, read in blocks (the file may be gigabytes)."""
    with Path(path).open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()
