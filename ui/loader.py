"""The running assistant and the one plan list every surface reads.

``AssistantLoader`` loads the corpus and opens the index in the background, so the page is up at
once; when the index must be built it answers from the lexical side while the vectors are computed
(``Assistant(dense_in_background=True)``, measured in eval/reports/benchmark-first-start.md).

It is also the single source of truth for the plans: ``current()`` compares a stamp of the corpus
folder (name, size and mtime of ``plans.toml`` and every plan file; a handful of ``stat`` calls) with
the one it loaded, and reloads when a plan was added or removed — on the page, with ``rag add`` or
``rag remove`` in another process — so every session, the API, ``/healthz`` and the evaluation tab
see the same list at once, and no answer cites a removed plan."""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from rag.config import Settings
from rag.models import Corpus
from ui.fair_lock import FairLock

log = logging.getLogger(__name__)

BUILDING_VECTORS = ("⏳ Đang tính véc-tơ ngữ nghĩa cho các kế hoạch (lần đầu mất khoảng 1–2 phút trên máy 2 lõi). "
                    "Trong lúc này câu trả lời dựa trên tìm kiếm theo từ khóa; câu hỏi tiếng Anh có thể chưa được "
                    "trả lời.")


def corpus_stamp(corpus_dir: Path) -> tuple:
    """What changes when a plan is added, removed or edited: every visible file of the folder with
    its size and modification time (the lock and temporary files start with a dot)."""
    try:
        with os.scandir(corpus_dir) as entries:
            return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries
                                if e.is_file() and not e.name.startswith(".")))
    except OSError:
        return ()


class AssistantLoader:
    """Configured with the settings (and a corpus already loaded, if the caller has one)."""

    def __init__(self, settings: Settings, corpus: Corpus | None = None, watch: bool = True) -> None:
        from rag.structure import load_corpus

        self.settings = settings
        self.watch = watch
        self._stamp = corpus_stamp(settings.corpus_dir)
        # loaded once, here (fast, so the page lists plans at once), unless the caller already has it
        self.corpus = corpus if corpus is not None else load_corpus(settings.corpus_dir)
        self.version = 1  # one more each time the plan list is reloaded
        self.assistant = None
        self.error: str | None = None
        self.message = "Đang nạp các kế hoạch…"
        self.ready = threading.Event()
        self.lock = FairLock()  # evaluation runs take turns on it, and a reload swaps the assistant under it
        self._reloading = threading.Lock()
        threading.Thread(target=self._load, name="assistant-loader", daemon=True).start()

    # --- the assistant ------------------------------------------------------------------------

    def _new_assistant(self, corpus: Corpus | None, version: int):
        from rag.pipeline import Assistant

        return Assistant(self.settings, corpus, notify=self._notify,
                         dense_in_background=self.settings.dense_in_background,
                         superseded=lambda: self.version != version)

    def _load(self) -> None:
        try:
            self.assistant = self._new_assistant(self.corpus, self.version)
            self.message = ""
        except Exception as exc:  # shown in Vietnamese, logged in English
            log.exception("the assistant could not start")
            self.error = f"Không khởi động được trợ lý: {exc}"
        finally:
            self.ready.set()

    def reload(self) -> None:
        """Load the corpus and its index again, then swap the assistant in (after the page added a
        plan; also what ``current()`` does when the corpus folder changed)."""
        with self._reloading:
            self._reload(corpus_stamp(self.settings.corpus_dir))

    def _reload(self, stamp: tuple) -> None:
        from rag.structure import load_corpus

        self.ready.wait()
        corpus = load_corpus(self.settings.corpus_dir)
        self.version += 1  # a background build for the previous corpus steps aside
        fresh = self._new_assistant(corpus, self.version)
        with self.lock:
            self.assistant = fresh
            self.corpus = corpus
            self._stamp = stamp
            self.error = None
        log.info("plans reloaded (version %d): %s", self.version, ", ".join(corpus.plan_ids))

    def current(self) -> Corpus:
        """The plans as they are now on disk: reloads first when the corpus folder changed."""
        if self.watch and self.ready.is_set():
            stamp = corpus_stamp(self.settings.corpus_dir)
            if stamp != self._stamp:
                with self._reloading:
                    if stamp != self._stamp:
                        try:
                            self._reload(stamp)
                        except Exception:  # a half-written manifest: keep the plans we have, try next time
                            log.exception("reloading the plans failed; keeping version %d", self.version)
        return self.corpus

    def _notify(self, message: str) -> None:
        self.message = message

    def wait(self, timeout: float = 300.0):
        """The assistant, on the current plans."""
        self.ready.wait(timeout)
        if self.error:
            raise RuntimeError(self.error)
        if self.assistant is None:
            raise TimeoutError("Hệ thống vẫn đang dựng chỉ mục; vui lòng thử lại sau ít phút.")
        self.current()
        return self.assistant

    # --- what the page and /healthz show ----------------------------------------------------------

    @property
    def settled(self) -> bool:
        """Nothing left to wait for: loaded (or failed) and the vectors in (or their build failed)."""
        assistant = self.assistant
        return self.ready.is_set() and (assistant is None or assistant.dense_settled.is_set())

    def search_state(self) -> str:
        """``starting``, ``lexical`` (vectors being computed), ``hybrid``, or ``lexical-only`` (their build failed)."""
        assistant = self.assistant
        if assistant is None:
            return "starting"
        if assistant.dense_ready.is_set():
            return "hybrid"
        return "lexical-only" if assistant.dense_error else "lexical"

    def status(self) -> str:
        corpus = self.corpus
        lines = [f"⚠️ Không nạp được kế hoạch «{e.info.short_name if e.info else e.plan_id}» (tệp {e.file}); "
                 "các kế hoạch khác vẫn dùng được. Quản trị viên cần kiểm tra tệp này." for e in corpus.errors]
        if self.error:
            lines.insert(0, f"⚠️ {self.error}")
        elif not self.ready.is_set():
            lines.insert(0, f"⏳ {self.message or 'Đang khởi động…'} Trang vẫn dùng được; câu hỏi sẽ được trả lời khi xong.")
        elif self.search_state() == "lexical":
            lines.insert(0, BUILDING_VECTORS)
        elif self.search_state() == "lexical-only":
            lines.insert(0, "⚠️ Không tính được véc-tơ ngữ nghĩa; câu trả lời chỉ dựa trên tìm kiếm theo từ khóa. "
                            "Quản trị viên cần xem nhật ký máy chủ.")
        return "  \n".join(lines)
