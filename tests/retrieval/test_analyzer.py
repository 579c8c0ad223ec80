from rag.index.analyzer import analyze, has_diacritics
from rag.index.lexical import LexicalIndex
from rag.retrieval.expansion import expand_query


def test_folded_and_accented_terms():
    accented = analyze("Sở Giáo dục")
    assert {"so", "giao", "duc", "giao_duc", "@sở", "@giáo", "@dục"} <= set(accented)
    plain = analyze("so giao duc")
    assert "@so" not in plain and {"so", "giao", "duc", "giao_duc"} <= set(plain)
    assert not has_diacritics("so giao duc") and has_diacritics("sở")


def test_stopwords_do_not_remove_place_names():
    terms = analyze("Lai Châu bảo vệ trẻ em")
    assert "lai" in terms and "ve" in terms


def test_bm25_prefers_the_matching_passage():
    index = LexicalIndex.fit(["Sở Tài chính bố trí kinh phí", "Công an tỉnh tiếp nhận tố giác",
                              "Sở Giáo dục và Đào tạo chỉ đạo các trường"])
    scores = index.score("so tai chinh kinh phi")
    assert scores.argmax() == 0 and scores[1] == 0
    assert index.score("xyz không có").sum() == 0


def test_expansion_uses_agency_aliases_and_paraphrases():
    assert "Sở Giáo dục và Đào tạo" in expand_query("Sở GD&ĐT phải làm gì")
    assert "dạy học trực tuyến" in expand_query("an toàn khi học online")
    assert "Tổng đài" in expand_query("số đường dây nóng")
    assert "công an" in expand_query("CA tỉnh")
    assert "công an" not in expand_query("ca sĩ nổi tiếng")
