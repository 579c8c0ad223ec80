"""Checks a file before anything is read into the corpus: kind by extension *and* content
(magic bytes), size, a DOCX that is a real zip and not a zip bomb, a PDF that opens and is
not encrypted. Every refusal is one Vietnamese line (IngestError)."""
from __future__ import annotations

import logging
import zipfile
from pathlib import Path

from rag.ingest.document import SourceKind
from rag.ingest.errors import IngestError

log = logging.getLogger(__name__)

EXTENSIONS = {".docx": SourceKind.DOCX, ".pdf": SourceKind.PDF, ".txt": SourceKind.TEXT, ".md": SourceKind.TEXT}
_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .doc
_MAX_ZIP_RATIO = 200  # a single member compressed more than this is suspicious when also large
_MAX_PARTS = 2000  # a Word document has a few dozen parts


def _sniff(head: bytes) -> str:
    if head.startswith(_PDF_MAGIC) or _PDF_MAGIC in head[:1024]:
        return "pdf"
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head[:1] in (b"\x89", b"\xff") and head[1:4] in (b"PNG", b"\xd8\xff"):
        return "image"
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "text"


def check_file(path: Path, max_mb: int = 50, max_unzipped_mb: int = 100, max_xml_mb: int = 16) -> SourceKind:
    """The kind of a plan file, or IngestError saying why it cannot be added."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise IngestError(f"Không tìm thấy tệp «{path}».", "missing")
    kind = EXTENSIONS.get(path.suffix.lower())
    if kind is None:
        raise IngestError(f"Tệp «{name}» có đuôi «{path.suffix or '(không có)'}» không được hỗ trợ; hãy dùng "
                          f".docx, .pdf, .txt hoặc .md.", "extension")
    size = path.stat().st_size
    if size == 0:
        raise IngestError(f"Tệp «{name}» rỗng (0 byte).", "empty")
    if size > max_mb * 1024 * 1024:
        raise IngestError(f"Tệp «{name}» nặng {size / 1048576:.1f} MB, vượt giới hạn {max_mb} MB.", "too-large")
    with path.open("rb") as fh:
        head = fh.read(8192)
    found = _sniff(head)
    if kind is SourceKind.PDF and found != "pdf":
        raise IngestError(f"Tệp «{name}» mang đuôi .pdf nhưng nội dung không phải PDF.", "mismatch")
    if kind is SourceKind.DOCX:
        if found == "ole":
            raise IngestError(f"Tệp «{name}» là tệp Word cũ (.doc) đổi đuôi; hãy lưu lại dưới dạng .docx.", "mismatch")
        if found != "zip":
            raise IngestError(f"Tệp «{name}» mang đuôi .docx nhưng không phải tệp Word (.docx là tệp nén zip).",
                              "not-zip")
        _check_docx_zip(path, max_unzipped_mb, max_xml_mb)
    if kind is SourceKind.TEXT and found != "text":
        what = {"pdf": "PDF", "zip": "tệp nén (có thể là .docx)", "ole": "tệp Word cũ (.doc)",
                "image": "ảnh"}.get(found, "tệp nhị phân")
        raise IngestError(f"Tệp «{name}» mang đuôi {path.suffix} nhưng nội dung là {what}, không phải văn bản.",
                          "mismatch")
    if kind is SourceKind.PDF:
        _check_pdf(path)
    return kind


def _check_docx_zip(path: Path, max_unzipped_mb: int, max_xml_mb: int = 16) -> None:
    """Sizes are read from the zip directory before anything is unpacked: the parts together (images
    included), and the XML parts together, which is what python-docx parses into memory (a real plan
    has under 2 MB of XML; the probe's bomb had 19 parts of 10 MiB in 685 KB)."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > _MAX_PARTS:
                raise IngestError(f"Tệp «{name}» có {len(infos)} phần nén, không giống một tài liệu Word; không mở.",
                                  "zip-bomb")
            names = {i.filename for i in infos}
            total = sum(i.file_size for i in infos)
            xml = sum(i.file_size for i in infos if i.filename.lower().endswith((".xml", ".rels")))
            if xml > max_xml_mb * 1024 * 1024:
                log.warning("%s: its XML unpacks to %d bytes (zip bomb?)", path, xml)
                raise IngestError(f"Phần văn bản (XML) của tệp «{name}» giải nén ra {xml / 1048576:.0f} MB, vượt giới "
                                  f"hạn {max_xml_mb} MB (một kế hoạch thật dưới 2 MB; nghi là «bom zip»); không mở.",
                                  "zip-bomb")
            if total > max_unzipped_mb * 1024 * 1024 or any(
                    i.file_size > 10 * 1024 * 1024 and i.file_size > _MAX_ZIP_RATIO * max(i.compress_size, 1)
                    for i in infos):
                log.warning("%s: unpacks to %d bytes (zip bomb?)", path, total)
                raise IngestError(f"Tệp «{name}» giải nén ra {total / 1048576:.0f} MB (nghi là «bom zip»); "
                                  f"không mở.", "zip-bomb")
            if "word/document.xml" not in names:
                raise IngestError(f"Tệp «{name}» là tệp nén nhưng không phải tài liệu Word (.docx).", "not-docx")
            bad = zf.testzip()  # bounded: at most the sizes checked above
            if bad:
                raise IngestError(f"Tệp «{name}» bị hỏng (phần «{bad}» đọc không được).", "damaged")
    except zipfile.BadZipFile as exc:
        raise IngestError(f"Tệp «{name}» bị hỏng: không mở được như tệp .docx.", "damaged") from exc


def _check_pdf(path: Path) -> None:
    from rag.ingest.pymupdf_lib import pymupdf
    fitz = pymupdf()

    name = path.name
    try:
        doc = fitz.open(path)
    except Exception as exc:  # fitz raises its own FileDataError and RuntimeError
        raise IngestError(f"Tệp PDF «{name}» bị hỏng, không mở được.", "damaged") from exc
    with doc:
        if doc.needs_pass or doc.is_encrypted:
            raise IngestError(f"Tệp PDF «{name}» được đặt mật khẩu (mã hóa); hãy gỡ mật khẩu rồi thêm lại.",
                              "encrypted")
        if doc.page_count == 0:
            raise IngestError(f"Tệp PDF «{name}» bị hỏng hoặc rỗng: không đọc được trang nào.", "damaged")
        if doc.is_repaired:
            log.info("%s: PyMuPDF repaired the file structure", path)
        try:
            doc.load_page(0).get_text("text")
        except Exception as exc:
            raise IngestError(f"Tệp PDF «{name}» bị hỏng, không đọc được trang đầu.", "damaged") from exc
