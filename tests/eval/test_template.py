"""The template written by `rag eval --template` reads back as a valid question set."""
from __future__ import annotations

import pytest

from rag.eval.dataset import load_questions
from rag.eval.template import write_template


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_template_round_trip(kind, tmp_path, corpus):
    path = write_template(kind, tmp_path / f"mau.{kind}")
    qs = load_questions(path, corpus.plan_ids)
    assert qs.problems == [] and qs.notes == []
    (q,) = qs.questions
    assert q.id == "M001" and q.answerable and len(q.must_mention) == 2
    assert any(pid.startswith(q.gold[0].plan) for pid in corpus.plan_ids)


def test_xlsx_template_explains_every_column(tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(write_template("xlsx", tmp_path / "mau.xlsx"))
    assert book.sheetnames == ["Câu hỏi", "Hướng dẫn"]
    headers = [c.value for c in book["Câu hỏi"][1]]
    explained = [row[0].value for row in book["Hướng dẫn"].iter_rows(min_row=2) if row[0].value]
    assert headers[:2] == ["id", "câu hỏi"] and explained == headers
