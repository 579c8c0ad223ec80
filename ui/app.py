"""The Gradio page, assembled from its tabs (``ui/tabs/``): chat with cited answers, the agency
view, adding a plan, evaluation, the user's questions and the feedback; plus ``serve``, which
launches it with the JSON routes and the log-in beside it.

Offline by construction: Gradio analytics off, system fonts only, bound to 127.0.0.1
unless told otherwise.
"""
from __future__ import annotations

import logging
import os
import threading
import time
import urllib.request

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from rag import lexicon  # noqa: E402
from rag.answer.llm import availability  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.storage import open_database  # noqa: E402
from ui.access import Access, Role, Wiring  # noqa: E402
from ui.context import PageContext, PlanView, plan_choices  # noqa: E402
from ui.exports import CsvExports  # noqa: E402
from ui.feedback import ChatFeedback  # noqa: E402
from ui.gate import AnswerGate  # noqa: E402
from ui.loader import AssistantLoader  # noqa: E402
from ui.plan_lists import PlanLists  # noqa: E402
from ui.login import LoginGate, check_can_serve  # noqa: E402
from ui.scratch import open_scratch  # noqa: E402
from ui.server import server_app_kwargs, setup_request_log  # noqa: E402
from ui.tabs.add_plan import AddPlanTab  # noqa: E402
from ui.tabs.agency import AgencyTab, agency_choices  # noqa: E402
from ui.tabs.chat import SHOW_CARD_JS, ChatTab  # noqa: E402
from ui.tabs.evaluation import EvalTab  # noqa: E402
from ui.tabs.header import TITLE, Header  # noqa: E402
from ui.tabs.history import FeedbackTab, HistoryTab  # noqa: E402
from ui.tabs.timeline import TimelineTab, agency_choices as timeline_agencies  # noqa: E402

__all__ = ["AssistantLoader", "TITLE", "build_app", "serve", "wait_until_up"]

log = logging.getLogger(__name__)


def hotline_footer() -> str:
    return lexicon.load("distress")["footer"]


CSS = """
.sources-panel { max-height: 720px; overflow-y: auto; }
.source { border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 12px; margin-bottom: 10px; background: #fff; }
.source-title { font-size: 0.95rem; margin-bottom: 2px; }
.source-path { color: #57606a; font-size: 0.82rem; margin-bottom: 6px; }
.source-text { font-size: 0.92rem; line-height: 1.45; }
.source mark { background: #fff3b0; padding: 0 1px; }
.relevance { color: #57606a; font-weight: normal; font-size: 0.8rem; }
.low-evidence { background: #fff4e5; border: 1px solid #f0b429; border-radius: 8px; padding: 8px 10px; margin-bottom: 10px; }
.context { margin-top: 6px; font-size: 0.85rem; }
.ctx-head { color: #57606a; }
.ctx-item { padding: 2px 0 2px 10px; border-left: 2px solid #eee; }
.ctx-current { border-left: 3px solid #f0b429; background: #fffbea; }
.sources-empty { color: #57606a; }
#hotline-footer { border-top: 1px solid #d0d7de; margin-top: 12px; padding-top: 8px; font-size: 0.95rem; }
/* Gradio has no Vietnamese for its upload boxes ("Drop File Here - or - Click to Upload"): its text is
   hidden and ours shown instead */
[data-testid="upload-text"] { font-size: 0 !important; }
[data-testid="upload-text"] .or { display: none; }
[data-testid="upload-text"]::after { content: "Kéo thả tệp vào đây hoặc bấm để chọn tệp"; font-size: 1rem; }
.distress-card { border: 2px solid #d1242f; border-radius: 8px; padding: 6px 10px; background: #fff5f5; }
/* the table's default monospace font places Vietnamese diacritics badly */
#agency-table, #agency-table *, #tl-table, #tl-table *, #history-table, #history-table *, #feedback-table, #feedback-table *, #eval-table, #eval-table * { font-family: "Noto Sans", "DejaVu Sans", "Segoe UI", system-ui, sans-serif !important; }
"""



def page_context(settings: Settings, loader: AssistantLoader, access: Access, gate: AnswerGate) -> PageContext:
    db = access.db or open_database(settings)  # feedback and history
    llm_ok, llm_why = availability(settings)
    return PageContext(settings=settings, loader=loader, access=access, gate=gate, db=db,
                       feedback=ChatFeedback(db, access, loader),
                       exports=CsvExports(),  # one folder for the app's CSV exports, removed at exit
                       plans=PlanView(loader),  # the loader's current plans, listed while the index loads
                       wire=Wiring(access), llm_ok=llm_ok, llm_why=llm_why)


