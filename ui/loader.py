"""Loads the corpus and opens (or builds) the index in the background, so the page is up at once
and says that it is building; reloads the assistant after a plan is added."""
from __future__ import annotations

import logging
import threading

from rag.config import Settings
from rag.pipeline import Assistant
from rag.structure import load_corpus
from ui.fair_lock import FairLock

log = logging.getLogger(__name__)


class AssistantLoader:
    """Configured with the settings and, when the caller already has it, the loaded corpus."""

    def __init__(self, settings: Settings, corpus=None) -> None:
        self.settings = settings
        # loaded once, here (fast, so the page lists plans at once), unless the caller already has it
        self.corpus = corpus if corpus is not None else load_corpus(settings.corpus_dir)
        self.assistant = None
        self.error: str | None = None
        self.message = "Đang nạp các kế hoạch…"
        self.ready = threading.Event()
        self.lock = FairLock()  # evaluation runs take turns on it, and a reload swaps the assistant under it
        threading.Thread(target=self._load, name="assistant-loader", daemon=True).start()

    def _load(self) -> None:
        try:
            self.assistant = Assistant(self.settings, self.corpus, notify=self._notify)
            self.message = ""
        except Exception as exc:  # shown in Vietnamese, logged in English
            log.exception("the assistant could not start")
            self.error = f"Không khởi động được trợ lý: {exc}"
        finally:
            self.ready.set()

    def reload(self) -> None:
        """Load the corpus and its (already updated) index again, then swap the assistant in."""
        fresh = Assistant(self.settings, notify=self._notify)
        with self.lock:
            self.assistant = fresh
            self.corpus = fresh.corpus

    def _notify(self, message: str) -> None:
        self.message = message

    def wait(self, timeout: float = 300.0):
        self.ready.wait(timeout)
        if self.error:
            raise RuntimeError(self.error)
        if self.assistant is None:
            raise TimeoutError("Hệ thống vẫn đang dựng chỉ mục; vui lòng thử lại sau ít phút.")
        return self.assistant

    def status(self) -> str:
        lines = [f"⚠️ Không nạp được kế hoạch «{e.info.short_name if e.info else e.plan_id}» (tệp {e.file}); "
                 "các kế hoạch khác vẫn dùng được. Quản trị viên cần kiểm tra tệp này." for e in self.corpus.errors]
        if self.error:
            lines.insert(0, f"⚠️ {self.error}")
        elif not self.ready.is_set():
            lines.insert(0, f"⏳ {self.message or 'Đang khởi động…'} Trang vẫn dùng được; câu hỏi sẽ được trả lời khi xong.")
        return "  \n".join(lines)
