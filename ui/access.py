"""Who may see what on the page: the roles, and the one function the tabs ask.

Roles: a reader asks; an evaluator also runs question sets; an admin also manages plans.
Until accounts exist (the issue on serving many users), the page has no log-in: every
visitor of a server bound to loopback is an admin, and a server bound beyond loopback
gives only the reader role. Tabs that need more than reading call ``role_of`` from a
``demo.load`` handler and show themselves when ``allows`` says so.
"""
from __future__ import annotations

import enum
import ipaddress

import gradio as gr


class Role(enum.IntEnum):
    """Ordered: each role may do what the roles below it may."""

    READER = 1
    EVALUATOR = 2
    ADMIN = 3


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Access:
    """Configured with the address the server binds to."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host

    def role_of(self, request: gr.Request | None) -> Role | None:
        """The role of the visitor behind ``request`` (None: not logged in)."""
        return Role.ADMIN if is_loopback(self.host) else Role.READER

    def allows(self, request: gr.Request | None, needed: Role) -> bool:
        role = self.role_of(request)
        return role is not None and role >= needed
