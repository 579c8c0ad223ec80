"""A question naming a province whose plan is left out of the filter is told so, not answered from
the plans that are ticked."""
from __future__ import annotations


def test_a_province_outside_the_filter_is_named_not_answered_from_other_plans(assistant):
    ids = assistant.corpus.plan_ids
    hanoi = [i for i in ids if i.startswith("ha-noi")]
    others = [i for i in ids if i not in hanoi]
    answer = assistant.ask("Sở Y tế Hà Nội có nhiệm vụ gì?", others)
    assert answer.abstained and not answer.citations
    assert "Hà Nội" in answer.answer and "không nằm trong các kế hoạch được chọn" in answer.answer
    follow = assistant.ask("Còn Hà Nội?", [i for i in ids if i.startswith("lai-chau")],
                           history=["Sở Tài chính Lai Châu có nhiệm vụ gì?"])
    assert follow.abstained and "không nằm trong các kế hoạch được chọn" in follow.answer
    ticked = assistant.ask("Sở Tài chính Hà Nội có nhiệm vụ gì?", hanoi)
    assert not ticked.abstained and {c.plan_id for c in ticked.citations} == set(hanoi)
    unfiltered = assistant.ask("Sở Tài chính có nhiệm vụ gì?", others[:1])
    assert not unfiltered.abstained and {c.plan_id for c in unfiltered.citations} == set(others[:1])
