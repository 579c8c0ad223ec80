"""Cleaning a question before analysis (defect 8): invisible characters removed, HTML tags stripped."""
from __future__ import annotations

import pytest

from rag.retrieval.question import QuestionError, clean_question


@pytest.mark.parametrize("raw, clean", [
    ("Sở Tư p\u200dháp", "Sở Tư pháp"),  # ZWJ inside a word
    ("Sở Tư\u200cpháp", "Sở Tưpháp"),  # ZWNJ is removed, not turned into a space
    ("\ufeffSở \u200eTư\u200f pháp\u202e\u202c", "Sở Tư pháp"),  # BOM, LRM, RLM, RTL override
    ("Sở T\u00adư pháp", "Sở Tư pháp"),  # soft hyphen
    ("<b>Sở</b> Tư <span class='x'>pháp</span>", "Sở Tư pháp"),
    ("Sở<br>Tư pháp", "Sở Tư pháp"),
    ("Sở GD&amp;ĐT Hà Nội", "Sở GD&ĐT Hà Nội"),
    ("trẻ em < 16 tuổi", "trẻ em < 16 tuổi"),  # a lone "<" is text
    ("So Tu pha\u0301p", "So Tu pháp"),  # NFC after cleaning
])
def test_invisible_characters_and_tags(raw, clean):
    assert clean_question(raw) == clean


@pytest.mark.parametrize("raw", ["\ud800", "\u200d\u200b\ufeff", "<p></p>", None])
def test_nothing_left_is_an_empty_question(raw):
    with pytest.raises(QuestionError, match="Câu hỏi trống"):
        clean_question(raw)


def test_not_text_is_refused():
    with pytest.raises(QuestionError, match="chuỗi văn bản"):
        clean_question(123)
