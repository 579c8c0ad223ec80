"""Questions about a plan that failed to load: the user is told that its plan failed to load,
not that the province has no plan (which is what the scoper alone would conclude)."""
from __future__ import annotations

from rag.answer.base import plans_listing
from rag.models import Answer, Corpus
from rag.retrieval.scope import PlanScoper


class UnloadedPlans:
    """Configured with the corpus; ``answer`` returns an abstention naming the failed plan when the
    question names its province (and no loaded plan), else None."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self._scopers = [(err, PlanScoper([err.info])) for err in corpus.errors if err.info is not None]

    def answer(self, question: str, loaded_scope) -> Answer | None:
        if not self._scopers or loaded_scope.plan_ids:
            return None
        failed = [err for err, scoper in self._scopers
                  if any(r.startswith("place:") for r in scoper.scope(question).reasons)]
        if not failed:
            return None
        names = ", ".join(f"{e.info.short_name} ({e.info.province})" for e in failed)
        text = (f"Kế hoạch {names} hiện không nạp được (tệp {', '.join(e.file for e in failed)} bị lỗi), nên chưa "
                "thể trả lời theo kế hoạch đó; quản trị viên cần kiểm tra tệp. Các kế hoạch đang dùng được: "
                f"{plans_listing(self.corpus)}.")
        return Answer(question, text, True, (), (), 0.0, "default")
