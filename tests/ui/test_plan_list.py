"""One plan list for every surface, against a real `rag serve` on a copy of the corpus: a plan added
with `rag add` (another process) while the server runs reaches /healthz, POST /api/ask, a page opened
before the add, a page opened after it and the evaluation tab; `rag remove` takes it away from all of
them and answers stop citing it. A question naming a province whose plan is not ticked says so."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import httpx
import pytest

from tests.conftest import CORPUS_DIR, FIXTURES, ROOT
from tests.ui.test_browser import _ask

NEW_PLAN = FIXTURES / "fifth-plan" / "son-ha-2026-2030.txt"
QUESTION = "Sở Công Thương Sơn Hà có nhiệm vụ gì?"


def rag(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rag.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env={**os.environ, **env})


@pytest.fixture()
def live(tmp_path, index_root, assistant):
    """A server on its own copy of the corpus and of the session's index (so adding and removing a
    plan touches neither)."""
    from tests.ui.conftest import free_port, start_server

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(CORPUS_DIR, corpus)
    shutil.copytree(index_root, index, symlinks=True)
    env = {"RAG_CORPUS_DIR": str(corpus), "RAG_INDEX_DIR": str(index)}
    port = free_port()
    proc = start_server(index, port, tmp_path / "serve.log", env=env)
    yield f"http://127.0.0.1:{port}/", env
    proc.terminate()
    proc.wait(15)


def _plan_labels(page, elem: str = "#plans") -> str:
    return page.locator(elem).inner_text()


def test_a_plan_added_or_removed_reaches_every_surface_at_once(live, browser):
    url, env = live
    before = browser.new_page(locale="vi-VN", viewport={"width": 1440, "height": 1000})
    before.goto(url, wait_until="load")
    before.wait_for_selector("#question textarea", timeout=60_000)
    assert "Sơn Hà" not in _plan_labels(before)

    added = rag(env, "add", str(NEW_PLAN), "--json")
    assert added.returncode == 0, added.stderr
    plan_id = json.loads(added.stdout)["id"]

    health = httpx.get(url + "healthz", timeout=60).json()
    assert plan_id in health["plans_loaded"]
    reply = httpx.post(url + "api/ask", json={"question": QUESTION, "plans": [plan_id]}, timeout=120)
    assert reply.status_code == 200, reply.text
    assert {c["plan_id"] for c in reply.json()["citations"]} == {plan_id}

    after = browser.new_page(locale="vi-VN", viewport={"width": 1440, "height": 1000})
    after.goto(url, wait_until="load")
    after.wait_for_selector("#question textarea", timeout=60_000)
    after.wait_for_function("() => document.querySelector('#plans').innerText.includes('Sơn Hà')", timeout=60_000)
    assert after.locator("#plans input[type=checkbox]:checked").count() == 5  # the new plan is ticked too
    after.get_by_role("tab", name="Đánh giá").click()
    assert "Sơn Hà" in after.locator("#tab-eval").inner_text()
    # the page opened before the add lists it too, without a reload
    before.wait_for_function("() => document.querySelector('#plans').innerText.includes('Sơn Hà')",
                             timeout=60_000)

    # untick it: a question about Sơn Hà says that its plan is not ticked
    after.get_by_role("tab", name="Hỏi đáp").click()
    after.locator("#plans label", has_text="Sơn Hà").click()

    _ask(after, QUESTION)
    last = after.locator("#chat .message").last.inner_text()
    assert "không nằm trong các kế hoạch được chọn" in last and "Sơn Hà" in last, last

    removed = rag(env, "remove", plan_id)
    assert removed.returncode == 0, removed.stderr
    assert plan_id not in httpx.get(url + "healthz", timeout=60).json()["plans_loaded"]
    reply = httpx.post(url + "api/ask", json={"question": QUESTION}, timeout=120).json()
    assert plan_id not in {c["plan_id"] for c in reply["citations"]}
    before.wait_for_function("() => !document.querySelector('#plans').innerText.includes('Sơn Hà')",
                             timeout=60_000)
