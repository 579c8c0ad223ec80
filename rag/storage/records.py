"""Plain data kept by the storage: roles, accounts, feedback on answers, questions asked."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class Role(enum.IntEnum):
    """Ordered: each role may do what the roles below it may. A reader asks; an evaluator also
    runs question sets; an admin also manages plans and reads the feedback."""

    READER = 1
    EVALUATOR = 2
    ADMIN = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Role":
        try:
            return cls[str(text).strip().upper()]
        except KeyError:
            raise AccountError(f"Vai trò «{text}» không hợp lệ; chọn reader, evaluator hoặc admin.") from None


class Rating(enum.Enum):
    UP = "up"
    DOWN = "down"

    @property
    def symbol(self) -> str:
        return "👍" if self is Rating.UP else "👎"


class AccountError(ValueError):
    """A problem with an account the user can fix; the message is Vietnamese."""


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    created_at: datetime


@dataclass(frozen=True)
class Session:
    user: User
    expires_at: datetime  # naive UTC


@dataclass(frozen=True)
class Feedback:
    """What a user said about one answer, with everything needed to reproduce it."""

    rating: Rating
    question: str
    answer: str
    citations: list[dict] = field(default_factory=list)  # [{plan_id, clause, path, text}]
    plans: list[str] | None = None  # the plan filter (None: all plans)
    answerer: str = "default"
    index_version: str = ""
    user_name: str | None = None  # None: a page without accounts (loopback)
    comment: str = ""
    id: int | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class HistoryEntry:
    question: str
    answer_summary: str
    user_name: str | None = None
    plans: list[str] | None = None
    id: int | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class LoginOutcome:
    """The answer to one log-in attempt: a session token, or why not (Vietnamese)."""

    user: User | None = None
    token: str | None = None
    message: str = ""
    retry_after_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.token is not None
