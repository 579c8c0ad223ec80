"""Log-in sessions: a random token in the visitor's cookie, only its sha256 in the database, and
an expiry. Shared by every replica that uses the same database."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from rag.storage import schema
from rag.storage.clock import utcnow
from rag.storage.records import Role, Session, User


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class SessionStore:
    def __init__(self, engine: Engine, session_hours: float = 12.0) -> None:
        self.engine = engine
        self.lifetime = timedelta(hours=session_hours)

    def create(self, user_name: str) -> str:
        """A new session for the user; returns the token for the cookie."""
        token = secrets.token_urlsafe(32)
        now = utcnow()
        with self.engine.begin() as conn:
            user_id = conn.execute(sa.select(schema.users.c.id).where(schema.users.c.name == user_name)).scalar_one()
            conn.execute(schema.sessions.delete().where(schema.sessions.c.expires_at <= now))
            conn.execute(schema.sessions.insert().values(token_hash=token_hash(token), user_id=user_id,
                                                         created_at=now, expires_at=now + self.lifetime))
        return token

    def find(self, token: str | None) -> Session | None:
        """The unexpired session ``token`` opens, else None."""
        if not token:
            return None
        q = (sa.select(schema.users.c.name, schema.users.c.role, schema.users.c.created_at, schema.sessions.c.expires_at)
             .join(schema.sessions, schema.sessions.c.user_id == schema.users.c.id)
             .where(schema.sessions.c.token_hash == token_hash(token), schema.sessions.c.expires_at > utcnow()))
        with self.engine.connect() as conn:
            r = conn.execute(q).first()
        return Session(User(r.name, Role.parse(r.role), r.created_at), r.expires_at) if r else None

    def user_of(self, token: str | None) -> User | None:
        """The user whose unexpired session ``token`` is, else None."""
        found = self.find(token)
        return found.user if found else None

    def end(self, token: str | None) -> None:
        if token:
            with self.engine.begin() as conn:
                conn.execute(schema.sessions.delete().where(schema.sessions.c.token_hash == token_hash(token)))
