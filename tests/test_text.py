"""The language heuristics of rag/text.py, on small made-up texts."""
from rag.text import has_diacritics, looks_english, looks_vietnamese


def test_has_diacritics_sees_any_mark_including_d_bar():
    assert has_diacritics("Sở Giáo dục")
    assert has_diacritics("đ")
    assert not has_diacritics("so giao duc va dao tao")
    assert not has_diacritics("")


def test_looks_vietnamese_needs_a_share_of_accented_letters():
    assert looks_vietnamese("Sở Giáo dục và Đào tạo chủ trì thực hiện.")
    assert not looks_vietnamese("So Giao duc va Dao tao chu tri thuc hien.")
    assert not looks_vietnamese("The Department of Education leads, with the café.")  # one é in 40 letters
    assert not looks_vietnamese("123 …")


def test_looks_english_needs_three_english_words():
    assert looks_english("Which department is responsible for the plan?")
    assert not looks_english("Which so nganh chu tri?")
    assert not looks_english("Sở nào chủ trì kế hoạch?")
    assert not looks_english("do to the")  # also Vietnamese syllables typed without accents
