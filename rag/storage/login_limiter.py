"""Log-in with back-off on failures, counted in the database so every replica sees the same count.

Failures are counted per (user name, client address) pair and per address, within
``window_s``. Past ``free_per_pair`` failures of one pair, that pair waits ``backoff_base_s``
doubled on every further failure (at most ``backoff_max_s``) after its last failure; past
``free_per_address`` failures from one address (any names), that address waits the same way. A
refused attempt is not counted and its password is not checked, so a guesser gets one try per wait.

Why pairs and not a per-user block: a block per user name let anyone lock a real user out by
typing wrong passwords for them from elsewhere; with pairs, the user with the right password from
their own address is not slowed by failures from other addresses. An address that keeps failing
is slowed down however many names it tries. The address is the socket's peer or, behind a
configured proxy only, its ``X-Forwarded-For`` (``ui/server.py``), so it cannot be chosen by the
visitor.
"""
from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from rag.storage import schema
from rag.storage.clock import utcnow
from rag.storage.records import LoginOutcome
from rag.storage.sessions import SessionStore
from rag.storage.users import MAX_NAME_CHARS, UserStore, normalise_name

log = logging.getLogger(__name__)

WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


def _wait_text(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} giây"
    return f"{round(seconds / 60)} phút"


class LoginLimiter:
    def __init__(self, engine: Engine, users: UserStore, sessions: SessionStore, free_per_pair: int = 5,
                 free_per_address: int = 20, window_s: float = 900.0, backoff_base_s: float = 1.0,
                 backoff_max_s: float = 900.0) -> None:
        self.engine = engine
        self.users = users
        self.sessions = sessions
        self.free_per_pair = free_per_pair
        self.free_per_address = free_per_address
        self.window = timedelta(seconds=window_s)
        self.base_s = backoff_base_s
        self.max_s = backoff_max_s

    def log_in(self, name: str, password: str, address: str) -> LoginOutcome:
        name = normalise_name(name)[:MAX_NAME_CHARS]
        address = (address or "unknown")[:64]
        wait = self.wait_s(name, address)
        if wait > 0:
            log.warning("log-in refused for %r from %s: backing off after failures (retry in %.0f s)", name, address,
                        wait)
            return LoginOutcome(message=f"Đăng nhập sai nhiều lần. Vui lòng thử lại sau {_wait_text(wait)}.",
                                retry_after_s=wait)
        user = self.users.check_password(name, password)
        f = schema.login_failures
        if user is None:
            now = utcnow()
            with self.engine.begin() as conn:
                conn.execute(f.delete().where(f.c.at < now - self.window))
                conn.execute(f.insert().values(user_name=name, address=address, at=now))
            log.info("failed log-in for %r from %s", name, address)
            return LoginOutcome(message=WRONG)
        with self.engine.begin() as conn:  # this pair starts afresh; failures from other addresses stay counted
            conn.execute(f.delete().where(f.c.user_name == name, f.c.address == address))
        log.info("user %s logged in from %s", name, address)
        return LoginOutcome(user=user, token=self.sessions.create(user.name))

    def _delay_s(self, failures: int, free: int) -> float:
        if failures < free:
            return 0.0
        return min(self.max_s, self.base_s * 2.0 ** min(failures - free, 60))

    def wait_s(self, name: str, address: str) -> float:
        """Seconds before ``name`` may try again from ``address`` (0: now)."""
        now = utcnow()
        f = schema.login_failures
        recent = f.c.at > now - self.window
        waits = [0.0]
        with self.engine.connect() as conn:
            for where, free in (((f.c.user_name == name, f.c.address == address), self.free_per_pair),
                                ((f.c.address == address,), self.free_per_address)):
                count, last = conn.execute(sa.select(sa.func.count(), sa.func.max(f.c.at)).where(recent, *where)).one()
                delay = self._delay_s(int(count or 0), free)
                if delay and last is not None:
                    waits.append((last + timedelta(seconds=delay) - now).total_seconds())
        return max(waits)
