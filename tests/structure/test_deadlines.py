"""The deadline parser on its own: the wording of the four seed plans and forms none of them uses (the
measure over whole plans, against a hand-made table, is ``tests/schedule/test_task_deadlines.py``)."""
from __future__ import annotations

from datetime import date

import pytest

from rag.structure.deadlines import DeadlineKind, Frequency, find_deadlines, parse_deadline, parse_period
from tests.schedule.conftest import canonical

# --- a deadline column, read whole -------------------------------------------------------------------------

CELLS = [
    # the seeds' and the fixtures' wording
    ("Thường xuyên 2022-2025", (2022, 2025), "continuous 2022-2025"),
    ("Thường xuyên", (2022, 2025), "continuous 2022-2025"),
    ("Năm 2022 - 2023", (2022, 2025), "range 2022-2023"),
    ("Quý I/2023", (2021, 2025), "quarter 2023 Q1"),
    ("Quý III/2026", (2026, 2030), "quarter 2026 Q3"),
    ("Năm 2027", (2026, 2030), "year 2027"),
    ("Hằng năm", (2026, 2030), "recurring yearly 2026-2030"),
    ("Hằng tháng", (2021, 2025), "recurring monthly 2021-2025"),
    ("Tháng 6 hằng năm", (2021, 2025), "recurring yearly 2021-2025 in 6"),
    ("6 tháng một lần", (2026, 2030), "recurring half_yearly 2026-2030"),
    ("2026-2030", (2026, 2030), "range 2026-2030"),
    # forms none of the plans uses
    ("Trước ngày 15/12/2025", None, "date 2025-12-15"),
    ("Chậm nhất ngày 30 tháng 6 năm 2026", None, "date 2026-06-30"),
    ("31/12/2025", None, "date 2025-12-31"),
    ("Quý 3 năm 2026", None, "quarter 2026 Q3"),
    ("Quý IV - 2027", None, "quarter 2027 Q4"),
    ("Tháng 10/2026", None, "month 2026-10"),
    ("tháng 3 năm 2027", None, "month 2027-03"),
    ("Từ năm 2023 đến năm 2025", None, "range 2023-2025"),
    ("6 tháng đầu năm 2026", None, "half 2026-01-01"),
    ("6 tháng cuối năm 2027", None, "half 2027-07-01"),
    ("Giai đoạn 2026 – 2030", None, "range 2026-2030"),
    ("Hằng năm, trước ngày 30/11", (2021, 2025), "recurring yearly 2021-2025 on 11-30"),
    ("Trước 15/12 hằng năm", (2021, 2025), "recurring yearly 2021-2025 on 12-15"),
    ("Hằng năm 2023-2025", (2021, 2025), "recurring yearly 2023-2025"),
    ("Quý IV hằng năm", (2021, 2025), "recurring yearly 2021-2025 in 12"),
    ("Định kỳ 6 tháng", (2021, 2025), "recurring half_yearly 2021-2025"),
    ("Hằng quý", (2021, 2025), "recurring quarterly 2021-2025"),
    ("Mỗi học kỳ một lần", (2021, 2025), "recurring per_term 2021-2025"),
    ("Định kỳ", (2021, 2025), "recurring unstated 2021-2025"),
    ("HÀNG NĂM", None, "recurring yearly "),
    ("Thuong xuyen", (2021, 2025), "continuous 2021-2025"),  # typed without diacritics
    # nothing stated
    ("", None, "none"),
    ("—", None, "none"),
    (None, None, "none"),
]

NOT_READ = [
    "Theo tiến độ dự án",  # words the parser does not know
    "30/11",  # a day without a year: which year is not guessed
    "Năm 2025 - 2023",  # a range backwards
    "31/2/2025",  # no such day
    "Quý II và Quý III/2026",  # two deadlines in one cell
    "6 tháng đầu năm",  # a half year without its year
    "Sau khi có hướng dẫn của Bộ",
    "Quý 5/2026",
]


@pytest.mark.parametrize("cell,period,expected", CELLS)
def test_cell_is_read(cell, period, expected):
    d = parse_deadline(cell, period)
    assert canonical(d) == expected
    if expected != "none":
        assert d.text == " ".join(cell.split())  # the plan's wording kept beside the value


@pytest.mark.parametrize("cell", NOT_READ)
def test_cell_not_understood_is_unparsed_with_its_text(cell):
    d = parse_deadline(cell, (2021, 2025))
    assert d.kind is DeadlineKind.UNPARSED and d.text == cell and not d.parsed and d.stated


# --- running text -------------------------------------------------------------------------------------------

