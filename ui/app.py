"""The Gradio page: chat with cited answers, the sources beside it, a plan filter, example
questions per kind of user, an agency view exportable as CSV, and the ``/ask`` API.

Offline by construction: Gradio analytics off, system fonts only, bound to 127.0.0.1
unless told otherwise.
"""
from __future__ import annotations

import html
import json
import logging
import os
import threading
import time

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from rag.answer.assignments import PlanIndex, assignments  # noqa: E402
from rag.answer.llm import availability  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.retrieval.question import QuestionError  # noqa: E402
from rag.structure.agencies import all_agencies  # noqa: E402
from ui.access import Access  # noqa: E402
from ui.tab_add_plan import add_plan_tab  # noqa: E402
from ui.feedback import ChatFeedback  # noqa: E402
from ui.fair_lock import FairLock  # noqa: E402
from ui.tab_eval import build_eval_tab  # noqa: E402
from ui.ask_input import AskInputError, check_ask  # noqa: E402
from ui.exports import CsvExports  # noqa: E402
from ui.gate import AnswerGate  # noqa: E402
from ui.render import TABLE_HEADERS, agency_rows, answer_markdown, rows_to_csv, sources_html  # noqa: E402
from ui.tab_feedback import account_bar, feedback_tabs  # noqa: E402

log = logging.getLogger(__name__)

TITLE = "Hỏi đáp Kế hoạch bảo vệ trẻ em trên môi trường mạng"


def examples() -> dict[str, list[str]]:
    """Example questions per kind of user, from ``rag/lexicon/examples.toml``."""
    from rag import lexicon

    return {p["name"]: list(p["questions"]) for p in lexicon.load("examples")["persona"]}


