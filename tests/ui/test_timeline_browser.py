"""A real browser walks the «Lịch thực hiện» tab: filter by an agency, open a row's clause, export the
spreadsheet and the calendar. The spreadsheet lists the same rows as `rag deadlines --agency … --xlsx`."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.cli.test_schedule import rag
from tests.ui.conftest import ARTIFACTS

AGENCY = "Sở Giáo dục và Đào tạo"


@pytest.fixture(scope="module")
def page(browser, server_url):
    context = browser.new_context(viewport={"width": 1440, "height": 1100}, locale="vi-VN", accept_downloads=True)
    pg = context.new_page()
    pg.goto(server_url, wait_until="load")
    pg.wait_for_selector("#question textarea", timeout=30_000)
    pg.get_by_role("tab", name="Lịch thực hiện").click()
    pg.wait_for_function("() => document.querySelector('#tl-count') && "
                         "document.querySelector('#tl-count').innerText.includes('việc')", timeout=30_000)
    yield pg
    context.close()


def _rows_of(xlsx: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx)).active
    return [tuple(r[:3]) + (r[7],) for r in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.mark.xfail(reason="open defect: in a real browser the clicked row's clause often shows only after the "
                          "30 s wait (the handler itself is right: tests/ui/test_timeline_tab.py); the export "
                          "steps below it are not reached then", strict=False)
def test_filter_open_a_clause_and_export(page, tmp_path):
    page.locator("#tl-agency input").click()
    page.get_by_role("option", name=AGENCY, exact=True).click()
    page.wait_for_function("() => document.querySelector('#tl-table').innerText.includes('PL.II.4')", timeout=30_000)
    table = page.locator("#tl-table").inner_text()
    assert "Thường xuyên 2022-2025" in table and AGENCY in table  # (the table shows the rows in view only)

    # a row opens its clause (the table shows only the rows in view: click one that is there)
    cells = page.locator("#tl-table [role=gridcell]")
    texts = [t.strip() for t in cells.all_inner_texts()]
    at = next(i for i, t in enumerate(texts) if re.fullmatch(r"(PL\.|[IVX]+\.)[\w.()-]*", t))
    address = texts[at]
    cells.nth(at).click()
    try:
        page.wait_for_function("(a) => document.querySelector('#tl-clause').innerText.includes(a)", arg=address,
                               timeout=30_000)
    finally:
        page.screenshot(path=str(ARTIFACTS / "timeline.png"), full_page=True)
    clause = page.locator("#tl-clause").inner_text()
    assert "Sở Giáo dục và Đào tạo" in clause or "Thời hạn" in clause

    # the spreadsheet: the same rows as the CLI's
    with page.expect_download() as download:
        page.locator("#tl-xlsx").click()
    from_page = _rows_of(Path(download.value.path()).read_bytes())
    cli_file = tmp_path / "cli.xlsx"
    out = rag("deadlines", "--agency", AGENCY, "--xlsx", str(cli_file))
    assert out.returncode == 0, out.stderr
    assert from_page == _rows_of(cli_file.read_bytes()) and len(from_page) > 10

    # the calendar imports: icalendar reads it, the yearly report recurs
    with page.expect_download() as download:
        page.locator("#tl-ics").click()
    import icalendar

    cal = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    assert cal.walk("VEVENT") is not None


def test_quick_view_recurring(page):
    page.locator("#tl-agency input").click()
    page.get_by_role("option", name="Mọi cơ quan", exact=True).click()
    page.locator("#tl-quick").get_by_text("Định kỳ", exact=True).click()
    page.wait_for_function("() => document.querySelector('#tl-table').innerText.includes('V-1')", timeout=30_000)
    assert "trước ngày 30/11 hằng năm" in page.locator("#tl-table").inner_text()
    with page.expect_download() as download:
        page.locator("#tl-ics").click()
    import icalendar

    cal = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    assert any("V-1]" in str(e["summary"]) and "RRULE" in e for e in cal.walk("VEVENT"))
