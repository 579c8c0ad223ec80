"""End to end on plans nobody prepared (issue 19): a DOCX whose title block is a table of soft-broken
lines and whose appendix heading is written «Phụ lục» after the signature, the same plan as a text
PDF and as a scan, and a plan whose number is typed into `rag add --number --date`. Each is added with
`rag add`, then asked through the real assistant (``rag.pipeline.Assistant``) on that corpus."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.ingest.conftest import add_json, copy_corpus

PLAN_IDS = {"docx": "binh-lam-2026-2030", "pdf": "long-phu-2026-2030", "scan": "an-khe-2026-2030",
            "typed": "tan-an-2026-2030"}


@pytest.fixture(scope="module")
def added(tmp_path_factory, plan_files, index_root, assistant):
    """A corpus copy with the four plans added; its index shares the session's embedding cache."""
    root = tmp_path_factory.mktemp("appendix-plans")
    shutil.copytree(index_root / "cache", root / "index" / "cache")
    env = {"RAG_CORPUS_DIR": str(copy_corpus(root)), "RAG_INDEX_DIR": str(root / "index")}
    sys.path.insert(0, str(FIXTURES))
    from ingest_plans import PLANS, renamed
    from make_fixtures import plan_text

    typed = root / "tan-an.txt"  # printed number and date left blank; given on the command line
    typed.write_text(plan_text(renamed(PLANS["binh-lam"], "tan-an", "Tân An", "/KH-UBND"))
                     .replace("ngày 15 tháng 3 năm 2026", "ngày tháng năm"), encoding="utf-8")
    reports = {
        "docx": add_json(env, plan_files["docx-appendix"]),
        "pdf": add_json(env, plan_files["pdf-appendix"]),
        "scan": add_json(env, plan_files["scan-appendix"]),
        "typed": add_json(env, typed, "--number", "77/KH-UBND", "--date", "2026-04-02"),
    }
    return env, reports


@pytest.fixture(scope="module")
def helper(added, settings):
    from rag.pipeline import Assistant

    env, _ = added
    return Assistant(settings.replace(corpus_dir=Path(env["RAG_CORPUS_DIR"]), index_dir=Path(env["RAG_INDEX_DIR"])))


@pytest.mark.parametrize("kind", ["docx", "pdf", "scan"])
def test_every_line_and_every_appendix_row_is_kept(added, kind):
    report = added[1][kind]
    assert report["id"] == PLAN_IDS[kind]
    assert report["counts"]["appendix_rows"] == 10, report["counts"]
    assert report["coverage"] == 1.0 and report["left_out"] == [], report["left_out"]
    assert not [w for w in report["warnings"] if w["kind"] in ("text-lost", "unknown-agency")], report["warnings"]
    assert report["counts"]["agency_sections"] == 4  # Sở Y tế, the sở/ban/ngành, UBND các huyện, UBND các xã


def test_docx_title_block_table_gives_issuer_number_and_date(added):
    m = added[1]["docx"]["metadata"]
    assert (m["issuer"], m["number"], m["date"], m["province"]) == (
        "Ủy ban nhân dân tỉnh Bình Lâm", "42/KH-UBND", "2026-03-15", "Bình Lâm")


def test_scan_metadata(added):
    m = added[1]["scan"]["metadata"]
    assert (m["issuer"], m["number"], m["date"]) == ("Ủy ban nhân dân tỉnh An Khê", "63/KH-UBND", "2026-03-15")


def _cited(answer) -> set[tuple[str, str]]:
    return {(c.plan_id, c.clause) for c in answer.citations}


@pytest.mark.parametrize("kind, question, expected, clause", [
    ("docx", "Ở Bình Lâm, cơ quan nào chủ trì đánh giá giữa kỳ việc thực hiện Kế hoạch?", "Sở Tài chính", "PL.II.5"),
    ("docx", "Bình Lâm: ai phối hợp hỗ trợ pháp lý miễn phí cho gia đình có trẻ em bị xâm hại?",
     "Ủy ban nhân dân các huyện", "PL.II.3"),
    ("docx", "Ở Bình Lâm, ngày hội kỹ năng số cho học sinh tiểu học tổ chức khi nào?", "Tháng 9 hằng năm", "PL.I.3"),
    ("pdf", "Ở Long Phú, cơ quan nào chủ trì tổng kết việc thực hiện Kế hoạch giai đoạn 2026-2030?", "Sở Nội vụ",
     "PL.II.6"),
    ("pdf", "Long Phú: cơ quan nào phối hợp vận hành tổng đài tư vấn tâm lý cho trẻ em bị bắt nạt trên mạng?",
     "Bưu điện tỉnh", "PL.II.1"),
    ("scan", "Ở An Khê, cơ quan nào chủ trì kiểm tra phòng máy tính của các trường trung học cơ sở?",
     "Sở Khoa học và Công nghệ", "PL.II.4"),
    ("scan", "An Khê: thời hạn tập huấn kỹ năng nhận diện lừa đảo trực tuyến cho đoàn viên?", "Năm 2027", "PL.I.4"),
])
def test_questions_on_appendix_rows(helper, kind, question, expected, clause):
    answer = helper.ask(question)
    assert not answer.abstained, answer.answer
    assert expected in answer.answer, answer.answer
    assert (PLAN_IDS[kind], clause) in _cited(answer), (answer.answer, _cited(answer))


def test_signer_is_the_signers_name_never_table_text(helper):
    answer = helper.ask("Ai ký kế hoạch của tỉnh Bình Lâm?")
    assert "Trần Minh Khoa" in answer.answer, answer.answer
    assert "Đánh giá" not in answer.answer and "Quý IV" not in answer.answer, answer.answer


def test_number_and_date_typed_at_add_become_the_plans_front_matter(added, helper):
    assert added[1]["typed"]["metadata"]["number"] == "77/KH-UBND"
    answer = helper.ask("Kế hoạch của tỉnh Tân An số mấy?")
    assert "77/KH-UBND" in answer.answer and "không ghi" not in answer.answer, answer.answer
    assert (PLAN_IDS["typed"], "VB.số-hiệu") in _cited(answer)
    answer = helper.ask("Kế hoạch của tỉnh Tân An ban hành ngày nào?")
    assert "2 tháng 4 năm 2026" in answer.answer, answer.answer


def test_collective_body_gets_all_its_duties(helper):
    answer = helper.ask("UBND các xã ở Bình Lâm phải làm gì?")
    assert not answer.abstained, answer.answer
    cited = _cited(answer)
    for clause in ("III.4-1", "III.4-2", "III.4-3"):
        assert (PLAN_IDS["docx"], clause) in cited, (answer.answer, cited)
