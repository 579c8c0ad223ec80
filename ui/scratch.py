"""The server's temporary files: one folder under the data directory, removed at every exit, and
swept at the next start if the process could not remove it (``kill -9``, a power cut).

Before, each part of the page made its own ``/tmp/rag-*`` folder and removed it with ``atexit``,
which never runs on SIGTERM (the default action ends the process at once): 20 stopped servers left
40 folders. Now:

- ``open_scratch(settings)`` makes ``<data_dir>/tmp/<pid>-<random>/``, points ``tempfile`` (and the
  ``TMPDIR`` of child processes: parsing, OCR) at it, and registers its removal at exit;
- SIGTERM is turned into the same path as Ctrl-C (KeyboardInterrupt in the main thread: Gradio
  closes the server, Python unwinds and runs the exit handlers), so both remove the folder;
- at start, folders of processes that no longer run are removed (the sweep).
"""
from __future__ import annotations

import atexit
import logging
import os
import shutil
import signal
import tempfile
import threading
import uuid
from pathlib import Path

log = logging.getLogger(__name__)

FOLDER = "tmp"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def sweep(root: Path) -> list[Path]:
    """Remove the folders under ``root`` whose process has ended; returns them."""
    removed = []
    if not root.is_dir():
        return removed
    for folder in root.iterdir():
        pid = folder.name.split("-", 1)[0]
        if folder.is_dir() and pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    if removed:
        log.info("removed %d temporary folder(s) left by stopped servers under %s", len(removed), root)
    return removed


def _terminate_as_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def stop_cleanly_on_sigterm() -> None:
    """SIGTERM ends the server the way Ctrl-C does, so exit handlers run (main thread only)."""
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) in (
            signal.SIG_DFL, None):
        signal.signal(signal.SIGTERM, _terminate_as_interrupt)


_opened: Path | None = None
_before: tuple[str | None, str | None] = (None, None)  # tempfile.tempdir and TMPDIR before open_scratch


def open_scratch(data_dir: Path) -> Path:
    """This process's temporary folder under ``data_dir/tmp`` (made once; later calls return it)."""
    global _opened, _before
    if _opened is not None and _opened.is_dir():
        return _opened
    root = Path(data_dir) / FOLDER
    root.mkdir(parents=True, exist_ok=True)
    sweep(root)
    folder = root / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(mode=0o700)
    _before = (tempfile.tempdir, os.environ.get("TMPDIR"))
    tempfile.tempdir = str(folder)  # mkdtemp() and friends in this process
    os.environ["TMPDIR"] = str(folder)  # and in child processes
    atexit.register(close_scratch)
    stop_cleanly_on_sigterm()
    _opened = folder
    return folder


def close_scratch() -> None:
    """Remove this process's temporary folder and point ``tempfile`` and ``TMPDIR`` back where they
    were (at exit, and when a server run inside a longer process, such as a test, is closed)."""
    global _opened
    if _opened is None:
        return
    shutil.rmtree(_opened, ignore_errors=True)
    tempfile.tempdir = _before[0]
    if _before[1] is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = _before[1]
    _opened = None
