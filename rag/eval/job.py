"""One evaluation run in a worker thread, for the page: it follows the run (results so far,
progress), stops it between two questions, and keeps it (``runs.RunStore``) when it ends,
stopped or not. The thread goes on if the page that started it is closed; the run is kept."""
from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from rag.config import Settings
from rag.eval.dataset import EvalQuestion, QuestionSet
from rag.eval.metrics import QuestionScore
from rag.eval.runner import RunConfig, run
from rag.eval.runs import RunStore, SavedRun

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobResult:
    question: EvalQuestion
    record: dict
    score: QuestionScore


@dataclass
class EvalJob:
    assistant: object
    qset: QuestionSet
    config: RunConfig
    store: RunStore
    settings: Settings
    owner: str = ""
    title: str = ""
    lock: object | None = None  # shared with the chat: one question at a time through the embedder
    results: list[JobResult] = field(default_factory=list)
    saved: SavedRun | None = None
    error: str | None = None

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._finished = threading.Event()
        self._thread = threading.Thread(target=self._work, name=f"eval-{self.owner[:8]}", daemon=True)

    @property
    def total(self) -> int:
        return len(self.qset.questions)

    @property
    def done(self) -> int:
        return len(self.results)

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def start(self) -> "EvalJob":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._finished.wait(timeout)

    def _work(self) -> None:
        out = self.store.root / ".results" / f"{secrets.token_hex(8)}.jsonl"
        try:
            result = run(self.assistant, self.qset, out, self.config, progress=False, questions_file=self.title,
                         lock=self.lock, stop=self._stop,
                         on_result=lambda i, n, q, rec, score: self.results.append(JobResult(q, rec, score)))
            corpus = self.assistant.corpus
            self.saved = self.store.save(result, self.qset, out, settings=self.settings,
                                         index_path=self.assistant.index.path,
                                         short_names={p.id: p.info.short_name for p in corpus.plans},
                                         owner=self.owner, title=self.title)
        except Exception:  # shown in Vietnamese on the page, logged in English
            log.exception("evaluation run failed")
            self.error = "Lần chạy gặp lỗi và đã dừng; các câu đã chạy vẫn hiện ở bảng."
        finally:
            Path(out).unlink(missing_ok=True)
            self._finished.set()
