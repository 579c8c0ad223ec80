"""Numbering styles none of the four corpus plans uses: top sections above the parts ("A.",
"Phần thứ nhất") with parts restarting under each, "1)" and "(1)" items, "a." points, and the
bullets "+", "•", "*", "–"."""
from __future__ import annotations

from rag.models import PlanInfo
from rag.structure import parse_plan
from rag.structure.markers import read_marker

TEXT = """ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM

KẾ HOẠCH

Thử nghiệm kiểu đánh số

A. MỤC TIÊU

I. Mục tiêu chung

1) Bảo vệ trẻ em trên môi trường mạng.

II. Chỉ tiêu

(1) Đến năm 2025, 90% điểm trường có bộ lọc nội dung.

a. Ưu tiên các điểm trường vùng cao.

b. Hoàn thành trước tháng 6.

B. TỔ CHỨC THỰC HIỆN

I. Sở Giáo dục và Đào tạo

+ Chỉ đạo các trường.

• Báo cáo hằng năm.

II. Công an tỉnh

* Tiếp nhận tin báo.

– Xử lý vi phạm.

Phần thứ hai: KINH PHÍ

1. Ngân sách tỉnh bảo đảm.
"""


def test_markers_of_the_new_styles():
    assert read_marker("A. MỤC TIÊU").level == "section"
    m = read_marker("Phần thứ hai: KINH PHÍ")
    assert (m.level, m.address_key, m.body) == ("section", "P2", "KINH PHÍ")
    assert read_marker("PHẦN THỨ NHẤT. MỤC ĐÍCH").address_key == "P1"
    assert (read_marker("(3) Nội dung").level, read_marker("(3) Nội dung").number) == ("item", "3")
    assert read_marker("2) Nội dung").level == "item"
    assert (read_marker("b. Nội dung").level, read_marker("b. Nội dung").number) == ("point", "b")
    for bullet in ("+ Một", "• Một", "* Một", "– Một"):
        assert read_marker(bullet).level == "bullet", bullet
    # not markers: a lower-case letter without a space, an "A." that opens a sentence in lower case
    assert read_marker("v.v. và các nội dung khác") is None
    assert read_marker("A. và b") is None
    assert read_marker("Phần kinh phí do ngân sách bảo đảm") is None


def test_parts_restart_under_each_top_section_and_agencies_are_recorded():
    plan = parse_plan(PlanInfo(id="thu", file="thu.txt", title="t", short_name="KH thử"), TEXT)
    tree = [(c.address, c.level) for c in plan.clauses if c.level != "front"]
    assert tree == [
        ("A", "part"), ("A.I", "part"), ("A.I.1", "item"), ("A.II", "part"), ("A.II.1", "item"),
        ("A.II.1.a", "point"), ("A.II.1.b", "point"),
        ("B", "part"), ("B.I", "part"), ("B.I-1", "bullet"), ("B.I-2", "bullet"),
        ("B.II", "part"), ("B.II-1", "bullet"), ("B.II-2", "bullet"),
        ("P2", "part"), ("P2.1", "item"),
    ]
    assert plan.clause("B.I-2").agency == ("so-gddt",)
    assert plan.clause("B.II-1").agency == ("cong-an",)
    assert plan.clause("A.II.1.b").path == ("A. MỤC TIÊU", "II. Chỉ tiêu",
                                            "1. Đến năm 2025, 90% điểm trường có bộ lọc nội dung.")
    assert plan.clause("P2").path == () and plan.clause("P2.1").path == ("Phần thứ hai. KINH PHÍ",)


def test_task_table_with_a_two_row_header():
    text = """KẾ HOẠCH

I. TỔ CHỨC THỰC HIỆN

1. Sở Y tế chủ trì.

PHỤ LỤC

| STT | Nội dung | Cơ quan thực hiện | | Thời gian |
| | | Chủ trì | Phối hợp | |
| I | Truyền thông | | | |
| 1 | Tập huấn cán bộ y tế | Sở Y tế | Công an tỉnh | Năm 2026 |
"""
    plan = parse_plan(PlanInfo(id="bang", file="bang.txt", title="t", short_name="KH bảng"), text)
    row = plan.clause("PL.I.1")
    assert (row.lead, row.partners, row.deadline) == ("Sở Y tế", "Công an tỉnh", "Năm 2026")
    assert row.lead_agencies == ("so-yte",) and row.partner_agencies == ("cong-an",)
