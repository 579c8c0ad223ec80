"""A real browser (Debian's Chromium, driven by Playwright) uses the page as a person would."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def page(server_url):
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is not installed (scripts/test.sh installs it)"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN")
        pg = context.new_page()
        pg.requests = []
        pg.on("request", lambda r: pg.requests.append(r.url))
        pg.dialogs = []
        pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
        pg.goto(server_url, wait_until="networkidle")
        yield pg
        browser.close()


def _ask(page, question: str):
    box = page.locator("#question textarea")
    box.fill(question)
    page.locator("#send").click()
    page.wait_for_function("() => { const b = document.querySelectorAll('#chat .message'); "
                           "return b.length && !b[b.length-1].innerText.includes('Đang tìm'); }", timeout=60_000)
    page.wait_for_timeout(500)


def test_ask_see_answer_with_citation_and_open_the_source(page):
    assert "Hỏi đáp Kế hoạch bảo vệ trẻ em" in page.title()
    _ask(page, "Sở Giáo dục và Đào tạo Lai Châu phải làm gì để đảm bảo an toàn cho học sinh khi học trực tuyến?")
    chat = page.locator("#chat").inner_text()
    assert "[1]" in chat and "KH Lai Châu 2022" in chat
    sources = page.locator("#sources")
    assert "IV.3-2" in sources.inner_text() and sources.locator("mark").count() >= 1
    sources.locator("details summary").first.click()
    context = sources.locator("details .context").first
    assert context.is_visible() and "3. Sở Giáo dục và Đào tạo" in context.inner_text()
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)


def test_vietnamese_renders_and_nothing_is_fetched_from_outside(page):
    text = page.locator("body").inner_text()
    for word in ("Hỏi đáp", "Kế hoạch dùng để trả lời", "Câu hỏi mẫu", "Nguồn trích dẫn", "Giáo viên", "Phụ huynh"):
        assert word in text
    outside = [u for u in page.requests if not u.startswith(("http://127.0.0.1", "data:", "blob:"))]
    assert outside == []


def test_script_in_question_is_shown_as_text_never_run(page):
    _ask(page, "<script>alert('xss')</script><b>đậm</b>")
    assert page.dialogs == []
    assert "<script>alert('xss')</script>" in page.locator("#chat").inner_text()


def test_agency_view_table_and_csv(page):
    page.get_by_role("tab", name="Tra cứu theo cơ quan").click()
    page.locator("#agency input").click()
    page.get_by_role("option", name="Sở Ngoại vụ").click()
    page.wait_for_function("() => document.querySelector('#agency-table').innerText.includes('PL.VI.1')",
                           timeout=20_000)
    table = page.locator("#agency-table").inner_text()
    assert "chủ trì" in table and "Thường xuyên 2022-2025" in table
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải bảng CSV").click()
    csv_text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert csv_text.startswith("Kế hoạch,Điều khoản,Vai trò,Nhiệm vụ,Thời hạn") and "PL.VI.1" in csv_text
    page.screenshot(path=str(ARTIFACTS / "agency.png"), full_page=True)
