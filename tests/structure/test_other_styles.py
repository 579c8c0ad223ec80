"""A plan written in another style (markdown headings, "1.1." numbering, a pipe table whose
header repeats after a page break, columns in another order) parses into the expected tree."""
from __future__ import annotations

from rag.models import PlanInfo
from rag.structure import parse_plan
from tests.conftest import FIXTURES


def _parse():
    info = PlanInfo(id="binh-minh-2024", file="binh-minh-markdown.md", title="KH Bình Minh", short_name="KH Bình Minh")
    return parse_plan(info, (FIXTURES / "binh-minh-markdown.md").read_text(encoding="utf-8"))


def test_tree_of_markdown_plan():
    plan = _parse()
    tree = [(c.address, c.level) for c in plan.clauses if c.level != "front"]
    assert tree == [
        ("MĐ-1", "preamble"),
        ("I", "part"), ("I.1.1", "subitem"), ("I.1.1-1", "paragraph"), ("I.1.2", "subitem"),
        ("I.1.2-1", "bullet"), ("I.1.2-2", "bullet"),
        ("II", "part"), ("II.2.1", "subitem"), ("II.2.1.a", "point"), ("II.2.1.b", "point"),
        ("II.2.2", "subitem"), ("II.2.2-1", "bullet"),
        ("KL-1", "closing"),
        ("PL", "appendix"), ("PL.I", "group"), ("PL.I.1", "row"), ("PL.I.2", "row"),
        ("PL.II", "group"), ("PL.II.1", "row"),
    ]
    assert plan.clause("I.1.1-1").text == ("Nâng cao nhận thức của cha mẹ, giáo viên về an toàn của trẻ em khi "
                                           "tham gia môi trường mạng.")
    assert plan.clause("II.2.1.b").agency == ("so-gddt",)
    assert plan.clause("II.2.2-1").agency == ("cong-an",)
    assert plan.clause("II.2.1.a").path == ("II. TỔ CHỨC THỰC HIỆN", "2.1. Sở GD&ĐT")


def test_markdown_plan_table_and_metadata():
    plan = _parse()
    row = plan.clause("PL.I.2")  # continued after the repeated header and a page number
    assert row.text.startswith("Tập huấn cho giáo viên chủ nhiệm về kỹ năng hỗ trợ học sinh")
    assert row.deadline == "Tháng 6/2024"
    assert row.lead_agencies == ("so-gddt",)
    assert row.partner_agencies == ("so-ldtbxh", "cong-an")
    assert plan.clause("PL.II.1").partners == ""
    assert plan.number == "45/KH-UBND" and plan.date == "2024-03-15"
    assert plan.signer == "Nguyễn Văn An" and plan.recipients == ("Bộ Công an", "Lưu: VT")


def test_front_matter_is_citable_clauses():
    plan = _parse()
    front = {c.address: c for c in plan.clauses if c.level == "front"}
    assert front["VB.số-hiệu"].text.startswith("Số:") and "45" in front["VB.số-hiệu"].text
    assert "2024" in front["VB.ngày"].text
    assert front["VB.người-ký"].text.endswith("Nguyễn Văn An")
    assert "Bộ Công an" in front["VB.nơi-nhận"].text
    assert front["VB.người-ký"].path == ("Thông tin văn bản", "Người ký")
