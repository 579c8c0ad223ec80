"""The HTTP side of ``rag serve`` around the Gradio page: a guard in front of every request
(body size, uploads, Gradio's file route), the plain JSON ``POST /api/ask`` and ``/healthz``.

They are handed to ``demo.launch(app_kwargs=…)`` (``server_app_kwargs``), so they live on the
same FastAPI app and port as the page; the JSON schema is in ``/openapi.json``.
"""
from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path
from urllib.parse import unquote

from fastapi import Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.middleware import Middleware

from rag.config import Settings
from rag.retrieval.question import QuestionError
from ui.ask_input import AskInputError, check_ask
from ui.gate import Busy

log = logging.getLogger(__name__)

TOO_LARGE = "Yêu cầu quá lớn (tối đa {limit})."
NOT_OFFLINE = "Máy chủ không tải tệp từ địa chỉ bên ngoài."
NOT_SERVED = "Tệp này không được phép tải về."
BAD_UPLOAD = "Chỉ nhận tệp {exts}."
_FILENAME_RE = re.compile(rb'filename\*?=(?:"([^"\r\n]*)"|([^;\r\n]*))', re.IGNORECASE)


def _size(n: int) -> str:
    return f"{n / 1_000_000:.0f} MB" if n >= 1_000_000 else f"{n // 1000} KB"


def _json_error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status)


class RequestGuard:
    """ASGI middleware (hand-written because it must watch the body as it streams, which no
    maintained middleware does for both limits and multipart file names):

    * a body larger than ``max_request_bytes`` (``max_upload_mb`` on Gradio's upload route) is
      refused with 413 before it is read, or as soon as a chunked body passes the limit, so one
      large request cannot grow the process;
    * an upload whose file name does not end in one of ``upload_extensions`` is refused (415);
    * ``/gradio_api/file=<http://…>`` is refused: the product is offline and never fetches URLs;
    * a file a visitor uploaded is never served back through ``/gradio_api/file=``.
    """

    def __init__(self, app, settings: Settings, uploaded=lambda: ()) -> None:
        self.app = app
        self.max_body = settings.max_request_bytes
        self.max_upload = settings.max_upload_mb * 1_000_000 + 64_000  # the file plus its multipart framing
        self.extensions = tuple(e.strip().lower() for e in settings.upload_extensions.split(",") if e.strip())
        self.uploaded = uploaded  # () -> the paths Gradio recorded as uploads

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        refused = self._file_refusal(path)
        if refused is not None:
            return await refused(scope, receive, send)
        upload = path.endswith("/upload") and scope.get("method") == "POST"
        limit = self.max_upload if upload else self.max_body
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                return await _json_error(400, "Content-Length không hợp lệ.")(scope, receive, send)
            if too_big:
                log.warning("refused a %s-byte request to %s (limit %d)", declared.decode(), path, limit)
                return await _json_error(413, TOO_LARGE.format(limit=_size(limit)))(scope, receive, send)
        state = {"seen": 0, "refusal": None, "started": False, "tail": b""}

        async def guarded_receive():
            message = await receive()
            if message["type"] != "http.request" or state["refusal"]:
                return message
            body = message.get("body", b"")
            state["seen"] += len(body)
            if state["seen"] > limit:
                state["refusal"] = (413, TOO_LARGE.format(limit=_size(limit)))
            elif upload:
                window = state["tail"] + body
                for quoted, bare in _FILENAME_RE.findall(window):
                    name = (quoted or bare).decode("utf-8", "replace").strip().lower()
                    if name and not name.endswith(self.extensions):
                        state["refusal"] = (415, BAD_UPLOAD.format(exts=", ".join(self.extensions)))
                state["tail"] = window[-512:]
            if state["refusal"]:
                log.warning("refused a request to %s: %s", path, state["refusal"][1])
                return {"type": "http.disconnect"}
            return message

        async def guarded_send(message):
            if state["refusal"]:
                return  # the app's answer to a body it never got whole is dropped; ours goes out below
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        try:
            await self.app(scope, guarded_receive, guarded_send)
        except Exception:
            if not state["refusal"]:
                raise
        if state["refusal"] and not state["started"]:
            await _json_error(*state["refusal"])(scope, receive, send)

    def _file_refusal(self, path: str) -> JSONResponse | None:
        """``/file=`` of a remote address or of a visitor's upload: the refusal to send (else None)."""
        if "/file=" not in path:
            return None
        target = unquote(path.split("/file=", 1)[1])
        if "://" in target or target.lower().startswith(("http:", "https:", "ftp:", "//")):
            log.warning("refused a remote file fetch: %s", target[:200])
            return _json_error(403, NOT_OFFLINE)
        if self._is_upload(target):
            log.warning("refused serving an uploaded file back: %s", target[:200])
            return _json_error(404, NOT_SERVED)
        return None

    def _is_upload(self, target: str) -> bool:
        try:
            resolved = str(Path(target).resolve())
        except (OSError, ValueError):
            return False
        return any(resolved == str(Path(p).resolve()) for p in self.uploaded())


