"""The four plans parse into the clause trees a reader of the plans expects."""
from __future__ import annotations

import re

import pytest

from rag.text import normalize_quote

PARTS = {
    "lai-chau-2021-2025": [("I", "MỤC ĐÍCH, YÊU CẦU"), ("II", "MỤC TIÊU"), ("II(2)", "NHIỆM VỤ, GIẢI PHÁP"),
                           ("III", "KINH PHÍ THỰC HIỆN"), ("IV", "TỔ CHỨC THỰC HIỆN"), ("V", "CHẾ ĐỘ BÁO CÁO")],
    "dong-nai-2026-2030": [("I", "MỤC ĐÍCH, YÊU CẦU"), ("II", "MỤC TIÊU, QUAN ĐIỂM"),
                           ("III", "NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM"), ("IV", "KINH PHÍ THỰC HIỆN"),
                           ("V", "TỔ CHỨC THỰC HIỆN")],
    "ninh-thuan-2021-2025": [("I", "MỤC TIÊU"), ("II", "NHIỆM VỤ VÀ GIẢI PHÁP"), ("III", "KINH PHÍ THỰC HIỆN"),
                             ("IV", "TỔ CHỨC THỰC HIỆN")],
    "ha-noi-2022-2025": [("I", "MỤC ĐÍCH, YÊU CẦU"), ("II", "MỤC TIÊU"), ("III", "NHIỆM VỤ VÀ GIẢI PHÁP"),
                         ("IV", "KINH PHÍ THỰC HIỆN"), ("V", "TỔ CHỨC THỰC HIỆN")],
}

AGENCY_HEADINGS = {
    "lai-chau-2021-2025": ("IV", [
        "Sở Thông tin và Truyền thông", "Sở Lao động - Thương binh và Xã hội", "Sở Giáo dục và Đào tạo",
        "Công an tỉnh", "Sở Kế hoạch và Đầu tư", "Sở Tài chính",
        "Đề nghị Viện kiểm sát nhân dân tỉnh, Toà án nhân dân tỉnh",
        "Đề nghị Ủy ban Mặt trận Tổ quốc và các tổ chức chính trị - xã hội tỉnh",
        "Báo Lai Châu, Đài Phát thanh và Truyền hình tỉnh", "Các sở, ban, ngành tỉnh", "UBND các huyện, thành phố",
        "Các doanh nghiệp cung cấp dịch vụ viễn thông, doanh nghiệp cung cấp dịch vụ trên môi trường mạng trên địa bàn tỉnh"]),
    "dong-nai-2026-2030": ("V", [
        "Công an thành phố", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Khoa học và Công nghệ", "Sở Tư pháp", "Sở Tài chính",
        "Đề nghị Tòa án nhân dân thành phố, Viện Kiểm sát nhân dân thành phố",
        "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Đồng Nai và các tổ chức thành viên",
        "Báo và phát thanh, truyền hình Đồng Nai, các cơ quan thống tấn, báo chí khác",
        "Các Sở, ban, ngành có liên quan", "Các doanh nghiệp thuộc lĩnh vực viễn thông, công nghệ",
        "Ủy ban nhân dân các xã, phường"]),
    "ninh-thuan-2021-2025": ("IV", [
        "Sở Thông tin và Truyền thông", "Sở Lao động - Thương binh và Xã hội", "Sở Giáo dục và Đào tạo",
        "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Công an tỉnh",
        "Đề nghị Tòa án nhân dân tỉnh, Viện kiểm sát nhân dân tỉnh",
        None,  # item 8 is one long sentence: heading and duty together
        "Báo Ninh Thuận, Đài Phát thanh và Truyền hình tỉnh",
        "Các Sở, ban, ngành, Ủy ban nhân dân các huyện và thành phố"]),
    "ha-noi-2022-2025": ("V", [
        "Sở Thông tin và Truyền thông", "Sở Lao động - Thương binh và Xã hội", "Sở Giáo dục và Đào tạo",
        "Công an Thành phố", "Sở Kế hoạch và Đầu tư", "Sở Tài chính",
        "Các doanh nghiệp thuộc lĩnh vực Thông tin và Truyền thông",
        "Đề nghị Tòa án nhân dân Thành phố, Viện kiểm sát nhân dân Thành phố",
        "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hà Nội và các tổ chức chính trị - xã hội",
        "Các cơ quan báo chí Thành phố, Đài PTTH Hà Nội", "Các Sở, Ban, ngành", "UBND các quận, huyện, thị xã"]),
}