def build_app(settings: Settings, loader: AssistantLoader | None = None, access: Access | None = None,
              gate: AnswerGate | None = None) -> gr.Blocks:
    loader = loader or AssistantLoader(settings)
    access = access or Access()
    ctx = page_context(settings, loader, access, gate or AnswerGate(settings, loader))
    header, chat, agency, add_plan = Header(ctx), ChatTab(ctx), AgencyTab(ctx), AddPlanTab(ctx)
    history, feedback, evaluation = HistoryTab(ctx), FeedbackTab(ctx), EvalTab(ctx)
    timeline = TimelineTab(ctx)
    # Gradio's cached copies of the exports are deleted after an hour
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        header.layout()
        with gr.Tabs():
            for tab in (chat, agency, timeline, add_plan, history, feedback, evaluation):
                tab.layout()
        gr.Markdown(hotline_footer(), elem_id="hotline-footer")
        add_plan.refresh = lambda: refresh_plans(ctx)
        add_plan.refresh_outputs = [chat.plans, agency.agency, agency.plans, timeline.agency, timeline.plans]
        header.wire(demo)
        PlanLists(ctx).wire(demo, [chat.plans, agency.plans, evaluation.plans, timeline.plans], [agency.agency])
        ctx.wire.show_for(demo, chat.llm_status, Role.ADMIN)
        demo.load(None, js=SHOW_CARD_JS, api_visibility="private")  # runs in the browser only
        for tab in (chat, agency, history):
            tab.wire()
        for tab in (add_plan, feedback, evaluation, timeline):
            tab.wire(demo)
    return demo


def refresh_plans(ctx: PageContext) -> tuple:
    """After a plan was added: the page's plan lists and agency list from the reloaded corpus."""
    ctx.loader.wait()
    corpus = ctx.plans.corpus
    choices = plan_choices(corpus)
    return (gr.update(choices=choices, value=corpus.plan_ids), gr.update(choices=agency_choices(corpus)),
            gr.update(choices=choices, value=corpus.plan_ids),
            gr.update(choices=timeline_agencies(corpus)), gr.update(choices=choices, value=corpus.plan_ids))


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860, ready: threading.Event | None = None,
          corpus=None):
    setup_request_log()
    open_scratch(settings.data_dir)  # first: every temporary folder of the page goes inside it
    db = open_database(settings)
    login = LoginGate(db, settings) if check_can_serve(settings, host, db) else None  # refuses: no accounts
    loader = AssistantLoader(settings, corpus)
    for err in loader.corpus.errors:
        log.warning("plan %s (%s) failed to load: %s", err.plan_id, err.file, err.message)
    gate = AnswerGate(settings, loader)
    demo = build_app(settings, loader, Access(host, db, login=login is not None), gate)
    theme = gr.themes.Soft(font=("Noto Sans", "DejaVu Sans", "Segoe UI", "system-ui", "sans-serif"),
                           font_mono=("Noto Sans Mono", "DejaVu Sans Mono", "monospace"))
    demo.queue(default_concurrency_limit=8)
    demo.launch(server_name=host, server_port=port, show_error=False, quiet=True, theme=theme, css=CSS,
                footer_links=[], prevent_thread_lock=ready is not None, ssr_mode=False,
                max_threads=settings.max_in_flight + 40, max_file_size=settings.max_upload_mb * 1_000_000,
                auth_dependency=login.user_of if login else None,
                app_kwargs=_app_kwargs(login.app_kwargs() if login else {},
                                       server_app_kwargs(settings, gate, loader, loader.corpus,
                                                         uploaded=lambda: demo.upload_file_set, arity={"ask": 3})))
    if ready is not None:
        ready.set()
    return demo


def _app_kwargs(login: dict, server: dict) -> dict:
    """The log-in routes and redirect with the server's routes and guards: routes in order (ours
    before Gradio's), the request guard outermost."""
    return {"routes": [*login.get("routes", []), *server.get("routes", [])],
            "middleware": [*server.get("middleware", []), *login.get("middleware", [])]}


def wait_until_up(url: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not come up")
