"""The plans the schedule tests read: the four seeds (session ``corpus``) and three unseen plans added from
DOCX, text PDF and plain text (the ingestion fixtures), parsed the way ``rag add`` parses them."""
from __future__ import annotations

import shutil
import sys

import pytest

from tests.conftest import CORPUS_DIR, FIXTURES


def canonical(d) -> str:
    """A deadline's parsed value as one comparable string (what the hand-made tables write)."""
    k = d.kind.value
    span = f"{d.start.year}-{d.end.year}" if d.start and d.end else ""
    if k == "continuous":
        return f"continuous {span}"
    if k == "range":
        return f"range {span}"
    if k == "year":
        return f"year {d.end.year}"
    if k == "quarter":
        return f"quarter {d.end.year} Q{(d.end.month - 1) // 3 + 1}"
    if k == "half":
        return f"half {d.start.isoformat()}"
    if k == "month":
        return f"month {d.end:%Y-%m}"
    if k == "date":
        return f"date {d.end.isoformat()}"
    if k == "recurring":
        anchor = f" on {d.month:02d}-{d.day:02d}" if d.day else (f" in {d.month}" if d.month else "")
        return f"recurring {d.frequency.value} {span}{anchor}"
    if k == "relative":
        return f"relative {d.amount} {d.unit}"
    return k


@pytest.fixture(scope="session")
def added_plans(tmp_path_factory):
    """The DOCX (Kon Tum), text PDF (Quảng Trị) and plain-text (Hà Giang) fixtures, read and parsed by
    ``PlanAdder.prepare`` (what ``rag add`` does before writing anything)."""
    sys.path.insert(0, str(FIXTURES))
    from make_fixtures import build

    from rag.config import Settings
    from rag.ingest.add import PlanAdder

    root = tmp_path_factory.mktemp("schedule-plans")
    paths = build(root / "files", scan=False)
    shutil.copytree(CORPUS_DIR, root / "corpus")
    adder = PlanAdder(Settings(corpus_dir=root / "corpus", index_dir=root / "index"))
    return {kind: adder.prepare(path).plan for kind, path in paths.items()}
