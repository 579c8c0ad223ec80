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
