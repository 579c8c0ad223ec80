"""Answers for kinds of question the dev set hardly has: a clause named by its address, the
plan's own front matter, a list asked in full, an English question, a follow-up, a parent
in distress, and a tempting question the plans do not answer."""
from __future__ import annotations

import pytest


def test_clause_by_address_is_the_whole_clause_with_its_children(assistant, corpus):
    a = assistant.ask("Mục V.1 trong kế hoạch Hà Nội quy định những gì?")
    assert not a.abstained
    assert [c.clause for c in a.citations] == ["V.1"]
    children = corpus.plan("ha-noi-2022-2025").descendants("V.1")
    assert children and all(child.text in a.citations[0].text for child in children)


def test_an_address_the_plan_does_not_have_says_so(assistant):
    a = assistant.ask("Điểm k mục 9 phần VIII của kế hoạch Ninh Thuận quy định gì?")
    assert a.abstained and "không có" in a.answer


def test_front_matter_is_cited_and_a_blank_field_is_said_to_be_blank(assistant):
    a = assistant.ask("Kế hoạch Hà Nội số mấy, ký ngày nào?")
    assert "308" in a.answer and "01 tháng 12 năm 2022" in a.answer
    assert {c.clause for c in a.citations} == {"VB.số-hiệu", "VB.ngày"}
    blank = assistant.ask("Kế hoạch của Đồng Nai có số hiệu là gì?")
    assert blank.abstained and "để trống" in blank.answer


def test_english_question_gets_vietnamese_answer_with_gloss(assistant):
    a = assistant.ask("What does the Hanoi plan require from the Department of Information and Communications?")
    assert not a.abstained
    assert "Sở Thông tin và Truyền thông" in a.answer and "(English:" in a.answer
    assert all(c.plan_id == "ha-noi-2022-2025" for c in a.citations)


def test_follow_up_carries_plan_and_agency_and_says_how_it_was_read(assistant):
    a = assistant.ask("Còn ở Ninh Thuận?", history=["Sở Tài chính Lai Châu có nhiệm vụ gì?"])
    assert not a.abstained and "dự toán ngân sách" in a.answer
    assert all(c.plan_id == "ninh-thuan-2021-2025" for c in a.citations)
    assert "Hiểu là" in a.answer


def test_follow_up_partners(assistant):
    a = assistant.ask("Những cơ quan nào phối hợp?", history=[
        "Theo phụ lục kế hoạch Hà Nội, ai chủ trì lồng ghép vào chương trình giáo dục các nội dung trang bị kiến thức, "
        "kỹ năng cho trẻ em?"])
    assert "Sở Lao động, Thương binh và Xã hội" in a.answer and [c.clause for c in a.citations] == ["PL.II.3"]


def test_parent_in_distress_gets_111_first(assistant):
    a = assistant.ask("Con gái tôi đang bị một tài khoản lạ đe dọa tung ảnh nhạy cảm, tôi phải báo ai ở Hà Nội?")
    first = a.answer.splitlines()[:3]
    assert any("111" in line for line in first) and any("công an" in line.lower() for line in a.answer.splitlines()[:4])
    # the hotline clause is quoted with its plan and address; the citations are what answers the question
    assert "KH Hà Nội 308/KH-UBND, III.2-3 nêu Tổng đài 111" in a.answer
    assert a.citations and not a.abstained


@pytest.mark.xfail(strict=True, reason="open defect: the gate refuses only for missing nouns and weighs them "
                   "against every key word, so one missing noun ('chứng chỉ') among many shared words passes; "
                   "refusing any noun no plan uses cost 11 false abstentions on the unseen sets")
def test_tempting_question_next_to_a_real_duty_abstains(assistant):
    a = assistant.ask("Kế hoạch Hà Nội có cấp chứng chỉ cho giáo viên hoàn thành tập huấn không?")
    assert a.abstained and "chứng chỉ" in a.answer


def test_documents_are_listed_in_full(assistant):
    a = assistant.ask("Kế hoạch Đồng Nai yêu cầu bám sát những văn bản nào của Đảng trong phần quan điểm?")
    for number in ("57-NQ/TW", "57-CT/TW", "13-CTr/TU"):
        assert number in a.answer


def test_comparison_is_a_table_not_word_fragments(assistant):
    a = assistant.ask("Công an Đồng Nai và Hà Nội hợp tác quốc tế qua kênh nào, khác nhau thế nào?")
    assert "| Kế hoạch |" in a.answer and "Điểm khác nhau" not in a.answer
    assert {c.plan_id for c in a.citations} == {"dong-nai-2026-2030", "ha-noi-2022-2025"}


