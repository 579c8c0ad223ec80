"""Checklists by audience: schools split by level, families; every line a cited clause."""
from __future__ import annotations

from rag.audience.checklist import checklist
from rag.models import ClauseLevel


def _cited(corpus, cl):
    for x in cl.lines:
        clause = corpus.plan(x.plan_id).clause(x.address)
        assert x.text in clause.text  # the plan's words (a row: its content column)
        assert clause.level not in (ClauseLevel.FRONT, ClauseLevel.PART)


def test_school_levels(corpus):
    cl = checklist(corpus, "school")
    _cited(corpus, cl)
    by = {s.key: {(x.plan_id, x.address) for x in cl.in_section(s.key)} for s in cl.sections}
    # "100% các trường tiểu học, trung học cơ sở, trung học phổ thông và các cơ sở bảo vệ, nuôi dưỡng trẻ em …"
    for level in ("tieu-hoc", "thcs", "thpt", "bao-ve-tre-em"):
        assert ("ha-noi-2022-2025", "II.2-1") in by[level]
    assert ("ha-noi-2022-2025", "II.2-1") not in by["mam-non"]
    assert ("lai-chau-2021-2025", "IV.3-1") in by["mam-non"]  # "trẻ mầm non, học sinh"
    assert ("ha-noi-2022-2025", "PL.II.4") in by["moi-cap-hoc"]  # "nhà trường, giáo viên": every level
    assert ("ha-noi-2022-2025", "PL.IV.5") in by["bao-ve-tre-em"]  # "Cơ sở Bảo trợ xã hội"
    # "môi trường mạng" is not a school: a clause naming no school is in no section
    assert "môi trường mạng" in corpus.plan("lai-chau-2021-2025").clause("II.1-5").text
    assert ("lai-chau-2021-2025", "II.1-5") not in {(x.plan_id, x.address) for x in cl.lines}


def test_families(corpus):
    cl = checklist(corpus, "family")
    _cited(corpus, cl)
    asked = {(x.plan_id, x.address) for x in cl.in_section("gia-dinh-asked")}
    assert ("ha-noi-2022-2025", "III.2-5") in asked  # "Khuyến khích các gia đình, cha, mẹ …"
    assert ("lai-chau-2021-2025", "II(2).2-4") in asked
    with_families = {(x.plan_id, x.address) for x in cl.in_section("gia-dinh-with")}
    assert ("lai-chau-2021-2025", "IV.2-3") in with_families  # "Tập huấn cho … người chăm sóc trẻ em"


def test_scoped_to_plans_and_added_plans(corpus, added_plans):
    from rag.models import Corpus

    one = checklist(corpus, "school", ["ha-noi-2022-2025"])
    assert one.lines and {x.plan_id for x in one.lines} == {"ha-noi-2022-2025"}
    added = checklist(Corpus(plans=tuple(added_plans.values())), "family")
    assert ("quang-tri-2026-2030", "P1.2.b") in {(x.plan_id, x.address) for x in added.lines}  # "95% cha mẹ …"
