"""``rag user add/list/remove`` and ``rag feedback export --csv`` as a person runs them."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

from tests.conftest import ROOT


def rag(env: dict, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rag.cli", *args], cwd=ROOT, env={**os.environ, **env}, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_user_add_list_remove(tmp_path):
    env = {"RAG_DATA_DIR": str(tmp_path), "RAG_DATABASE_URL": ""}
    added = rag(env, "user", "add", "Lan", "--role", "admin", "--password-stdin", stdin="mật khẩu đủ dài\n")
    assert added.returncode == 0 and "«lan»" in added.stdout and "admin" in added.stdout
    assert rag(env, "user", "add", "hoa", "--role", "reader", "--password-stdin", stdin="khẩu-hoa-123\n").returncode == 0
    listed = rag(env, "user", "list")
    assert listed.returncode == 0
    assert [line.split()[:2] for line in listed.stdout.splitlines()] == [["hoa", "reader"], ["lan", "admin"]]
    assert "mật khẩu" not in listed.stdout
    assert rag(env, "user", "remove", "hoa").returncode == 0
    assert [line.split()[0] for line in rag(env, "user", "list").stdout.splitlines()] == ["lan"]


def test_user_mistakes_get_one_vietnamese_line_and_no_traceback(tmp_path):
    env = {"RAG_DATA_DIR": str(tmp_path), "RAG_DATABASE_URL": ""}
    short = rag(env, "user", "add", "lan", "--role", "admin", "--password-stdin", stdin="ngắn\n")
    assert short.returncode == 2 and short.stderr.strip() == "Lỗi: Mật khẩu phải có ít nhất 8 ký tự."
    no_tty = rag(env, "user", "add", "lan", "--role", "admin")
    assert no_tty.returncode == 2 and "--password-stdin" in no_tty.stderr and "Traceback" not in no_tty.stderr
    rag(env, "user", "add", "lan", "--role", "admin", "--password-stdin", stdin="mật khẩu đủ dài\n")
    twice = rag(env, "user", "add", "LAN", "--role", "reader", "--password-stdin", stdin="mật khẩu đủ dài\n")
    assert twice.returncode == 2 and "đã có" in twice.stderr
    missing = rag(env, "user", "remove", "không-có")
    assert missing.returncode == 2 and "Không có người dùng «không-có»" in missing.stderr
    bad_url = rag({"RAG_DATABASE_URL": "postgresql://rag@127.0.0.1:1/none"}, "user", "list")
    assert bad_url.returncode == 2 and "Không mở được cơ sở dữ liệu" in bad_url.stderr
    assert "Traceback" not in bad_url.stderr


def test_feedback_export_csv_from_postgresql(postgres, tmp_path):
    from rag.config import load_settings
    from rag.storage import Feedback, Rating, open_database

    url = postgres.create_database("cli_export")
    db = open_database(load_settings(env={"RAG_DATABASE_URL": url}))
    db.feedback.add(Feedback(rating=Rating.DOWN, question="Hà Nội giao Sở Ngoại vụ việc gì?", answer="…",
                             citations=[{"plan_id": "ha-noi-2022-2025", "clause": "PL.VI.1"}], user_name="lan",
                             comment="Thiếu thời hạn", plans=["ha-noi-2022-2025"], index_version="b7"))
    db.close()
    env = {"RAG_DATABASE_URL": url}
    shown = rag(env, "feedback", "export", "--csv")
    rows = list(csv.reader(io.StringIO(shown.stdout)))
    assert shown.returncode == 0 and len(rows) == 2
    assert rows[1][2:5] == ["lan", "👎", "Thiếu thời hạn"] and "PL.VI.1" in rows[1][7] and rows[1][10] == "b7"
    out = tmp_path / "góp-ý.csv"
    written = rag(env, "feedback", "export", "--csv", "--out", str(out))
    assert written.returncode == 0 and "1 góp ý" in written.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM spreadsheets need for Vietnamese
    assert list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")))) == rows
