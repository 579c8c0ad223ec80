"""The «Lịch thực hiện» tab's handlers without a browser: widgets → query, rows, a row's clause, the files."""
from __future__ import annotations

from datetime import date

from rag.structure.assignments import PlanIndex
from rag.structure.deadlines import DeadlineKind
from rag.schedule.timeline import RoleFilter
from ui.downloads import Downloads
from ui.timeline import (DUE_SOON, OVERDUE, RECURRING, clause_html, file_stem, make_query, rows_for, table_row,
                         years_of)


def test_widgets_to_query():
    q = make_query("so-gddt", "partner", ["ha-noi-2022-2025"], "2024", ["range", "nonsense"], DUE_SOON,
                   today=date(2024, 1, 1))
    assert (q.agency, q.role, q.plans, q.year, q.kinds) == ("so-gddt", RoleFilter.PARTNER, ("ha-noi-2022-2025",),
                                                            2024, (DeadlineKind.RANGE,))
    assert q.due_within_days == 90 and not q.overdue
    assert make_query(None, "x", None, "abc", None, OVERDUE).overdue and make_query(None, None, None, None, None,
                                                                                        RECURRING).recurring_only
    assert make_query("", None, [], "", [], "all").agency is None


def test_rows_and_clause(corpus):
    indexes = {p.id: PlanIndex(p) for p in corpus.plans}
    rows = rows_for(corpus, make_query("so-gddt", "lead", ["ha-noi-2022-2025"], None, None, "all"), indexes)
    table = [table_row(r) for r in rows]
    assert any(t[2] == "PL.II.4" and t[7] == "Thường xuyên 2022-2025" and t[6] == "chủ trì" for t in table)
    row = next(r for r in rows if r.task.address == "PL.II.4")
    shown = clause_html(corpus, indexes, row)
    assert "PL.II.4" in shown and "UBND các quận, huyện, thị xã" in shown and "Xây dựng mô hình" in shown
    assert "<script" not in clause_html(corpus, indexes, None)
    assert years_of(corpus)[0] == "2021" and years_of(corpus)[-1] == "2030"


def test_files_are_written_with_safe_names(corpus, tmp_path):
    files = Downloads()
    try:
        q = make_query("so-gddt", None, ["ha-noi-2022-2025"], "2024", None, None)
        path = files.write(file_stem(q) + "/../../etc", ".xlsx", b"x")
        assert path.parent == files.folder and path.name.endswith(".xlsx") and "/" not in path.name
        assert path.read_bytes() == b"x"
    finally:
        files.cleanup()
    assert not files.folder.exists()
