"""Feedback on the chat: 👍/👎 (Gradio's ``Chatbot.like``) and an optional comment under each
answer, stored with the question, answer, citations, plan filter, answerer and index version;
and each question asked, recorded in the user's history.

How an answer on the screen is tied to what produced it: ``remember`` wraps the page's
``answer_once`` and keeps the last answers by the markdown the chat shows (and by question);
``record`` (chained after the chat's answer) finds the shown answer among them, keeps it in the session's state by
its message index, and writes the history row. A 👍/👎 then reads that state by the index the
like event names.
"""
from __future__ import annotations

import functools
import logging
import threading
import unicodedata
from collections import OrderedDict

import gradio as gr

from rag.models import Answer
from rag.storage import Database, Feedback, HistoryEntry, Rating
from ui.access import Access, Role, Wiring
from ui.render import answer_markdown

log = logging.getLogger(__name__)

REMEMBERED = 512  # answers kept between being shown and being recorded (all sessions together)


def message_text(message: dict) -> str:
    """The text of a chat message, whether its content is a string or Gradio 6's list of blocks."""
    content = message.get("content") if isinstance(message, dict) else None
    if isinstance(content, str):
        return content
    if isinstance(content, (list, tuple)):
        return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    return ""


def _question_key(question: str) -> str:
    return "\0question:" + unicodedata.normalize("NFC", " ".join((question or "").split()))


