from rag.structure.agencies import agency_name, all_agencies, find_agencies, recognise_agency


def test_aliases_fold_to_one_key():
    for spelling in ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "so giao duc va dao tao"):
        assert find_agencies(spelling) == ("so-gddt",)
    for spelling in ("Sở LĐ-TB&XH", "Sở Lao động, Thương binh và Xã hội", "Sở Lao động- Thương binh và Xã hội",
                     "Sở LĐTBXH"):
        assert find_agencies(spelling) == ("so-ldtbxh",)
    assert find_agencies("Công an tỉnh") == find_agencies("Công an Thành phố") == ("cong-an",)


def test_longest_alias_wins_and_order_is_kept():
    assert find_agencies("Công an các quận, huyện, thị xã; Công an các xã, phường, thị trấn.") == (
        "cong-an-huyen", "cong-an-xa")
    assert find_agencies("Sở Ngoại vụ; Sở Kế hoạch và Đầu tư") == ("so-ngoai-vu", "so-khdt")
    assert find_agencies("Các Sở, ban, ngành, Ủy ban nhân dân các huyện và thành phố") == ("cac-so-nganh", "ubnd-huyen")
    assert find_agencies("không có cơ quan nào") == ()


def test_keys_unique_and_named():
    keys = [a.key for a in all_agencies()]
    assert len(keys) == len(set(keys))
    assert agency_name("so-gddt") == "Sở Giáo dục và Đào tạo"


def test_agencies_no_table_lists_are_recognised_by_their_shape():
    assert find_agencies("Sở Công Thương chủ trì, phối hợp với Sở Y tế") == ("so-cong-thuong", "so-yte")
    assert agency_name("so-cong-thuong") == "Sở Công Thương"
    # the place an agency acts in is not part of its name
    assert find_agencies("Hội Nông dân tỉnh") == find_agencies("Hội Nông dân Lai Châu") == ("hoi-nong-dan",)
    assert find_agencies("Liên đoàn Lao động tỉnh: tuyên truyền …") == ("lien-doan-lao-dong",)
    assert find_agencies("Bộ Chỉ huy Quân sự tỉnh") == ("bo-chi-huy-quan-su",)
    # "và" and commas continue a name only before a capitalised word
    assert agency_name(find_agencies("Sở Nông nghiệp và Môi trường chủ trì")[0]) == "Sở Nông nghiệp và Môi trường"
    # ordinary words that begin like a head are not agencies
    assert find_agencies("Ban hành kế hoạch; Hội nghị tổng kết; báo cáo kết quả") == ()


def test_an_agency_registered_from_a_plan_is_found_in_lower_case_questions():
    assert recognise_agency("Hội Cựu chiến binh tỉnh") == "hoi-cuu-chien-binh"
    assert find_agencies("hoi cuu chien binh phai lam gi") == ("hoi-cuu-chien-binh",)
    # a heading that does not open with an agency
    assert recognise_agency("Kinh phí thực hiện") is None


def test_a_question_naming_an_unknown_agency_does_not_register_it():
    before = {a.key for a in all_agencies()}
    assert find_agencies("Trung tâm Kiểm soát Bệnh tật phải làm gì?") == ("trung-tam-kiem-soat-benh-tat",)
    assert {a.key for a in all_agencies()} == before


def test_what_a_text_names_is_read_again_once_a_plan_registers_an_agency():
    # "hội du lịch …" in lower case has no agency shape: only a registered name finds it
    question = "hoi du lich bien dao phai lam gi"
    assert find_agencies(question) == ()  # remembered for this text
    assert recognise_agency("Hội Du lịch Biển Đảo tỉnh") == "hoi-du-lich-bien-dao"
    assert find_agencies(question) == ("hoi-du-lich-bien-dao",)  # not the remembered answer


def test_a_name_only_a_question_gave_keeps_its_spelling_when_the_text_is_read_again():
    text = "Trung tâm Công tác Xã hội Miền Núi làm gì?"
    (key,) = find_agencies(text)
    assert find_agencies(text) == (key,)
    assert agency_name(key) == "Trung tâm Công tác Xã hội Miền Núi"
