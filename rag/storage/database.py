"""The one storage module's entry point: an engine for SQLite (default) or PostgreSQL, the
schema created if missing, and the stores that read and write it.

SQLite needs no set-up: a file in ``Settings.data_dir``, in WAL mode so readers never wait for
the writer, with a busy timeout so concurrent writers queue instead of failing. PostgreSQL is
used when ``Settings.database_url`` is set (``postgresql://…`` is driven by psycopg 3); several
server replicas can then share it. Schema creation runs under an advisory lock on PostgreSQL so
replicas starting together do not race.
"""
from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

from rag.config import Settings
from rag.storage import schema
from rag.storage.feedback import FeedbackStore
from rag.storage.history import HistoryStore
from rag.storage.login_limiter import LoginLimiter
from rag.storage.sessions import SessionStore
from rag.storage.users import UserStore

log = logging.getLogger(__name__)

SQLITE_FILE = "rag.sqlite3"
_MIGRATION_LOCK = 0x7261_6700  # any constant shared by every replica ("rag")


class StorageError(RuntimeError):
    """The database cannot be opened; the message is Vietnamese."""


def database_url(settings: Settings) -> URL:
    if settings.database_url:
        try:
            url = make_url(settings.database_url)
        except sa.exc.ArgumentError as exc:
            raise StorageError(f"RAG_DATABASE_URL không hợp lệ: {exc}") from exc
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        return url
    return URL.create("sqlite", database=str(Path(settings.data_dir) / SQLITE_FILE))


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    # the busy timeout first: switching to WAL needs a moment's lock that a replica opening at the
    # same time may hold, and without the timeout that switch fails at once with "database is locked"
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _private_file(path: Path) -> None:
    """Create the SQLite file readable by its owner only (it holds password hashes and sessions), and
    narrow an older one left 0644; SQLite gives its -wal and -shm files the same mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    if path.stat().st_mode & 0o077:
        try:
            os.chmod(path, 0o600)
        except PermissionError:  # not ours: leave it, say so
            log.warning("%s is readable by other users and not ours to narrow (chmod 600 it)", path)
    for extra in ("-wal", "-shm"):
        side = path.with_name(path.name + extra)
        if side.exists() and side.stat().st_mode & 0o077:
            with contextlib.suppress(PermissionError):
                os.chmod(side, 0o600)


def make_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            _private_file(Path(url.database))
        engine = sa.create_engine(url, connect_args={"timeout": 10})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


class Database:
    """Configured with the settings; ``users``, ``sessions``, ``logins``, ``feedback`` and
    ``history`` do the work."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.url = database_url(settings)
        self.engine = make_engine(self.url)
        try:
            self._migrate()
        except sa.exc.OperationalError as exc:
            self.engine.dispose()
            where = self.url.render_as_string(hide_password=True)
            log.error("cannot open the database %s: %s", where, exc)
            raise StorageError(f"Không mở được cơ sở dữ liệu {where}: {exc.orig}") from exc
        self.users = UserStore(self.engine)
        self.sessions = SessionStore(self.engine, session_hours=settings.session_hours)
        self.logins = LoginLimiter(self.engine, self.users, self.sessions,
                                   free_per_pair=settings.login_free_failures_per_pair,
                                   free_per_address=settings.login_free_failures_per_address,
                                   window_s=settings.login_window_s, backoff_base_s=settings.login_backoff_base_s,
                                   backoff_max_s=settings.login_backoff_max_s)
        self.feedback = FeedbackStore(self.engine)
        self.history = HistoryStore(self.engine)

    @property
    def backend(self) -> str:
        return self.url.get_backend_name()

    def describe(self) -> str:
        return self.url.render_as_string(hide_password=True)

    def _migrate(self) -> None:
        """Create what is missing and record the schema version (create-if-missing at start), holding
        the database's write lock so replicas starting together do it one after another."""
        if self.backend == "sqlite":
            # pysqlite defers BEGIN; in autocommit mode the explicit BEGIN IMMEDIATE takes the lock now
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                try:
                    self._create(conn)
                except BaseException:
                    conn.exec_driver_sql("ROLLBACK")
                    raise
                conn.exec_driver_sql("COMMIT")
            return
        with self.engine.begin() as conn:
            if self.backend == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
            self._create(conn)

    @staticmethod
    def _create(conn) -> None:
        schema.metadata.create_all(conn, checkfirst=True)
        row = conn.execute(sa.select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")).first()
        if row is None:
            conn.execute(schema.meta.insert().values(key="schema_version", value=str(schema.SCHEMA_VERSION)))
        elif int(row.value) > schema.SCHEMA_VERSION:
            raise StorageError(f"Cơ sở dữ liệu có lược đồ phiên bản {row.value}, mới hơn phiên bản "
                               f"{schema.SCHEMA_VERSION} của chương trình này; hãy cập nhật chương trình.")

    def close(self) -> None:
        self.engine.dispose()


def open_database(settings: Settings) -> Database:
    return Database(settings)
