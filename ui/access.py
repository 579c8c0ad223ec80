"""Who may see what on the page: the roles, and the one function the tabs ask.

Roles (``rag.storage.Role``): a reader asks; an evaluator also runs question sets; an admin also
manages plans and reads the feedback. A page without log-in (bound to loopback, no accounts,
``require_login`` off) treats every visitor as an admin; with log-in, ``role_of`` is the role of
the account behind the request (``gr.Request.username``, set by ``ui/login.py``), or None. Tabs
that need more than reading call ``role_of`` from a ``demo.load`` handler and show themselves
when ``allows`` says so.
"""
from __future__ import annotations

import ipaddress
import threading
import time
from typing import TYPE_CHECKING

import gradio as gr

from rag.storage.records import Role

if TYPE_CHECKING:
    from rag.storage import Database

__all__ = ["Access", "Role", "is_loopback"]

ROLE_CACHE_S = 5.0


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Access:
    """Configured with the address the server binds to and, when the page has log-in, the
    database that holds the accounts."""

    def __init__(self, host: str = "127.0.0.1", db: "Database | None" = None, login: bool = False) -> None:
        self.host = host
        self.db = db
        self.login = login and db is not None
        self._roles: dict[str, tuple[Role | None, float]] = {}
        self._lock = threading.Lock()

    def user_name(self, request: gr.Request | None) -> str | None:
        """The logged-in account's name (None on a page without log-in)."""
        return (getattr(request, "username", None) or None) if self.login else None

    def role_of(self, request: gr.Request | None) -> Role | None:
        """The role of the visitor behind ``request`` (None: not logged in)."""
        if not self.login:
            return Role.ADMIN if is_loopback(self.host) else Role.READER
        name = self.user_name(request)
        if not name:
            return None
        now = time.monotonic()
        with self._lock:
            hit = self._roles.get(name)
        if hit and hit[1] > now:
            return hit[0]
        user = self.db.users.get(name)  # a removed account or a changed role counts within seconds
        role = user.role if user else None
        with self._lock:
            self._roles[name] = (role, now + ROLE_CACHE_S)
        return role

    def allows(self, request: gr.Request | None, needed: Role) -> bool:
        role = self.role_of(request)
        return role is not None and role >= needed
