"""«Hỏi đáp»: the chat with cited answers, the plan filter, the answerer choice, example questions
per kind of user, the sources panel, 👍/👎 under answers; and the public ``/ask`` endpoint."""
from __future__ import annotations

import functools
import hashlib
import html
import json
import logging

import gradio as gr

from rag import lexicon
from rag.documents.answer import answer_docx
from rag.retrieval.question import QuestionError
from ui.access import Role
from ui.ask_input import AskInputError, check_ask
from ui.context import PageContext, plan_choices
from ui.downloads import Downloads
from ui.render import answer_markdown, sources_html

log = logging.getLogger(__name__)

THINKING = "⏳ Đang tìm trong các kế hoạch…"
FAILED = "⚠️ Đã có lỗi khi trả lời câu hỏi này. Vui lòng thử lại hoặc hỏi cách khác."


def examples() -> dict[str, list[str]]:
    """Example questions per kind of user, from ``rag/lexicon/examples.toml``."""
    return {p["name"]: list(p["questions"]) for p in lexicon.load("examples")["persona"]}


def _text_of(content) -> str | None:
    """A chat message's text: a string, or (as Gradio 6 sends messages back) a list of parts
    ``{"type": "text", "text": …}``."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [p.get("text") for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)]
        return " ".join(parts) if parts else None
    if isinstance(content, dict) and isinstance(content.get("text"), str):
        return content["text"]
    return None


def earlier_questions(history: list) -> list[str]:
    """The user's questions so far, as they typed them (the chat shows them escaped)."""
    texts = [_text_of(m.get("content")) for m in history if isinstance(m, dict) and m.get("role") == "user"]
    return [html.unescape(t) for t in texts if t]


# When an answer that opens with the distress card has come, bring the card, not the end of the answer, into
# view (the chat scrolls to the end of a message; on a phone that left 111 off the screen). Installed once
# per page: it watches the chat and acts once per card, after the answer stopped streaming.
SHOW_CARD_JS = """() => {
  if (window.ragCardWatch) return;
  window.ragCardWatch = true;
  let pending = null;
  const show = () => {
    const messages = document.querySelectorAll('#chat .message');
    const card = messages.length ? messages[messages.length - 1].querySelector('.distress-card') : null;
    if (card && !card.dataset.shown) { card.dataset.shown = '1'; card.scrollIntoView({block: 'start'}); }
  };
  new MutationObserver(() => { clearTimeout(pending); pending = setTimeout(show, 400); })
    .observe(document.body, {childList: true, subtree: true, characterData: true});
}"""


