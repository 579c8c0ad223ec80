"""Checks and cleans a question before anything is searched."""
from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
# a lone UTF-16 surrogate (e.g. "\ud800" sent as JSON); \udc80-\udcff are the CLI's escaped bytes, kept
_LONE_SURROGATE_RE = re.compile(r"[\ud800-\udc7f\udd00-\udfff]")
_WORDISH_RE = re.compile(r"[^\W_]", re.UNICODE)


class QuestionError(ValueError):
    """The question cannot be searched; the message is for the user (Vietnamese)."""


class _TextOnly(HTMLParser):
    """The text of a question pasted with HTML markup: tags dropped (each leaves a space), entities
    decoded, the words inside kept. Python's own HTML parser, so a lone "<" ("trẻ < 16 tuổi") stays text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag, attrs) -> None:
        self.parts.append(" ")

    def handle_endtag(self, tag) -> None:
        self.parts.append(" ")

    @classmethod
    def text(cls, markup: str) -> str:
        if "<" not in markup and "&" not in markup:
            return markup
        parser = cls()
        parser.feed(markup)
        parser.close()
        return "".join(parser.parts)


def _drop_invisible(text: str) -> str:
    """Remove format characters (Unicode category Cf): zero-width joiner / non-joiner / space, byte-order
    mark, left-to-right and right-to-left marks and embeddings, soft hyphen. They are invisible, so a
    word that carries one must read as the word without it ("p<ZWJ>háp" is "pháp")."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def clean_question(text: str, max_chars: int = 2000) -> str:
    if text is None:
        raise QuestionError("Câu hỏi trống. Hãy nhập câu hỏi về các kế hoạch.")
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if not isinstance(text, str):
        raise QuestionError("Câu hỏi phải là một chuỗi văn bản.")
    text = _LONE_SURROGATE_RE.sub(" ", text)
    # invalid UTF-8 from a command line arrives as surrogate escapes
    text = text.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
    text = unicodedata.normalize("NFC", text.replace("\ufffd", " "))
    text = _drop_invisible(text)
    text = _TextOnly.text(text)
    text = _CONTROL_RE.sub(" ", text)
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    if not text:
        raise QuestionError("Câu hỏi trống. Hãy nhập câu hỏi về các kế hoạch.")
    if len(text) > max_chars:
        raise QuestionError(f"Câu hỏi quá dài ({len(text)} ký tự; tối đa {max_chars}). "
                            "Hãy hỏi ngắn gọn một ý.")
    if not _WORDISH_RE.search(text):
        raise QuestionError("Câu hỏi không có chữ nào để tìm (chỉ có ký hiệu hoặc biểu tượng). "
                            "Hãy hỏi bằng lời, ví dụ: «Sở Giáo dục và Đào tạo Hà Nội phải làm gì?»")
    return text
