"""The ranker's generated training questions (eval/clause_questions.py) on a small made-up plan:
the plan is named the ways people name it, read from its manifest entry and signature, and the
product's scope recogniser reads every such name as that plan; role questions keep the task, not the agencies."""
from __future__ import annotations

import random
import sys
from pathlib import Path

from rag.models import Clause, ClauseLevel, PlanDocument, PlanInfo
from rag.retrieval.scope import PlanScoper

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "eval"))
import clause_questions as cq  # noqa: E402

INFO = PlanInfo(id="son-ha-2026-2030", file="x.txt", title="Kế hoạch tỉnh Sơn Hà", short_name="KH Sơn Hà",
                issuer="Ủy ban nhân dân tỉnh Sơn Hà", number="412/KH-UBND", date="2026-03-15",
                decision="468/QĐ-TTg", period="2026-2030", province="Sơn Hà")
OTHER = PlanInfo(id="bac-son-2021-2025", file="y.txt", title="Kế hoạch tỉnh Bắc Sơn", short_name="KH Bắc Sơn",
                 number="77/KH-UBND", date="tháng 8/2022", decision="830/QĐ-TTg", period="2021-2025",
                 province="Bắc Sơn")


def test_plan_named_by_its_metadata_is_recognised_as_that_plan():
    plan = PlanDocument(INFO, (), "0" * 64, signer="Nguyễn Văn A")
    scopes = cq.metadata_scopes(plan)
    assert any("412/KH-UBND" in s for s in scopes) and any("468" in s for s in scopes)
    assert any("2026-2030" in s for s in scopes) and any("15/3/2026" in s for s in scopes)
    assert any("Nguyễn Văn A" in s for s in scopes)
    scoper = PlanScoper([INFO, OTHER], {INFO.id: "Nguyễn Văn A", OTHER.id: "Trần Thị B"})
    for s in scopes:
        assert scoper.scope(s + "Sở Y tế phải làm gì?").plan_ids == (INFO.id,), s


def test_a_field_the_manifest_leaves_blank_is_never_used():
    bare = PlanDocument(PlanInfo(id="p", file="p.txt", title="t", short_name="s", period="2026-2030"), (), "0" * 64)
    scopes = cq.metadata_scopes(bare)
    assert scopes and all("2026-2030" in s for s in scopes)
    assert not any("{" in s or "None" in s for s in scopes)


def test_role_opening_keeps_the_task_not_the_agencies():
    assert cq._role_opening("Tham gia các hội thảo khoa học về bảo vệ trẻ em.") == \
        ("take_part", "các hội thảo khoa học về bảo vệ trẻ em.")
    role, rest = cq._role_opening("Chủ trì, phối hợp với Sở Y tế, Công an tỉnh tổ chức kiểm tra điểm truy cập.")
    assert role == "lead" and rest.startswith("tổ chức kiểm tra")
    assert cq._role_opening("Phối hợp với Ban Tuyên giáo, Công an tỉnh.") is None  # no task apart from agencies
    assert cq._role_opening("Rà soát văn bản pháp luật.") is None


def test_role_questions_ask_the_role_the_clause_gives():
    c = Clause(INFO.id, "III.3-1", ClauseLevel.BULLET, "", "", ("III",),
               "Tham gia tổ chức các hội thảo khoa học về khung pháp lý bảo vệ trẻ em trên môi trường mạng.",
               (0, 10), agency=("so-tp",))
    asked = [q for kind, q in cq.clause_questions(c, random.Random(3), [], real_like=True) if kind == "role"]
    assert asked and all("tham gia" in q.lower() for q in asked)
    assert not [k for k, _ in cq.clause_questions(c, random.Random(3), [], real_like=False) if k == "role"]
