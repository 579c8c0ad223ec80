"""The HTTP side of ``rag serve`` around the Gradio page: a guard in front of every request
(body size, uploads, Gradio's file route), the plain JSON ``POST /api/ask`` and ``/healthz``.

They are handed to ``demo.launch(app_kwargs=…)`` (``server_app_kwargs``), so they live on the
same FastAPI app and port as the page; the JSON schema is in ``/openapi.json``.
"""
from __future__ import annotations

import json
import logging
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
        chunks, more = [], True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return await self.app(scope, receive, send)
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        try:
            data = json.loads(body)
            if isinstance(data, dict) and isinstance(data.get("data"), list) and len(data["data"]) < self.arity[name]:
                data["data"] = data["data"] + [None] * (self.arity[name] - len(data["data"]))
                body = json.dumps(data).encode()
        except (ValueError, UnicodeDecodeError):
            pass  # Gradio answers a body it cannot read itself
        headers = [(k, v) for k, v in scope.get("headers", []) if k != b"content-length"]
        scope = {**scope, "headers": headers + [(b"content-length", str(len(body)).encode())]}
        sent = False

        async def replay():
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        return await self.app(scope, replay, send)


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


def _plans_now(loader, corpus):
    """The plans as they are now (``AssistantLoader.current`` reloads after ``rag add``/``rag remove``),
    or the corpus the routes were made with when the loader has no such method."""
    current = getattr(loader, "current", None)
    return current() if current is not None else corpus


def _search_state(loader) -> dict:
    """For /healthz: ``search`` is ``hybrid`` once the vectors are in, ``lexical`` while a first build
    computes them (answers come from BM25 meanwhile), ``lexical-only`` if their build failed."""
    state = getattr(loader, "search_state", lambda: "hybrid" if loader.assistant is not None else "starting")()
    return {"search": state, "plans_version": getattr(loader, "version", None)}


def api_routes(settings: Settings, gate, loader, corpus) -> list[APIRoute]:
    """``POST /api/ask`` and ``GET /healthz``, on the page's own app."""

    def api_ask(request_body: dict) -> JSONResponse | AskReply:
        try:
            checked = check_ask(_plans_now(loader, corpus), request_body.get("question"), request_body.get("plans"),
                                request_body.get("history"))
            answer = gate.ask(checked.question, plan_ids=checked.plan_ids, via="api", history=checked.history)
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
        except (ValueError, UnicodeDecodeError):
            return _json_error(400, "Nội dung yêu cầu phải là JSON, ví dụ {\"question\": \"…\"}.")
        if not isinstance(body, dict):
            return _json_error(422, "Nội dung yêu cầu phải là một đối tượng JSON có trường «question».")
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(api_ask, body)

    def healthz():
        plans = _plans_now(loader, corpus)
        assistant = loader.assistant
        index = getattr(assistant, "index", None)
        embedder = getattr(assistant, "embedder", None)
        body = {
            "status": "error" if loader.error else ("ok" if assistant is not None else "starting"),
            "index_version": index.path.name if index is not None and index.path else None,
            "index_built_at": index.manifest.built_at if index is not None and index.manifest else None,
            "plans_loaded": plans.plan_ids,
            "plans_failed": [{"id": e.plan_id, "file": e.file} for e in plans.errors],
            **_search_state(loader),
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


BROWSER_COOKIE = "rag-browser"


class BrowserId:
    """ASGI middleware: gives each browser a random id in a cookie when it loads the page, so that a
    page without log-in keeps «Câu hỏi của tôi» to this browser's own questions (``browser_of``)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "GET" or scope.get("path") not in ("/", ""):
            return await self.app(scope, receive, send)
        cookies = dict(scope.get("headers") or []).get(b"cookie", b"").decode("latin-1")
        if f"{BROWSER_COOKIE}=" in cookies:
            return await self.app(scope, receive, send)
        import secrets

        cookie = (f"{BROWSER_COOKIE}={secrets.token_urlsafe(18)}; Path=/; Max-Age=31536000; HttpOnly; "
                  "SameSite=Lax").encode()

        async def with_cookie(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", cookie)]}
            await send(message)

        return await self.app(scope, receive, with_cookie)


def browser_of(request) -> str | None:
    """The browser id ``BrowserId`` gave (None when the browser has none)."""
    try:
        value = request.cookies.get(BROWSER_COOKIE)
    except AttributeError:
        return None
    return value if value and len(value) <= 64 else None


def server_app_kwargs(settings: Settings, gate, loader, corpus, uploaded=lambda: (), arity=None) -> dict:
    """What ``demo.launch(app_kwargs=…)`` needs: our routes first, then the guard (outermost), then
    the padding of plain HTTP calls (``arity``: api name -> number of parameters)."""
    return {"routes": api_routes(settings, gate, loader, corpus),
            "middleware": [Middleware(RequestGuard, settings=settings, uploaded=uploaded),
                           Middleware(PadApiInputs, arity=arity or {}), Middleware(BrowserId)]}


def setup_request_log() -> None:
    """One JSON line per request on stderr (``rag.requests``), whatever the CLI's log level."""
    logger = logging.getLogger("rag.requests")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
