"""`rag build` and `rag search` as a user runs them, bad input included."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.test_cli import run_rag


def test_search_json_shape(assistant):
    out = run_rag("search", "Sở Tư pháp Đồng Nai tham gia hội thảo khoa học", "-k", "3", "--json")
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)
    assert [h["rank"] for h in hits] == [1, 2, 3]
    assert set(hits[0]) == {"rank", "plan_id", "clause", "path", "text", "score"}
    assert hits[0]["plan_id"] == "dong-nai-2026-2030" and hits[0]["clause"] == "V.6-1"


def test_search_text_output(assistant):
    out = run_rag("search", "ASEANAPOL", "--plan", "dong-nai-2026-2030", "-k", "2")
    assert out.returncode == 0, out.stderr
    assert "[KH Đồng Nai 2026-2030] V.1-5" in out.stdout and "Công an thành phố" in out.stdout


@pytest.mark.parametrize("args, message", [
    (["search", ""], "Câu hỏi trống"),
    (["search", "   \t "], "Câu hỏi trống"),
    (["search", "x" * 10_000], "Câu hỏi quá dài"),
    (["search", "🙂🙂 ??? !!!"], "không có chữ"),
    (["search", "trẻ em", "-k", "0"], "-k phải là số nguyên dương"),
    (["search", "trẻ em", "-k", "-3"], "-k phải là số nguyên dương"),
    (["search", "trẻ em", "--plan", "lam-dong"], "Không có kế hoạch «lam-dong»"),
    (["ask", ""], "Câu hỏi trống"),
])
def test_bad_input_gets_a_clear_message(assistant, args, message):
    out = run_rag(*args)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_control_characters_and_invalid_utf8_are_cleaned(assistant):
    out = run_rag("search", "Sở Tư pháp\x07\x1b[31m Đồng Nai", "-k", "1", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)[0]["clause"] == "V.6-1"
    raw = subprocess.run([sys.executable, "-m", "rag.cli", "search", b"S\xff\xfe T\xc6 ph\xe1p \xc4\x90\xe1\xbb\x93ng Nai",
                          "-k", "1"], cwd=ROOT, capture_output=True)
    assert raw.returncode == 0 and b"Traceback" not in raw.stderr


def test_build_command_reports_passage_statistics(assistant, fresh_index_dir):
    out = run_rag("build", "--index-dir", str(fresh_index_dir))
    assert out.returncode == 0, out.stderr
    assert "Đã dựng chỉ mục: " in out.stdout and "IndexFlatIP" in out.stdout
    assert "ký tự" in out.stdout and (fresh_index_dir / "current" / "manifest.json").exists()
