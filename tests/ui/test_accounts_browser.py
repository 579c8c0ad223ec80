"""Accounts end to end: two real `rag serve` replicas on one real PostgreSQL, log-in forced, and
a real browser (Debian's Chromium through Playwright) that logs in, asks, gives 👎 with a comment
on one replica and sees it in the admin view of both; a reader sees no admin view."""
from __future__ import annotations

import pytest

from tests.ui.conftest import ARTIFACTS, free_port
from tests.ui.test_browser import _ask
from tests.ui.test_login import PASSWORD, rag, start

QUESTION = "Sở Tài chính Lai Châu có nhiệm vụ gì?"
COMMENT = "Thiếu thời hạn bố trí kinh phí (thử nghiệm)"


@pytest.fixture(scope="module")
def replicas(assistant, index_root, postgres, tmp_path_factory):
    folder = tmp_path_factory.mktemp("replicas")
    url = postgres.create_database("replicas")
    env = {"RAG_INDEX_DIR": str(index_root), "RAG_DATABASE_URL": url, "RAG_REQUIRE_LOGIN": "1",
           "RAG_DATA_DIR": str(folder / "unused")}
    for name, role in (("lan", "admin"), ("minh", "reader")):
        assert rag(env, "user", "add", name, "--role", role, "--password-stdin", stdin=PASSWORD + "\n").returncode == 0
    procs, urls = [], []
    for n in range(2):
        port = free_port()
        procs.append(start(env, port, folder / f"serve-{n}.log"))
        urls.append(f"http://127.0.0.1:{port}/")
    yield urls, url
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.wait(15)
    data = folder / "unused"  # only the servers' temporary folders, removed as they stopped
    assert not list(data.glob("*.sqlite3*"))  # everything went to PostgreSQL
    assert not [p for p in data.glob("tmp/*")]


def open_logged_in(browser, url: str, name: str):
    page = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN").new_page()
    page.goto(url, wait_until="load")
    assert page.url.endswith("/login")
    page.fill("#username", name)
    page.fill("#password", "không phải mật khẩu")
    page.click("#login")
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page.locator("#login-error").inner_text()
    page.fill("#password", PASSWORD)
    page.click("#login")
    page.wait_for_selector("#question textarea", timeout=60_000)
    page.wait_for_function(f"() => document.querySelector('#account')?.innerText.includes('{name}')", timeout=30_000)
    return page


@pytest.fixture(scope="module")
def disliked(browser, replicas):
    """On replica A, the admin logs in, asks, gives 👎 and writes a comment."""
    (a, _), _ = replicas
    page = open_logged_in(browser, a, "lan")
    _ask(page, QUESTION)
    page.locator("#chat").get_by_label("Dislike").last.click()
    page.wait_for_selector("#feedback-comment textarea", state="visible", timeout=20_000)
    assert "Đã ghi nhận 👎" in page.locator("#feedback-note").inner_text()
    page.fill("#feedback-comment textarea", COMMENT)
    page.click("#feedback-send")
    page.wait_for_function("() => document.querySelector('#feedback-note').innerText.includes('Đã lưu góp ý')",
                           timeout=20_000)
    return page


def _tab_text(page, tab: str, table: str) -> str:
    page.get_by_role("tab", name=tab).click()
    page.wait_for_function(f"() => document.querySelector('#{table}')?.innerText.includes('Lai Châu')", timeout=20_000)
    return page.locator(f"#{table}").inner_text()


def test_log_in_ask_thumbs_down_with_comment_and_see_it_in_the_admin_view(disliked):
    text = _tab_text(disliked, "Góp ý", "feedback-table")
    assert QUESTION in text and COMMENT in text and "lan" in text
    disliked.screenshot(path=str(ARTIFACTS / "feedback-admin.png"), full_page=True)
    assert QUESTION in _tab_text(disliked, "Câu hỏi của tôi", "history-table")


def test_everything_the_answer_had_is_stored(disliked, replicas):
    from rag.config import load_settings
    from rag.storage import Rating, open_database

    _, url = replicas
    db = open_database(load_settings(env={"RAG_DATABASE_URL": url}))
    [fb] = db.feedback.list(Rating.DOWN)
    assert (fb.user_name, fb.question, fb.comment, fb.answerer) == ("lan", QUESTION, COMMENT, "default")
    assert "Sở Tài chính" in fb.answer and fb.citations and fb.citations[0]["plan_id"].startswith("lai-chau")
    assert len(fb.plans) == 4 and "lai-chau-2021-2025" in fb.plans and "corpus" in fb.index_version
    db.close()


def test_feedback_written_through_one_replica_is_read_through_the_other(disliked, browser, replicas):
    (_, b), _ = replicas
    page = open_logged_in(browser, b, "lan")
    text = _tab_text(page, "Góp ý", "feedback-table")
    assert QUESTION in text and COMMENT in text
    assert QUESTION in _tab_text(page, "Câu hỏi của tôi", "history-table")  # asked on A, listed on B


def test_a_reader_has_no_admin_view_and_only_their_own_questions(disliked, browser, replicas):
    (_, b), _ = replicas
    page = open_logged_in(browser, b, "minh")
    assert page.get_by_role("tab", name="Góp ý").count() == 0
    page.get_by_role("tab", name="Câu hỏi của tôi").click()
    page.wait_for_timeout(1500)
    assert QUESTION not in page.locator("#history-table").inner_text()
