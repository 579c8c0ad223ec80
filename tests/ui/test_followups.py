"""A conversation gives the same answer on every interface that offers it: `rag ask --history`
(the reference), `POST /api/ask` with "history", gradio_client `/ask` with its third argument, and
the page in a real browser (two turns in one chat, the "Hiểu là: …" line shown)."""
from __future__ import annotations

import html
import json
import os
import subprocess
import sys

import httpx
import pytest

from tests.conftest import ROOT
from tests.ui.test_browser import _ask, page  # noqa: F401  (the browser fixture)

README_EXAMPLE = ("Sở Tài chính Lai Châu có nhiệm vụ gì?", "Còn Hà Nội?")


def _followups_dev() -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in (ROOT / "eval" / "questions" / "followups-dev.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    return [(r["history"][-1], r["question"]) for r in rows if r["id"] in ("DF02", "DF03")]


CONVERSATIONS = [README_EXAMPLE, *_followups_dev()]


@pytest.fixture(scope="module")
def expected(index_root) -> dict[tuple[str, str], dict]:
    """What the CLI answers for each conversation."""
    out = {}
    for first, follow in CONVERSATIONS:
        done = subprocess.run([sys.executable, "-m", "rag.cli", "ask", "--json", "--history", first, follow], cwd=ROOT,
                              env={**os.environ, "RAG_INDEX_DIR": str(index_root)}, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        answer = json.loads(done.stdout)
        assert not answer["abstained"] and "Hiểu là" in answer["answer"], answer["answer"]
        out[(first, follow)] = answer
    return out


def _clauses(citations) -> list[tuple[str, str]]:
    return [(c["plan_id"], c["clause"]) for c in citations]


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=["readme", "DF02", "DF03"])
def test_api_ask_with_history_answers_like_the_cli(server_url, expected, conversation):
    first, follow = conversation
    reply = httpx.post(server_url + "api/ask", json={"question": follow, "history": [first]}, timeout=120)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    want = expected[conversation]
    assert body["answer"] == want["answer"] and _clauses(body["citations"]) == _clauses(want["citations"])
    alone = httpx.post(server_url + "api/ask", json={"question": follow}, timeout=120).json()
    assert alone["answer"] != want["answer"]  # the history is what made the difference


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=["readme", "DF02", "DF03"])
def test_gradio_client_ask_with_history_answers_like_the_cli(server_url, expected, conversation):
    from gradio_client import Client

    first, follow = conversation
    client = Client(server_url, verbose=False)
    text, cites = client.predict(follow, [], [first], api_name="/ask")
    want = expected[conversation]
    assert _clauses(json.loads(cites)) == _clauses(want["citations"])
    assert html.escape(want["answer"]).replace("\n", "  \n") in text and "Hiểu là" in text


def test_the_page_answers_a_follow_up_in_the_same_chat(page, expected):
    page.get_by_role("tab", name="Hỏi đáp").click()
    page.get_by_role("button", name="Xóa hội thoại").click()
    # the clearing is an event of its own: wait until the chat is empty, or the next question's count of
    # messages would start from the old chat and wait for messages that never come (the clearing is
    # unqueued and leaves the question box alone, so it cannot land late and empty the next question)
    page.wait_for_function("() => document.querySelectorAll('#chat .message').length === 0", timeout=60_000)
    for conversation in CONVERSATIONS[:2]:
        first, follow = conversation
        _ask(page, first)
        _ask(page, follow)
        last = page.locator("#chat .message").last.inner_text()
        want = expected[conversation]
        assert "Hiểu là" in last, last
        for plan_id, clause in _clauses(want["citations"]):
            assert clause in last and clause in page.locator("#sources").inner_text()
        first_line = want["answer"].split("\n")[0]
        assert first_line in last
