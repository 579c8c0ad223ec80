"""The tabs' handlers called as plain methods, without a browser or a server: the same objects the
page wires, built on the session's real corpus and index."""
from __future__ import annotations

import json
import logging

import gradio as gr
import pytest

from ui.context import plan_choices
from tests.ui.conftest import build_tabs
from ui.tabs.add_plan import AddPlanTab
from ui.tabs.agency import AgencyTab
from ui.tabs.chat import ChatTab
from ui.tabs.evaluation import EvalTab
from ui.tabs.header import Header
from ui.tabs.history import FeedbackTab, HistoryTab

QUESTION = "Sở Tư pháp Đồng Nai có nhiệm vụ gì?"


@pytest.fixture(scope="module")
def tabs(settings, assistant, tmp_path_factory):
    return build_tabs(settings, assistant, tmp_path_factory.mktemp("tabs-data"),
                      (ChatTab, AgencyTab, AddPlanTab, EvalTab, HistoryTab, FeedbackTab, Header))


def test_the_chat_streams_an_answer_with_its_sources_and_passes_the_earlier_questions(tabs, caplog):
    chat = tabs["ChatTab"]
    hint = list(chat.respond("  ", [], [], "default"))
    assert len(hint) == 1 and hint[0][0] == []
    earlier = [{"role": "user", "content": "Sở Tài chính Lai Châu có nhiệm vụ gì?"}, {"role": "assistant", "content": "…"}]
    with caplog.at_level(logging.INFO, logger="rag.requests"):
        steps = list(chat.respond(QUESTION, earlier, [], "default"))
    history, sources, box = steps[-1]
    assert history[-2]["content"] == QUESTION and "Sở Tư pháp" in history[-1]["content"] and box == ""
    assert "class='source'" in sources or 'class="source"' in sources
    assert '"via": "page"' in caplog.text  # the earlier questions go as history, not as the channel name


def test_the_ask_api_answers_and_refuses_wrong_types_in_vietnamese(tabs):
    chat = tabs["ChatTab"]
    text, cites = chat.ask_api(QUESTION, ["dong-nai-2026-2030"])
    assert "Sở Tư pháp" in text and json.loads(cites)
    text, cites = chat.ask_api(42)
    assert text.startswith("⚠️") and cites == "[]"
    assert chat.clear()[0] == [] and len(chat.clear()) == 2 and chat.take("câu") == ("câu", "")


def test_the_agency_view_lists_tasks_and_writes_a_csv(tabs):
    agency = tabs["AgencyTab"]
    empty_rows, empty_file = agency.table(None, [])
    assert empty_rows["value"] == [] and empty_file["interactive"] is False
    rows, download = agency.table("so-tu-phap", [])
    assert rows["value"] and download["value"].endswith(".csv")


def test_adding_a_plan_without_a_file_or_draft_gets_a_message(tabs):
    add = tabs["AddPlanTab"]
    assert add.on_read(None)[0].startswith("⚠️ Hãy chọn một tệp")
    assert add.on_confirm(None)[0].startswith("⚠️ Hãy đọc một tệp")


def test_the_evaluation_tab_reads_a_question_file_and_compares_only_two_runs(tabs, tmp_path):
    evaluation = tabs["EvalTab"]
    path = tmp_path / "cau-hoi.csv"
    path.write_text("id,câu hỏi\nq1,Sở Tư pháp có nhiệm vụ gì?\nq2,\n", encoding="utf-8")
    summary = evaluation.on_upload(str(path))
    assert "1 câu hỏi hợp lệ" in summary and "1 dòng bị bỏ qua" in summary
    assert evaluation.on_upload(None) == ""
    assert evaluation.compare(None, "x", gr.Request(username=None)).startswith("⚠️ Hãy chọn hai lần chạy")
    assert evaluation.filter_table(None, True) == []
    assert evaluation.stop_eval(gr.Request(username=None)) == gr.update()


def test_history_feedback_and_status(tabs):
    assert tabs["HistoryTab"].my_questions(gr.Request(username=None))["value"] is not None
    assert tabs["FeedbackTab"].thumbs_down()["value"] == []
    status, timer = tabs["Header"].poll_status()
    assert status["visible"] is False and timer.active is False


def test_every_plan_list_uses_one_label(tabs, corpus):
    labels = plan_choices(corpus)
    assert tabs["ChatTab"].plans.choices == tabs["EvalTab"].plans.choices == tabs["AgencyTab"].plans.choices == labels
