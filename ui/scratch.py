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


STOP_RETRY_S = 5  # a stop not taken is asked again this often …
STOP_RETRIES = 4  # … this many times, then the process ends at once (its folder removed first)
_stopping = threading.Event()
_exiting = threading.Event()  # set by the first exit handler: the stop was taken, the process is ending


def _terminate_as_interrupt(signum, frame) -> None:
    if not _stopping.is_set():
        _stopping.set()
        threading.Thread(target=_insist, args=(signum,), name="stop-watchdog", daemon=True).start()
    raise KeyboardInterrupt(f"signal {signum}")


def _insist(signum: int) -> None:
    """A stop must stop. Once, in a full test run, a server took Ctrl-C while starting and went on
    serving: the KeyboardInterrupt was lost somewhere in the web framework's start (not found). So a
    stop not taken is sent again, and if the server still runs, it ends at once."""
    for _ in range(STOP_RETRIES):
        if _exiting.wait(STOP_RETRY_S):
            return
        log.warning("still running %d s after signal %d: sending it again", STOP_RETRY_S, signum)
        os.kill(os.getpid(), signum)
    if _exiting.wait(STOP_RETRY_S):
        return
    log.error("did not stop after signal %d; ending now", signum)
    close_scratch()
    logging.shutdown()
    os._exit(1)


def stop_cleanly_on_sigterm() -> None:
    """SIGTERM ends the server the way Ctrl-C does, so exit handlers run; both are made sure to stop
    it (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        return
    atexit.register(_exiting.set)  # registered last, so it runs first at exit
    for sig, default in ((signal.SIGTERM, (signal.SIG_DFL, None)), (signal.SIGINT, (signal.default_int_handler,))):
        if signal.getsignal(sig) in default:
            signal.signal(sig, _terminate_as_interrupt)


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