class ChatFeedback:
    """Configured with the database, the page's access object and the assistant loader (for
    the index version)."""

    def __init__(self, db: Database, access: Access, loader) -> None:
        self.db = db
        self.access = access
        self.loader = loader
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._lock = threading.Lock()

    # --- tying shown answers to their Answer -------------------------------------------------

    def remember(self, answer_once):
        @functools.wraps(answer_once)
        def wrapped(*args, **kwargs):
            answer = answer_once(*args, **kwargs)
            if isinstance(answer, Answer):
                with self._lock:
                    for key in (answer_markdown(answer), _question_key(answer.question)):
                        self._answers[key] = answer
                        self._answers.move_to_end(key)
                    while len(self._answers) > 2 * REMEMBERED:
                        self._answers.popitem(last=False)
            return answer
        return wrapped

    def _index_version(self) -> str:
        index = getattr(getattr(self.loader, "assistant", None), "index", None)
        if index is None:
            return ""
        manifest = index.manifest
        return f"{index.path.name} (corpus {manifest.corpus_hash[:12]})"

    def shown_answer(self, asked: str, chat: list) -> Answer | None:
        """The ``Answer`` behind the chat's last message (None for a hint, an error or a busy message)."""
        if not chat or not isinstance(chat[-1], dict) or chat[-1].get("role") != "assistant":
            return None
        with self._lock:  # by the text shown; else (the chat reworded it) by the question
            return self._answers.get(message_text(chat[-1])) or self._answers.get(_question_key(asked))

    def record(self, asked: str, chat: list, plans: list[str] | None, shown: dict, request: gr.Request):
        """After an answer is shown: keep it for 👍/👎 and write the question to the history."""
        shown = dict(shown or {})
        answer = self.shown_answer(asked, chat)
        if answer is None:  # a hint, an error or a busy message: nothing to rate
            return shown
        index = len(chat) - 1
        shown = {i: r for i, r in shown.items() if int(i) < index}  # the chat was cleared or cut
        question = " ".join((asked or "").split()) or answer.question
        shown[index] = {"question": question, "answer": answer.answer,
                        "citations": [c.to_dict() for c in answer.citations], "plans": list(plans) if plans else None,
                        "answerer": answer.answerer, "index_version": self._index_version(), "feedback_id": None}
        try:
            self.db.history.add(HistoryEntry(question=question, answer_summary=answer.answer,
                                             user_name=self.access.user_name(request), plans=shown[index]["plans"]))
        except Exception:  # the answer was given; a failed history write is logged, not shown
            log.exception("could not record the question in the history")
        return shown

    # --- 👍/👎 and the comment ----------------------------------------------------------------

    def like(self, shown: dict, data: gr.LikeData, request: gr.Request):
        shown = dict(shown or {})
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        item = shown.get(index) or shown.get(str(index))
        hidden = gr.update(visible=False)
        if item is None:
            gr.Info("Chỉ đánh giá được câu trả lời của trợ lý.")
            return shown, None, hidden, gr.update(), ""
        user = self.access.user_name(request)
        liked = data.liked
        rating = Rating.UP if liked is True or liked == "Like" else Rating.DOWN if liked is False or liked == "Dislike" else None
        item = dict(item)
        try:
            if rating is None:  # the thumb was clicked again: taken back
                if item["feedback_id"] is not None:
                    self.db.feedback.remove(item["feedback_id"], user)
                item["feedback_id"] = None
                shown[index] = item
                return shown, None, hidden, gr.update(value=""), ""
            if item["feedback_id"] is not None and self.db.feedback.update(item["feedback_id"], user, rating=rating):
                pass
            else:
                item["feedback_id"] = self.db.feedback.add(Feedback(
                    rating=rating, question=item["question"], answer=item["answer"], citations=item["citations"],
                    plans=item["plans"], answerer=item["answerer"], index_version=item["index_version"],
                    user_name=user))
        except Exception:
            log.exception("could not store feedback")
            gr.Warning("Chưa lưu được đánh giá; vui lòng thử lại sau.")
            return shown, None, hidden, gr.update(), ""
        shown[index] = item
        note = ("Đã ghi nhận 👎. Câu trả lời sai hay thiếu ở đâu? Góp ý của bạn giúp sửa trợ lý."
                if rating is Rating.DOWN else "Đã ghi nhận 👍. Bạn có thể thêm góp ý nếu muốn.")
        return shown, item["feedback_id"], gr.update(visible=True), gr.update(value=""), note

    def comment(self, feedback_id: int | None, text: str, request: gr.Request):
        text = (text or "").strip()
        if feedback_id is None:
            return gr.update(), "Hãy bấm 👍 hoặc 👎 dưới một câu trả lời trước."
        if not text:
            return gr.update(), "Hãy viết góp ý trước khi gửi."
        try:
            saved = self.db.feedback.update(int(feedback_id), self.access.user_name(request), comment=text)
        except Exception:
            log.exception("could not store a comment")
            saved = False
        if not saved:
            return gr.update(), "Chưa lưu được góp ý; vui lòng thử lại."
        return gr.update(value=""), "Đã lưu góp ý. Cảm ơn bạn!"

    # --- the components ----------------------------------------------------------------------

    def attach(self, chat: gr.Chatbot, asked: gr.State, plans: gr.CheckboxGroup, wire: Wiring) -> dict:
        """Builds the comment box under the chat and wires the like event. Returns the keyword
        arguments for registering ``record`` after the chat's answer (it records the answer)."""
        shown = gr.State({})
        current = gr.State(None)
        with gr.Group(visible=False, elem_id="feedback-box") as box:
            comment = gr.Textbox(label="Góp ý cho câu trả lời này (không bắt buộc)", lines=2, max_lines=6,
                                 placeholder="Ví dụ: thiếu cơ quan phối hợp; trích sai điều khoản…",
                                 elem_id="feedback-comment")
            with gr.Row():
                send = gr.Button("Gửi góp ý", size="sm", elem_id="feedback-send")
                note = gr.Markdown("", elem_id="feedback-note")
        wire.on(chat.like, self.like, Role.READER, inputs=[shown], outputs=[shown, current, box, comment, note])
        for trigger in (send.click, comment.submit):
            wire.on(trigger, self.comment, Role.READER, inputs=[current, comment], outputs=[comment, note])
        return dict(inputs=[asked, chat, plans, shown], outputs=[shown], queue=False)
