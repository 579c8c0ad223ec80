"""👍/👎 and comments on answers, with the question, answer, citations, plan filter, answerer
and index version; exported as CSV for the people who improve the plans and the assistant."""
from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from rag.storage import schema
from rag.storage.clock import utcnow
from rag.sheets import csv_text
from rag.storage.records import Feedback, Rating

MAX_COMMENT_CHARS = 2000
CSV_HEADERS = ["id", "thời gian (UTC)", "người dùng", "đánh giá", "góp ý", "câu hỏi", "câu trả lời",
               "trích dẫn", "kế hoạch lọc", "trình trả lời", "phiên bản chỉ mục"]


def _row_to_feedback(r) -> Feedback:
    return Feedback(rating=Rating(r.rating), question=r.question, answer=r.answer, citations=list(r.citations or []),
                    plans=r.plans, answerer=r.answerer, index_version=r.index_version, user_name=r.user_name,
                    comment=r.comment or "", id=r.id, created_at=r.created_at)


class FeedbackStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, fb: Feedback) -> int:
        values = dict(created_at=fb.created_at or utcnow(), user_name=fb.user_name, rating=fb.rating.value,
                      comment=(fb.comment or "")[:MAX_COMMENT_CHARS], question=fb.question, answer=fb.answer,
                      citations=list(fb.citations), plans=list(fb.plans) if fb.plans is not None else None,
                      answerer=fb.answerer, index_version=fb.index_version)
        with self.engine.begin() as conn:
            return int(conn.execute(schema.feedback.insert().values(**values)).inserted_primary_key[0])

    def update(self, feedback_id: int, user_name: str | None, rating: Rating | None = None,
               comment: str | None = None) -> bool:
        """Change a user's own feedback (the rating, when they click the other thumb; the comment)."""
        changes = {}
        if rating is not None:
            changes["rating"] = rating.value
        if comment is not None:
            changes["comment"] = comment[:MAX_COMMENT_CHARS]
        if not changes:
            return False
        t = schema.feedback
        owner = t.c.user_name.is_(None) if user_name is None else t.c.user_name == user_name
        with self.engine.begin() as conn:
            return conn.execute(t.update().where(t.c.id == feedback_id, owner).values(**changes)).rowcount == 1

    def remove(self, feedback_id: int, user_name: str | None) -> bool:
        t = schema.feedback
        owner = t.c.user_name.is_(None) if user_name is None else t.c.user_name == user_name
        with self.engine.begin() as conn:
            return conn.execute(t.delete().where(t.c.id == feedback_id, owner)).rowcount == 1

    def get(self, feedback_id: int) -> Feedback | None:
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(schema.feedback).where(schema.feedback.c.id == feedback_id)).first()
        return _row_to_feedback(r) if r else None

    def list(self, rating: Rating | None = None, limit: int | None = None) -> list[Feedback]:
        """Newest first."""
        q = sa.select(schema.feedback).order_by(schema.feedback.c.created_at.desc(), schema.feedback.c.id.desc())
        if rating is not None:
            q = q.where(schema.feedback.c.rating == rating.value)
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [_row_to_feedback(r) for r in conn.execute(q)]

    def to_csv(self) -> str:
        """Every feedback, oldest first (as a log reads), through the shared writer: a comment that starts
        like a formula stays text."""
        return csv_text(CSV_HEADERS, (
            [fb.id, fb.created_at.isoformat(sep=" ", timespec="seconds"), fb.user_name or "", fb.rating.symbol,
             fb.comment, fb.question, fb.answer, json.dumps(fb.citations, ensure_ascii=False),
             ", ".join(fb.plans) if fb.plans else "tất cả", fb.answerer, fb.index_version]
            for fb in reversed(self.list())))
