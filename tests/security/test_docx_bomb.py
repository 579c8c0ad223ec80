"""Item 4 of issue 16 with the probe's files, through the real `rag add`: a DOCX zip bomb (19 parts of
10 MiB in a few hundred KB) is refused from the zip directory before anything is unpacked, and a
plan-like file with ~20,000 clauses is refused by the child that reads it; nothing is written."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import empty_corpus_env, rag  # noqa: F401  (a fixture)
from tests.ingest.test_bad_files import _snapshot
from tests.security import bad_files


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    return bad_files.docx_bomb(tmp_path_factory.mktemp("bomb") / "ke-hoach.docx")


@pytest.mark.parametrize("case", ["bomb", "many-clauses"])
def test_rag_add_refuses_and_writes_nothing(case, bomb, empty_corpus_env, tmp_path):
    path = bomb if case == "bomb" else bad_files.docx_many_clauses(tmp_path / "nhieu-dieu-khoan.docx")
    expected = "nghi là «bom zip»" if case == "bomb" else "điều khoản, vượt xa một kế hoạch"
    corpus = Path(empty_corpus_env["RAG_CORPUS_DIR"])
    before = _snapshot(corpus)
    out = rag(empty_corpus_env, "add", str(path))
    assert out.returncode == 2, (out.stdout, out.stderr)
    lines = [ln for ln in out.stderr.splitlines() if ln.startswith("Lỗi:")]
    assert len(lines) == 1 and expected in lines[0], out.stderr
    assert "Traceback" not in out.stderr and "Không có cảnh báo" not in out.stdout
    assert _snapshot(corpus) == before
    assert not Path(empty_corpus_env["RAG_INDEX_DIR"]).exists()


def test_the_zip_directory_is_enough_to_refuse_the_bomb(bomb, tmp_path):
    """The refusal reads sizes only: the 190 MB of XML is never inflated (peak memory stays small)."""
    import resource

    from rag.ingest.errors import IngestError
    from rag.ingest.validate import check_file

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(IngestError) as refused:
        check_file(bomb)
    assert refused.value.reason == "zip-bomb" and "190 MB" in str(refused.value)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 20 * 1024  # KB