async def read_body(receive) -> bytes | None:
    """The whole request body (None when the client went away first); RequestGuard bounds its size."""
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


def replaying(body: bytes, receive):
    """An ASGI ``receive`` that hands on ``body`` once, then what the client sends next (a disconnect)."""
    sent = False

    async def replay():
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


class PadApiInputs:
    """ASGI middleware: Gradio refuses a plain HTTP call (``POST /gradio_api/call/<name>``) that sends
    fewer values than the function has parameters, even optional ones, with a traceback in the log
    and ``{"error": null}`` for the client (gradio_client fills them in itself). This fills the
    missing optional values with null, so ``{"data": ["câu hỏi"]}`` is answered. The body is at
    most ``max_request_bytes`` (RequestGuard runs first)."""

    def __init__(self, app, arity: dict[str, int]) -> None:
        self.app = app
        self.arity = arity  # api name -> number of parameters

    async def __call__(self, scope, receive, send):
        name = scope.get("path", "").rstrip("/").rsplit("/", 1)[-1] if scope["type"] == "http" else ""
        if (name not in self.arity or scope.get("method") != "POST"
                or not scope.get("path", "").rstrip("/").endswith(f"/call/{name}")):
            return await self.app(scope, receive, send)
        body = await read_body(receive)
        if body is None:
            return await self.app(scope, receive, send)
        try:
            data = json.loads(body)
            if isinstance(data, dict) and isinstance(data.get("data"), list) and len(data["data"]) < self.arity[name]:
                data["data"] = data["data"] + [None] * (self.arity[name] - len(data["data"]))
                body = json.dumps(data).encode()
        except (ValueError, UnicodeDecodeError, RecursionError):
            pass  # Gradio answers a body it cannot read itself (JsonGuard has refused deep nesting)
        headers = [(k, v) for k, v in scope.get("headers", []) if k != b"content-length"]
        scope = {**scope, "headers": headers + [(b"content-length", str(len(body)).encode())]}
        return await self.app(scope, replaying(body, receive), send)


# --- POST /api/ask and /healthz -------------------------------------------------------------

class AskBody(BaseModel):
    """A question for the plans."""

    question: str = Field(description="Câu hỏi (tiếng Việt, có dấu hoặc không dấu)",
                          examples=["Sở Tư pháp Đồng Nai có nhiệm vụ gì?"])
    plans: list[str] | None = Field(None, description="Chỉ trả lời theo các kế hoạch này (mã, xem /healthz); "
                                    "bỏ trống: mọi kế hoạch", examples=[["dong-nai-2026-2030"]])
    history: list[str] | None = Field(None, description="Các câu hỏi trước đó trong cùng cuộc hội thoại")


class CitationOut(BaseModel):
    plan_id: str
    clause: str = Field(description="Địa chỉ điều khoản, ví dụ PL.VI.1")
    path: str = Field(description="Đường dẫn mục trong kế hoạch")
    text: str = Field(description="Nguyên văn điều khoản")


class AskReply(BaseModel):
    answer: str
    citations: list[CitationOut]
    abstained: bool = Field(description="true khi các kế hoạch không trả lời câu hỏi")


class ErrorReply(BaseModel):
    detail: str


