"""Accounts: a name, a role and a salted argon2id password hash (argon2-cffi)."""
from __future__ import annotations

import logging
import re
import threading
import unicodedata

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.engine import Engine

from rag.storage import schema
from rag.storage.clock import utcnow
from rag.storage.records import AccountError, Role, User

log = logging.getLogger(__name__)

MIN_PASSWORD_CHARS = 8
# the one limit `rag user add` and /login share: longer passwords are refused when set and never hashed at log-in
MAX_PASSWORD_CHARS = 256
MAX_NAME_CHARS = 64
# argon2id takes 64 MiB per hash: at most this many at once, so a burst of log-ins cannot exhaust memory
_HASHING = threading.BoundedSemaphore(2)
_NAME = re.compile(r"^[\w.@-]{1,64}$")


def normalise_name(name: str) -> str:
    """User names are compared as typed, less case and surrounding spaces (NFC)."""
    return unicodedata.normalize("NFC", str(name or "")).strip().lower()


def normalise_password(password: str) -> str:
    """NFC, so «ệ» typed as one code point or as «e» + two combining marks (Windows-1258 keyboards,
    some phones) is the same password."""
    return unicodedata.normalize("NFC", str(password or ""))


def check_new_password(password: str) -> str:
    """The NFC password, or AccountError when it is too short or too long (as typed: the length
    /login checks before normalising)."""
    if len(str(password or "")) > MAX_PASSWORD_CHARS:
        raise AccountError(f"Mật khẩu dài quá {MAX_PASSWORD_CHARS} ký tự.")
    password = normalise_password(password)
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD_CHARS} ký tự.")
    return password


class UserStore:
    def __init__(self, engine: Engine, hasher: PasswordHasher | None = None) -> None:
        self.engine = engine
        self.hasher = hasher or PasswordHasher()  # argon2id, RFC 9106 low-memory profile, random salt
        # verified against when the name is unknown, so a wrong name costs as long as a wrong password
        self._dummy_hash = self.hasher.hash("not-a-password")

    def add(self, name: str, password: str, role: Role) -> User:
        name = normalise_name(name)
        if not _NAME.match(name):
            raise AccountError("Tên người dùng chỉ gồm chữ, số và . _ - @ (tối đa 64 ký tự).")
        password = check_new_password(password)
        now = utcnow()
        try:
            with self.engine.begin() as conn:
                with _HASHING:
                    hashed = self.hasher.hash(password)
                conn.execute(schema.users.insert().values(name=name, role=role.label, password_hash=hashed,
                                                          created_at=now))
        except sa.exc.IntegrityError:
            raise AccountError(f"Người dùng «{name}» đã có.") from None
        log.info("user %s added with role %s", name, role.label)
        return User(name, role, now)

    def remove(self, name: str) -> None:
        name = normalise_name(name)
        with self.engine.begin() as conn:
            user_id = conn.execute(sa.select(schema.users.c.id).where(schema.users.c.name == name)).scalar()
            if user_id is None:
                raise AccountError(f"Không có người dùng «{name}».")
            conn.execute(schema.sessions.delete().where(schema.sessions.c.user_id == user_id))
            conn.execute(schema.users.delete().where(schema.users.c.id == user_id))
        log.info("user %s removed", name)

    def list(self) -> list[User]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(schema.users).order_by(schema.users.c.name)).all()
        return [User(r.name, Role.parse(r.role), r.created_at) for r in rows]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(schema.users)).scalar() or 0)

    def get(self, name: str) -> User | None:
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(schema.users).where(schema.users.c.name == normalise_name(name))).first()
        return User(r.name, Role.parse(r.role), r.created_at) if r else None

    def check_password(self, name: str, password: str) -> User | None:
        """The user if ``password`` is theirs, else None (in about the same time either way)."""
        name = normalise_name(name)
        raw = str(password or "")
        if len(raw) > MAX_PASSWORD_CHARS:  # longer than any password that could be set: never hashed
            return None
        password = normalise_password(raw)
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(schema.users).where(schema.users.c.name == name)).first()
        stored = r.password_hash if r else self._dummy_hash
        ok = self._verify(stored, password)
        rehash = False
        if not ok and r is not None and raw != password:
            # set before passwords were NFC-normalised, typed in the same (decomposed) form: accept once, store NFC
            ok = rehash = self._verify(stored, raw)
        if not ok or r is None:
            return None
        if rehash or self.hasher.check_needs_rehash(r.password_hash):  # NFC now, or the library's parameters got stronger
            with self.engine.begin() as conn:
                conn.execute(schema.users.update().where(schema.users.c.id == r.id)
                             .values(password_hash=self.hasher.hash(password)))
        return User(r.name, Role.parse(r.role), r.created_at)

    def _verify(self, stored: str, password: str) -> bool:
        try:
            with _HASHING:
                return self.hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
