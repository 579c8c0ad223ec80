"""The probe's bad upload files, built as real zip files with zipfile (issue 16 items 3 and 4).

Used by the tests and by ``eval/bench_uploads.py``. Each builder streams what it compresses, so a
file that unpacks to 1.5 GB is written without holding 1.5 GB."""
from __future__ import annotations

import zipfile
from pathlib import Path

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"

XLSX_CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="{_CT}"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets><sheet name="Câu hỏi" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"""


def _flat(pieces):
    for piece in pieces:
        if isinstance(piece, (str, bytes)):
            yield piece
        else:
            yield from _flat(piece)


def _stream(zf: zipfile.ZipFile, name: str, pieces) -> None:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w", force_zip64=True) as fh:
        for piece in _flat(pieces):
            fh.write(piece.encode("utf-8") if isinstance(piece, str) else piece)


def _xlsx(path: Path, sheet_pieces, strings_pieces) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", XLSX_CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        _stream(zf, "xl/sharedStrings.xml", strings_pieces)
        _stream(zf, "xl/worksheets/sheet1.xml", sheet_pieces)
    return path


def _strings(*texts) -> list:
    """Shared strings; a text may be an iterable of pieces (streamed)."""
    return [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{_MAIN}">',
            *[(f"<si><t>{t}</t></si>" if isinstance(t, str) else ["<si><t>", t, "</t></si>"]) for t in texts],
            "</sst>"]


def _sheet(*pieces) -> list:
    return [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_MAIN}"><sheetData>',
            *pieces, "</sheetData></worksheet>"]


def xlsx_huge_shared_string(path: Path, megabytes: int = 1536) -> Path:
    """One shared string of ``megabytes`` MB (the probe's: 1.5 GB in a 1.5 MB file)."""
    chunk = "A" * (1024 * 1024)
    return _xlsx(path, _sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
                              '<row r="2"><c r="A2" t="s"><v>1</v></c></row>'),
                 _strings("câu hỏi", (chunk for _ in range(megabytes))))


def xlsx_million_columns(path: Path, columns: int = 1_000_000) -> Path:
    """One header row of ``columns`` cells without references (valid: they follow one another)."""
    def cells():
        yield '<row r="1"><c r="A1" t="s"><v>0</v></c>'
        block = "<c><v>1</v></c>" * 1000
        for _ in range(columns // 1000):
            yield block
        yield "</row>"

    return _xlsx(path, _sheet(cells()), _strings("câu hỏi"))


def xlsx_million_blank_rows(path: Path, rows: int = 1_000_000) -> Path:
    """A header, then ``rows`` empty rows, then one question."""
    def body():
        yield '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        for start in range(2, rows + 2, 1000):
            yield "".join(f'<row r="{n}"/>' for n in range(start, start + 1000))
        yield f'<row r="{rows + 1002}"><c r="A{rows + 1002}" t="s"><v>1</v></c></row>'

    return _xlsx(path, _sheet(body()), _strings("câu hỏi", "Sở Tư pháp có nhiệm vụ gì?"))


def xlsx_claimed_dimension(path: Path) -> Path:
    """A small, honest sheet whose <dimension> claims the whole grid (openpyxl pads out to it)."""
    head = ('<dimension ref="A1:XFD1048576"/><sheetData>'
            '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>')
    pieces = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_MAIN}">', head,
              "</sheetData></worksheet>"]
    return _xlsx(path, pieces, _strings("câu hỏi", "Sở Tư pháp có nhiệm vụ gì?"))


# --- DOCX ------------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="{_CT}"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
DOCX_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/></Relationships>"""


def _paragraphs(target_bytes: int, words: str = "Sở Thông tin và Truyền thông chủ trì tuyên truyền nội dung"):
    """Numbered plan-like paragraphs until ``target_bytes`` of XML."""
    written, n = 0, 0
    header = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}"><w:body>'
    yield header
    written += len(header)
    intro = ("<w:p><w:r><w:t>KẾ HOẠCH Bảo vệ trẻ em trên môi trường mạng</w:t></w:r></w:p>"
             "<w:p><w:r><w:t>I. MỤC ĐÍCH, YÊU CẦU</w:t></w:r></w:p>")
    yield intro
    written += len(intro.encode())
    while written < target_bytes - 200:
        n += 1
        p = f"<w:p><w:r><w:t>{n}. {words} {n}.</w:t></w:r></w:p>"
        yield p
        written += len(p.encode())
    yield "</w:body></w:document>"


def docx_bomb(path: Path, parts: int = 19, part_bytes: int = 10 * 1024 * 1024) -> Path:
    """The probe's: ``parts`` parts of exactly 10 MiB each (a plan-like document.xml and copies), 685 KB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        zf.writestr("_rels/.rels", DOCX_RELS)
        _stream(zf, "word/document.xml", _paragraphs(part_bytes))
        for i in range(1, parts):
            _stream(zf, f"word/extra{i}.xml", _paragraphs(part_bytes))
    return path


def docx_many_clauses(path: Path, xml_bytes: int = 1024 * 1024) -> Path:
    """Under the zip budget and the text limit, but far more clauses (~20,000) than any plan has."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        zf.writestr("_rels/.rels", DOCX_RELS)
        _stream(zf, "word/document.xml", _paragraphs(xml_bytes, words="Việc"))
    return path
