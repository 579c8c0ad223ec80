"""Times as the storage keeps them: naive UTC (the same on SQLite and PostgreSQL).

The one seam for time in the storage: ``utcnow`` reads the source set by ``use`` (tests pass a
fake clock to step log-in back-off and session expiry forward without sleeping)."""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime


def _system() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


_source: Callable[[], datetime] = _system


def utcnow() -> datetime:
    return _source()


@contextlib.contextmanager
def use(source: Callable[[], datetime]) -> Iterator[None]:
    """Within the block, ``utcnow()`` answers ``source()`` (a naive UTC datetime)."""
    global _source
    previous, _source = _source, source
    try:
        yield
    finally:
        _source = previous
