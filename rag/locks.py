"""One lock a folder, across processes: an advisory ``flock`` on a lock file in that folder. Used where
two processes may change the same files at once (index builds, corpus adds and removes)."""
from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def folder_lock(folder: Path, name: str) -> Iterator[None]:
    """Hold ``<folder>/<name>`` exclusively for the block (other processes wait)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / name).open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