@pytest.mark.parametrize("plan_id", sorted(PARTS))
def test_top_level_parts_in_order(corpus, plan_id):
    plan = corpus.plan(plan_id)
    parts = [(c.address, c.title) for c in plan.clauses if c.level == "part"]
    assert parts == PARTS[plan_id]


@pytest.mark.parametrize("plan_id", sorted(AGENCY_HEADINGS))
def test_agency_headings_under_to_chuc_thuc_hien(corpus, plan_id):
    plan = corpus.plan(plan_id)
    part, expected = AGENCY_HEADINGS[plan_id]
    items = [c for c in plan.children(part) if c.level == "item"]
    assert [c.address for c in items] == [f"{part}.{i}" for i in range(1, len(expected) + 1)]
    for item, title in zip(items, expected):
        if title is not None:
            assert item.title == title
        assert item.agency, f"{item.address} has no agency"
        for child in plan.descendants(item.address):
            assert child.agency == item.agency


def test_agency_keys_are_shared_across_plans(corpus):
    keys = {p.id: {k for c in p.clauses for k in c.agency} for p in corpus.plans}
    for key in ("so-gddt", "so-tttt", "cong-an", "so-tai-chinh"):
        assert all(key in ks for pid, ks in keys.items() if pid != "dong-nai-2026-2030" or key != "so-tttt"), key
    assert corpus.plan("ninh-thuan-2021-2025").clause("IV.8").agency == ("mttq", "doan-thanh-nien", "to-chuc-ct-xh")


def test_addresses_unique_and_parents_exist(corpus):
    for plan in corpus.plans:
        addresses = [c.address for c in plan.clauses]
        assert len(addresses) == len(set(addresses)), plan.id
        known = set(addresses)
        for c in plan.clauses:
            assert c.parent is None or c.parent in known
            assert c.text, f"{plan.id} {c.address} has no text"


def test_lai_chau_duplicate_part_number_stays_findable(corpus):
    plan = corpus.plan("lai-chau-2021-2025")
    assert plan.clause("II").title == "MỤC TIÊU"
    second = plan.clause("II(2)")
    assert second.title == "NHIỆM VỤ, GIẢI PHÁP" and second.number == "II"
    assert plan.clause("II(2).3-1").path == ("II. NHIỆM VỤ, GIẢI PHÁP",
                                             "3. Triển khai các biện pháp, giải pháp kỹ thuật, ứng dụng công nghệ")


def test_hanoi_appendix_rows(corpus):
    plan = corpus.plan("ha-noi-2022-2025")
    groups = [c.address for c in plan.clauses if c.level == "group"]
    assert groups == ["PL.I", "PL.II", "PL.III", "PL.IV", "PL.VI"]  # the plan numbers its fifth group "VI"
    rows = [c for c in plan.clauses if c.level == "row"]
    assert len(rows) == 16
    assert [r.address for r in rows if r.parent == "PL.II"] == [f"PL.II.{i}" for i in range(1, 6)]

    continued = plan.clause("PL.II.1")  # runs over a page break: text, partners joined again
    assert continued.lead == "Sở Thông tin và Truyền thông"
    assert continued.partners == ("Các cơ quan báo chí Thành phố; Đài Phát thanh và Truyền hình Hà Nội; "
                                  "Các đơn vị liên quan.")
    assert continued.deadline == "Thường xuyên 2022-2025"
    assert "về quyền trẻ em và trách nhiệm bảo vệ" in continued.text

    row = plan.clause("PL.II.4")  # continued row whose deadline is split over the break
    assert row.lead == "Sở Giáo dục và Đào tạo" and row.lead_agencies == ("so-gddt",)
    assert row.partners == "UBND các quận, huyện, thị xã" and row.partner_agencies == ("ubnd-huyen",)
    assert row.deadline == "Thường xuyên 2022-2025"
    assert "về nội dung bão đảm an toàn thông tin" in row.text

    row = plan.clause("PL.VI.1")
    assert row.lead_agencies == ("so-ngoai-vu", "so-khdt")
    assert row.partners == "Các đơn vị liên quan"
    assert plan.clause("PL.IV.1").deadline == "Năm 2022 - 2023"
    assert plan.clause("PL.II.5").partner_agencies == ("cong-an-huyen", "cong-an-xa")
    assert not any("Số thứ tự" in c.text or "Cơ quan chủ trì Cơ quan" in c.text for c in plan.clauses)


