"""Feedback on a page without log-in (127.0.0.1, no accounts): 👍 on an answer is recorded, the
question is in «Câu hỏi của tôi», and the «Góp ý» tab (everyone is an admin here) lists only 👎."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.test_browser import ARGS, CHROMIUM, _ask

QUESTION = "Sở Tư pháp Đồng Nai có nhiệm vụ gì?"


@pytest.fixture(scope="module")
def page(server_url):
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is not installed (scripts/test.sh installs it)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        pg = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN").new_page()
        pg.goto(server_url, wait_until="load")
        pg.wait_for_selector("#question textarea", timeout=30_000)
        yield pg
        browser.close()


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