def api_routes(settings: Settings, gate, loader, corpus) -> list[APIRoute]:
    """``POST /api/ask`` and ``GET /healthz``, on the page's own app."""

    def api_ask(request_body: dict) -> JSONResponse | AskReply:
        try:
            checked = check_ask(corpus, request_body.get("question"), request_body.get("plans"),
                                request_body.get("history"))
            answer = gate.ask(checked.question, checked.plan_ids, via="api", history=checked.history)
        except (AskInputError, QuestionError) as exc:
            return _json_error(422, str(exc))
        except Busy as exc:
            return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "2"})
        except (TimeoutError, RuntimeError) as exc:  # still indexing, or the assistant could not start
            return _json_error(503, str(exc))
        return AskReply(answer=answer.answer, abstained=answer.abstained,
                        citations=[CitationOut(**c.to_dict()) for c in answer.citations])

    async def ask_endpoint(request: Request):
        try:
            body = json.loads(await request.body())
        except RecursionError:  # JsonGuard refuses these first; kept for an app mounted without it
            return _json_error(400, TOO_DEEP.format(limit=MAX_JSON_DEPTH))
        except (ValueError, UnicodeDecodeError):
            return _json_error(400, "Nội dung yêu cầu phải là JSON, ví dụ {\"question\": \"…\"}.")
        if not isinstance(body, dict):
            return _json_error(422, "Nội dung yêu cầu phải là một đối tượng JSON có trường «question».")
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(api_ask, body)

    def healthz():
        assistant = loader.assistant
        index = getattr(assistant, "index", None)
        embedder = getattr(assistant, "embedder", None)
        body = {
            "status": "error" if loader.error else ("ok" if assistant is not None else "starting"),
            "index_version": index.path.name if index is not None else None,
            "index_built_at": index.manifest.built_at if index is not None else None,
            "plans_loaded": corpus.plan_ids,
            "plans_failed": [{"id": e.plan_id, "file": e.file} for e in corpus.errors],
            "in_flight": gate.in_flight,
            "queue_depth": getattr(embedder, "waiting", 0),
            "max_in_flight": gate.limit,
            "embed_mode": settings.embed_mode,
            "answered": gate.served,
            "refused_busy": gate.refused,
        }
        return JSONResponse(body, status_code=200 if body["status"] != "error" else 503)

    # the request body is read by hand so that a wrongly typed field gets the same Vietnamese message
    # as on /ask; the schema is still declared for OpenAPI
    ask_schema = {"requestBody": {"required": True, "content": {"application/json": {
        "schema": AskBody.model_json_schema()}}}}
    return [
        APIRoute("/api/ask", ask_endpoint, methods=["POST"], response_model=AskReply, openapi_extra=ask_schema,
                 responses={422: {"model": ErrorReply}, 503: {"model": ErrorReply}},
                 summary="Hỏi đáp có trích dẫn (JSON)", tags=["api"]),
        APIRoute("/healthz", healthz, methods=["GET"], summary="Tình trạng máy chủ", tags=["api"]),
    ]


def server_app_kwargs(settings: Settings, gate, loader, corpus, uploaded=lambda: (), arity=None) -> dict:
    """What ``demo.launch(app_kwargs=…)`` needs: our routes first, then the middleware, outermost first:
    the security headers, the guard, the JSON nesting check, the padding of plain HTTP calls
    (``arity``: api name -> number of parameters). Also sets which proxies may name the client."""
    trust_forwarded_from(settings)
    return {"routes": api_routes(settings, gate, loader, corpus),
            "middleware": [Middleware(SecurityHeaders),
                           Middleware(RequestGuard, settings=settings, uploaded=uploaded),
                           Middleware(JsonGuard),
                           Middleware(NullInputs),
                           Middleware(PadApiInputs, arity=arity or {})]}


def setup_request_log() -> None:
    """One JSON line per request on stderr (``rag.requests``), whatever the CLI's log level."""
    logger = logging.getLogger("rag.requests")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


# --- security headers (issue 16 item 10) ------------------------------------------------------

# Gradio's page needs inline scripts and styles (and eval in its bundle); everything else is this
# server only: no other origin can frame, script, style, fetch or receive a form.
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:; connect-src 'self'; "
       "worker-src 'self' blob:; frame-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
       "object-src 'none'")