TEXTS = [
    ("Các cơ quan, đơn vị chủ động báo cáo kết quả thực hiện về UBND tỉnh trước ngày 30/11 hằng năm.",
     ["recurring yearly 2021-2025 on 11-30"], "trước ngày 30/11 hằng năm"),
    ("Tổng hợp, báo cáo kết quả thực hiện trước ngày 15 tháng 12 hằng năm.",
     ["recurring yearly 2021-2025 on 12-15"], "trước ngày 15 tháng 12 hằng năm"),
    ("Thường xuyên kiểm tra, thanh tra, rà soát việc bảo đảm hoạt động liên quan.", ["continuous 2021-2025"],
     "Thường xuyên"),
    ("Định kỳ hàng năm hoặc khi có yêu cầu phối hợp Công an thành phố cung cấp số liệu.",
     ["recurring yearly 2021-2025"], "Định kỳ hàng năm"),
    ("Ban hành quy chế phối hợp liên ngành trong quý II năm 2026.", ["quarter 2026 Q2"], "trong quý II năm 2026"),
    ("Lắp đặt phần mềm lọc nội dung tại các trường trước năm 2024.", ["date 2023-12-31"], "trước năm 2024"),
    ("Gỡ bỏ sản phẩm độc hại trong 24 giờ kể từ khi nhận được phản ánh.", ["relative 24 giờ"],
     "trong 24 giờ kể từ khi nhận được phản ánh"),
    ("Đến năm 2025, 90% điểm trường có Internet được cài đặt bộ lọc nội dung.", ["year 2025"], "Đến năm 2025"),
    # forms none of the plans uses
    ("Hoàn thành việc rà soát chậm nhất ngày 31/12/2025.", ["date 2025-12-31"], "chậm nhất ngày 31/12/2025"),
    ("Tổ chức sơ kết trong tháng 6/2028 và tổng kết trong quý IV/2030.",
     ["month 2028-06", "quarter 2030 Q4"], None),
    ("Sơ kết việc thực hiện trong 6 tháng đầu năm 2027.", ["half 2027-01-01"], "trong 6 tháng đầu năm 2027"),
    ("Kiểm tra các điểm kinh doanh Internet hằng quý.", ["recurring quarterly 2021-2025"], "hằng quý"),
    ("Tập huấn giáo viên mỗi học kỳ một lần.", ["recurring per_term 2021-2025"], "mỗi học kỳ một lần"),
    ("Báo cáo trong vòng 05 ngày làm việc kể từ ngày nhận được yêu cầu.", ["relative 5 ngày làm việc"], None),
]

# running text that names years and dates without stating a deadline
NO_DEADLINE_TEXT = [
    "Thực hiện Quyết định số 830/QĐ-TTg ngày 01/6/2021 của Thủ tướng Chính phủ phê duyệt Chương trình giai đoạn "
    "2021 - 2025.",
    "Chủ trì tham mưu triển khai hướng dẫn thi hành Luật Trí Tuệ nhân tạo năm 2025.",
    "Kinh phí được bố trí trong dự toán chi thường xuyên hằng năm của các cơ quan, đơn vị.",
    "Bố trí kinh phí trong dự toán ngân sách hàng năm và hướng dẫn cơ chế tài chính.",
    "Lồng ghép vào kế hoạch phát triển kinh tế - xã hội 5 năm, hàng năm của địa phương.",
    "Các lực lượng liên ngành được nâng cao năng lực thường xuyên, hiện đại và hiệp đồng hiệu quả.",
    "Chương trình chuyển đổi số giai đoạn 2021-2025, định hướng đến năm 2030.",
    "Xây dựng chiến lược truyền thông xuyên suốt giai đoạn 2026 - 2030.",
    "Giảm số vụ trẻ em bị lừa đảo trên mạng xã hội so với năm 2021.",
    "Duy trì đường dây nóng 0260.3862.111 tiếp nhận phản ánh.",
    "Không cho trẻ em dưới 12 tuổi dùng điện thoại một mình quá 1 giờ mỗi ngày.",
]


@pytest.mark.parametrize("text,expected,wording", TEXTS)
def test_deadline_found_in_running_text(text, expected, wording):
    found = find_deadlines(text, (2021, 2025))
    assert [canonical(d) for d in found] == expected
    if wording:
        assert found[0].text == wording


@pytest.mark.parametrize("text", NO_DEADLINE_TEXT)
def test_dates_that_are_not_deadlines(text):
    assert find_deadlines(text, (2021, 2025)) == []


def test_yearly_deadline_falls_on_its_day_each_year_of_the_period():
    d = parse_deadline("Trước ngày 30/11 hằng năm", (2021, 2025))
    assert d.frequency is Frequency.YEARLY
    assert d.due_dates(date(2020, 1, 1), date(2030, 1, 1)) == [date(y, 11, 30) for y in range(2021, 2026)]
    assert d.due_dates(date(2023, 12, 1), date(2024, 12, 1)) == [date(2024, 11, 30)]
    month = parse_deadline("Tháng 2 hằng năm", (2023, 2024))
    assert month.due_dates(date(2023, 1, 1), date(2024, 12, 31)) == [date(2023, 2, 28), date(2024, 2, 29)]
    assert parse_deadline("Thường xuyên", (2021, 2025)).due_dates(date(2020, 1, 1), date(2030, 1, 1)) == []


def test_period_of_the_manifest():
    assert parse_period("2021-2025") == (2021, 2025)
    assert parse_period("2026 – 2030") == (2026, 2030)
    assert parse_period("") is None
