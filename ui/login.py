"""Log-in for the page: our own small form on FastAPI routes, sessions in the database.

Why not Gradio's ``launch(auth=…)``: in Gradio 6 it keeps sessions in one process's memory under
a cookie name drawn at random per process, never expires them, and its check receives no client
address. Replicas behind a proxy would log users out on every request, and the log-in limit per
address could not be kept. So Gradio is given ``auth_dependency`` (it asks us who is behind each
request and answers 401 for nobody), and these routes serve ``/login`` and ``/logout``:

- ``GET /login``: the form (Vietnamese). ``POST /login``: checks the password with the log-in
  limit per user and per client address (``rag/storage/login_limiter.py``), sets an HttpOnly
  cookie holding the session token (only its hash is stored), and sends the browser to the page.
  ``gradio_client.Client(url, auth=(name, password))`` uses the same route (it gets JSON).
- A page load without a valid session is sent to ``/login``.
- Scripts: ``POST /login`` with ``Accept: application/json`` (or any non-HTML client) also returns the
  session token in its JSON answer; send it back as the cookie or as ``Authorization: Bearer <token>``.
  It is the same session (only its sha256 is stored; it expires after ``session_hours``; ``/logout``
  ends it). ``/api/…`` (the JSON API) answers 401 with a Vietnamese message without one; ``/healthz``
  and ``/openapi.json`` stay open on purpose (a proxy's health check has no credentials; neither
  carries user data).

The client address is the socket's peer; ``X-Forwarded-For`` counts only from the proxies named in
``Settings.forwarded_allow_ips`` (``ui/server.py`` ``trust_forwarded_from``), never from loopback by
default, so a visitor cannot choose the address the log-in limit counts.
"""
from __future__ import annotations

import html
import logging
import threading
import time

import anyio
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.routing import Route

from rag.config import Settings
from rag.storage import Database, User
from rag.storage.clock import utcnow
from rag.storage.users import MAX_NAME_CHARS, MAX_PASSWORD_CHARS
from ui.access import is_loopback

log = logging.getLogger(__name__)

COOKIE = "rag-session"
CACHE_S = 5.0  # seconds a session found in the database is trusted (never past its expiry)
API_PREFIX = "/api/"  # the JSON API: a session (cookie or bearer token) is needed when log-in is
OPEN_PATHS = ("/healthz", "/openapi.json")  # open on purpose, see the module's docstring
NEEDS_LOGIN = ("Cần đăng nhập: gửi cookie phiên nhận từ /login, hoặc tiêu đề «Authorization: Bearer <mã>» "
               "với mã mà POST /login trả về.")


class LoginSetupError(RuntimeError):
    """The server cannot start as configured; the message is one Vietnamese line."""


def login_required(settings: Settings, host: str, db: Database) -> bool:
    """Beyond loopback, when forced by ``require_login``, or as soon as accounts exist."""
    return not is_loopback(host) or settings.require_login or db.users.count() > 0


def check_can_serve(settings: Settings, host: str, db: Database) -> bool:
    """Whether log-in is needed; raises LoginSetupError when it is and no account exists."""
    needed = login_required(settings, host, db)
    if needed and db.users.count() == 0:
        why = (f"mở ra ngoài máy này (--host {host})" if not is_loopback(host) else "đặt RAG_REQUIRE_LOGIN")
        raise LoginSetupError(f"Trang hỏi đáp {why} nên cần đăng nhập, nhưng chưa có tài khoản nào; "
                              "hãy tạo trước: rag user add TÊN --role admin")
    return needed


PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Đăng nhập — Hỏi đáp Kế hoạch bảo vệ trẻ em trên môi trường mạng</title>
<style>
body {{ font-family: "Noto Sans", "DejaVu Sans", "Segoe UI", system-ui, sans-serif; background: #f6f8fa; margin: 0; }}
main {{ max-width: 380px; margin: 12vh auto; background: #fff; border: 1px solid #d0d7de; border-radius: 10px;
        padding: 24px 28px; }}
h1 {{ font-size: 1.15rem; margin: 0 0 4px; }} p.sub {{ color: #57606a; margin: 0 0 18px; font-size: .92rem; }}
label {{ display: block; margin: 12px 0 4px; font-size: .92rem; }}
input {{ width: 100%; box-sizing: border-box; padding: 8px 10px; font-size: 1rem; border: 1px solid #d0d7de;
         border-radius: 6px; }}
button {{ margin-top: 18px; width: 100%; padding: 9px; font-size: 1rem; border: 0; border-radius: 6px;
          background: #ea580c; color: #fff; cursor: pointer; }}
.error {{ background: #fff4e5; border: 1px solid #f0b429; border-radius: 6px; padding: 8px 10px; margin-bottom: 6px; }}
</style></head>
<body><main>
<h1>Hỏi đáp Kế hoạch bảo vệ trẻ em trên môi trường mạng</h1>
<p class="sub">Đăng nhập để tiếp tục.</p>
{error}
<form method="post" action="">
<label for="username">Tên đăng nhập</label>
<input id="username" name="username" autocomplete="username" required value="{name}" autofocus>
<label for="password">Mật khẩu</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" id="login">Đăng nhập</button>
</form>
</main></body></html>
"""


def _page(error: str = "", name: str = "", status: int = 200, headers: dict | None = None) -> HTMLResponse:
    box = f'<div class="error" id="login-error" role="alert">{html.escape(error)}</div>' if error else ""
    return HTMLResponse(PAGE.format(error=box, name=html.escape(name)), status_code=status, headers=headers)


def _home(request: Request) -> str:
    """The page's address relative to this route (``/login`` or ``/login/``), so a proxy's path prefix is kept."""
    return "../" if request.url.path.endswith("/") else "./"


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


class LoginGate:
    """Configured with the database and the settings (session length)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.max_age = int(settings.session_hours * 3600)
        self._cache: dict[str, tuple[User | None, float]] = {}
        self._lock = threading.Lock()

    # --- who is behind a request (Gradio's auth_dependency) --------------------------------

    def _lookup(self, token: str) -> User | None:
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(token)
            if hit and hit[1] > now:
                return hit[0]
        session = self.db.sessions.find(token)
        ttl = CACHE_S
        if session is not None:  # never trusted past its expiry
            ttl = min(ttl, (session.expires_at - utcnow()).total_seconds())
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[token] = (session.user if session else None, now + ttl)
        return session.user if session else None

    @staticmethod
    def token_of(request: Request) -> str | None:
        """The session token of a request: the cookie, or an ``Authorization: Bearer`` header (scripts)."""
        token = request.cookies.get(COOKIE)
        if not token:
            scheme, _, value = request.headers.get("authorization", "").partition(" ")
            token = value.strip() if scheme.lower() == "bearer" else None
        return token or None

    async def user_of(self, request: Request) -> str | None:
        token = self.token_of(request)
        if not token or len(token) > 200:
            return None
        user = await anyio.to_thread.run_sync(self._lookup, token)  # never block the event loop on the database
        return user.name if user else None

    # --- routes -----------------------------------------------------------------------------

    async def login_form(self, request: Request):
        if await self.user_of(request):
            return RedirectResponse(_home(request), status_code=303)
        expired = "expired" in request.query_params
        return _page("Phiên đăng nhập đã hết hạn; vui lòng đăng nhập lại." if expired else "")

    async def login(self, request: Request):
        form = await request.form()
        name, password = str(form.get("username") or ""), str(form.get("password") or "")
        address = request.client.host if request.client else "unknown"
        if len(name) > MAX_NAME_CHARS or len(password) > MAX_PASSWORD_CHARS:
            name, password = name[:MAX_NAME_CHARS], ""  # never hash a huge input; counts as a failure
        outcome = await anyio.to_thread.run_sync(self.db.logins.log_in, name, password, address)
        if not outcome.ok:
            status = 429 if outcome.retry_after_s else 401
            headers = {"Retry-After": str(int(outcome.retry_after_s) + 1)} if outcome.retry_after_s else None
            if _wants_html(request):
                return _page(outcome.message, name, status=status, headers=headers)
            return JSONResponse({"success": False, "error": outcome.message}, status_code=status, headers=headers)
        response = (RedirectResponse(_home(request), status_code=303) if _wants_html(request)
                    else JSONResponse({"success": True, "user": outcome.user.name, "role": outcome.user.role.label,
                                       "token": outcome.token, "token_type": "bearer",
                                       "expires_in": self.max_age}))
        response.set_cookie(COOKIE, outcome.token, max_age=self.max_age, httponly=True, samesite="lax",
                            secure=request.url.scheme == "https", path="/")
        return response

    async def logout(self, request: Request):
        token = self.token_of(request)
        if token:
            await anyio.to_thread.run_sync(self.db.sessions.end, token)
            with self._lock:
                self._cache.pop(token, None)
        response = RedirectResponse(_home(request) + "login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    def routes(self) -> list[Route]:
        return [Route(p, self.login_form, methods=["GET"]) for p in ("/login", "/login/")] + \
               [Route(p, self.login, methods=["POST"]) for p in ("/login", "/login/")] + \
               [Route(p, self.logout, methods=["GET", "POST"]) for p in ("/logout", "/logout/")]

    def app_kwargs(self) -> dict:
        """For ``Blocks.launch(app_kwargs=…)``: our routes come before Gradio's, and page loads
        without a session are sent to the form."""
        return {"routes": self.routes(), "middleware": [Middleware(_LoginRedirect, gate=self)]}


class _LoginRedirect:
    """ASGI middleware: a browser's GET of the page itself, without a session, goes to /login; a call
    to the JSON API (``/api/…``) without a session gets 401 and a Vietnamese message (Gradio's own
    routes are closed by ``auth_dependency``; these are ours, so they are closed here)."""

    def __init__(self, app, gate: LoginGate) -> None:
        self.app = app
        self.gate = gate

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            path = scope["path"]
            if scope["method"] == "GET" and path in ("/", ""):
                if await self.gate.user_of(Request(scope, receive)) is None:
                    await RedirectResponse("login", status_code=303)(scope, receive, send)
                    return
            elif path.startswith(API_PREFIX) and path not in OPEN_PATHS:
                if await self.gate.user_of(Request(scope, receive)) is None:
                    log.info("refused %s %s without a session", scope["method"], path)
                    await JSONResponse({"detail": NEEDS_LOGIN}, status_code=401,
                                       headers={"WWW-Authenticate": "Bearer"})(scope, receive, send)
                    return
        await self.app(scope, receive, send)
