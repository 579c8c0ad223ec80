"""Follow-up questions completed from the conversation (no model, no index)."""
from __future__ import annotations

import pytest

from rag.retrieval.analysis import Attribute, Kind, QuestionAnalyzer
from rag.retrieval.conversation import clean_history
from rag.retrieval.scope import PlanScoper


@pytest.fixture(scope="module")
def analyzer(corpus):
    return QuestionAnalyzer(PlanScoper([p.info for p in corpus.plans]))


def test_plan_switched_keeps_agency_and_task(analyzer):
    a = analyzer.run("Còn ở Ninh Thuận?", ("Sở Tài chính Lai Châu có nhiệm vụ gì?",))
    assert a.scope.plan_ids == ("ninh-thuan-2021-2025",)
    assert a.agencies == ("so-tai-chinh",) and a.kind is Kind.DUTIES
    assert "Ninh Thuận" in a.understood and "Sở Tài chính Lai Châu" in a.understood


def test_agency_switched_keeps_plan(analyzer):
    a = analyzer.run("Thế Sở Khoa học và Công nghệ thì sao?", ("Kế hoạch Đồng Nai giao Sở Giáo dục và Đào tạo làm gì?",))
    assert a.scope.plan_ids == ("dong-nai-2026-2030",)
    assert a.agencies == ("so-khcn",) and a.kind is Kind.DUTIES


def test_attribute_asked_of_the_previous_task(analyzer):
    a = analyzer.run("Cơ quan nào phối hợp?", ("Ai chủ trì kêu gọi vốn hỗ trợ quốc tế theo phụ lục Hà Nội?",))
    assert a.attribute is Attribute.PARTNERS and a.scope.plan_ids == ("ha-noi-2022-2025",)
    assert "kêu gọi vốn" in a.text
    assert analyzer.run("Thời hạn?", ("Ai chủ trì kêu gọi vốn hỗ trợ quốc tế ở Hà Nội?",)).attribute is Attribute.DEADLINE


def test_a_full_question_keeps_only_the_plan(analyzer):
    a = analyzer.run("Sở Y tế phải làm gì?", ("Kế hoạch Hà Nội có những mục tiêu nào?",))
    assert a.scope.plan_ids == ("ha-noi-2022-2025",) and a.carried == ("plan",)
    standalone = analyzer.run("Sở Y tế Đồng Nai phải làm gì?", ("Kế hoạch Hà Nội có những mục tiêu nào?",))
    assert standalone.scope.plan_ids == ("dong-nai-2026-2030",) and not standalone.understood


def test_two_turns_back(analyzer):
    a = analyzer.run("Còn Hà Nội?", ("Sở Y tế Lai Châu phải làm gì?", "Thế Sở Tài chính thì sao?"))
    assert a.scope.plan_ids == ("ha-noi-2022-2025",) and a.agencies == ("so-tai-chinh",)


def test_a_child_of_mine_is_not_a_follow_up_cue(analyzer):
    a = analyzer.run("Con tôi học lớp 6 ở Hà Nội, nhà trường phải dạy cháu những kỹ năng gì để an toàn trên mạng?",
                     ("Sở Y tế Lai Châu phải làm gì?",))
    assert a.scope.plan_ids == ("ha-noi-2022-2025",) and not a.understood


@pytest.mark.parametrize("history, expected", [
    (None, ()), ("", ()), ("Sở Y tế?", ()), (42, ()), ({"q": 1}, ()),
    (["", "  ", 7, None, "Sở Y tế phải làm gì?"], ("Sở Y tế phải làm gì?",)),
    ([f"câu {i}" for i in range(30)], tuple(f"câu {i}" for i in range(20, 30))),
])
def test_bad_history_is_ignored_never_a_crash(history, expected):
    assert clean_history(history) == expected


def test_a_follow_up_with_no_earlier_turn_is_standalone(analyzer):
    a = analyzer.run("Còn Hà Nội?", ())
    assert a.scope.plan_ids == ("ha-noi-2022-2025",) and not a.understood


def test_the_agency_pointed_at_is_the_one_asked_about_before(analyzer):
    """A long follow-up that points at the earlier agency ("sở này") carries it, by name."""
    a = analyzer.run("Còn ở Lai Châu thì sở này đứng ra chủ trì hay chỉ phối hợp việc vận động vốn?",
                     ("Sở Kế hoạch và Đầu tư Ninh Thuận được giao việc gì trong kế hoạch bảo vệ trẻ em trên mạng?",))
    assert a.scope.plan_ids == ("lai-chau-2021-2025",)
    assert a.agencies == ("so-khdt",)
    assert "sở này" not in a.text and "Sở Kế hoạch và Đầu tư" in a.text


def test_a_follow_up_asking_who_after_a_figure_was_asked_is_answered(assistant):
    # the earlier turn asked a percentage; this one asks who leads: a value kind with no value used
    # to break the answer
    a = assistant.ask("Thế còn cơ quan nào chủ trì việc đó?",
                      history=["Đồng Nai đặt mục tiêu bao nhiêu phần trăm doanh nghiệp có giải pháp an ninh mạng?"])
    assert a.answer and "Hiểu là" in a.answer


def test_partners_named_in_a_follow_up_keep_the_agency_asked_before(analyzer):
    a = analyzer.run("Vậy còn phối hợp với Viện kiểm sát và Tòa án tỉnh là để làm gì?",
                     ("Ở Lai Châu, công an tỉnh phải làm gì?",))
    assert "agency" in a.carried and a.subjects == ("cong-an",)
    assert a.scope.plan_ids == ("lai-chau-2021-2025",)
