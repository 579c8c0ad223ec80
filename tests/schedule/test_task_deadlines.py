"""The deadlines of plan tasks, measured: on the seeds and on plans added from DOCX / PDF / text, ≥ 95 % of the
duties, appendix rows, targets and tasks that state a deadline get a parsed value, and no parsed value is wrong —
checked against the hand-made table below (written by reading each plan, not from the parser's output)."""
from __future__ import annotations

from rag.schedule.tasks import TaskSource, plan_tasks
from tests.schedule.conftest import canonical

# --- the measure: the hand-made table ---------------------------------------------------------------------
# Every clause of these plans that states when it is due, with the value a careful reader takes from it.
# Read from the plans themselves; clauses that only *name* a year or a period (a decision's date, a
# programme's name, a budget "hằng năm") are not here, and the parser must not read a deadline in them.

C = "continuous"
HAND: dict[str, dict[str, list[str]]] = {
    "lai-chau-2021-2025": {
        "II.2-1": ["recurring unstated 2021-2025"],  # target: trường … định kỳ tổ chức chương trình tuyên truyền
        "II(2).2-2": ["recurring yearly 2021-2025"],  # trong mỗi năm học … 01 buổi ngoại khóa
        "II(2).2-4": [f"{C} 2021-2025"],  # gia đình … thường xuyên cập nhật kiến thức
        "IV.4-5": [f"{C} 2021-2025"],
        "IV.11-1": [f"{C} 2021-2025"],
        "V-1": ["recurring yearly 2021-2025 on 11-30"],
        "V-2": ["recurring yearly 2021-2025 on 12-15"],
    },
    "dong-nai-2026-2030": {
        "III.1-1": [f"{C} 2026-2030"],
        "III.8-1": [f"{C} 2026-2030"],
        "III.10-1": ["recurring yearly 2026-2030"],  # đối thoại thường niên
        "III.11-1": ["recurring unstated 2026-2030", "recurring yearly 2026-2030"],  # định kỳ kiểm tra; sơ kết hàng năm
        "IV.1-1": ["recurring yearly 2026-2030"],
        "V.2-2": [f"{C} 2026-2030"],
        "V.2-3": ["recurring yearly 2026-2030"],
        "V.10-2": [f"{C} 2026-2030"],
        "KL-2": ["recurring unstated 2026-2030"],  # Định kỳ tổng hợp báo cáo
    },
    "ninh-thuan-2021-2025": {
        "I.2.a": ["recurring unstated 2021-2025"],
        "II.1.c": [f"{C} 2021-2025"],
        "III.1": ["recurring yearly 2021-2025"],
        "IV.1.đ": [f"{C} 2021-2025"],
        "IV.1.e": ["recurring unstated 2021-2025"],
        "IV.10.d": [f"{C} 2021-2025"],
    },
    "ha-noi-2022-2025": {
        "II.2-1": ["recurring unstated 2022-2025"],
        "II.2-2": ["range 2022-2025"],  # under «Mục tiêu giai đoạn 2022 - 2025»
        "II.2-3": ["range 2022-2025"],
        "III.2-5": [f"{C} 2022-2025"],
        "IV.1-1": ["recurring yearly 2022-2025"],
        "V.6-1": ["recurring yearly 2022-2025"],
        **{a: [f"{C} 2022-2025"] for a in ("PL.I.1", "PL.I.2", "PL.II.1", "PL.II.2", "PL.II.3", "PL.II.4", "PL.II.5",
                                           "PL.III.1", "PL.III.2", "PL.IV.2", "PL.IV.4", "PL.IV.5", "PL.VI.1",
                                           "PL.VI.2")},
        "PL.IV.1": ["range 2022-2023"],
        "PL.IV.3": ["range 2022-2023"],
    },
    # added from DOCX (Word numbering, a task table with merged group rows)
    "kon-tum-2021-2025": {
        "B.I.1.a": ["recurring monthly 2021-2025"],  # mỗi tháng một kỳ
        "B.II.1": ["date 2023-12-31"],  # trước năm 2024
        "C.I-2": ["recurring yearly 2021-2025 on 12-15"],
        "C.II-2": ["relative 24 giờ"],
        "C.III-1": ["recurring yearly 2021-2025"],  # hai buổi sinh hoạt chi hội mỗi năm
        "PL.I.1": ["recurring monthly 2021-2025"],
        "PL.I.2": ["quarter 2023 Q1"],
        "PL.II.1": ["recurring yearly 2021-2025 in 6"],
    },
    # added from a text PDF (table across pages)
    "quang-tri-2026-2030": {
        "P1.2.a": ["year 2030"], "P1.2.b": ["year 2030"], "P1.2.c": ["year 2030"],  # «Mục tiêu đến năm 2030»
        "P2.1-1": ["quarter 2026 Q2"],
        "P2.2-1": ["recurring yearly 2026-2030"],
        "P3.5-1": ["recurring monthly 2026-2030"],  # một tiết mỗi tháng
        "PL.I.1": ["year 2026"], "PL.I.2": ["year 2027"], "PL.I.3": ["recurring yearly 2026-2030"],
        "PL.II.1": ["range 2026-2030"], "PL.II.2": ["quarter 2026 Q3"], "PL.II.3": ["year 2027"],
        "PL.II.4": [f"{C} 2026-2030"], "PL.III.1": ["recurring half_yearly 2026-2030"],
        "PL.III.2": ["recurring yearly 2026-2030"], "PL.III.3": [f"{C} 2026-2030"],
        "PL.III.4": ["quarter 2028 Q4"], "PL.III.5": ["quarter 2030 Q4"],
    },
    # added from plain text
    "ha-giang-2021-2025": {
        "A.II.1": ["year 2025"],
        "A.II.2": ["recurring yearly 2021-2025"],
    },
}


