"""The questions each user asked, with a short summary of the answer they got."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from rag.storage import schema
from rag.storage.clock import utcnow
from rag.storage.records import HistoryEntry

SUMMARY_CHARS = 300


def summarise(answer: str, limit: int = SUMMARY_CHARS) -> str:
    text = " ".join((answer or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class HistoryStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, entry: HistoryEntry) -> int:
        values = dict(created_at=entry.created_at or utcnow(), user_name=entry.user_name, question=entry.question,
                      answer_summary=summarise(entry.answer_summary),
                      plans=list(entry.plans) if entry.plans is not None else None)
        with self.engine.begin() as conn:
            return int(conn.execute(schema.history.insert().values(**values)).inserted_primary_key[0])

    def of_user(self, user_name: str | None, limit: int = 100) -> list[HistoryEntry]:
        """A user's own questions, newest first (None: those asked on a page without accounts)."""
        t = schema.history
        owner = t.c.user_name.is_(None) if user_name is None else t.c.user_name == user_name
        q = sa.select(t).where(owner).order_by(t.c.created_at.desc(), t.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [HistoryEntry(question=r.question, answer_summary=r.answer_summary, user_name=r.user_name,
                                 plans=r.plans, id=r.id, created_at=r.created_at) for r in conn.execute(q)]
