"""Tabs for what users said and asked: «Câu hỏi của tôi» (each user's own past questions) and,
for admins only, «Góp ý» (the answers marked 👎, with their comments). Also the account line
above the tabs (who is logged in, and a link to log out)."""
from __future__ import annotations

import html
import logging

import gradio as gr

from rag.storage import Database, Rating
from ui.access import Access, Role

log = logging.getLogger(__name__)

HISTORY_HEADERS = ["Thời gian (UTC)", "Câu hỏi", "Tóm tắt câu trả lời", "Kế hoạch lọc"]
DOWN_HEADERS = ["Thời gian (UTC)", "Người dùng", "Câu hỏi", "Câu trả lời", "Góp ý", "Điều khoản được dẫn",
                "Kế hoạch lọc", "Trình trả lời", "Phiên bản chỉ mục"]


def _plans(plans) -> str:
    return ", ".join(plans) if plans else "tất cả"


def _short(text: str, limit: int = 300) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# In the browser: when the session has ended (expired, logged out elsewhere, account removed), go to the
# log-in form instead of leaving a page whose every action would be refused.
SESSION_CHECK_JS = """() => { fetch('gradio_api/login_check', {credentials: 'same-origin'})
  .then(r => { if (r.status === 401) window.location.href = 'login?expired=1'; }).catch(() => {}); }"""


def account_bar(demo: gr.Blocks, access: Access, session_hours: float = 12.0) -> gr.Markdown:
    """«Đăng nhập: tên (vai trò) · Đăng xuất», shown only on a page with log-in, which also checks its
    session now and then."""
    bar = gr.Markdown("", visible=False, elem_id="account")
    every_s = max(2.0, min(60.0, session_hours * 3600 / 4))
    gr.Timer(every_s, active=access.login).tick(None, js=SESSION_CHECK_JS, api_visibility="private")

    def show(request: gr.Request):
        name = access.user_name(request)
        if not name:
            return gr.update(visible=False)
        role = access.role_of(request)
        label = {Role.READER: "người hỏi", Role.EVALUATOR: "đánh giá viên", Role.ADMIN: "quản trị"}.get(role, "")
        return gr.update(value=f"Đăng nhập: **{html.escape(name)}** ({label}) · [Đăng xuất](logout)", visible=True)

    demo.load(show, outputs=bar, api_visibility="private")
    return bar


def feedback_tabs(demo: gr.Blocks, access: Access, db: Database) -> None:
    """Call inside ``with gr.Tabs():``."""

    def my_questions(request: gr.Request):
        try:
            entries = db.history.of_user(access.user_name(request))
        except Exception:
            log.exception("could not read the history")
            gr.Warning("Chưa đọc được lịch sử câu hỏi; vui lòng thử lại.")
            return gr.update()
        return gr.update(value=[[f"{e.created_at:%Y-%m-%d %H:%M}", e.question, e.answer_summary, _plans(e.plans)]
                                for e in entries])

    def thumbs_down(request: gr.Request):
        if not access.allows(request, Role.ADMIN):  # the tab is hidden; the handler checks too
            return gr.update(value=[])
        try:
            found = db.feedback.list(Rating.DOWN, limit=500)
        except Exception:
            log.exception("could not read the feedback")
            gr.Warning("Chưa đọc được góp ý; vui lòng thử lại.")
            return gr.update()
        return gr.update(value=[[f"{f.created_at:%Y-%m-%d %H:%M}", f.user_name or "—", f.question, _short(f.answer),
                                 f.comment or "—", ", ".join(c.get("clause", "") for c in f.citations) or "—",
                                 _plans(f.plans), f.answerer, f.index_version] for f in found])

    with gr.Tab("Câu hỏi của tôi", elem_id="tab-history") as history_tab:
        gr.Markdown("Các câu bạn đã hỏi, mới nhất trước.")
        history = gr.Dataframe(headers=HISTORY_HEADERS, value=[], wrap=True, interactive=False,
                               elem_id="history-table", column_widths=["14%", "38%", "38%", "10%"])
        refresh_history = gr.Button("Làm mới", size="sm")
    with gr.Tab("Góp ý", visible=False, elem_id="tab-feedback") as feedback_tab:
        gr.Markdown("Các câu trả lời người dùng đánh giá 👎, kèm góp ý, mới nhất trước. Xuất toàn bộ: "
                    "`rag feedback export --csv --out gop-y.csv`.")
        downs = gr.Dataframe(headers=DOWN_HEADERS, value=[], wrap=True, interactive=False, elem_id="feedback-table",
                             column_widths=["9%", "7%", "17%", "26%", "17%", "8%", "6%", "4%", "6%"])
        refresh_downs = gr.Button("Làm mới", size="sm")

    for trigger in (history_tab.select, refresh_history.click):
        trigger(my_questions, outputs=history, api_visibility="private")
    for trigger in (feedback_tab.select, refresh_downs.click):
        trigger(thumbs_down, outputs=downs, api_visibility="private")

    def show_admin_tab(request: gr.Request):
        return gr.update(visible=access.allows(request, Role.ADMIN))

    demo.load(show_admin_tab, outputs=feedback_tab, api_visibility="private")
