"""The agency CSV export (defect 7): a short safe file name whatever the plan list, and its
temporary folder removed."""
from __future__ import annotations

from ui.exports import CsvExports


def test_long_plan_list_gets_a_short_file_name():
    exports = CsvExports()
    try:
        plans = [f"tinh-thanh-pho-so-{i:02d}-giai-doan-2026-2030" for i in range(70)]  # 70 × 37 characters
        path = exports.write("so-giao-duc-va-dao-tao-" * 10, plans, "a,b\n")
        assert len(path.name) <= 100 and path.read_text(encoding="utf-8-sig") == "a,b\n"
        assert exports.file_name("so-tu-phap", list(reversed(plans))) == exports.file_name("so-tu-phap", plans)
        assert exports.file_name("so-tu-phap", []) == "nhiem-vu-so-tu-phap-tat-ca.csv"
        assert exports.file_name("../../etc/passwd", ["../x"]) == "nhiem-vu-etc-passwd-x.csv"
    finally:
        exports.cleanup()
    assert not exports.folder.exists()