def test_ninh_thuan_hard_wraps_are_reflowed(corpus):
    plan = corpus.plan("ninh-thuan-2021-2025")
    for c in plan.clauses:
        assert "\n" not in c.text
        if c.level in ("point", "bullet", "paragraph", "preamble", "closing"):
            assert re.search(r"[.;:]$", c.text), f"{c.address} ends mid-sentence: …{c.text[-40:]}"
    assert "trường phổ thông dân tộc nội trú, bán trú và cơ sở bảo vệ" in plan.clause("I.2.a").text
    assert plan.clause("IV.1.e").text == ("Đôn đốc, giám sát việc thực hiện kế hoạch, định kỳ tổng hợp, báo cáo "
                                          "Ủy ban nhân dân tỉnh và Bộ Thông tin và Truyền thông.")
    assert plan.clause("IV.8").text.endswith("đặc biệt là trên môi trường mạng.")


def test_hanoi_interrupted_bullet_reads_as_one_sentence(corpus):
    plan = corpus.plan("ha-noi-2022-2025")
    bullet = plan.clause("II.1-4")
    assert "đảm bảo các điều kiện cần thiết để trẻ em được tham gia an toàn, lành mạnh" in bullet.text
    assert "CỘNG HÒA" not in bullet.text and "KẾ HOẠCH" not in bullet.text
    assert bullet.path == ("II. MỤC TIÊU", "1. Mục tiêu chung")
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line for line in plan.front_matter)
    assert plan.number == "308/KH-UBND" and plan.date == "2022-12-01"


def test_markdown_and_html_remnants_removed(corpus):
    for plan in corpus.plans:
        for c in plan.clauses:
            assert not re.search(r"\*\*|<\/?[bp]>|^#|\s#{2,}\s", c.text), f"{plan.id} {c.address}: {c.text[:80]}"


def test_signature_and_recipients_are_front_matter_not_body_clauses(corpus):
    expected = {"lai-chau-2021-2025": "Tổng Thanh Hải", "dong-nai-2026-2030": "Lê Trường Sơn",
                "ninh-thuan-2021-2025": "Nguyễn Long Biên", "ha-noi-2022-2025": "Chủ Xuân Dũng"}
    for plan in corpus.plans:
        assert plan.signer == expected[plan.id]
        assert plan.signer_title == "PHÓ CHỦ TỊCH"
        assert plan.recipients
        body = [c for c in plan.clauses if c.level != "front"]
        assert not any(c.text.startswith(("Nơi nhận", "Lưu: VT")) or plan.signer in c.text for c in body)
        # the signer and the recipients are citable front-matter clauses of their own
        assert plan.clause("VB.người-ký").text.endswith(plan.signer)
        assert plan.clause("VB.nơi-nhận").text.startswith("Nơi nhận")


def test_spans_point_into_the_source(corpus):
    from rag.corpus.reader import read_plan_text
    from tests.conftest import CORPUS_DIR

    for plan in corpus.plans:
        source = read_plan_text(CORPUS_DIR / plan.info.file)
        for c in plan.clauses:
            start, end = c.span
            assert 0 <= start < end <= len(source)
            first_words = " ".join(c.text.split()[:2])
            assert first_words in " ".join(source[start:end].replace("*", "").split()), (plan.id, c.address)


def test_every_gold_quote_lies_in_exactly_one_clause_per_occurrence(corpus, dev_questions):
    """A quote the plan itself repeats (Hà Nội repeats one sentence three times) is found
    once per repetition: the parser neither splits a quote nor copies text into two clauses."""
    from rag.corpus.reader import read_plan_text
    from tests.conftest import CORPUS_DIR

    checked = 0
    for q in dev_questions:
        for gold in q["gold"]:
            plans = [p for p in corpus.plans if p.id.startswith(gold["plan"])]
            assert len(plans) == 1, gold
            plan = plans[0]
            quote = normalize_quote(gold["quote"])
            holders = [c.address for c in plan.clauses if quote in normalize_quote(c.text)]
            source = normalize_quote(read_plan_text(CORPUS_DIR / plan.info.file).replace("**", ""))
            assert holders, f"{q['id']}: {gold['quote']!r} not found in {plan.id}"
            assert len(holders) == max(1, source.count(quote)), (q["id"], holders)
            checked += 1
    assert checked >= 40
