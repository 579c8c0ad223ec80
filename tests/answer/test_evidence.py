"""The attribute readers (rag.answer.evidence.states): when and how often are read both by the
patterns of attributes.toml and by the deadline parser, so both lexicons teach the answerer."""
import pytest

from rag.answer.evidence import besides, best_segments, has_value, states


@pytest.mark.parametrize("text", [
    "Thường niên tổ chức diễn đàn trẻ em.",            # only in deadlines.toml (recurring, yearly)
    "Sơ kết 6 tháng một lần việc thực hiện.",          # half-yearly
    "Xử lý trong 24 giờ kể từ khi nhận được phản ánh.",  # relative
])
def test_when_is_read_by_the_deadline_parser_too(text):
    assert states(text, "when")


@pytest.mark.parametrize("text", ["Thường niên tổ chức diễn đàn trẻ em.", "moi hoc ky mot lan to chuc ngoai khoa"])
def test_how_often_is_read_from_recurring_deadlines(text):
    assert states(text, "often")
    assert has_value(text, "unit:lan")  # "mấy lần" is answered by a rhythm


@pytest.mark.parametrize("text", [
    "Kinh phí từ nguồn ngân sách nhà nước theo quy định của Luật Ngân sách.",
    "Tuyên truyền về quyền trẻ em trên môi trường mạng.",
])
def test_how_often_is_not_read_where_none_is_stated(text):
    assert not states(text, "often")


def test_a_relative_deadline_is_not_a_rhythm():
    assert not states("Xử lý trong 24 giờ kể từ khi nhận được phản ánh.", "often")


def test_the_piece_stating_the_value_asked_is_quoted_whatever_words_it_shares():
    text = ("Lồng ghép vào chương trình giáo dục các nội dung về môi trường mạng cho trẻ em và kỹ năng cơ bản khi "
            "tham gia sử dụng Internet; tăng cường các hoạt động tuyên truyền trong nhà trường cho học sinh và giáo "
            "viên về an toàn thông tin; mỗi năm học các trường bố trí 01 buổi ngoại khóa; tổ chức các cuộc thi tìm "
            "hiểu về an toàn trên môi trường mạng cho học sinh các cấp học trên địa bàn tỉnh.")
    plain = best_segments("How many sessions must schools hold about the online environment?", text, keep=1, short=100)
    assert "01 buổi" not in plain
    asked = best_segments("How many sessions must schools hold about the online environment?", text, keep=1,
                          short=100, prefer=lambda piece: has_value(piece, "unit:buoi"))
    assert "01 buổi" in asked


@pytest.mark.parametrize("text, stated", [
    ("Duy trì đường dây nóng 0260.3862.111 tiếp nhận phản ánh.", True),
    ("Tổng đài điện thoại quốc gia bảo vệ trẻ em số (111).", True),
    ("Phấn đấu năm 2025 có 100% trường học triển khai.", False),
    ("Thực hiện Quyết định số 830/QĐ-TTg, báo cáo trước ngày 15/12.", False),
    ("Công an tỉnh tiếp nhận tố giác, tin báo.", False),
    ("Truyền thông về các kênh tiếp nhận phản ánh. Thường xuyên 2022-2025", False),  # years, not a number to call
])
def test_a_telephone_number_is_read_only_where_one_is_printed(text, stated):
    assert has_value(text, "phone") is stated


def test_a_percentage_asked_needs_a_percentage():
    assert has_value("Phấn đấu 100% trường học tổ chức tuyên truyền.", "percent")
    # striving or a target named, without a share, does not say how much
    assert not has_value("Phấn đấu hoàn thành, đạt được các chỉ tiêu đề ra.", "percent")


def test_what_a_question_sets_aside():
    assert besides("Ngoài ngân sách nhà nước, kinh phí lấy từ đâu?") == "ngan sach nha nuoc"
    assert besides("Ngoài số 111, còn số nào khác?") == "so 111"
    assert besides("Ngoài ra, Sở Y tế làm gì?") == ""
    assert besides("Sở Y tế làm gì, ngoài tư vấn?") == ""


def test_the_piece_quoted_is_the_one_holding_what_is_asked_not_the_common_words():
    text = ("Trên đây là Kế hoạch thực hiện Chương trình trên địa bàn, các cơ quan, đơn vị liên quan triển khai thực hiện "
            "kế hoạch theo chức năng, nhiệm vụ được giao và báo cáo kết quả thực hiện kế hoạch. Trong quá trình triển "
            "khai, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị kịp thời gửi Sở Thông tin và Truyền thông tổng hợp.")
    quote = best_segments("Gặp khó khăn khi thực hiện kế hoạch thì gửi về cơ quan nào?", text, keep=1, short=100)
    assert "Sở Thông tin và Truyền thông" in quote


def test_a_share_of_the_things_counted_states_a_count_of_them():
    assert has_value("100% các trường tiểu học tổ chức tuyên truyền", "unit:truong")
    assert not has_value("Các trường tiểu học tổ chức tuyên truyền", "unit:truong")
    assert not has_value("100% doanh nghiệp cung cấp dịch vụ", "unit:truong")
