"""`rag deadlines`, `rag workplan`, `rag checklist` end to end (a real `rag` process on the real corpus)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT


def rag(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rag.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


def test_deadlines_json_for_an_agency():
    out = rag("deadlines", "--agency", "Sở Giáo dục và Đào tạo", "--plan", "ha-noi-2022-2025", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert {r["clause"] for r in rows} >= {"PL.II.3", "PL.II.4", "PL.III.2", "PL.I.1"}
    row = next(r for r in rows if r["clause"] == "PL.I.1")
    assert row["role"] == "phối hợp" and row["deadline"]["kind"] == "continuous"
    assert row["deadline"]["text"] == "Thường xuyên 2022-2025"


def test_deadlines_window_and_text_output():
    out = rag("deadlines", "--from", "2024-11-01", "--to", "31/12/2024", "--with-deadline", "--plan", "lai-chau")
    assert out.returncode == 0, out.stderr
    assert "30/11/2024" in out.stdout and "V-1" in out.stdout and "15/12/2024" in out.stdout


def test_deadlines_ics_and_bad_input(tmp_path):
    import icalendar

    path = tmp_path / "lich.ics"
    out = rag("deadlines", "--plan", "lai-chau-2021-2025", "--ics", str(path))
    assert out.returncode == 0, out.stderr
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    assert any("V-1" in str(e["summary"]) for e in cal.walk("VEVENT"))
    bad = rag("deadlines", "--agency", "Sở Không Có Thật")
    assert bad.returncode != 0 and "Không nhận ra cơ quan" in bad.stderr and "Traceback" not in bad.stderr
    bad = rag("deadlines", "--from", "hôm qua")
    assert bad.returncode != 0 and "ngày không hợp lệ" in bad.stderr


def test_workplan_docx(tmp_path):
    from docx import Document

    path = tmp_path / "kh.docx"
    out = rag("workplan", "Sở GD&ĐT", "--plan", "ha-noi-2022-2025", "--docx", str(path))
    assert out.returncode == 0, out.stderr
    doc = Document(str(path))
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert "PL.II.4" in cells and "Kết quả thực hiện" in cells


def test_checklist_text_and_docx(tmp_path):
    out = rag("checklist", "school", "--plan", "ha-noi-2022-2025")
    assert out.returncode == 0, out.stderr
    assert "Tiểu học" in out.stdout and "[KH Hà Nội 308/KH-UBND, II.2-1]" in out.stdout
    path = tmp_path / "ds.docx"
    assert rag("checklist", "family", "--docx", str(path)).returncode == 0 and path.stat().st_size > 5000
