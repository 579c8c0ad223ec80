"""Answers on a plan none of the four corpus plans resembles: agencies no alias table lists
(Sở Công Thương, Hội Nông dân, Liên đoàn Lao động, Bộ Chỉ huy Quân sự), found by the shape of
their names; duties, partners and abstention must hold without any word list edited."""
from __future__ import annotations

import shutil

import pytest

from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def fifth(tmp_path_factory, settings):
    from rag.pipeline import Assistant

    corpus_dir = tmp_path_factory.mktemp("fifth-corpus")
    for f in (FIXTURES / "fifth-plan").iterdir():
        shutil.copy(f, corpus_dir / f.name)
    return Assistant(settings.replace(corpus_dir=corpus_dir, index_dir=tmp_path_factory.mktemp("fifth-index")))


def test_duties_of_an_agency_no_table_lists(fifth):
    a = fifth.ask("Sở Công Thương tỉnh Sơn Hà phải làm gì?")
    assert not a.abstained
    assert "niêm yết cảnh báo độ tuổi" in a.answer
    assert {c.clause for c in a.citations} >= {"II.1-1", "II.1-2"}


def test_duties_asked_without_diacritics(fifth):
    a = fifth.ask("lien doan lao dong tinh phai lam gi")
    assert not a.abstained and "điểm tư vấn" in a.answer
    assert all(c.clause in ("II.3-1", "PL.I.2") for c in a.citations)


def test_partners_of_an_appendix_task(fifth):
    a = fifth.ask("Ai phối hợp với Hội Nông dân tỉnh trong việc tuyên truyền kỹ năng giám sát con em cho hội viên?")
    assert not a.abstained
    assert "cơ quan phối hợp: Sở Công Thương; Bộ Chỉ huy Quân sự tỉnh" in a.answer
    assert [c.clause for c in a.citations] == ["PL.I.1"]


def test_deadline_of_an_appendix_task(fifth):
    a = fifth.ask("Điểm tư vấn cho công nhân ở khu công nghiệp phải xong trước khi nào?")
    assert not a.abstained and "Quý IV/2026" in a.answer


def test_front_matter_of_the_new_plan(fifth):
    a = fifth.ask("Kế hoạch Sơn Hà do ai ký, số mấy?")
    assert "Trần Văn Minh" in a.answer and "77/KH-UBND" in a.answer
    assert {c.clause for c in a.citations} == {"VB.người-ký", "VB.số-hiệu"}


def test_abstains_on_what_the_plan_does_not_say(fifth):
    a = fifth.ask("Hội Nông dân tỉnh có phải cấp chứng chỉ an toàn mạng cho hội viên không?")
    assert a.abstained
    assert "chứng chỉ" in a.answer  # says what is missing, in the user's words
    assert fifth.ask("Bộ Chỉ huy Quân sự tỉnh Sơn Hà được cấp bao nhiêu tiền để tuyên truyền?").abstained


def test_agency_view_lists_the_new_agencies(fifth):
    from rag.structure.assignments import assignments
    from rag.structure.agencies import find_agencies

    key = find_agencies("Bộ Chỉ huy Quân sự tỉnh")[0]
    found = assignments(fifth.corpus, key)
    assert {(a.clause.address, a.role) for a in found} == {("II.4-1", "thực hiện"), ("PL.I.1", "phối hợp")}
