"""Times as the storage keeps them: naive UTC (the same on SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
