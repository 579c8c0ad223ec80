"""The ``rag`` command as a user runs it (a real subprocess of the installed entry point)."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def run_rag(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rag.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def test_outline_tree_lists_addresses():
    out = run_rag("outline", "lai-chau-2021-2025")
    assert out.returncode == 0, out.stderr
    assert "II(2)      NHIỆM VỤ, GIẢI PHÁP" in out.stdout
    assert "    IV.3-1" in out.stdout  # bullets indented under their item
    assert "[Sở Giáo dục và Đào tạo]" in out.stdout


def test_outline_json_has_clause_fields():
    out = run_rag("outline", "ha-noi-2022-2025", "--json")
    assert out.returncode == 0, out.stderr
    nodes = json.loads(out.stdout)
    row = next(n for n in nodes if n["address"] == "PL.VI.1")
    assert row["lead"] == "Sở Ngoại vụ; Sở Kế hoạch và Đầu tư" and row["deadline"] == "Thường xuyên 2022-2025"
    assert row["path"][-1] == "VI. Tăng cường hợp tác quốc tế"
    bullet = next(n for n in nodes if n["address"] == "V.3-1")
    assert bullet["agency"] == ["so-gddt"] and "lead" not in bullet
    assert {"address", "level", "title", "path", "text", "agency", "span"} <= set(bullet)


def test_unknown_plan_lists_known_ones():
    out = run_rag("outline", "lam-dong")
    assert out.returncode == 2
    assert "Không có kế hoạch «lam-dong»" in out.stderr
    for pid in ("lai-chau-2021-2025", "dong-nai-2026-2030", "ninh-thuan-2021-2025", "ha-noi-2022-2025"):
        assert pid in out.stderr
    assert "Traceback" not in out.stderr
