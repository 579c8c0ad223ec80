"""The evaluation sequence, written once: run a question set, keep the run (``runs.RunStore``),
export it (``run_and_save``, ``export_run``; used by ``rag eval`` and the page). And one run in a
worker thread, for the page (``EvalJob``): it follows the run (results so far, progress), stops it
between two questions, and keeps it when it ends, stopped or not. The thread goes on if the page
that started it is closed; the run is kept."""
from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from rag.config import Settings
from rag.eval.dataset import EvalQuestion, QuestionSet
from rag.eval.export import saved_run_bytes
from rag.eval.metrics import QuestionScore
from rag.eval.runner import OnResult, RunConfig, run
from rag.eval.runs import RunStore, SavedRun
from rag.eval.template import atomic_write

log = logging.getLogger(__name__)


def run_and_save(assistant, qset: QuestionSet, config: RunConfig, store: RunStore, settings: Settings, out: Path, *,
                 owner: str = "", title: str = "", questions_file: str = "", progress: bool = False,
                 lock=None, stop: threading.Event | None = None,
                 on_result: OnResult | None = None) -> tuple[dict, SavedRun]:
    """Run ``qset`` with ``config`` (results written to ``out`` as they come), then keep the run.
    Returns the run's result (``runner.run``) and the kept run."""
    result = run(assistant, qset, out, config, progress=progress, questions_file=questions_file, lock=lock,
                 stop=stop, on_result=on_result)
    saved = store.save(result, qset, out, settings=settings, index_path=assistant.index.path,
                       short_names={p.id: p.info.short_name for p in assistant.corpus.plans}, owner=owner, title=title)
    return result, saved


def export_run(saved: SavedRun, target: Path) -> Path:
    """A kept run written as ``target`` (its suffix names the kind: xlsx, csv, md or json), atomically."""
    return atomic_write(target, saved_run_bytes(saved, target.suffix.lstrip(".").lower()))


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
            _, self.saved = run_and_save(
                self.assistant, self.qset, self.config, self.store, self.settings, out, owner=self.owner,
                title=self.title, questions_file=self.title, lock=self.lock, stop=self._stop,
                on_result=lambda i, n, q, rec, score: self.results.append(JobResult(q, rec, score)))
        except Exception:  # shown in Vietnamese on the page, logged in English
            log.exception("evaluation run failed")
            self.error = "Lần chạy gặp lỗi và đã dừng; các câu đã chạy vẫn hiện ở bảng."
        finally:
            Path(out).unlink(missing_ok=True)
            self._finished.set()
