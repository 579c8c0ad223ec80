"""One unreadable plan file (defects 9 and 11): the other plans load, `rag ask` and `rag serve`
start, the failed plan is named in the CLI and on the page, and a question about its province
is told that its plan failed to load, not that the province has no plan."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request

import pytest
from gradio_client import Client

from tests.conftest import CORPUS_DIR, ROOT
from tests.ui.conftest import free_port, start_server

BROKEN = "dong-nai-2026-2030"


@pytest.fixture()
def broken_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, corpus)
    plan = corpus / f"{BROKEN}.txt"
    plan.unlink()
    plan.mkdir()  # unreadable as a file (a permission change would not stop root)
    return corpus


def test_load_corpus_keeps_the_other_plans(broken_corpus):
    from rag.structure import load_corpus

    corpus = load_corpus(broken_corpus)
    assert BROKEN not in corpus.plan_ids and len(corpus.plans) == 3
    assert [e.plan_id for e in corpus.errors] == [BROKEN] and corpus.errors[0].info.province == "Đồng Nai"
    assert corpus.content_hash


def test_cli_and_page_name_the_failed_plan(broken_corpus, fresh_index_dir, tmp_path):
    env = {**os.environ, "RAG_CORPUS_DIR": str(broken_corpus), "RAG_INDEX_DIR": str(fresh_index_dir)}
    done = subprocess.run([sys.executable, "-m", "rag.cli", "ask", "Sở Tư pháp Đồng Nai có nhiệm vụ gì?"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"không nạp được kế hoạch «{BROKEN}»" in done.stderr and "Traceback" not in done.stderr
    assert "không nạp được" in done.stdout and "Kho tài liệu không có kế hoạch" not in done.stdout

    port = free_port()
    proc = start_server(fresh_index_dir, port, tmp_path / "serve.log", env={"RAG_CORPUS_DIR": str(broken_corpus)})
    url = f"http://127.0.0.1:{port}/"
    try:
        client = Client(url, verbose=False)
        answer, cites = client.predict("Sở Tư pháp Đồng Nai có nhiệm vụ gì?", [], api_name="/ask")
        assert "KH Đồng Nai" in answer and "không nạp được" in answer and json.loads(cites) == []
        answer, cites = client.predict("Theo phụ lục kế hoạch Hà Nội, cơ quan nào chủ trì kêu gọi vốn hỗ trợ quốc tế?",
                                       [], api_name="/ask")
        assert json.loads(cites)[0]["clause"] == "PL.VI.1"
        answer, _ = client.predict("Sở Tư pháp có nhiệm vụ gì?", [BROKEN], api_name="/ask")
        assert f"Kế hoạch «{BROKEN}» hiện không nạp được" in answer
        with urllib.request.urlopen(url + "healthz", timeout=30) as resp:
            health = json.loads(resp.read())
        assert [p["id"] for p in health["plans_failed"]] == [BROKEN] and len(health["plans_loaded"]) == 3
        with urllib.request.urlopen(url + "config", timeout=30) as resp:  # the page as first sent
            page = resp.read().decode("utf-8")
        assert "Không nạp được kế hoạch «KH Đồng Nai" in page
    finally:
        proc.terminate()
        proc.wait(15)
    assert "Traceback" not in (tmp_path / "serve.log").read_text(encoding="utf-8")
