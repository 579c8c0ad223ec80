from pathlib import Path

from rag.corpus.manifest import load_manifest
from rag.retrieval.scope import PlanScoper
from tests.conftest import CORPUS_DIR


def _scoper():
    return PlanScoper(load_manifest(Path(CORPUS_DIR) / "plans.toml"))


def test_plans_named_by_place_decision_number_and_period():
    s = _scoper()
    assert s.scope("Kế hoạch của Hà Nội").plan_ids == ("ha-noi-2022-2025",)
    assert s.scope("ke hoach cua ha noi").plan_ids == ("ha-noi-2022-2025",)
    assert s.scope("Kế hoạch số 308/KH-UBND").plan_ids == ("ha-noi-2022-2025",)
    assert s.scope("triển khai Quyết định 468/QĐ-TTg").plan_ids == ("dong-nai-2026-2030",)
    assert set(s.scope("các kế hoạch thực hiện QĐ 830").plan_ids) == {
        "lai-chau-2021-2025", "ninh-thuan-2021-2025", "ha-noi-2022-2025"}
    assert s.scope("giai đoạn 2026 - 2030").plan_ids == ("dong-nai-2026-2030",)
    assert s.scope("Lai Châu và Ninh Thuận khác nhau thế nào").plan_ids == (
        "lai-chau-2021-2025", "ninh-thuan-2021-2025")
    assert s.scope("trẻ em dưới 16 tuổi, 100% trường học").plan_ids == ()


def test_place_without_a_plan_is_recognised():
    s = _scoper()
    scope = s.scope("Kế hoạch của tỉnh Lâm Đồng giao ai chủ trì?")
    assert scope.plan_ids == () and scope.unknown_places == ("Lâm Đồng",)
    assert s.scope("ke hoach cua Da Nang").unknown_places == ("Đà Nẵng",)
    assert s.scope("Hà Nội").unknown_places == ()


def test_plans_named_by_issue_date_and_issuing_body():
    s = _scoper()
    q = "Theo kế hoạch tỉnh ban hành tháng 8/2022 thực hiện Quyết định 830/QĐ-TTg, trường THCS phải làm gì?"
    scope = s.scope(q)
    assert scope.plan_ids == ("lai-chau-2021-2025",)  # the plan that is both
    assert scope.enumerated == ()  # named by what it shares with others, not one by one
    assert s.strip_mentions(q) == "Theo kế hoạch tỉnh, trường THCS phải làm gì?"
    assert s.scope("Ở UBND tỉnh Lai Châu, Sở Y tế làm gì?").mentions[0].text == "Ở UBND tỉnh Lai Châu"


def test_named_plans_are_scope_not_content():
    s = _scoper()
    assert s.strip_mentions("Kế hoạch 308/KH-UBND giao Công an việc gì?") == "giao Công an việc gì?"
    assert s.strip_mentions("kế hoạch triển khai Quyết định 468 có mục tiêu gì?") == "kế hoạch có mục tiêu gì?"
    assert s.strip_mentions("Kế hoạch giai đoạn 2026-2030 giao Sở Y tế làm gì?") == "Kế hoạch giao Sở Y tế làm gì?"
    assert s.strip_mentions("Kế hoạch giai đoạn 2026-2030", keep=("period",)) == "Kế hoạch giai đoạn 2026-2030"
    assert s.strip_mentions("Trẻ em dưới 16 tuổi") == "Trẻ em dưới 16 tuổi"