def hotline_footer() -> str:
    from rag import lexicon

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
/* the table's default monospace font places Vietnamese diacritics badly */
#agency-table, #agency-table *, #history-table, #history-table *, #feedback-table, #feedback-table *, #eval-table, #eval-table * { font-family: "Noto Sans", "DejaVu Sans", "Segoe UI", system-ui, sans-serif !important; }
"""


class AssistantLoader:
    """Loads the corpus and opens (or builds) the index in the background, so the page is up
    at once and says that it is building."""

    def __init__(self, settings: Settings, corpus=None) -> None:
        from rag.structure import load_corpus

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
        from rag.pipeline import Assistant

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
        from rag.pipeline import Assistant

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


def _plan_choices(corpus) -> list[tuple[str, str]]:
    return [(f"{p.info.short_name} ({p.info.province}, {p.info.period})", p.id) for p in corpus.plans]


def build_app(settings: Settings, loader: AssistantLoader | None = None, access: Access | None = None,
              gate: AnswerGate | None = None) -> gr.Blocks:
    from rag.storage import open_database

    loader = loader or AssistantLoader(settings)
    access = access or Access()
    gate = gate or AnswerGate(settings, loader)
    db = access.db or open_database(settings)  # feedback and history
    feedback = ChatFeedback(db, access, loader)
    corpus = loader.corpus  # loaded once: the page lists plans while the index loads
    indexes = {p.id: PlanIndex(p) for p in corpus.plans}
    llm_ok, llm_why = availability(settings)
    present = {k for c in corpus.clauses() for k in (*c.agency, *c.lead_agencies, *c.partner_agencies)}
    agency_choices = [(a.name, a.key) for a in all_agencies() if a.key in present]
    exports = CsvExports()  # one folder for the app's CSV exports, removed at exit

    def answer_once(question: str, plans: list[str] | None, mode: str = "default", via: str = "page", history=()):
        return gate.ask(question, plans or None, answerer=mode if mode in ("default", "llm") else "default",
                        via=via, history=history)

    answer_once = feedback.remember(answer_once)

    def respond(question: str, history: list, plans: list[str], mode: str):
        history = list(history or [])
        earlier = [html.unescape(m["content"]) for m in history if isinstance(m, dict) and m.get("role") == "user"
                   and isinstance(m.get("content"), str)]
        question = (question or "").strip()
        if not question:  # an empty box (or a second click after the answer came): a hint, no new messages
            gr.Warning("Hãy nhập câu hỏi về các kế hoạch trước khi gửi.")
            yield history, gr.update(), ""
            return
        history.append({"role": "user", "content": html.escape(question)})  # shown as text, never as HTML
        history.append({"role": "assistant", "content": "⏳ Đang tìm trong các kế hoạch…"})
        yield history, gr.update(), ""
        try:
            answer = answer_once(question, plans, mode, earlier)
        except QuestionError as exc:
            history[-1]["content"] = f"⚠️ {exc}"
            yield history, sources_html(None, corpus, indexes), ""
            return
        except (TimeoutError, RuntimeError) as exc:
            history[-1]["content"] = f"⚠️ {exc}"
            yield history, gr.update(), ""
            return
        except Exception:  # never a stack trace on the page
            log.exception("answering failed")
            history[-1]["content"] = "⚠️ Đã có lỗi khi trả lời câu hỏi này. Vui lòng thử lại hoặc hỏi cách khác."
            yield history, gr.update(), ""
            return
        text = answer_markdown(answer)
        lines = text.split("\n")
        for n in range(1, len(lines) + 1):  # streamed line by line as it is laid out
            history[-1]["content"] = "\n".join(lines[:n])
            yield history, gr.update(), ""
        yield history, sources_html(answer, corpus, indexes), ""

    def ask_api(question: str, plans: list[str] | None = None, history: list[str] | None = None) -> tuple[str, str]:
        """Answer ``question`` from the plans in ``plans`` (empty or missing: all); ``history`` is the
        list of earlier questions of the conversation. Returns the answer as markdown and the citations
        as a JSON text: a list of {plan_id, clause, path, text}. (A JSON text, not objects: gradio_client
        would take any {"path": …} object for a file.) Wrongly typed input gets a Vietnamese message."""
        try:
            checked = check_ask(corpus, question, plans, history)
            answer = answer_once(checked.question, list(checked.plan_ids), via="gradio", history=checked.history)
        except (AskInputError, QuestionError) as exc:
            return f"⚠️ {exc}", "[]"
        except (TimeoutError, RuntimeError) as exc:
            return f"⚠️ {exc}", "[]"
        cites = json.dumps([c.to_dict() for c in answer.citations], ensure_ascii=False)
        return answer_markdown(answer), cites

    def agency_table(key: str | None, plans: list[str]):
        if not key:
            return gr.update(value=[]), gr.update(value=None, interactive=False)
        rows = agency_rows(assignments(corpus, key, plans or None, indexes), corpus)
        path = exports.write(key, plans, rows_to_csv(rows))
        return gr.update(value=rows), gr.update(value=str(path), interactive=True)

    def refresh_plans():
        """After a plan was added: the page's plan lists and agency list from the reloaded corpus."""
        nonlocal corpus
        corpus = loader.wait().corpus
        indexes.clear()
        indexes.update({p.id: PlanIndex(p) for p in corpus.plans})
        named = {k for c in corpus.clauses() for k in (*c.agency, *c.lead_agencies, *c.partner_agencies)}
        choices = _plan_choices(corpus)
        return (gr.update(choices=choices, value=corpus.plan_ids),
                gr.update(choices=[(a.name, a.key) for a in all_agencies() if a.key in named]),
                gr.update(choices=choices, value=corpus.plan_ids))

    def poll_status():
        text = loader.status()
        return gr.update(value=text, visible=bool(text)), gr.Timer(active=not loader.ready.is_set())

    # Gradio's cached copies of the exports are deleted after an hour
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        gr.Markdown(f"# {TITLE}\nHỏi bằng tiếng Việt (có dấu hoặc không dấu). Mỗi câu trả lời trích dẫn kế hoạch và "
                    "điều khoản; khi các kế hoạch không nêu, trợ lý nói rõ là không có.")
        status = gr.Markdown(loader.status(), visible=bool(loader.status()), elem_id="status")
        timer = gr.Timer(1.0, active=not loader.ready.is_set())
        timer.tick(poll_status, outputs=[status, timer], api_visibility="private")
        account_bar(demo, access, settings.session_hours)
        with gr.Tabs():
            with gr.Tab("Hỏi đáp"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        plans = gr.CheckboxGroup(choices=_plan_choices(corpus), value=corpus.plan_ids,
                                                 label="Kế hoạch dùng để trả lời (mặc định: tất cả)", elem_id="plans")
                        with gr.Row():
                            mode = gr.Radio(choices=[("Mặc định (không cần LLM)", "default"),
                                                     ("LLM" if llm_ok else "LLM (chưa sẵn sàng)", "llm")],
                                            value="default", label="Cách trả lời", interactive=True, scale=2)
                            gr.Markdown(f"**LLM:** {'✅ ' if llm_ok else '⛔ '}{llm_why}", elem_id="llm-status")
                        chat = gr.Chatbot(label="Hội thoại", show_label=False, height=460, elem_id="chat", sanitize_html=True,
                                          placeholder="Đặt câu hỏi về các kế hoạch, hoặc bấm một câu hỏi mẫu bên dưới.")
                        question = gr.Textbox(label="Câu hỏi", placeholder="Ví dụ: Sở Giáo dục và Đào tạo Hà Nội phải làm gì?",
                                              lines=2, max_lines=6, elem_id="question")
                        with gr.Row():
                            send = gr.Button("Gửi câu hỏi", variant="primary", elem_id="send")
                            clear = gr.Button("Xóa hội thoại")
                        asked = gr.State("")
                        record = feedback.attach(chat, asked, plans)
                        with gr.Accordion("Câu hỏi mẫu theo người dùng", open=True):
                            example_buttons = []
                            for persona, items in examples().items():
                                with gr.Row():
                                    gr.Markdown(f"**{persona}**", elem_classes=["persona"])
                                    for item in items:
                                        example_buttons.append((gr.Button(item, size="sm"), item))
                    with gr.Column(scale=2):
                        gr.Markdown("### Nguồn trích dẫn")
                        sources = gr.HTML(sources_html(None, corpus, indexes), elem_id="sources",
                                          elem_classes=["sources-panel"])
            with gr.Tab("Tra cứu theo cơ quan"):
                gr.Markdown("Chọn một cơ quan để xem mọi nhiệm vụ các kế hoạch giao cho cơ quan đó: chủ trì, phối hợp "
                            "hay thực hiện, kèm thời hạn khi kế hoạch có nêu.")
                with gr.Row():
                    agency = gr.Dropdown(choices=agency_choices, value=None, label="Cơ quan", elem_id="agency", scale=2)
                    agency_plans = gr.CheckboxGroup(choices=_plan_choices(corpus), value=corpus.plan_ids,
                                                    label="Kế hoạch", scale=3)
                table = gr.Dataframe(headers=TABLE_HEADERS, value=[], wrap=True, interactive=False,
                                     elem_id="agency-table", column_widths=["14%", "9%", "9%", "56%", "12%"])
                download = gr.DownloadButton("Tải bảng CSV", value=None, interactive=False)
            add_plan_tab(settings, loader, access, demo, refresh_plans, [plans, agency, agency_plans])
            feedback_tabs(demo, access, db)
            build_eval_tab(demo, settings, loader, corpus, indexes, access, llm_ok)

        # The question is taken out of the box at once (unqueued), then answered from that copy: a second
        # click while the answer is on its way finds the box empty and only gets a hint.
        take = dict(fn=lambda q: (q, ""), inputs=question, outputs=[asked, question], queue=False,
                    api_visibility="private", trigger_mode="once")
        run = dict(fn=respond, inputs=[asked, chat, plans, mode], outputs=[chat, sources, question],
                   api_visibility="private", concurrency_limit=8, trigger_mode="once")
        send.click(**take).then(**run).then(**record)
        question.submit(**take).then(**run).then(**record)
        clear.click(lambda: ([], sources_html(None, corpus, indexes), ""), outputs=[chat, sources, question],
                    api_visibility="private")
        for button, item in example_buttons:
            button.click(lambda item=item: item, outputs=question, api_visibility="private").then(**take).then(**run) \
                .then(**record)
        for trigger in (agency.change, agency_plans.change):
            trigger(agency_table, inputs=[agency, agency_plans], outputs=[table, download], api_visibility="private")
        gr.Markdown(hotline_footer(), elem_id="hotline-footer")
        # past gate.limit questions in flight the gate answers "busy" at once, so Gradio must let a few more in
        gr.api(ask_api, api_name="ask", concurrency_limit=settings.max_in_flight + 16)
    demo.rag_gate = gate  # for serve(): the JSON routes share the gate and loader
    demo.rag_loader = loader
    return demo


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860, ready: threading.Event | None = None,
          corpus=None):
    from rag.storage import open_database
    from ui.login import LoginGate, check_can_serve
    from ui.server import server_app_kwargs, setup_request_log

    setup_request_log()
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
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not come up")
