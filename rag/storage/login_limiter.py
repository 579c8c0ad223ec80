"""Log-in with a limit on failures per user name and per client address, counted in the
database so every replica sees the same count."""
from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from rag.storage import schema
from rag.storage.clock import utcnow
from rag.storage.records import LoginOutcome
from rag.storage.sessions import SessionStore
from rag.storage.users import UserStore, normalise_name

log = logging.getLogger(__name__)

WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


class LoginLimiter:
    def __init__(self, engine: Engine, users: UserStore, sessions: SessionStore, max_per_user: int = 5,
                 max_per_address: int = 20, window_s: float = 900.0) -> None:
        self.engine = engine
        self.users = users
        self.sessions = sessions
        self.max_per_user = max_per_user
        self.max_per_address = max_per_address
        self.window = timedelta(seconds=window_s)

    def log_in(self, name: str, password: str, address: str) -> LoginOutcome:
        name = normalise_name(name)[:64]
        address = (address or "unknown")[:64]
        wait = self.wait_s(name, address)
        if wait > 0:
            log.warning("log-in refused for %r from %s: too many failures (retry in %.0f s)", name, address, wait)
            minutes = max(1, round(wait / 60))
            return LoginOutcome(message=f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau khoảng {minutes} phút.",
                                retry_after_s=wait)
        user = self.users.check_password(name, password)
        if user is None:
            now = utcnow()
            with self.engine.begin() as conn:
                conn.execute(schema.login_failures.delete().where(schema.login_failures.c.at < now - self.window))
                conn.execute(schema.login_failures.insert().values(user_name=name, address=address, at=now))
            log.info("failed log-in for %r from %s", name, address)
            return LoginOutcome(message=WRONG)
        with self.engine.begin() as conn:
            conn.execute(schema.login_failures.delete().where(schema.login_failures.c.user_name == name))
        log.info("user %s logged in from %s", name, address)
        return LoginOutcome(user=user, token=self.sessions.create(user.name))

    def wait_s(self, name: str, address: str) -> float:
        """Seconds before ``name`` or ``address`` may try again (0: now)."""
        now = utcnow()
        since = now - self.window
        f = schema.login_failures
        waits = [0.0]
        with self.engine.connect() as conn:
            for column, value, limit in ((f.c.user_name, name, self.max_per_user),
                                         (f.c.address, address, self.max_per_address)):
                q = sa.select(sa.func.count(), sa.func.min(f.c.at)).where(column == value, f.c.at > since)
                count, oldest = conn.execute(q).one()
                if count >= limit and oldest is not None:
                    waits.append((oldest + self.window - now).total_seconds())
        return max(waits)