class ChatTab:
    def __init__(self, ctx: PageContext) -> None:
        self.ctx = ctx
        self.answer_once = ctx.feedback.remember(self._answer_once)
        self.documents = Downloads("rag-answers-")

    # --- handlers ------------------------------------------------------------------------------

    def _answer_once(self, question: str, plans: list[str] | None, mode: str = "default", *, via: str = "page",
                     history=()):
        known = set(self.ctx.plans.corpus.plan_ids)  # a plan removed since the page showed it is dropped
        plans = [p for p in plans or () if p in known]
        return self.ctx.gate.ask(question, plan_ids=plans or None, answerer=mode if mode in ("default", "llm") else "default",
                                 via=via, history=history)

    def take(self, question: str):
        """The question leaves the box at once; it is answered from the copy."""
        return question, ""

    def respond(self, question: str, history: list, plans: list[str], mode: str):
        """Streams the chat (user message, a waiting line, then the answer line by line) and the sources."""
        history = list(history or [])
        earlier = earlier_questions(history)
        question = (question or "").strip()
        if not question:  # an empty box (or a second click after the answer came): a hint, no new messages
            gr.Warning("Hãy nhập câu hỏi về các kế hoạch trước khi gửi.")
            yield history, gr.update(), ""
            return
        history.append({"role": "user", "content": html.escape(question)})  # shown as text, never as HTML
        history.append({"role": "assistant", "content": THINKING})
        yield history, gr.update(), ""
        try:
            answer = self.answer_once(question, plans, mode, via="page", history=earlier)
        except QuestionError as exc:
            history[-1]["content"] = f"⚠️ {exc}"
            yield history, self.no_sources(), ""
            return
        except (TimeoutError, RuntimeError) as exc:
            history[-1]["content"] = f"⚠️ {exc}"
            yield history, gr.update(), ""
            return
        except Exception:  # never a stack trace on the page
            log.exception("answering failed")
            history[-1]["content"] = FAILED
            yield history, gr.update(), ""
            return
        lines = answer_markdown(answer).split("\n")
        for n in range(1, len(lines) + 1):  # streamed line by line as it is laid out
            history[-1]["content"] = "\n".join(lines[:n])
            yield history, gr.update(), ""
        yield history, sources_html(answer, self.ctx.plans.corpus, self.ctx.plans.indexes), ""

    def no_sources(self) -> str:
        return sources_html(None, self.ctx.plans.corpus, self.ctx.plans.indexes)

    def clear(self):
        """Empties the chat and the sources; a question being typed stays in the box."""
        return [], self.no_sources()

    def answer_file(self, asked: str, chat: list):
        """The last answer shown, as a DOCX to keep: the question, the answer, the cited clauses in full."""
        answer = self.ctx.feedback.shown_answer(asked, chat)
        if answer is None:
            return gr.update(value=None, interactive=False)
        stem = f"tra-loi-{hashlib.sha1(answer.question.encode()).hexdigest()[:10]}-{len(chat or [])}"
        path = self.documents.write(stem, ".docx", answer_docx(answer, self.ctx.plans.corpus))
        return gr.update(value=str(path), interactive=True)

    @staticmethod
    def example(item: str) -> str:
        return item

    def ask_api(self, question: str, plans: list[str] | None = None, history: list[str] | None = None) -> tuple[str, str]:
        """Answer ``question`` from the plans in ``plans`` (empty or missing: all); ``history`` is the
        list of earlier questions of the conversation. Returns the answer as markdown and the citations
        as a JSON text: a list of {plan_id, clause, path, text}. (A JSON text, not objects: gradio_client
        would take any {"path": …} object for a file.) Wrongly typed input gets a Vietnamese message."""
        try:
            checked = check_ask(self.ctx.plans.corpus, question, plans, history)
            answer = self.answer_once(checked.question, list(checked.plan_ids), via="gradio", history=checked.history)
        except (AskInputError, QuestionError, TimeoutError, RuntimeError) as exc:
            return f"⚠️ {exc}", "[]"
        cites = json.dumps([c.to_dict() for c in answer.citations], ensure_ascii=False)
        return answer_markdown(answer), cites

    # --- layout and wiring -----------------------------------------------------------------------

    def layout(self) -> None:
        corpus = self.ctx.plans.corpus
        with gr.Tab("Hỏi đáp"), gr.Row(equal_height=False):
            with gr.Column(scale=3):
                self.plans = gr.CheckboxGroup(choices=plan_choices(corpus), value=corpus.plan_ids,
                                              label="Kế hoạch dùng để trả lời (mặc định: tất cả)", elem_id="plans")
                self._answerer_row()
                self.chat = gr.Chatbot(label="Hội thoại", show_label=False, height=460, elem_id="chat",
                                       sanitize_html=True,
                                       placeholder="Đặt câu hỏi về các kế hoạch, hoặc bấm một câu hỏi mẫu bên dưới.")
                self.question = gr.Textbox(label="Câu hỏi", placeholder="Ví dụ: Sở Giáo dục và Đào tạo Hà Nội phải làm gì?",
                                           lines=2, max_lines=6, elem_id="question")
                with gr.Row():
                    self.send = gr.Button("Gửi câu hỏi", variant="primary", elem_id="send")
                    self.clear_button = gr.Button("Xóa hội thoại")
                    self.keep = gr.DownloadButton("Tải câu trả lời (DOCX)", value=None, interactive=False,
                                                  elem_id="answer-docx")
                self.asked = gr.State("")
                self.record = self.ctx.feedback.attach(self.chat, self.asked, self.plans, self.ctx.wire)
                self._example_buttons()
            with gr.Column(scale=2):
                gr.Markdown("### Nguồn trích dẫn")
                self.sources = gr.HTML(self.no_sources(), elem_id="sources", elem_classes=["sources-panel"])

    def _answerer_row(self) -> None:
        ok, why = self.ctx.llm_ok, self.ctx.llm_why
        with gr.Row():
            self.mode = gr.Radio(choices=[("Mặc định (không cần LLM)", "default"),
                                          ("LLM" if ok else "LLM (chưa sẵn sàng)", "llm")],
                                 value="default", label="Cách trả lời", interactive=True, scale=2)
            # an operator's message: shown to admins only (app.py), on one short line
            self.llm_status = gr.Markdown(f"**LLM:** {'✅ ' if ok else '⛔ '}{why}", elem_id="llm-status",
                                          visible=False)

    def _example_buttons(self) -> None:
        self.examples = []
        with gr.Accordion("Câu hỏi mẫu theo người dùng", open=True):
            for persona, items in examples().items():
                with gr.Row():
                    gr.Markdown(f"**{persona}**", elem_classes=["persona"])
                    self.examples += [(gr.Button(item, size="sm"), item) for item in items]

    def wire(self) -> None:
        wire, reader = self.ctx.wire, Role.READER
        # The question is taken out of the box at once (unqueued), then answered from that copy: a second
        # click while the answer is on its way finds the box empty and only gets a hint.
        take = dict(inputs=self.question, outputs=[self.asked, self.question], queue=False, trigger_mode="once")
        run = dict(inputs=[self.asked, self.chat, self.plans, self.mode], outputs=[self.chat, self.sources, self.question],
                   concurrency_limit=8, trigger_mode="once")

        def answer_after(taken) -> None:  # then the answer, then it is recorded for 👍/👎 and the history
            answered = wire.on(taken.then, self.respond, reader, **run)
            recorded = wire.on(answered.then, self.ctx.feedback.record, reader, **self.record)
            wire.on(recorded.then, self.answer_file, reader, inputs=[self.asked, self.chat], outputs=[self.keep])

        for trigger in (self.send.click, self.question.submit):
            answer_after(wire.on(trigger, self.take, reader, **take))
        # unqueued, as the take above: clearing is instant and must not land after a question sent right
        # behind it (queued, it could arrive late and wipe the box the user had just typed into)
        cleared = wire.on(self.clear_button.click, self.clear, reader, outputs=[self.chat, self.sources], queue=False)
        wire.on(cleared.then, self.answer_file, reader, inputs=[self.asked, self.chat], outputs=[self.keep])
        for button, item in self.examples:
            clicked = wire.on(button.click, functools.partial(self.example, item), reader, outputs=self.question)
            answer_after(wire.on(clicked.then, self.take, reader, **take))
        # past gate.limit questions in flight the gate answers "busy" at once, so Gradio must let a few more in
        wire.api(self.ask_api, reader, api_name="ask", concurrency_limit=self.ctx.settings.max_in_flight + 16)
