"""The «Đánh giá» tab in a real browser (Debian's Chromium, driven by Playwright): upload an XLSX and a
CSV with bad rows, run, follow, open a row's cited clauses, download and read the XLSX with openpyxl,
compare two runs; two sessions run at once, both finish, and each sees only its own runs."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import DEV_SET
from tests.eval.sheets import to_cp1258, xlsx_bytes
from tests.ui.conftest import ARTIFACTS

DEV = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]


def _sheet_rows(items: list[dict]) -> list[list[str]]:
    rows = [["Mã câu hỏi", "Câu hỏi", "Kế hoạch", "Trích dẫn đúng", "Kế hoạch của trích dẫn", "Phải nêu"]]
    for d in items:
        gold = d.get("gold") or [{"plan": "", "quote": ""}]
        rows.append([d["id"], d["question"], ", ".join(d.get("plans", [])), gold[0]["quote"], gold[0]["plan"],
                     "; ".join(" | ".join(g) for g in d.get("answer_must_mention", []))])
    return rows


def _open(browser, server_url):
    context = browser.new_context(viewport={"width": 1440, "height": 1100}, locale="vi-VN", accept_downloads=True)
    pg = context.new_page()
    pg.goto(server_url, wait_until="load")
    pg.wait_for_selector("#question textarea", timeout=30_000)
    pg.get_by_role("tab", name="Đánh giá").click()
    pg.wait_for_selector("#eval-file", timeout=10_000)
    return pg


@pytest.fixture(scope="module")
def page(browser, server_url):
    pg = _open(browser, server_url)
    yield pg
    pg.context.close()


def _upload(pg, path: Path) -> str:
    clear = pg.locator("#eval-file button[aria-label=Clear]")
    if clear.count():
        clear.first.click()
        pg.wait_for_function("() => document.querySelector('#eval-file input[type=file]')", timeout=10_000)
    pg.locator("#eval-file input[type=file]").set_input_files(str(path))
    pg.wait_for_function("(name) => { const t = document.querySelector('#eval-file-info').innerText; "
                         "return (t.includes(name) && t.includes('câu hỏi hợp lệ')) || t.includes('⚠'); }",
                         arg=path.name, timeout=30_000)
    return pg.locator("#eval-file-info").inner_text()


def _run(pg, retriever: str | None = None) -> str:
    if retriever:
        pg.locator("#eval-retriever").get_by_text(retriever).click()
    return _run_id(pg, lambda: pg.locator("#eval-run").click())


def _saved_id(text: str) -> str:
    return text.split("Lần chạy đã lưu:")[1].strip().split()[0] if "Lần chạy đã lưu:" in text else ""


def _run_id(pg, start) -> str:
    """Start a run and wait for the id of the run it saved (not the one shown before)."""
    before = _saved_id(pg.locator("#eval-status").inner_text()) or "none"
    start()
    pg.wait_for_function("(before) => { const t = document.querySelector('#eval-status').innerText; "
                         "return t.includes('Lần chạy đã lưu') && !t.includes(before); }", arg=before, timeout=240_000)
    return _saved_id(pg.locator("#eval-status").inner_text())


def _download(pg, elem_id: str, tmp_path: Path) -> Path:
    with pg.expect_download() as info:
        pg.locator(f"#{elem_id}").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_upload_xlsx_run_open_sources_and_download(page, tmp_path):
    items = DEV[:5]
    rows = _sheet_rows(items) + [["BAD1", "", "ha-noi", "", "", ""]]
    path = tmp_path / "bo-cau-hoi.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    info = _upload(page, path)
    assert "5 câu hỏi hợp lệ" in info and "dòng 7: thiếu câu hỏi" in info
    run_id = _run(page)
    table = page.locator("#eval-table").inner_text()
    assert all(d["id"] in table for d in items) and "BAD1" not in table
    metrics = page.locator("#eval-metrics").inner_text()
    assert "Recall@5" in metrics and "dòng 7: thiếu câu hỏi" in metrics
    # a click on a row opens its cited clauses as the chat's sources panel does
    page.locator("#eval-table [role=gridcell]", has_text=items[0]["question"][:40]).first.click()
    page.wait_for_function("() => document.querySelector('#eval-sources').innerText.includes('[1]')", timeout=20_000)
    sources = page.locator("#eval-sources")
    assert items[0]["id"] in sources.inner_text() and sources.locator("mark").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "eval-tab.png"), full_page=True)

    book = load_workbook(_download(page, "eval-dl-xlsx", tmp_path))
    assert book.sheetnames == ["Kết quả", "Chỉ số", "Cấu hình", "Dòng bị bỏ qua"]
    results = list(book["Kết quả"].iter_rows(values_only=True))
    col = {h: i for i, h in enumerate(results[0])}
    assert results[0][:3] == ("id", "Câu hỏi", "Câu trả lời")
    assert [r[0] for r in results[1:]] == [d["id"] for d in items]
    first = results[1]
    cited = first[col["Trích dẫn (kế hoạch — điều khoản: nguyên văn)"]]
    assert first[1] == items[0]["question"] and first[2] and " — " in cited and "«" in cited
    # beside the answer: what was expected (the gold clause, the facts to name), and why a row failed
    assert "«" in first[col["Đáp án chuẩn (kế hoạch — điều khoản: đoạn trích)"]]
    assert "Phải nêu" in col
    assert isinstance(first[col["Thời gian (ms)"]], (int, float)) and first[col["Thời gian (ms)"]] > 0
    assert first[col["Tìm thấy đáp án (top 5)"]] in ("✓", "✗") and first[col["Trạng thái"]] in ("đạt", "không đạt")
    assert all(bool(r[col["Lý do không đạt"]]) == (r[col["Trạng thái"]] == "không đạt") for r in results[1:])
    metrics_sheet = dict(book["Chỉ số"].iter_rows(min_row=2, values_only=True))
    assert 0 <= metrics_sheet["Recall@5"] <= 1 and metrics_sheet["Số câu hỏi / questions"] == 5
    assert list(book["Dòng bị bỏ qua"].iter_rows(min_row=2, values_only=True)) == [(7, "thiếu câu hỏi")]
    config = dict(book["Cấu hình"].iter_rows(min_row=2, values_only=True))
    assert config["run id"] == run_id and config["retriever"] == "hybrid" and config["phiên bản chỉ mục / index version"]

    table_csv = list(csv.reader(io.StringIO(_download(page, "eval-dl-csv", tmp_path).read_text(encoding="utf-8-sig"))))
    assert [r[0] for r in table_csv[1:]] == [d["id"] for d in items]
    report = _download(page, "eval-dl-md", tmp_path).read_text(encoding="utf-8")
    assert "Recall@5" in report and "dòng 7: thiếu câu hỏi" in report
    summary = json.loads(_download(page, "eval-dl-json", tmp_path).read_text(encoding="utf-8"))
    assert summary["runs"][0]["summary"]["questions"] == 5


def test_cp1258_csv_with_a_bad_row_failures_filter_and_compare(page, tmp_path):
    items = DEV[:5]
    rows = _sheet_rows(items) + [["BAD2", "Lâm Đồng giao ai?", "Lâm Đồng", "", "", ""]]
    text = "\n".join(",".join('"' + c.replace('"', '""') + '"' for c in row) for row in rows) + "\n"
    path = tmp_path / "bo-cau-hoi.csv"
    path.write_bytes(to_cp1258(text))  # Excel's plain "CSV" on Vietnamese Windows
    info = _upload(page, path)
    assert "5 câu hỏi hợp lệ" in info and "dòng 7: kế hoạch «Lâm Đồng»" in info and "cp1258" in info
    run_id = _run(page, retriever="Chỉ dense")
    assert all(d["id"] in page.locator("#eval-table").inner_text() for d in items)
    failed = int(page.locator("#eval-status").inner_text().split("câu,")[1].split("câu không đạt")[0])
    page.locator("#eval-failures input").check()
    page.wait_for_function("(n) => Array.from(document.querySelectorAll('#eval-table [role=row]'))"
                           ".filter(r => r.querySelector('[role=gridcell]')).length === n", arg=failed, timeout=20_000)
    shown = page.locator("#eval-table [role=row]").all_inner_texts()
    body = [r for r in shown if any(d["id"] in r for d in items)]
    assert len(body) == failed and all("✗" in r for r in body)  # only failures remain
    page.locator("#eval-failures input").uncheck()

    page.locator("#eval-compare-box").get_by_text("So sánh hai lần chạy").click()
    options = []
    for box in ("#eval-run-a", "#eval-run-b"):
        page.locator(f"{box} input").click()
        page.locator("[role=option]:visible").first.wait_for(timeout=10_000)
        options = page.locator("[role=option]:visible").all_inner_texts()
        older = next(o for o in options if run_id not in o)  # the XLSX run of the test before
        newer = next(o for o in options if run_id in o)
        page.locator("[role=option]:visible", has_text=older if box == "#eval-run-a" else newer).first.click()
    page.locator("#eval-compare").click()
    page.wait_for_function("() => document.querySelector('#eval-comparison').innerText.includes('Recall@5')",
                           timeout=20_000)
    comparison = page.locator("#eval-comparison").inner_text()
    assert run_id in comparison and "hybrid" in comparison and "dense" in comparison
    assert "Kém đi / worse:" in comparison, comparison
    assert len({o.replace("✓", "").strip() for o in options}) == 2  # this session's two runs, no one else's


def test_two_sessions_run_at_once_both_finish_and_see_only_their_own_runs(browser, server_url, page, tmp_path):
    path = tmp_path / "q.xlsx"
    path.write_bytes(xlsx_bytes(_sheet_rows(DEV[5:9])))
    others = [_open(browser, server_url) for _ in range(2)]
    try:
        for pg in others:
            _upload(pg, path)
        for pg in others:
            pg.locator("#eval-run").click()
        ids = []
        for pg in others:
            pg.wait_for_function("() => document.querySelector('#eval-status').innerText.includes('Lần chạy đã lưu')",
                                 timeout=240_000)
            ids.append(pg.locator("#eval-status").inner_text().split("Lần chạy đã lưu:")[1].strip().split()[0])
            assert all(d["id"] in pg.locator("#eval-table").inner_text() for d in DEV[5:9])
        assert len(set(ids)) == 2
        for pg, mine, theirs in ((others[0], ids[0], ids[1]), (others[1], ids[1], ids[0])):
            pg.locator("#eval-compare-box").get_by_text("So sánh hai lần chạy").click()
            pg.locator("#eval-run-a input").click()
            pg.locator("[role=option]:visible").first.wait_for(timeout=10_000)
            options = pg.locator("[role=option]:visible").all_inner_texts()
            assert any(mine in o for o in options) and not any(theirs in o for o in options)
            pg.keyboard.press("Escape")
    finally:
        for pg in others:
            pg.context.close()


def test_stop_keeps_the_questions_answered_so_far(browser, server_url, tmp_path):
    pg = _open(browser, server_url)
    try:
        _upload(pg, DEV_SET)
        pg.locator("#eval-run").click()
        pg.wait_for_function("() => document.querySelector('#eval-status').innerText.includes('Đã chạy')",
                             timeout=60_000)
        pg.locator("#eval-stop").click()
        pg.wait_for_function("() => document.querySelector('#eval-status').innerText.includes('Lần chạy đã lưu')",
                             timeout=120_000)
        status = pg.locator("#eval-status").inner_text()
        assert "Đã dừng" in status
        done = int(status.split("Đã dừng:")[1].split("/")[0])
        assert 1 <= done < 40
        assert "Đã dừng sau" in pg.locator("#eval-metrics").inner_text()
    finally:
        pg.context.close()


def test_a_file_that_is_not_a_spreadsheet_gets_a_message(browser, server_url, tmp_path):
    pg = _open(browser, server_url)
    try:
        fake = tmp_path / "bo-cau-hoi.xlsx"
        fake.write_bytes(b"%PDF-1.7\n%%EOF\n")
        assert "không phải bảng tính" in _upload(pg, fake)
        pg.locator("#eval-run").click()
        pg.wait_for_function("() => document.querySelector('#eval-status').innerText.includes('không phải bảng tính')",
                             timeout=30_000)
        assert "Traceback" not in pg.locator("body").inner_text()
    finally:
        pg.context.close()
