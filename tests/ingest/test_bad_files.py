"""Every bad file gets one clear Vietnamese line from `rag add`, and the corpus folder is left
exactly as it was."""
from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from tests.conftest import CORPUS_DIR
from tests.ingest.conftest import rag


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".plans.lock"}


def _bad_files(folder: Path, plan_files: dict[str, Path]) -> dict[str, tuple[Path, tuple[str, ...], str, dict]]:
    """name -> (file, extra args, words the message must contain, extra environment)"""
    import docx
    from rag.ingest.pymupdf_lib import pymupdf as _load

    pymupdf = _load()

    f: dict[str, tuple[Path, tuple[str, ...], str, dict]] = {}
    p = folder / "ke-hoach.rtf"
    p.write_text("I. MỤC ĐÍCH\n1. Một", encoding="utf-8")
    f["extension"] = (p, (), "không được hỗ trợ", {})
    p = folder / "word-doi-ten.pdf"
    p.write_bytes(plan_files["docx"].read_bytes())
    f["docx-named-pdf"] = (p, (), "không phải PDF", {})
    p = folder / "pdf-doi-ten.txt"
    p.write_bytes(plan_files["pdf"].read_bytes())
    f["pdf-named-txt"] = (p, (), "nội dung là PDF", {})
    p = folder / "ma-hoa.pdf"
    with pymupdf.open(plan_files["pdf"]) as d:
        d.save(p, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="matkhau", owner_pw="chu")
    f["encrypted-pdf"] = (p, (), "mật khẩu", {})
    p = folder / "hong.pdf"
    p.write_bytes(plan_files["pdf"].read_bytes()[:3000])
    f["damaged-pdf"] = (p, (), "bị hỏng", {})
    p = folder / "khong-phai-zip.docx"
    p.write_text("Đây là văn bản thường mang đuôi .docx", encoding="utf-8")
    f["docx-not-zip"] = (p, (), "không phải tệp Word", {})
    p = folder / "bom.docx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", "<w:document/>")
        zf.writestr("word/media/zeros.bin", b"\0" * (12 * 1024 * 1024))
    f["zip-bomb"] = (p, (), "bom zip", {"RAG_INGEST_MAX_UNZIPPED_MB": "10"})
    p = folder / "rong.docx"
    docx.Document().save(str(p))
    f["empty-docx"] = (p, (), "không có chữ nào", {})
    p = folder / "rong.txt"
    p.write_bytes(b"")
    f["empty-txt"] = (p, (), "rỗng", {})
    p = folder / "van-xuoi.txt"
    p.write_text("Đây là một bức thư gửi phụ huynh, không có mục nào được đánh số.\nXin cảm ơn.\n", encoding="utf-8")
    f["no-structure"] = (p, (), "cấu trúc đánh số", {})
    p = folder / "lai-chau-ban-sao.txt"
    p.write_bytes((CORPUS_DIR / "lai-chau-2021-2025.txt").read_bytes())
    f["duplicate"] = (p, (), "trùng nội dung", {})
    p = folder / "qua-lon.pdf"
    with p.open("wb") as fh:
        fh.write(b"%PDF-1.7\n")
        fh.truncate(51 * 1024 * 1024)  # sparse: no 51 MB actually written
    f["over-50-mb"] = (p, (), "vượt giới hạn 50 MB", {})
    f["id-clash"] = (plan_files["txt"], ("--id", "lai-chau-2021-2025"), "Đã có kế hoạch mã", {})
    p = folder / "cp1258.txt"
    p.write_bytes("I. MỤC ĐÍCH\n1. Bảo vệ trẻ em".encode("utf-16"))
    f["utf16-text"] = (p, (), "không phải văn bản UTF-8", {})
    f["scan-without-ocr"] = (plan_files["scan"], (), "tesseract-ocr-vie", {"PATH": "/nonexistent"})
    return f


CASES = ["extension", "docx-named-pdf", "pdf-named-txt", "encrypted-pdf", "damaged-pdf", "docx-not-zip", "zip-bomb",
         "empty-docx", "empty-txt", "no-structure", "duplicate", "over-50-mb", "id-clash", "utf16-text",
         "scan-without-ocr"]


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory, plan_files):
    return _bad_files(tmp_path_factory.mktemp("bad-files"), plan_files)


@pytest.mark.parametrize("case", CASES)
def test_bad_file_is_refused_in_one_line_and_nothing_changes(case, bad_files, empty_corpus_env):
    path, extra, expected, env = bad_files[case]
    corpus = Path(empty_corpus_env["RAG_CORPUS_DIR"])
    before = _snapshot(corpus)
    out = rag({**empty_corpus_env, **env}, "add", str(path), *extra)
    assert out.returncode == 2, (out.stdout, out.stderr)
    lines = [ln for ln in out.stderr.splitlines() if ln.startswith("Lỗi:")]
    assert len(lines) == 1 and expected in lines[0], out.stderr
    assert "Traceback" not in out.stderr and out.stdout == ""
    assert _snapshot(corpus) == before
    assert not Path(empty_corpus_env["RAG_INDEX_DIR"]).exists()  # no index was built or touched


def test_a_failure_while_indexing_puts_the_corpus_back(plan_files, empty_corpus_env):
    """The plan's files and entry are written, then the index cannot be built: all is undone."""
    corpus = Path(empty_corpus_env["RAG_CORPUS_DIR"])
    before = _snapshot(corpus)
    out = rag({**empty_corpus_env, "RAG_EMBEDDER": "st:/nonexistent-model"}, "add", str(plan_files["txt"]))
    assert out.returncode == 2, out.stderr
    assert "kho kế hoạch và chỉ mục vẫn như trước" in out.stderr and "Traceback" not in out.stderr
    assert _snapshot(corpus) == before and not (corpus / "originals").exists()
