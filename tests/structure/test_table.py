"""rag/structure/table.py on small made-up task tables (no plan file, no index)."""
from rag.structure.lines import Line
from rag.structure.table import TableParser, _ocr_number, header_columns, sub_header
from rag.structure.tree import AddressBook, Node

HEADER = ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"]


def _row(*cells: str, at: int = 0) -> Line:
    return Line(" | ".join(cells), at, at + 10, cells=list(cells))


def _parse(rows: list[list[str]]) -> list[Node]:
    parent = Node("appendix", "", "Phụ lục", [], 0, 0, address="PL")
    parser = TableParser(parent, AddressBook())
    for i, cells in enumerate(rows):
        parser.feed(_row(*cells, at=i * 10))
    return parser.finish()


def test_header_columns_by_name_in_any_order():
    cols = header_columns(["Thời hạn", "STT", "Nội dung", "Chủ trì", "Phối hợp"])
    assert (cols["deadline"], cols["content"], cols["lead"], cols["partners"]) == (0, 2, 3, 4)
    assert cols["number"] == 0
    assert header_columns(["Họ và tên", "Chức vụ"]) is None


def test_two_row_header_takes_lead_and_partners_from_the_second_row():
    cols = header_columns(["TT", "Nội dung", "Cơ quan thực hiện", "", "Thời gian"])
    assert cols["lead"] == 2
    assert sub_header(["", "", "Chủ trì", "Phối hợp", ""]) == {"lead": 2, "partners": 3}
    assert sub_header(["1", "Tuyên truyền", "Sở Y tế", "", ""]) == {}  # a task row, not a header


def test_groups_rows_and_fields():
    nodes = _parse([HEADER,
                    ["I", "Tuyên truyền, nâng cao nhận thức", "", "", ""],
                    ["1", "Tổ chức tập huấn cho giáo viên", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Năm 2026"],
                    ["2", "Xây dựng chuyên mục", "Sở Thông tin và Truyền thông", "", "Hằng năm"],
                    ["II", "Kiểm tra, giám sát", "", "", ""],
                    ["1", "Kiểm tra việc thực hiện", "Sở Tư pháp", "", "Quý IV"]])
    assert [(n.level, n.address) for n in nodes] == [("group", "PL.I"), ("row", "PL.I.1"), ("row", "PL.I.2"),
                                                     ("group", "PL.II"), ("row", "PL.II.1")]
    first = nodes[1]
    assert first.fields["content"] == "Tổ chức tập huấn cho giáo viên"
    assert first.fields["lead"] == "Sở Giáo dục và Đào tạo" and first.fields["deadline"] == "Năm 2026"
    # the row's text names each field with the table's own column label
    assert first.texts == ["Tổ chức tập huấn cho giáo viên | Cơ quan chủ trì: Sở Giáo dục và Đào tạo"
                           " | Cơ quan phối hợp: Sở Y tế | Thời hạn: Năm 2026"]


def test_a_row_split_by_a_page_break_goes_on_and_the_repeated_header_is_dropped():
    nodes = _parse([HEADER,
                    ["1", "Rà soát, đánh giá", "Công an tỉnh", "", ""],
                    HEADER,  # the header printed again on the next page
                    ["", "các nguy cơ trên mạng", "", "Sở Y tế", "Năm 2027"]])
    assert [n.level for n in nodes] == ["row"]
    assert nodes[0].fields["content"] == "Rà soát, đánh giá các nguy cơ trên mạng"
    assert nodes[0].fields["partners"] == "Sở Y tế" and nodes[0].fields["deadline"] == "Năm 2027"


def test_a_table_without_a_task_header_keeps_its_text_as_paragraphs():
    nodes = _parse([["Họ và tên", "Chức vụ"], ["Nguyễn Văn A", "Giám đốc"]])
    assert [n.level for n in nodes] == ["paragraph", "paragraph"]
    assert nodes[1].texts == ["Nguyễn Văn A | Giám đốc"]


def test_ocr_misread_numbers():
    assert _ocr_number("l", task_row=False) == "I"  # a group row: Roman one
    assert _ocr_number("l", task_row=True) == "1"  # a task row: Arabic one
    assert _ocr_number("lI", task_row=False) == "II"
    assert _ocr_number("12", task_row=True) == "12"
    assert _ocr_number("Sở", task_row=True) == "Sở"


def test_groups_go_up_when_an_i_was_not_read():
    nodes = _parse([HEADER, ["II", "Nhóm hai", "", "", ""], ["II", "Nhóm ba", "", "", ""]])
    assert [n.number for n in nodes] == ["II", "III"]


def test_task_rows_whose_number_ocr_garbled_keep_their_place():
    """A scan's number column read as junk ("P2", "NI", "'.”:") or not at all: a row with a task and a lead
    is still a row, numbered by what it holds or by its place in the group."""
    nodes = _parse([HEADER,
                    ["I", "Truyền thông", "", "", ""],
                    ["NI", "Biên soạn sổ tay", "Sở Y tế", "Hội Liên hiệp Phụ nữ tỉnh", "Quý II/2026"],
                    ["P2", "Phát sóng chuyên mục", "Đài Phát thanh và Truyền hình tỉnh", "", "Hằng tháng"],
                    ["'.”:", "Tổ chức ngày hội", "Sở Giáo dục và Đào tạo", "Tỉnh đoàn", "Tháng 9 hằng năm"],
                    ["", "Tập huấn kỹ năng", "Tỉnh đoàn", "Công an tỉnh", "Năm 2027"],
                    ["Sở Y tế", "chủ trì", "", "", ""]])
    rows = [(n.address, n.fields["lead"]) for n in nodes if n.level == "row"]
    assert rows == [("PL.I.1", "Sở Y tế"), ("PL.I.2", "Đài Phát thanh và Truyền hình tỉnh"),
                    ("PL.I.3", "Sở Giáo dục và Đào tạo"), ("PL.I.4", "Tỉnh đoàn")]
    assert nodes[-1].fields["content"] == "Tập huấn kỹ năng Sở Y tế chủ trì"  # words, not a number: the row goes on


def test_a_row_with_its_deadline_on_the_first_page_goes_on_after_the_break():
    nodes = _parse([HEADER,
                    ["1", "Rà soát, đánh giá", "Công an tỉnh", "Sở Y tế", "Năm 2027"],
                    HEADER,
                    ["", "các nguy cơ trên mạng", "", "", ""],
                    ["", "và báo cáo", "Sở Tư pháp", "", ""]])  # a lead but no deadline: the same row
    assert [n.address for n in nodes] == ["PL.1"]
    assert nodes[0].fields["content"] == "Rà soát, đánh giá các nguy cơ trên mạng và báo cáo"
