"""A parent in distress on a phone (390 px wide, real Chromium): the answer's first screen is the
card of what to do at once (111, 113, keep the evidence, report on the platform); what the plans say
is folded below it. The screenshot is kept in tests/artifacts/distress-390.png."""
from __future__ import annotations

from tests.ui.conftest import ARTIFACTS

QUESTION = "Con gái tôi đang bị một tài khoản lạ đe dọa tung ảnh nhạy cảm, tôi phải báo ai ở Hà Nội?"


def test_the_distress_card_is_on_the_first_screen_of_a_phone(server_url, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.goto(server_url, wait_until="load")
    page.wait_for_selector("#question textarea", timeout=60_000)
    page.locator("#question textarea").fill(QUESTION)
    page.locator("#send").click()
    card = page.locator("#chat .message").last.locator(".distress-card")
    card.wait_for(timeout=60_000)
    folded = page.locator("#chat .message").last.locator("details.distress-plans")
    folded.wait_for(state="attached", timeout=60_000)
    page.locator("#chat .message").last.get_by_text("Nguồn:").wait_for(timeout=60_000)  # the last line streamed
    # then the page brings the card into view (the chat itself scrolls to the end of the answer)
    page.wait_for_function("() => { const c = document.querySelector('#chat .distress-card');"
                           " const r = c && c.getBoundingClientRect(); return r && r.top >= 0 && r.top < 200; }",
                           timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "distress-390.png"))
    text = card.inner_text()
    for needed in ("111", "miễn phí", "24/7", "113", "bằng chứng", "Báo cáo"):
        assert needed in text, (needed, text)
    assert folded.get_attribute("open") is None  # what the plans say is folded…
    assert "Các kế hoạch nói gì" in folded.locator("summary").inner_text()
    # …and the card, 111 first, is on the screen the parent sees, inside the chat's visible area
    first_line = card.locator("li").first
    box, chat = first_line.bounding_box(), page.locator("#chat").bounding_box()
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 844, box
    assert chat["y"] <= box["y"] and box["y"] + box["height"] <= chat["y"] + chat["height"], (box, chat)
    assert "111" in first_line.inner_text()
    folded.locator("summary").click()
    assert "nêu Tổng đài 111" in folded.inner_text() and "[1]" in folded.inner_text()
    context.close()