def test_a_plan_added_later_is_recognised_from_its_metadata():
    from rag.models import PlanInfo

    added = PlanInfo(id="binh-lam-2026-2030", file="x.txt", title="Kế hoạch", short_name="KH Bình Lâm",
                     number="42/KH-UBND", date="2026-03-15", decision="468/QĐ-TTg", period="2026-2030",
                     province="Bình Lâm", aliases=("Bình Lâm",))
    s = PlanScoper([*load_manifest(Path(CORPUS_DIR) / "plans.toml"), added])
    assert s.scope("Kế hoạch số 42/KH-UBND giao ai?").plan_ids == ("binh-lam-2026-2030",)
    assert s.scope("kế hoạch ban hành ngày 15/3/2026 giao ai?").plan_ids == ("binh-lam-2026-2030",)
    assert s.scope("kế hoạch ban hành tháng 3/2026 thực hiện Quyết định 468 giao ai?").plan_ids == (
        "binh-lam-2026-2030",)
    assert set(s.scope("kế hoạch giai đoạn 2026-2030").plan_ids) == {"dong-nai-2026-2030", "binh-lam-2026-2030"}


def test_a_plan_named_by_its_signer_is_scope():
    """The signer comes from the document's signature block (no manifest field), so a plan added
    later is named by its signer too; the words around the name go with it."""
    from rag.models import PlanInfo

    plans = load_manifest(Path(CORPUS_DIR) / "plans.toml")
    added = PlanInfo(id="binh-lam-2026-2030", file="x.txt", title="Kế hoạch", short_name="KH Bình Lâm",
                     province="Bình Lâm", aliases=("Bình Lâm",))
    s = PlanScoper([*plans, added], {"binh-lam-2026-2030": "Trần Văn Bảy", plans[0].id: "Nguyễn Văn An"})
    scope = s.scope("Trong kế hoạch do ông Trần Văn Bảy ký, cơ quan nào chủ trì truyền thông?")
    assert scope.plan_ids == ("binh-lam-2026-2030",)
    assert s.strip_mentions("Trong kế hoạch do ông Trần Văn Bảy ký, cơ quan nào chủ trì truyền thông?") == (
        "Trong kế hoạch, cơ quan nào chủ trì truyền thông?")
    assert s.scope("ke hoach cua pho chu tich Tran Van Bay giao ai?").plan_ids == ("binh-lam-2026-2030",)
    # a name that is not a signer's names no plan; two signers named are two plans
    assert s.scope("Kế hoạch do ông Lê Văn Tám ký giao ai?").plan_ids == ()
    both = s.scope("So sánh kế hoạch do ông Trần Văn Bảy ký với kế hoạch do ông Nguyễn Văn An ký")
    assert set(both.enumerated) == {"binh-lam-2026-2030", plans[0].id}


def test_one_plan_named_against_the_others_asks_every_plan():
    s = _scoper()
    against = s.scope("Sở nào chủ trì chung ở Hà Nội, so với các tỉnh khác?")
    assert against.every and set(against.plan_ids) == {p.id for p in s.plans}
    alone = s.scope("Trẻ em từ tỉnh khác đến Hà Nội có được hỗ trợ không?")  # another province, not the other plans
    assert not alone.every and alone.plan_ids == ("ha-noi-2022-2025",)


def test_every_plan_asked_at_once_is_each_plan_side_by_side():
    s = _scoper()
    every = s.scope("Cả bốn kế hoạch đề nghị Tòa án xét xử theo nguyên tắc nào?")
    assert every.every and set(every.plan_ids) == {p.id for p in s.plans}
    # within the plans a shared decision names
    shared = s.scope("Trong các kế hoạch triển khai Quyết định 830/QĐ-TTg, cơ quan nào chủ trì chung?")
    assert shared.every and set(shared.plan_ids) == {"lai-chau-2021-2025", "ninh-thuan-2021-2025", "ha-noi-2022-2025"}
    # one plan named: "each plan" is not read (the others must be asked for)
    assert not s.scope("Ở Hà Nội, mỗi kế hoạch con của quận giao ai?").every


def test_a_place_no_plan_covers_is_not_answered_from_the_period_it_names():
    s = _scoper()
    scope = s.scope("TP Hồ Chí Minh đặt chỉ tiêu gì cho trường học giai đoạn 2021-2025?")
    assert scope.elsewhere and scope.plan_ids  # the period narrowed, the place still has no plan
    assert not s.scope("Lai Châu, không phải Đà Nẵng, giao ai chủ trì?").elsewhere
