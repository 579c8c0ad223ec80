"""A real browser (Debian's Chromium, driven by Playwright) uses the page as a person would."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.conftest import ARTIFACTS


@pytest.fixture(scope="module")
def page(browser, server_url):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN")
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.goto(server_url, wait_until="load")
    pg.wait_for_selector("#question textarea", timeout=30_000)
    yield pg
    context.close()


def _ask(page, question: str):
    before = page.locator("#chat .message").count()
    box = page.locator("#question textarea")
    box.fill(question)
    page.locator("#send").click()
    # this question's two messages are in (not the previous answer), and the answer has come
    page.wait_for_function("(n) => { const b = document.querySelectorAll('#chat .message'); "
                           "return b.length >= n + 2 && !b[b.length-1].innerText.includes('Đang tìm'); }",
                           arg=before, timeout=60_000)
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


def test_a_second_click_while_answering_adds_no_second_answer(page):
    page.get_by_role("tab", name="Hỏi đáp").click()
    page.locator("#question textarea").fill("Sở Tư pháp Đồng Nai có nhiệm vụ gì?")
    page.get_by_role("button", name="Xóa hội thoại").click()
    page.wait_for_function("() => document.querySelectorAll('#chat .message').length === 0", timeout=10_000)
    # clearing the chat keeps the question being typed
    assert page.locator("#question textarea").input_value() == "Sở Tư pháp Đồng Nai có nhiệm vụ gì?"
    page.locator("#send").click()
    page.locator("#send").click()  # while the first is still being answered
    page.wait_for_function("() => { const b = document.querySelectorAll('#chat .message'); "
                           "return b.length && !b[b.length-1].innerText.includes('Đang tìm'); }", timeout=60_000)
    page.wait_for_timeout(1500)
    assert page.locator("#chat [data-testid=user]").count() == 1  # one question
    assert page.locator("#chat [data-testid=bot]").count() == 1  # one answer
    assert "V.6-1" in page.locator("#chat").inner_text()


def test_empty_question_only_warns(page):
    page.get_by_role("tab", name="Hỏi đáp").click()
    before = page.locator("#chat [data-testid=user]").count()
    page.locator("#question textarea").fill("   ")
    page.locator("#send").click()
    page.wait_for_selector("text=Hãy nhập câu hỏi", timeout=10_000)
    assert page.locator("#chat [data-testid=user]").count() == before


def test_page_opened_while_the_index_is_built(page, tmp_path, index_root):
    """No index: the page answers at once from the key-word index and says that the vectors are being
    computed, then drops the notice when they are in. Deterministic: the test holds the index folder's
    build lock (as `rag add` in another process would), so the vectors cannot be ready before the test
    has seen the first phase; it lets them go by releasing the lock."""
    import shutil

    import httpx

    from rag.index.store import build_lock
    from tests.ui.conftest import free_port, start_server

    index = tmp_path / "index"
    shutil.copytree(index_root / "cache", index / "cache")  # the vectors take seconds once let go
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    tab = page.context.new_page()
    proc = None
    try:
        with build_lock(index):
            proc = start_server(index, port, tmp_path / "serve.log")
            tab.goto(url, wait_until="domcontentloaded")
            tab.wait_for_selector("#status", timeout=60_000)
            _ask(tab, "Sở Tư pháp Đồng Nai có nhiệm vụ gì?")
            assert "V.6-1" in tab.locator("#chat").inner_text()
            status = tab.locator("#status").inner_text()
            assert "véc-tơ" in status and "từ khóa" in status, status
            assert httpx.get(url + "healthz", timeout=30).json()["search"] == "lexical"
            for name in ("Hỏi đáp", "Tra cứu theo cơ quan", "Câu hỏi của tôi", "Thêm kế hoạch", "Đánh giá"):
                assert tab.get_by_role("tab", name=name).count() == 1, name  # every tab, even while building
        tab.wait_for_function("() => !document.querySelector('#status') || "
                              "document.querySelector('#status').offsetParent === null", timeout=300_000)
        assert httpx.get(url + "healthz", timeout=30).json()["search"] == "hybrid"
        _ask(tab, "Sở Tư pháp Đồng Nai có nhiệm vụ gì?")
        assert "V.6-1" in tab.locator("#chat .message").last.inner_text()
    finally:
        tab.close()
        if proc is not None:
            proc.terminate()
            proc.wait(15)


def test_agency_search_without_diacritics(page):
    page.get_by_role("tab", name="Tra cứu theo cơ quan").click()
    box = page.locator("#agency input")
    box.fill("giao duc")
    box.press("Enter")
    page.wait_for_function("() => document.querySelector('#agency input').value.includes('Giáo dục')",
                           timeout=30_000)
    page.wait_for_function("() => /chủ trì|phối hợp|thực hiện/.test(document.querySelector('#agency-table').innerText)",
                           timeout=30_000)  # its tasks are listed
    assert "Giáo dục" in box.input_value()


def test_my_questions_are_this_browsers_only_with_plan_names(page, browser, server_url):
    page.get_by_role("tab", name="Hỏi đáp").click()
    page.locator("#plans label", has_text="KH Hà Nội").click()  # a filter, so the history shows plan names
    _ask(page, "Sở Tư pháp Đồng Nai có nhiệm vụ gì?")
    page.locator("#plans label", has_text="KH Hà Nội").click()
    page.get_by_role("tab", name="Câu hỏi của tôi").click()
    page.wait_for_function("() => document.querySelector('#history-table').innerText.includes('Sở Tư pháp Đồng Nai')",
                           timeout=30_000)
    mine = page.locator("#history-table").inner_text()
    assert "KH Đồng Nai" in mine and "dong-nai-2026-2030" not in mine
    other = browser.new_context(locale="vi-VN")
    stranger = other.new_page()
    stranger.goto(server_url, wait_until="load")
    stranger.wait_for_selector("#question textarea", timeout=60_000)
    _ask(stranger, "Sở Tài chính Lai Châu có nhiệm vụ gì?")
    stranger.get_by_role("tab", name="Câu hỏi của tôi").click()
    stranger.wait_for_function("() => document.querySelector('#history-table').innerText.includes('Sở Tài chính')",
                               timeout=30_000)
    assert "Sở Tư pháp Đồng Nai" not in stranger.locator("#history-table").inner_text()  # not another browser's
    other.close()


def test_upload_boxes_speak_vietnamese(page):
    page.get_by_role("tab", name="Đánh giá").click()
    box = page.locator("#eval-file [data-testid=upload-text]")
    box.wait_for(timeout=30_000)
    shown = box.evaluate("e => [getComputedStyle(e, '::after').content, getComputedStyle(e).fontSize]")
    assert "Kéo thả tệp vào đây" in shown[0] and shown[1] == "0px"  # Gradio's English is not shown
    page.get_by_role("tab", name="Hỏi đáp").click()
