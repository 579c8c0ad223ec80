"""Bad plan files: one clear error naming the file and the problem; the other plans still load."""
from __future__ import annotations

import shutil

import pytest

from rag.corpus.manifest import ManifestError
from rag.structure import load_corpus
from tests.conftest import CORPUS_DIR

GOOD = "lai-chau-2021-2025"


def _corpus_with(tmp_path, name: str, content: bytes | None):
    shutil.copy(CORPUS_DIR / f"{GOOD}.txt", tmp_path / f"{GOOD}.txt")
    if content is not None:
        (tmp_path / name).write_bytes(content)
    (tmp_path / "plans.toml").write_text(
        f'[[plan]]\nid = "{GOOD}"\nfile = "{GOOD}.txt"\ntitle = "KH"\nshort_name = "KH Lai Châu"\n\n'
        f'[[plan]]\nid = "bad-plan"\nfile = "{name}"\ntitle = "KH xấu"\nshort_name = "KH xấu"\n',
        encoding="utf-8")
    return load_corpus(tmp_path)


VIETNAMESE = "I. MỤC TIÊU\n\n1. Bảo vệ trẻ em trên môi trường mạng.\n"


@pytest.mark.parametrize("name, content, expected", [
    ("empty.txt", b"", "file is empty"),
    ("blank.txt", b"  \n\n \n", "file is empty"),
    ("prose.txt", "Một đoạn văn không có đánh số nào cả.\n\nĐoạn thứ hai.\n".encode(), "no numbered parts or items"),
    ("cp1258.txt", VIETNAMESE.encode("cp1258", errors="replace"), "not UTF-8"),
    ("utf16.txt", VIETNAMESE.encode("utf-16"), "UTF-16"),
    ("missing.txt", None, "file not found"),
])
def test_bad_plan_file_reported_and_others_load(tmp_path, name, content, expected):
    corpus = _corpus_with(tmp_path, name, content)
    assert corpus.plan_ids == [GOOD]
    assert len(corpus.errors) == 1
    err = corpus.errors[0]
    assert err.plan_id == "bad-plan" and name in err.message and expected in err.message


def test_manifest_problems_are_named(tmp_path):
    with pytest.raises(ManifestError, match="manifest not found"):
        load_corpus(tmp_path)
    (tmp_path / "plans.toml").write_text("[[plan]]\nid = 'x'\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="lacks file, title, short_name"):
        load_corpus(tmp_path)
    (tmp_path / "plans.toml").write_text("not = [toml", encoding="utf-8")
    with pytest.raises(ManifestError, match="not valid TOML"):
        load_corpus(tmp_path)


def test_nfd_and_crlf_plan_reads_like_nfc(tmp_path):
    import unicodedata

    text = (CORPUS_DIR / f"{GOOD}.txt").read_text(encoding="utf-8")
    odd = unicodedata.normalize("NFD", text).replace("\n", "\r\n").encode("utf-8")
    corpus = _corpus_with(tmp_path, "nfd.txt", odd)
    assert not corpus.errors
    a, b = corpus.plan(GOOD), corpus.plan("bad-plan")
    assert [c.text for c in a.clauses] == [c.text for c in b.clauses]
