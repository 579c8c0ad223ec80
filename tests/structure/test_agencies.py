from rag.structure.agencies import AGENCIES, agency_name, find_agencies


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
    keys = [a.key for a in AGENCIES]
    assert len(keys) == len(set(keys))
    assert agency_name("so-gddt") == "Sở Giáo dục và Đào tạo"
