"""No plan text is lost: every line of every plan (the four seeds, the markdown and fifth-plan
fixtures, and the text of every ingestion fixture plan) ends up in exactly one clause, the front
matter or the signature block, and the clause that claims a line really holds its words."""
from __future__ import annotations

import sys

import pytest

from rag.corpus.manifest import load_manifest
from rag.corpus.reader import read_plan_text
from rag.models import PlanDocument, PlanInfo
from rag.structure import parse_plan
from rag.structure.coverage import Place
from rag.structure.lines import split_lines
from rag.structure.markers import read_marker
from rag.text import fold, squash
from tests.conftest import CORPUS_DIR, FIXTURES

sys.path.insert(0, str(FIXTURES))
from ingest_plans import PLANS  # noqa: E402
from make_fixtures import plan_text  # noqa: E402


def _seed(plan_id: str) -> tuple[PlanDocument, str]:
    info = next(p for p in load_manifest(CORPUS_DIR / "plans.toml") if p.id == plan_id)
    text = read_plan_text(CORPUS_DIR / info.file)
    return parse_plan(info, text), text


def _fixture(name: str) -> tuple[PlanDocument, str]:
    if name in PLANS:
        text = plan_text(PLANS[name])
    elif name == "fifth-plan":
        text = next((FIXTURES / "fifth-plan").glob("*.txt")).read_text(encoding="utf-8")
    else:
        text = (FIXTURES / name).read_text(encoding="utf-8")
    info = PlanInfo(id=name.split(".")[0], file=f"{name}.txt", title=name, short_name=name)
    return parse_plan(info, text), text


def assert_no_text_lost(plan: PlanDocument, text: str) -> None:
    coverage = plan.coverage
    assert coverage.left_out == (), coverage.left_out
    assert coverage.twice == (), coverage.twice
    assert coverage.share == 1.0 and len(coverage.claims) == coverage.lines == len(split_lines(text))
    lines = split_lines(text)
    by_address = {c.address: c for c in plan.clauses}
    front = squash(" ".join([*plan.front_matter, *(c.text for c in plan.clauses if c.level == "front")]))
    for claim in coverage.claims:
        line = lines[claim.line]
        if claim.place is not Place.CLAUSE:
            assert squash(line.text) in front, (claim, line.text)
            continue
        clause = by_address[claim.address]
        if claim.kind == "header":  # a table's header row: its labels name every row's fields
            assert line.is_table and clause.level in ("appendix", "part", "item", "subitem", "group", "paragraph")
            continue
        held = f" {fold(f'{clause.number} {clause.title} {clause.text}')} "  # numbering punctuation aside
        pieces = [c for c in (line.cells or []) if c.strip()] if line.is_table else [line.text]
        for piece in pieces:
            marker = read_marker(piece)  # "PHẦN I.", "1.", "a)": the clause's number, not its text
            words = fold(marker.body if marker and marker.body else piece)
            assert f" {words} " in held, (claim.address, piece, held[:300])


@pytest.mark.parametrize("plan_id", ["lai-chau-2021-2025", "dong-nai-2026-2030", "ninh-thuan-2021-2025",
                                     "ha-noi-2022-2025"])
def test_no_text_lost_in_the_seeds(plan_id):
    assert_no_text_lost(*_seed(plan_id))


@pytest.mark.parametrize("name", [*PLANS, "binh-minh-markdown.md", "fifth-plan"])
def test_no_text_lost_in_the_fixture_plans(name):
    assert_no_text_lost(*_fixture(name))


def test_appendix_heading_in_mixed_case_after_the_signature_keeps_its_rows():
    plan, _ = _fixture("binh-lam")
    rows = {c.address: c for c in plan.clauses if c.level == "row"}
    assert len(rows) == 10
    assert rows["PL.II.5"].lead == "Sở Tài chính" and rows["PL.II.5"].deadline == "Quý IV/2028"
    assert plan.clause("PL").title.startswith("Phụ lục Danh mục nhiệm vụ")
    assert plan.signer == "Trần Minh Khoa"  # never the table's text
    assert plan.clause("VB.người-ký").text.endswith("Trần Minh Khoa")


