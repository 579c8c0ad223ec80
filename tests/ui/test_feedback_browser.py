"""Feedback on a page without log-in (127.0.0.1, no accounts): 👍 on an answer is recorded, the
question is in «Câu hỏi của tôi», and the «Góp ý» tab (everyone is an admin here) lists only 👎."""
from __future__ import annotations

import pytest

from tests.ui.test_browser import _ask

QUESTION = "Sở Tư pháp Đồng Nai có nhiệm vụ gì?"


@pytest.fixture(scope="module")
def page(browser, server_url):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN")
    pg = context.new_page()
    pg.goto(server_url, wait_until="load")
    pg.wait_for_selector("#question textarea", timeout=30_000)
    yield pg
    context.close()


def test_thumbs_up_without_log_in_and_my_questions(page):
    assert page.locator("#account").count() == 0 or not page.locator("#account").is_visible()  # no log-in here
    _ask(page, QUESTION)
    page.locator("#chat").get_by_label("Like", exact=True).last.click()
    page.wait_for_function("() => document.querySelector('#feedback-note')?.innerText.includes('Đã ghi nhận 👍')",
                           timeout=20_000)
    page.get_by_role("tab", name="Câu hỏi của tôi").click()
    page.wait_for_function(f"() => document.querySelector('#history-table')?.innerText.includes('{QUESTION}')",
                           timeout=20_000)
    page.get_by_role("tab", name="Góp ý").click()
    page.wait_for_timeout(1500)
    assert QUESTION not in page.locator("#feedback-table").inner_text()  # a 👍 is not listed with the 👎
