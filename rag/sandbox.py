"""Run one parsing job in a child process with a memory limit and a time limit.

Parsing an uploaded file (a plan on the page or by ``rag add``) runs library code over input
nobody vetted: a DOCX of 685 KB grew the server from 215 MB to 2 GB for good in the probe. In a
child process, a file that needs too much memory or time kills the child, not the server, and
whatever memory the parse took goes back to the system when the child ends.

- The child is a fresh interpreter (``python -m rag.sandbox``), not a fork: it holds no copy of
  the server's index, threads or locks, and nothing of the caller's main module is re-run (which
  ``multiprocessing``'s spawn and forkserver methods do). Starting it costs about a second of
  imports, paid only by files that passed the cheap checks made before.
- The job (a module-level function and its arguments) goes to the child's stdin by pickle; results,
  progress and exceptions come back on a private pipe (the child's stdout is pointed at stderr, so
  a library that prints cannot break the frames).
- ``resource.setrlimit(RLIMIT_AS)`` caps the child's address space (``memory_mb``): Python raises
  MemoryError, or the kernel kills the child; both end as ``ChildFailed("memory")``.
- Past ``timeout_s`` the child is killed (SIGKILL): ``ChildFailed("timeout")``.
- ``progress(share, message)`` calls in the child are replayed in the parent (the page's progress bar).
"""
from __future__ import annotations

import logging
import os
import pickle
import queue
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]
_OUT_OF_MEMORY = 3  # the child's exit code when even reporting MemoryError failed


class ChildFailed(RuntimeError):
    """The job did not finish: ``reason`` is "memory", "timeout" or "crashed"."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 1536  # 0: no limit
    timeout_s: float = 600.0


def _child_environment() -> dict[str, str]:
    """The parent's environment, with its import path, so the child imports the same code."""
    paths = [p for p in sys.path if p and os.path.isdir(p)]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths))}


def _read_frames(stream, into: queue.Queue) -> None:
    try:
        while True:
            into.put(pickle.load(stream))
    except (EOFError, pickle.UnpicklingError, OSError, ValueError):
        into.put(None)  # the pipe closed: the child ended


def _failure_of(exitcode: int | None, memory_mb: int) -> ChildFailed:
    if exitcode in (_OUT_OF_MEMORY, -signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT) and memory_mb:
        return ChildFailed("memory", f"exit code {exitcode}, limit {memory_mb} MB")
    return ChildFailed("crashed", f"exit code {exitcode}")


def run_limited(fn, *args, limits: Limits = Limits(), progress: Progress | None = None, **kwargs):
    """``fn(*args, **kwargs)`` in a child process (``fn``: an importable module-level function). With
    ``progress``, ``fn`` is given a ``progress`` keyword whose calls reach ``progress`` here. Returns
    what ``fn`` returned; raises what it raised, or ChildFailed."""
    job = pickle.dumps((fn, args, kwargs, progress is not None, limits.memory_mb))
    name = f"rag-parse-{getattr(fn, '__name__', 'job')}"
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, "-m", "rag.sandbox"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             env=_child_environment(), close_fds=True, start_new_session=True)
    frames: queue.Queue = queue.Queue()
    reader = threading.Thread(target=_read_frames, args=(child.stdout, frames), name=f"{name}-reader", daemon=True)
    reader.start()
    try:
        try:
            child.stdin.write(job)
            child.stdin.close()
        except BrokenPipeError:
            pass  # the child died at once; its exit code says why below
        deadline = started + limits.timeout_s
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                log.warning("%s: killed after %.0f s (time limit)", name, limits.timeout_s)
                raise ChildFailed("timeout", f"{limits.timeout_s:.0f} s")
            try:
                frame = frames.get(timeout=min(left, 1.0))
            except queue.Empty:
                continue
            if frame is None:
                code = child.wait(10)
                log.warning("%s: ended without an answer (exit code %s)", name, code)
                raise _failure_of(code, limits.memory_mb)
            kind, value = frame
            if kind == "progress":
                if progress is not None:
                    progress(*value)
            elif kind == "ok":
                return value
            elif kind == "memory":
                log.warning("%s: out of memory (limit %d MB)", name, limits.memory_mb)
                raise ChildFailed("memory", f"limit {limits.memory_mb} MB")
            else:
                raise value
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(10)
        child.stdout.close()
        log.info("%s: %.2f s, exit code %s", name, time.monotonic() - started, child.returncode)


# --- the child ---------------------------------------------------------------------------------

def _serve_one() -> int:
    frames = os.fdopen(os.dup(1), "wb")  # the private pipe to the parent
    os.dup2(2, 1)  # anything printed goes to stderr, never into the frames
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which ends us
    fn, args, kwargs, with_progress, memory_mb = pickle.load(sys.stdin.buffer)
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    def send(kind: str, value) -> None:
        pickle.dump((kind, value), frames)
        frames.flush()

    if with_progress:
        kwargs = {**kwargs, "progress": lambda share, message: send("progress", (share, message))}
    try:
        result = ("ok", fn(*args, **kwargs))
    except MemoryError:
        result = ("memory", None)
    except Exception as exc:  # raised again in the parent
        result = ("error", exc)
    try:
        send(*result)
    except MemoryError:
        return _OUT_OF_MEMORY
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        send("error", RuntimeError(f"{type(result[1]).__name__}: {result[1]} (not picklable: {exc})"))
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=os.environ.get("RAG_LOG_LEVEL", "WARNING").upper(),
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    sys.exit(_serve_one())
