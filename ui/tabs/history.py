"""What users said and asked: «Câu hỏi của tôi» (each user's own past questions) and, for admins
only, «Góp ý» (the answers marked 👎, with their comments)."""
from __future__ import annotations

import logging

import gradio as gr

from rag.storage import Rating
from ui.access import Role
from ui.context import PageContext
from ui.feedback import history_owner

log = logging.getLogger(__name__)

HISTORY_HEADERS = ["Thời gian (UTC)", "Câu hỏi", "Tóm tắt câu trả lời", "Kế hoạch lọc"]
DOWN_HEADERS = ["Thời gian (UTC)", "Người dùng", "Câu hỏi", "Câu trả lời", "Góp ý", "Điều khoản được dẫn",
                "Kế hoạch lọc", "Trình trả lời", "Phiên bản chỉ mục"]


def _plans(plans) -> str:
    return ", ".join(plans) if plans else "tất cả"


def _short(text: str, limit: int = 300) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class HistoryTab:
    """«Câu hỏi của tôi»."""

    def __init__(self, ctx: PageContext) -> None:
        self.ctx = ctx

    def my_questions(self, request: gr.Request):
        try:
            owner = history_owner(self.ctx.access, request)
            if owner is None and not self.ctx.access.login:  # a browser without its id: nobody else's questions
                return gr.update(value=[])
            entries = self.ctx.db.history.of_user(owner)
        except Exception:
            log.exception("could not read the history")
            gr.Warning("Chưa đọc được lịch sử câu hỏi; vui lòng thử lại.")
            return gr.update()
        names = {p.id: p.info.short_name for p in self.ctx.plans.corpus.plans}
        return gr.update(value=[[f"{e.created_at:%Y-%m-%d %H:%M}", e.question, e.answer_summary,
                                 _plans([names.get(p, p) for p in e.plans or ()])] for e in entries])

    def layout(self) -> None:
        with gr.Tab("Câu hỏi của tôi", elem_id="tab-history") as self.tab:
            gr.Markdown("Các câu bạn đã hỏi, mới nhất trước.")
            self.table = gr.Dataframe(headers=HISTORY_HEADERS, value=[], wrap=True, interactive=False,
                                      elem_id="history-table", column_widths=["14%", "38%", "38%", "10%"])
            self.refresh = gr.Button("Làm mới", size="sm", elem_id="history-refresh")

    def wire(self) -> None:
        for trigger in (self.tab.select, self.refresh.click):
            self.ctx.wire.on(trigger, self.my_questions, Role.READER, outputs=self.table)


class FeedbackTab:
    """«Góp ý» (administrators)."""

    def __init__(self, ctx: PageContext) -> None:
        self.ctx = ctx

    def thumbs_down(self):
        try:
            found = self.ctx.db.feedback.list(Rating.DOWN, limit=500)
        except Exception:
            log.exception("could not read the feedback")
            gr.Warning("Chưa đọc được góp ý; vui lòng thử lại.")
            return gr.update()
        return gr.update(value=[[f"{f.created_at:%Y-%m-%d %H:%M}", f.user_name or "—", f.question, _short(f.answer),
                                 f.comment or "—", ", ".join(c.get("clause", "") for c in f.citations) or "—",
                                 _plans(f.plans), f.answerer, f.index_version] for f in found])

    def layout(self) -> None:
        with gr.Tab("Góp ý", visible=False, elem_id="tab-feedback") as self.tab:
            gr.Markdown("Các câu trả lời người dùng đánh giá 👎, kèm góp ý, mới nhất trước. Xuất toàn bộ: "
                        "`rag feedback export --csv --out gop-y.csv`.")
            self.table = gr.Dataframe(headers=DOWN_HEADERS, value=[], wrap=True, interactive=False,
                                      elem_id="feedback-table",
                                      column_widths=["9%", "7%", "17%", "26%", "17%", "8%", "6%", "4%", "6%"])
            self.refresh = gr.Button("Làm mới", size="sm", elem_id="feedback-refresh")

    def wire(self, demo: gr.Blocks) -> None:
        for trigger in (self.tab.select, self.refresh.click):
            self.ctx.wire.on(trigger, self.thumbs_down, Role.ADMIN, outputs=self.table)
        self.ctx.wire.show_for(demo, self.tab, Role.ADMIN)
