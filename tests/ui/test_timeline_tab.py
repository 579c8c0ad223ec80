"""The «Lịch thực hiện» tab, the agency view's work plan button and the chat's answer DOCX, as plain
methods on the page's real objects (no browser); and each of their handlers goes through the role check
as a reader's."""
from __future__ import annotations


import gradio as gr
import pytest

from rag.storage import Role
from tests.documents.conftest import all_text, read_docx
from ui.access import Access
from tests.ui.conftest import build_tabs
from ui.loader import AssistantLoader
from ui.tabs.agency import AgencyTab
from ui.tabs.chat import ChatTab
from ui.tabs.timeline import TimelineTab


@pytest.fixture(scope="module")
def tabs(settings, assistant, tmp_path_factory):
    return build_tabs(settings, assistant, tmp_path_factory.mktemp("timeline-tab-data"),
                      (TimelineTab, AgencyTab, ChatTab))


def test_refresh_lists_rows_and_writes_both_files(tabs):
    from openpyxl import load_workbook

    tab = tabs["TimelineTab"]
    table, rows, count, xlsx, ics, clause = tab.refresh("so-gddt", "any", ["ha-noi-2022-2025"], "", [], "all")
    assert len(table) == len(rows) and f"**{len(rows)}**" in count and "Bấm một dòng" in clause
    assert {r[2] for r in table} >= {"PL.I.1", "PL.II.3", "PL.II.4", "PL.III.2"}
    assert xlsx["value"].endswith(".xlsx") and ics["value"].endswith(".ics") and xlsx["interactive"]
    book = load_workbook(xlsx["value"])
    assert [(r[0], r[1]) for r in book.active.iter_rows(min_row=2, values_only=True)] == \
        [(r.task.plan_name, r.task.address) for r in rows]
    none = tab.refresh("so-gddt", "partner", ["dong-nai-2026-2030"], "2021", [], "all")
    assert none[0] == [] and none[3]["interactive"] is False


def test_quick_views(tabs):
    tab = tabs["TimelineTab"]
    recurring = tab.refresh("", "any", [], "", [], "recurring")[1]
    assert recurring and all(r.task.deadline.recurring for r in recurring)
    kinds = tab.refresh("", "any", [], "", ["range"], "all")[1]
    assert kinds and all(r.task.deadline.kind.value == "range" for r in kinds)


def test_a_row_opens_its_clause(tabs):
    tab = tabs["TimelineTab"]
    rows = tab.refresh("so-gddt", "lead", ["ha-noi-2022-2025"], "", [], "all")[1]
    at = next(i for i, r in enumerate(rows) if r.task.address == "PL.II.4")
    shown = tab.open_row(rows, gr.SelectData(None, {"index": [at, 3], "value": ""}))
    assert "PL.II.4" in shown and "UBND các quận, huyện, thị xã" in shown
    # the page sends the clicked row's values: the row is found by them, whatever its position
    values = ["—", rows[at].task.plan_name, "PL.II.4", rows[at].task.text]
    assert "PL.II.4" in tab.open_row(rows, gr.SelectData(None, {"index": [0, 1], "value": "", "row_value": values}))
    assert "Bấm một dòng" in tab.open_row(rows, gr.SelectData(None, {"index": [999, 0], "value": ""}))


def test_agency_view_offers_the_work_plan(tabs):
    agency = tabs["AgencyTab"]
    assert agency.workplan_file(None, [])["interactive"] is False
    file = agency.workplan_file("so-gddt", ["ha-noi-2022-2025"])
    assert file["value"].endswith(".docx") and file["interactive"]
    with open(file["value"], "rb") as fh:
        text = all_text(read_docx(fh.read()))
    assert "Kết quả thực hiện" in text and "PL.II.4" in text and "SỞ GIÁO DỤC VÀ ĐÀO TẠO" in text


def test_chat_answer_as_docx(tabs):
    chat = tabs["ChatTab"]
    question = "Sở Tư pháp Đồng Nai có nhiệm vụ gì?"
    history = list(chat.respond(question, [], [], "default"))[-1][0]
    file = chat.answer_file(question, history)
    assert file["interactive"] and file["value"].endswith(".docx")
    with open(file["value"], "rb") as fh:
        text = all_text(read_docx(fh.read()))
    assert question in text and "Sở Tư pháp" in text and "KH Đồng Nai 2026-2030, điều khoản" in text
    assert chat.answer_file("", [])["interactive"] is False  # nothing answered yet (or cleared)


def test_handlers_go_through_the_role_check_as_readers(settings, assistant):
    from ui.app import build_app

    demo = build_app(settings, AssistantLoader(settings, assistant.corpus), Access())
    roles = {f.fn.__qualname__: getattr(f.fn, "rag_role", None) for f in demo.fns.values() if f.fn is not None}
    for name in ("TimelineTab.refresh", "TimelineTab.open_row", "AgencyTab.workplan_file", "ChatTab.answer_file"):
        assert roles[name] is Role.READER, name