def test_the_clause_naming_the_asked_agency_beside_the_lead_answers_who_leads(assistant):
    # the Đoàn's own duties share words with the question; the clause about the task names it as partner
    a = assistant.ask("Đoàn TNCS Hồ Chí Minh tỉnh Lai Châu có phải là đơn vị chủ trì đề xuất giải pháp để trẻ em "
                      "tham gia xây dựng chính sách số không?")
    assert [c.clause for c in a.citations][:1] == ["IV.2-1"]
    assert "Sở Lao động - Thương binh và Xã hội" in a.answer and "phối hợp với Đoàn TNCS" in a.answer


def test_the_decision_a_plan_carries_out_is_read_from_its_opening_paragraph(assistant):
    # worded with none of the usual cues ("văn bản … cấp trên"), and a plan whose decision sits in
    # the second opening paragraph's neighbour: the one naming the decision is quoted, not the other
    a = assistant.ask("Kế hoạch Ninh Thuận thực hiện quyết định số bao nhiêu của Thủ tướng?")
    assert not a.abstained and "830/QĐ-TTg" in a.answer
    assert [c.clause for c in a.citations][:1] == ["MĐ-1"]
    dated = assistant.ask("Đồng Nai căn cứ quyết định nào, quyết định ấy ký ngày nào?")
    assert "468/QĐ-TTg" in dated.answer and "23/3/2026" in dated.answer and "không nêu" not in dated.answer


def test_the_issuer_is_found_in_the_opening_by_its_short_name(assistant):
    a = assistant.ask("Cơ quan nào ban hành kế hoạch Lai Châu?")
    assert not a.abstained and "UBND tỉnh Lai Châu" in a.answer and "không ghi" not in a.answer


def test_an_agencys_jobs_asked_as_a_list_are_all_its_duties(assistant, corpus):
    a = assistant.ask("Sở GD&ĐT Hà Nội đảm nhận những phần việc nào?")
    assert not a.abstained
    own = [c for c in corpus.plan("ha-noi-2022-2025").descendants("V.3")]
    assert len(own) >= 2 and {c.address for c in own} <= {c.clause for c in a.citations}


def test_the_plans_aim_asked_without_content_is_its_first_aim_clause(assistant):
    a = assistant.ask("Kế hoạch Lai Châu nhằm mục đích gì?")
    assert not a.abstained and [c.clause for c in a.citations][:1] == ["I.1"]


def test_when_inside_an_english_question_does_not_ask_a_deadline(assistant):
    a = assistant.ask("What does the Ninh Thuan plan aim for when children share personal information online?")
    assert not a.abstained and "thời hạn" not in a.answer


def test_a_section_named_by_its_heading_is_answered_with_every_item_under_it(assistant, corpus):
    # search alone finds one clause; the question names the heading, so the whole section answers
    a = assistant.ask("Hà Nội có những biện pháp kỹ thuật, ứng dụng công nghệ nào?")
    under = [c.address for c in corpus.plan("ha-noi-2022-2025").children("III.3")]
    assert len(under) >= 2 and [c.clause for c in a.citations] == under


def test_a_count_asked_in_english_that_no_plan_states_is_refused(assistant):
    a = assistant.ask("How many minutes a day may children spend on games under the Dong Nai plan?")
    assert a.abstained and not [c for c in a.citations if "phút" in c.text]


def test_a_count_of_schools_is_answered_by_a_share_of_schools(assistant):
    a = assistant.ask("Kế hoạch Lai Châu yêu cầu bao nhiêu trường phải tổ chức giáo dục kỹ năng an toàn trên mạng?")
    assert not a.abstained and "100%" in a.answer


def test_a_comparison_of_a_section_every_plan_heads_alike_gives_each_plans_items(assistant, corpus):
    a = assistant.ask("Kinh phí thực hiện của Hà Nội và Đồng Nai khác nhau thế nào?")
    cited = {(c.plan_id, c.clause) for c in a.citations}
    for plan_id, part in (("ha-noi-2022-2025", "IV"), ("dong-nai-2026-2030", "IV")):
        items = corpus.plan(plan_id).children(part)
        assert len(items) == 2 and {(plan_id, c.address) for c in items} <= cited


def test_the_aim_of_a_task_is_not_the_plans_aim(assistant):
    # "nhằm hướng tới điều gì" about one task: the task's clause, not the plan's aim section
    a = assistant.ask("Việc kết nối các kênh tiếp nhận phản ánh nội dung xâm hại ở Ninh Thuận nhằm hướng tới điều gì?")
    assert not a.abstained and not any(c.clause.startswith("I.") for c in a.citations)
