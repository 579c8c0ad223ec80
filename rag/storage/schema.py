"""The tables (SQLAlchemy Core). One definition serves SQLite and PostgreSQL.

Times are naive UTC. Feedback and history keep the user's name as text, not a foreign key, so
removing an account never loses what was said; sessions belong to an account and go with it.
To change the schema, bump SCHEMA_VERSION and add the step to ``Database._migrate``.
"""
from __future__ import annotations

import sqlalchemy as sa

SCHEMA_VERSION = 1

metadata = sa.MetaData()

meta = sa.Table(
    "rag_meta", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(255), nullable=False),
)

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),  # sha256 of the cookie's token
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("expires_at", sa.DateTime, nullable=False, index=True),
)

login_failures = sa.Table(
    "login_failures", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user_name", sa.String(64), nullable=False),
    sa.Column("address", sa.String(64), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Index("ix_login_failures_user", "user_name", "at"),
    sa.Index("ix_login_failures_address", "address", "at"),
)

feedback = sa.Table(
    "feedback", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime, nullable=False, index=True),
    sa.Column("user_name", sa.String(64), nullable=True, index=True),
    sa.Column("rating", sa.String(8), nullable=False, index=True),  # up | down
    sa.Column("comment", sa.Text, nullable=False, default=""),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("answer", sa.Text, nullable=False),
    sa.Column("citations", sa.JSON, nullable=False),
    sa.Column("plans", sa.JSON, nullable=True),
    sa.Column("answerer", sa.String(32), nullable=False),
    sa.Column("index_version", sa.String(128), nullable=False),
)

history = sa.Table(
    "history", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("user_name", sa.String(64), nullable=True),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("answer_summary", sa.Text, nullable=False),
    sa.Column("plans", sa.JSON, nullable=True),
    sa.Index("ix_history_user", "user_name", "created_at"),
)
