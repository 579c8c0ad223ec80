"""Admission for answering: how many questions are being answered or waiting at once, a busy
answer at once past the limit (not after a minute in a queue), and one structured log line per
request. Shared by the chat, Gradio's ``/ask`` and ``POST /api/ask``; there is no lock around
answering (the query embedder's own design, ``rag/index/pool.py``, shares the engine)."""
from __future__ import annotations

import ctypes
import ctypes.util
import json
import logging
import threading
import time

from rag.config import Settings
from rag.index.pool import EmbedderBusy
from rag.models import Answer

log = logging.getLogger("rag.requests")

BUSY_MESSAGE = "Hệ thống đang bận, vui lòng thử lại sau giây lát."


def _malloc_trim():
    """glibc's ``malloc_trim``: hands freed heap pages back to the system (None elsewhere)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


_TRIM = _malloc_trim()
TRIM_EVERY_S = 5.0


class Busy(RuntimeError):
    """Too many questions at once; the message is for the user (Vietnamese)."""

    def __init__(self) -> None:
        super().__init__(BUSY_MESSAGE)


class AnswerGate:
    """Configured with the settings and the assistant loader (``wait()`` returns the Assistant)."""

    def __init__(self, settings: Settings, loader) -> None:
        self.settings = settings
        self.loader = loader
        self.limit = settings.max_in_flight
        self._count = 0
        self._mutex = threading.Lock()
        self.served = 0
        self.refused = 0
        self._trimmed = time.monotonic()

    @property
    def in_flight(self) -> int:
        return self._count

    def ask(self, question: str, *, plan_ids=None, answerer: str = "default", via: str = "page",
            history=()) -> Answer:
        """The answer to ``question`` read with ``history`` (the conversation's earlier user questions,
        oldest first), or Busy when ``max_in_flight`` questions are already in; QuestionError,
        TimeoutError and RuntimeError pass through for the caller to show. Everything but the question
        is keyword-only: a list passed in the wrong place once made every follow-up a standalone
        question (the earlier turns landed in ``via``)."""
        with self._mutex:
            if self._count >= self.limit:
                self.refused += 1
                busy = True
            else:
                self._count += 1
                busy = False
        if busy:
            self._log(via, question, plan_ids, 0.0, status="busy")
            raise Busy()
        started = time.perf_counter()
        status, answer = "error", None
        try:
            assistant = self.loader.wait()
            answer = assistant.ask(question, list(plan_ids) if plan_ids else None, answerer=answerer,
                                   history=tuple(history or ()))
            status = "ok"
            return answer
        except EmbedderBusy as exc:
            status = "busy"
            raise Busy() from exc
        except ValueError:  # QuestionError and other refusals of the input
            status = "refused"
            raise
        finally:
            with self._mutex:
                self._count -= 1
                self.served += 1
                idle = self._count == 0 and time.monotonic() - self._trimmed > TRIM_EVERY_S
                if idle:
                    self._trimmed = time.monotonic()
            if idle and _TRIM is not None:
                # a burst is over: without this the process keeps the burst's peak (Python frees to malloc,
                # malloc keeps the pages); measured in eval/bench_server.py
                _TRIM(0)
            self._log(via, question, plan_ids, (time.perf_counter() - started) * 1000, status, answer)

    def _log(self, via: str, question, plan_ids, latency_ms: float, status: str, answer: Answer | None = None):
        if not log.isEnabledFor(logging.INFO):
            return
        record = {"event": "ask", "via": via, "status": status, "latency_ms": round(latency_ms, 1),
                  "plans": list(plan_ids or []), "in_flight": self._count,
                  "abstained": None if answer is None else answer.abstained,
                  "citations": None if answer is None else len(answer.citations)}
        if self.settings.log_questions:
            record["question"] = question if isinstance(question, str) else repr(question)[:200]
        log.info(json.dumps(record, ensure_ascii=False))
