"""Who may see what on the page: the roles, and the one function the tabs ask.

Roles (``rag.storage.Role``): a reader asks; an evaluator also runs question sets; an admin also
manages plans and reads the feedback. A page without log-in (bound to loopback, no accounts,
``require_login`` off) treats every visitor as an admin; with log-in, ``role_of`` is the role of
the account behind the request (``gr.Request.username``, set by ``ui/login.py``), or None. Tabs
that need more than reading call ``allows`` from a ``demo.load`` handler and show themselves
when it says so; whatever the page shows, every handler is registered through ``Wiring``, which
checks its role on the server at each call.
"""
from __future__ import annotations

import inspect
import ipaddress
import logging
import threading
import time
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING

import gradio as gr

from rag.storage.records import Role

if TYPE_CHECKING:
    from rag.storage import Database

__all__ = ["Access", "Refused", "Role", "Wiring", "guard", "is_loopback"]

log = logging.getLogger(__name__)

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


# --- the one place every event handler of the page is wired through ---------------------------

REFUSED = "Bạn không có quyền thực hiện thao tác này."
_REQUEST_PARAM = "rag_request"


class Refused(gr.Error):
    """A handler was called by someone whose role does not allow it (the message is Vietnamese)."""

    def __init__(self) -> None:
        super().__init__(REFUSED)


def guard(access: Access, role: Role, fn: Callable) -> Callable:
    """``fn`` behind a server-side role check at every call, whatever the page shows or hides.

    Gradio fills the caller's ``gr.Request`` into the extra last positional parameter the wrapper
    declares; the wrapper takes it out, refuses (``Refused``, an English WARNING naming the handler
    and the user) or calls ``fn`` with exactly what it asked for. Generators stay generators, so
    streaming handlers still stream. The wrapper carries ``rag_role`` (tests check that every
    handler of the page has one)."""
    sig = inspect.signature(fn)
    params = list(sig.parameters.values())
    at = next((i for i, p in enumerate(params) if p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)),
              len(params))
    extra = inspect.Parameter(_REQUEST_PARAM, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None,
                              annotation=gr.Request)
    inner = getattr(fn, "func", fn)  # a functools.partial: named by its function
    name = getattr(inner, "__qualname__", None) or repr(fn)

    def check(args: tuple) -> tuple:
        request = args[at] if len(args) > at else None
        if not access.allows(request, role):
            log.warning("refused handler %s to user %r (role %s, needs %s)", name, access.user_name(request),
                        getattr(access.role_of(request), "label", None), role.label)
            raise Refused()
        return args[:at] + args[at + 1:]

    if inspect.isgeneratorfunction(fn):
        def wrapper(*args, **kwargs):
            yield from fn(*check(args), **kwargs)
    else:
        def wrapper(*args, **kwargs):
            return fn(*check(args), **kwargs)
    try:
        hints = typing.get_type_hints(fn)
    except (NameError, TypeError):
        hints = {}
    wrapper.__signature__ = sig.replace(parameters=[*params[:at], extra, *params[at:]])
    wrapper.__annotations__ = {**hints, _REQUEST_PARAM: gr.Request}
    wrapper.__name__ = getattr(inner, "__name__", "handler")
    wrapper.__qualname__ = name
    wrapper.__doc__ = fn.__doc__
    wrapper.rag_role = role
    wrapper.rag_handler = fn
    return wrapper


class Wiring:
    """Registers the page's event handlers, each with the role it needs::

        wire.on(button.click, on_read, Role.ADMIN, inputs=…, outputs=…)

    Every handler goes through ``guard``; it is private (no named API endpoint) unless the call
    says otherwise. ``api`` registers the one public endpoint (``/ask``)."""

    def __init__(self, access: Access) -> None:
        self.access = access

    def on(self, trigger: Callable, fn: Callable, role: Role, **kwargs):
        kwargs.setdefault("api_visibility", "private")
        return trigger(self.guard(fn, role), **kwargs)

    def guard(self, fn: Callable, role: Role) -> Callable:
        return guard(self.access, role, fn)

    def show_for(self, demo: gr.Blocks, component, role: Role):
        """Shows ``component`` when the page loads for a visitor with ``role`` (hidden otherwise). The
        handler itself needs only a reader: it tells anyone whether they may see the tab."""
        access = self.access

        def show_for_role(request: gr.Request):
            return gr.update(visible=access.allows(request, role))

        show_for_role.__name__ = show_for_role.__qualname__ = f"show_for_{role.label}"
        return self.on(demo.load, show_for_role, Role.READER, outputs=component)

    def api(self, fn: Callable, role: Role, **kwargs):
        return gr.api(self.guard(fn, role), **kwargs)