def _measure(plans) -> tuple[int, int, list[str], list[str]]:
    stated = parsed = 0
    wrong, missed = [], []
    for plan in plans:
        table = HAND[plan.id]
        got: dict[str, list[str]] = {}
        for task in plan_tasks(plan):
            if task.deadline.stated:
                got.setdefault(task.address, []).append(
                    canonical(task.deadline) if task.deadline.parsed else "unparsed")
        for address, expected in table.items():
            values = got.get(address, [])
            for value in expected:
                stated += 1
                if value in values:
                    parsed += 1
                else:
                    missed.append(f"{plan.id} {address}: {value} (got {values})")
        for address, values in got.items():
            for value in values:
                if value != "unparsed" and value not in table.get(address, []):
                    wrong.append(f"{plan.id} {address}: {value}")
    return stated, parsed, wrong, missed


def test_seed_plans_against_the_hand_table(corpus):
    stated, parsed, wrong, missed = _measure(corpus.plans)
    assert stated == 45
    assert wrong == []
    assert parsed / stated >= 0.95, missed


def test_added_plans_against_the_hand_table(added_plans):
    # the fixtures written before this table; plans the fixture builder adds later need their rows added here
    plans = [p for p in added_plans.values() if p.id in HAND]
    assert {p.id for p in plans} == {"kon-tum-2021-2025", "quang-tri-2026-2030", "ha-giang-2021-2025"}
    stated, parsed, wrong, missed = _measure(plans)
    assert stated == 28
    assert wrong == []
    assert parsed / stated >= 0.95, missed


def test_every_appendix_row_and_duty_is_a_task_with_its_clause(corpus):
    plan = corpus.plan("ha-noi-2022-2025")
    tasks = plan_tasks(plan)
    rows = [t for t in tasks if t.source is TaskSource.ROW]
    assert len(rows) == sum(1 for c in plan.clauses if c.level == "row")
    for t in tasks:
        clause = plan.clause(t.address)
        # the wording is the plan's own: the row's column, the clause, or (a target) the heading above it
        assert t.deadline.text in " ".join([clause.deadline or "", clause.text, *t.path])