@pytest.mark.parametrize("heading", ["PHỤ LỤC", "Phụ lục", "phụ lục", "Phụ lục I", "PHỤ LỤC II: NHIỆM VỤ", "Biểu 1",
                                     "Biểu số 02", "Danh mục nhiệm vụ", "DANH MỤC NHIỆM VỤ TRỌNG TÂM"])
def test_appendix_headings_in_any_case_and_form(heading):
    text = plan_text(PLANS["binh-lam"]).replace("\n\nPhụ lục\n\n", f"\n\n{heading}\n\n")
    plan = parse_plan(PlanInfo(id="x", file="x.txt", title="x", short_name="x"), text)
    assert sum(c.level == "row" for c in plan.clauses) == 10
    appendix = next(c for c in plan.clauses if c.level == "appendix")
    assert appendix.title.startswith(heading)
    assert plan.signer == "Trần Minh Khoa" and plan.coverage.complete


def test_a_table_printed_right_after_the_signature_without_heading_is_kept():
    text = plan_text(PLANS["binh-lam"]).replace("\n\nPhụ lục\n\n", "\n\n")
    plan = parse_plan(PlanInfo(id="x", file="x.txt", title="x", short_name="x"), text)
    assert sum(c.level == "row" for c in plan.clauses) == 10
    assert plan.signer == "Trần Minh Khoa" and plan.coverage.complete


def test_biểu_dương_is_not_an_appendix():
    """A sentence that opens with a heading word ("Biểu dương …") stays in the body."""
    text = plan_text(PLANS["ha-giang"]).replace(
        "Trên đây là", "Biểu dương, khen thưởng các tập thể có thành tích.\n\nTrên đây là")
    plan = parse_plan(PlanInfo(id="x", file="x.txt", title="x", short_name="x"), text)
    assert not any(c.level == "appendix" for c in plan.clauses)
    assert any("Biểu dương" in c.text for c in plan.clauses) and plan.coverage.complete


def test_number_and_date_given_for_the_plan_become_its_front_matter():
    """The add form's number and date (kept in the manifest) stand in for a blank printed number."""
    text = plan_text(PLANS["binh-lam"]).replace("Số: 42/KH-UBND", "Số: /KH-UBND").replace(
        "Bình Lâm, ngày 15 tháng 3 năm 2026", "Bình Lâm, ngày tháng năm")
    info = PlanInfo(id="x", file="x.txt", title="x", short_name="x", number="77/KH-UBND", date="2026-04-02")
    plan = parse_plan(info, text)
    assert plan.clause("VB.số-hiệu").text == "Số: 77/KH-UBND" and plan.number == "77/KH-UBND"
    assert plan.clause("VB.ngày").text == "Ngày 2 tháng 4 năm 2026"
    blank = parse_plan(PlanInfo(id="x", file="x.txt", title="x", short_name="x"), text)
    assert blank.clause("VB.số-hiệu").text == "Số: /KH-UBND"


def test_task_table_numbers_as_ocr_misreads_them():
    """A scan's number cells: "l" for I (a group) or 1 (a task), "lÍ" for II, a group "II" read
    for "III", a first group whose "I" was not read at all. Rows keep their addresses."""
    text = plan_text(PLANS["binh-lam"])
    text = (text.replace("| I | Truyền thông, giáo dục |", "|  | Truyền thông, giáo dục |")
            .replace("| 1 | Biên soạn sổ tay", "| l | Biên soạn sổ tay")
            .replace("| II | Hỗ trợ, can thiệp và kiểm tra |", "| lÍ | Hỗ trợ, can thiệp và kiểm tra |")
            .replace("| 5 | Đánh giá giữa kỳ", "| II | Kiểm tra lần hai |  |  |  |\n| 5 | Đánh giá giữa kỳ"))
    assert "|  | Truyền thông" in text and "| l | Biên" in text and "| lÍ |" in text
    plan = parse_plan(PlanInfo(id="x", file="x.txt", title="x", short_name="x"), text)
    groups = [c.address for c in plan.clauses if c.level == "group"]
    assert groups == ["PL.I", "PL.II", "PL.III"]
    assert plan.clause("PL.I.1").lead == "Sở Y tế" and plan.clause("PL.III.5").lead == "Sở Tài chính"
    assert plan.coverage.complete
