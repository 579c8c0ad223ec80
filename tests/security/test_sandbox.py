"""Item 4 of issue 16: the child-process runner that parses uploads (``rag/sandbox.py``). A job that
needs too much memory or time ends the child, not the caller; the caller's memory does not grow."""
from __future__ import annotations

import resource
import time

import pytest

from rag.sandbox import ChildFailed, Limits, run_limited


def hog(megabytes: int) -> int:
    block = bytearray(megabytes * 1024 * 1024)
    return len(block)


def sleeper(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def reporter(steps: int, progress=None) -> int:
    for n in range(steps):
        progress(n / steps, f"bước {n}")
    return steps


def refuser() -> None:
    from rag.ingest.errors import IngestError

    raise IngestError("Tệp «x» bị từ chối.", "zip-bomb")


def test_a_job_past_the_memory_limit_ends_the_child_not_the_caller():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ChildFailed) as failed:
        run_limited(hog, 2048, limits=Limits(memory_mb=512, timeout_s=120))
    assert failed.value.reason == "memory"
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # KB: the 2 GB never came here
    assert run_limited(hog, 64, limits=Limits(memory_mb=512, timeout_s=120)) == 64 * 1024 * 1024


def test_a_job_past_the_time_limit_is_killed():
    with pytest.raises(ChildFailed) as failed:
        run_limited(sleeper, 60, limits=Limits(timeout_s=2))
    assert failed.value.reason == "timeout"


def test_progress_and_refusals_come_back_whole():
    seen = []
    assert run_limited(reporter, 3, progress=lambda share, message: seen.append((share, message))) == 3
    assert [m for _, m in seen] == ["bước 0", "bước 1", "bước 2"]
    from rag.ingest.errors import IngestError

    with pytest.raises(IngestError) as refused:
        run_limited(refuser)
    assert refused.value.reason == "zip-bomb" and str(refused.value) == "Tệp «x» bị từ chối."
