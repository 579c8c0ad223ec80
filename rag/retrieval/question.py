"""Checks and cleans a question before anything is searched."""
from __future__ import annotations

import re
import unicodedata

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_WORDISH_RE = re.compile(r"[^\W_]", re.UNICODE)


class QuestionError(ValueError):
    """The question cannot be searched; the message is for the user (Vietnamese)."""


def clean_question(text: str, max_chars: int = 2000) -> str:
    if text is None:
        raise QuestionError("Câu hỏi trống. Hãy nhập câu hỏi về các kế hoạch.")
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    # invalid UTF-8 from a command line arrives as surrogate escapes
    text = text.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
    text = unicodedata.normalize("NFC", text.replace("\ufffd", " "))
    text = _CONTROL_RE.sub(" ", text)
    text = " ".join(text.split())
    if not text:
        raise QuestionError("Câu hỏi trống. Hãy nhập câu hỏi về các kế hoạch.")
    if len(text) > max_chars:
        raise QuestionError(f"Câu hỏi quá dài ({len(text)} ký tự; tối đa {max_chars}). "
                            "Hãy hỏi ngắn gọn một ý.")
    if not _WORDISH_RE.search(text):
        raise QuestionError("Câu hỏi không có chữ nào để tìm (chỉ có ký hiệu hoặc biểu tượng). "
                            "Hãy hỏi bằng lời, ví dụ: «Sở Giáo dục và Đào tạo Hà Nội phải làm gì?»")
    return text
