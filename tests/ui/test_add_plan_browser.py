"""A real browser adds a plan on the "Thêm kế hoạch" tab of a real server (working on a corpus
copy), corrects its short name, confirms, and asks about the new plan at once."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.ingest.conftest import copy_corpus, plan_files  # noqa: F401  (the fixture files)
from tests.ui.conftest import ARTIFACTS, free_port


@pytest.fixture(scope="module")
def add_server(tmp_path_factory, assistant, index_root):
    from ui.app import wait_until_up

    root = tmp_path_factory.mktemp("add-ui")
    shutil.copytree(index_root / "cache", root / "index" / "cache")
    env = {**os.environ, "RAG_CORPUS_DIR": str(copy_corpus(root)), "RAG_INDEX_DIR": str(root / "index"),
           "RAG_DATA_DIR": str(root / "data"),  # no accounts: a loopback visitor is an administrator
           "GRADIO_ANALYTICS_ENABLED": "False"}
    port = free_port()
    log = open(root / "serve.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "rag.cli", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", timeout=180)
        yield f"http://127.0.0.1:{port}/", Path(env["RAG_CORPUS_DIR"])
    finally:
        proc.terminate()
        proc.wait(15)


def test_upload_correct_confirm_then_ask(add_server, plan_files, browser):
    url, corpus = add_server
    page = browser.new_page(viewport={"width": 1440, "height": 1100}, locale="vi-VN")
    page.goto(url, wait_until="load")
    page.wait_for_selector("#question textarea", timeout=60_000)
    page.get_by_role("tab", name="Thêm kế hoạch").click()  # loopback visitor: an administrator
    page.locator("#plan-file input[type=file]").set_input_files(str(plan_files["docx"]))
    page.wait_for_timeout(1000)
    page.locator("#read-plan").click()
    page.wait_for_function("() => document.querySelector('#add-status').innerText.includes('Đã đọc')",
                           timeout=120_000)
    status = page.locator("#add-status").inner_text()
    assert "6 mục cơ quan" in status and "3 dòng phụ lục" in status, status
    assert page.locator("#plan-id input, #plan-id textarea").first.input_value() == "kon-tum-2021-2025"
    assert page.locator("#plan-number input, #plan-number textarea").first.input_value() == "215/KH-UBND"
    assert "C.II  Sở Công Thương" in page.locator("#add-outline textarea").input_value()
    short = page.locator("#plan-short-name input, #plan-short-name textarea").first
    short.fill("KH Kon Tum thử nghiệm")
    page.screenshot(path=str(ARTIFACTS / "add-plan.png"), full_page=True)
    page.locator("#confirm-plan").click()
    page.wait_for_function("() => document.querySelector('#add-status').innerText.includes('Đã thêm')",
                           timeout=300_000)
    assert (corpus / "originals" / "kon-tum-2021-2025.docx").exists()
    assert 'short_name = "KH Kon Tum thử nghiệm"' in (corpus / "plans.toml").read_text(encoding="utf-8")

    page.get_by_role("tab", name="Hỏi đáp").click()
    # the plan filter has it once the assistant has reloaded (the page shows the reload's progress meanwhile)
    page.wait_for_function("() => document.querySelector('#plans').innerText.includes('KH Kon Tum thử nghiệm')",
                           timeout=120_000)
    page.locator("#question textarea").fill("Ở Kon Tum, đường dây nóng tiếp nhận phản ánh trẻ em bị xâm hại "
                                            "trên mạng là số nào?")
    page.locator("#send").click()
    page.wait_for_function("() => { const b = document.querySelectorAll('#chat .message'); "
                           "return b.length && !b[b.length-1].innerText.includes('Đang tìm'); }", timeout=60_000)
    page.wait_for_timeout(800)
    chat = page.locator("#chat").inner_text()
    assert "0260.3862.111" in chat and "KH Kon Tum thử nghiệm" in chat, chat

    page.get_by_role("tab", name="Tra cứu theo cơ quan").click()
    page.locator("#agency input").click()
    page.get_by_role("option", name="Sở Công Thương").click()  # an agency no table lists, found by pattern
    page.wait_for_function("() => document.querySelector('#agency-table').innerText.includes('C.II')",
                           timeout=20_000)
    page.screenshot(path=str(ARTIFACTS / "add-plan-agency.png"), full_page=True)
    page.close()
