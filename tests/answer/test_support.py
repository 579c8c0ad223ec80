"""The check applied to an LLM's answer, on hand-made cases."""
from rag.answer.support import check_answer, support

CLAUSES = [
    "Kế hoạch: KH Hà Nội. Cơ quan chủ trì: Sở Ngoại vụ; Sở Kế hoạch và Đầu tư. Nội dung: kêu gọi các nguồn vốn hỗ trợ quốc tế.",
    "Kế hoạch: KH Hà Nội. Cơ quan thực hiện: Sở Tài chính. Nội dung: bố trí chi thường xuyên ngân sách cấp Thành phố.",
]


def test_supported_sentence_keeps_its_marker():
    out = check_answer("Sở Ngoại vụ và Sở Kế hoạch và Đầu tư chủ trì kêu gọi các nguồn vốn hỗ trợ quốc tế [1].", CLAUSES)
    assert out.text == "Sở Ngoại vụ và Sở Kế hoạch và Đầu tư chủ trì kêu gọi các nguồn vốn hỗ trợ quốc tế [1]."
    assert out.used == [1] and out.dropped_sentences == 0 and out.removed_markers == 0


def test_marker_to_a_clause_that_does_not_support_is_moved_or_removed():
    out = check_answer("Sở Tài chính bố trí chi thường xuyên ngân sách cấp Thành phố [1].", CLAUSES)
    assert out.text.endswith("[1].") and out.used == [2] and out.removed_markers == 1


def test_marker_out_of_range_and_invented_sentence_are_dropped():
    out = check_answer("Bộ Quốc phòng cấp 500 tỷ đồng cho mỗi trường học trong năm nay [7]. "
                       "Sở Tài chính bố trí chi thường xuyên ngân sách cấp Thành phố [2].", CLAUSES)
    assert "Quốc phòng" not in out.text and out.dropped_sentences == 1
    assert out.text == "Sở Tài chính bố trí chi thường xuyên ngân sách cấp Thành phố [1]."


def test_fragments_are_not_kept():
    out = check_answer("V. [1]\nTỔ CHỨC › 5 [2].", CLAUSES)
    assert out.text == "" and out.used == []


def test_support_measure():
    assert support("Sở Tài chính bố trí ngân sách", CLAUSES[1]) >= 0.8
    assert support("Công an tỉnh điều tra tội phạm", CLAUSES[1]) < 0.5


def test_a_name_or_number_the_clause_does_not_state_drops_the_sentence():
    ok = check_answer("Sở Ngoại vụ chủ trì kêu gọi các nguồn vốn hỗ trợ quốc tế [1].", CLAUSES)
    assert ok.dropped_sentences == 0
    wrong_agency = check_answer("Sở Ngoại vụ và Bộ Thông tin và Truyền thông chủ trì kêu gọi các nguồn vốn hỗ trợ "
                                "quốc tế [1].", CLAUSES)
    assert wrong_agency.text == "" and wrong_agency.dropped_sentences == 1
    wrong_number = check_answer("Sở Tài chính bố trí chi thường xuyên ngân sách cấp Thành phố 30% [2].", CLAUSES)
    assert wrong_number.text == ""