SECURITY_HEADERS = ((b"x-frame-options", b"DENY"), (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"))


class SecurityHeaders:
    """ASGI middleware: every HTTP answer says it may not be framed by another site (X-Frame-Options and
    CSP ``frame-ancestors``), which sources its page may load, and not to guess content types."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        return await self.app(scope, receive, with_headers)


# --- deeply nested JSON (issue 16 item 7) -----------------------------------------------------

MAX_JSON_DEPTH = 64  # no request of the page or the API nests deeper than a handful of levels
TOO_DEEP = "Nội dung JSON lồng nhau quá sâu (tối đa {limit} cấp)."
_NOT_JSON = (b"multipart/", b"application/x-www-form-urlencoded")


def json_depth(value, limit: int) -> int:
    """The nesting depth of a parsed JSON value, counted without recursion; stops past ``limit``."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


class JsonGuard:
    """ASGI middleware: a JSON body nested deeper than ``MAX_JSON_DEPTH`` (50,000 levels in 100 KB made
    Python's parser raise RecursionError inside Gradio: a 500 and a traceback) gets a 400 with a
    Vietnamese message before any handler parses it. The body is at most ``max_request_bytes``
    (RequestGuard runs first); it is read whole, checked, and handed on unchanged."""

    def __init__(self, app, limit: int = MAX_JSON_DEPTH) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        kind = dict(scope.get("headers") or []).get(b"content-type", b"").lower()
        if kind.startswith(_NOT_JSON):
            return await self.app(scope, receive, send)
        body = await read_body(receive)
        if body is None:
            return await self.app(scope, receive, send)
        if body.lstrip()[:1] in (b"{", b"["):
            try:
                depth = json_depth(json.loads(body), self.limit)
            except RecursionError:
                depth = self.limit + 1
            except (ValueError, UnicodeDecodeError):
                depth = 0  # not JSON: the handler answers it
            if depth > self.limit:
                log.warning("refused a JSON body nested deeper than %d levels (%d bytes) to %s", self.limit,
                            len(body), scope.get("path", ""))
                return await _json_error(400, TOO_DEEP.format(limit=self.limit))(scope, receive, send)
        return await self.app(scope, replaying(body, receive), send)


# --- the client address behind a proxy (issue 16 item 6) ---------------------------------------

def trust_forwarded_from(settings: Settings) -> str:
    """Make uvicorn take ``X-Forwarded-For`` only from the configured proxies (``forwarded_allow_ips``,
    else the standard ``FORWARDED_ALLOW_IPS``), never from loopback by default: uvicorn trusts
    127.0.0.1 unless told, which let anyone on the machine choose the address the log-in back-off
    counts. Gradio builds uvicorn's config after this runs, from the environment; returns the value."""
    trusted = (settings.forwarded_allow_ips or os.environ.get("FORWARDED_ALLOW_IPS", "")).strip()
    os.environ["FORWARDED_ALLOW_IPS"] = trusted  # "" trusts no one
    return trusted


# --- null inputs to the page's handlers (issue 16 item 10) ----------------------------------------

BAD_CALL = "Dữ liệu gửi lên không hợp lệ cho thao tác này."
_LIST_VALUED = ("CheckboxGroup",)  # components whose value is a list; Gradio iterates it before any handler runs


def _normalise_call(blocks, body: dict) -> str | None:
    """Make a queue call from a script safe for Gradio's own preprocessing: a null for a list-valued
    input becomes [] (what the page sends for nothing chosen). Returns why the call is refused (English,
    for the log) when it cannot be answered: a function with no server side, or an event (like, select)
    sent without its event data; else None."""
    fn_index = body.get("fn_index")
    fns = getattr(blocks, "fns", {})
    if not isinstance(fn_index, int) or fn_index not in fns:
        return None  # Gradio answers an unknown index itself
    fn = fns[fn_index]
    if fn.fn is None:
        return f"fn_index {fn_index} has no server-side function"
    data = body.get("data")
    if isinstance(data, list):
        for i, component in enumerate(fn.inputs[:len(data)]):
            multiselect = type(component).__name__ == "Dropdown" and getattr(component, "multiselect", False)
            if data[i] is None and (type(component).__name__ in _LIST_VALUED or multiselect):
                data[i] = []
    if fn.collects_event_data and body.get("event_data") is None and any(
            event in ("like", "select") for _, event in (fn.targets or [])):
        return f"fn_index {fn_index} ({fn.name}) called without its event data"
    return None


class NullInputs:
    """ASGI middleware: a call to a page handler by ``fn_index`` (``/gradio_api/queue/join``) with null
    inputs used to end in Gradio's own preprocessing (a CheckboxGroup iterating None, a like or select
    event without its data, a front-end-only function) with ``error: null`` and a traceback in the log.
    Such calls are mended (null → [] for list inputs) or refused with 400 and a Vietnamese message."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if scope.get("method") != "POST" or not path.rstrip("/").endswith("/queue/join"):
            return await self.app(scope, receive, send)
        body = await read_body(receive)
        if body is None:
            return await self.app(scope, receive, send)
        blocks = getattr(scope.get("app"), "get_blocks", lambda: None)()
        try:
            call = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            call = None
        if isinstance(call, dict) and blocks is not None:
            refusal = _normalise_call(blocks, call)
            if refusal:
                log.warning("refused a queue call: %s", refusal)
                return await _json_error(400, BAD_CALL)(scope, receive, send)
            body = json.dumps(call).encode()
        headers = [(k, v) for k, v in scope.get("headers", []) if k != b"content-length"]
        scope = {**scope, "headers": headers + [(b"content-length", str(len(body)).encode())]}
        return await self.app(scope, replaying(body, receive), send)
