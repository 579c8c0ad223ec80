"""Times as the storage keeps them: naive UTC (the same on SQLite and PostgreSQL).

The one clock of the storage and the log-in: every module calls ``utcnow()``, which asks the
current source. Tests install a ``FakeClock`` (``with use_clock(clock): … clock.advance(21)``)
instead of sleeping until a session or a log-in window expires."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta


def system_utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


_source: Callable[[], datetime] = system_utcnow


def utcnow() -> datetime:
    return _source()


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or system_utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@contextmanager
def use_clock(source: Callable[[], datetime]) -> Iterator[Callable[[], datetime]]:
    """``utcnow()`` asks ``source`` inside the block, the system clock again after it."""
    global _source
    previous, _source = _source, source
    try:
        yield source
    finally:
        _source = previous
