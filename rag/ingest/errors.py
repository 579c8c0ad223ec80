"""The one error of ingestion: a file or request the user can fix, said in one Vietnamese line."""
from __future__ import annotations


class IngestError(Exception):
    """Refusal to add a plan. ``str(exc)`` is one line in Vietnamese, shown as is; nothing was written."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or "refused"  # a short English tag for logs and tests

    def __reduce__(self):  # kept whole when a parse in a child process (rag/sandbox.py) refuses a file
        return (type(self), (str(self), self.reason))
