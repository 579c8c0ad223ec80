"""Separates what is not a clause: the title block (wherever PDF extraction dropped it),
the "Nơi nhận" list and signature block, and where the appendix begins.

The title block and signature carry plan metadata (number, date, signer), so they are
returned, not thrown away.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rag import lexicon
from rag.structure.appendix import appendix_heading
from rag.structure.lines import Line
from rag.structure.markers import is_marked, read_marker
from rag.structure.reflow import joins
from rag.text import VI_LOWER, VI_UPPER

_QUOC_HIEU_RE = re.compile(r"^CỘNG H(?:OÀ|ÒA) XÃ HỘI CHỦ NGHĨA VIỆT NAM|^Độc lập\s*[-–]\s*Tự do\s*[-–]\s*Hạnh phúc", re.I)
_NUMBER_RE = re.compile(r"^Số\s*:\s*(?P<num>.*)$")
_PLACE_DATE_RE = re.compile(
    r"^[^\d,]{2,40},\s*ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})?\s*năm\s*(?P<y>\d{4})\s*\.?$", re.I)
_KE_HOACH_RE = re.compile(r"^KẾ HOẠCH$")
_STAMP_RE = re.compile(r"^(?:ĐẾN\b|Chuyển:|Ngày:)")
_RECIPIENTS_RE = re.compile(r"^Nơi nhận\s*:?$", re.I)
_SIGNATURE_ROLE_RE = re.compile(r"^(?:TM|KT|TL|TUQ)\.\s")
_ROLE_RE = re.compile(r"(PHÓ CHỦ TỊCH|CHỦ TỊCH|PHÓ GIÁM ĐỐC|GIÁM ĐỐC|TRƯỞNG BAN|PHÓ TRƯỞNG BAN)")
_UPPER_RE = re.compile(rf"[{VI_LOWER}]")
_NAME_RE = re.compile(rf"^[{VI_UPPER}][^\W\d_]*(?:\s+[{VI_UPPER}][^\W\d_]*){{1,5}}$")
_APPENDIX_LOOKAHEAD = 6  # a mixed-case appendix heading in the body is followed by its table within this many lines


@dataclass
class FrontMatter:
    lines: list[str] = field(default_factory=list)
    number: str = ""
    date: str = ""
    # the source lines that state them, so they can be cited as clauses
    number_line: Line | None = None
    date_line: Line | None = None
    issuer_lines: list[Line] = field(default_factory=list)
    source_lines: list[Line] = field(default_factory=list)  # every line of the title block


@dataclass
class Signature:
    recipients: list[str] = field(default_factory=list)
    signer: str = ""
    signer_title: str = ""
    recipient_lines: list[Line] = field(default_factory=list)  # "Nơi nhận:" and its list
    signer_lines: list[Line] = field(default_factory=list)  # "TM. …", "KT. CHỦ TỊCH", the name
    note_lines: list[Line] = field(default_factory=list)  # "(Đã ký)" and the like

    @property
    def source_lines(self) -> list[Line]:
        return [*self.recipient_lines, *self.signer_lines, *self.note_lines]


@dataclass
class Segments:
    body: list[Line]
    appendix: list[Line]
    front: FrontMatter
    signature: Signature


def _is_upper_line(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and not _UPPER_RE.search(text) and len(text) <= 100


def _title_block_kind(line: Line) -> str | None:
    text = line.text
    if _QUOC_HIEU_RE.match(text):
        return "quoc-hieu"
    if _NUMBER_RE.match(text):
        return "number"
    if _PLACE_DATE_RE.match(text):
        return "date"
    if _KE_HOACH_RE.match(text):
        return "ke-hoach"
    if _STAMP_RE.match(text):
        return "stamp"
    if not line.is_table and not is_marked(text) and _is_upper_line(text):
        return "issuer"
    return None


def _format_date(m: re.Match) -> str:
    d, mo, y = m.group("d"), m.group("m"), m.group("y")
    if d and mo:
        return f"{y}-{int(mo):02d}-{int(d):02d}"
    if mo:
        return f"{int(mo):02d}/{y}"
    return y


def _issuer_goes_on(front: FrontMatter, line: Line) -> bool:
    """A short capitalised line right after the issuer's lines, before the number: the issuer wrapped."""
    if not front.issuer_lines or front.number_line or front.date_line or front.source_lines[-1] is not front.issuer_lines[-1]:
        return False
    text = line.text
    return not line.is_table and len(text) <= 40 and not _UPPER_RE.search(text) and sum(c.isalpha() for c in text) >= 2 \
        and not is_marked(text)


def _take_title_block(body: list[Line], wrapped: bool) -> tuple[list[Line], FrontMatter]:
    front = FrontMatter()
    keep: list[Line] = []
    i = 0
    while i < len(body):
        line = body[i]
        kind = _title_block_kind(line)
        if kind is None and _issuer_goes_on(front, line):
            kind = "issuer"  # "ỦY BAN NHÂN DÂN TỈNH AN" ↵ "KHÊ": the place wrapped onto a short line
        if kind is None:
            keep.append(line)
            i += 1
            continue
        front.lines.append(line.text)
        front.source_lines.append(line)
        if kind == "number" and front.number_line is None:
            number = re.sub(r"\s+(?=/)", "", _NUMBER_RE.match(line.text).group("num")).strip(" .")
            front.number = number if re.search(r"\d", number) else ""
            front.number_line = line
        elif kind == "date" and front.date_line is None:
            front.date = _format_date(_PLACE_DATE_RE.match(line.text))
            front.date_line = line
        elif kind == "issuer" and front.number_line is None and front.date_line is None:
            front.issuer_lines.append(line)
        elif kind == "ke-hoach" and i + 1 < len(body):
            # the subtitle: the next line and its wrapped continuations
            i += 1
            subtitle = [body[i]]
            while i + 1 < len(body) and joins(subtitle[-1], body[i + 1], wrapped) and not _title_block_kind(body[i + 1]):
                i += 1
                subtitle.append(body[i])
            front.source_lines.extend(subtitle)
            front.lines.append(" ".join(s.text for s in subtitle))
        i += 1
    return keep, front


@lru_cache(maxsize=1)
def _signature_forms() -> tuple[frozenset[str], int]:
    data = lexicon.load("structure")["signature"]
    return frozenset(n.casefold() for n in data["notes"]), int(data["name_max_chars"])


def _is_name(text: str) -> bool:
    """A person's name: two to six capitalised words, no digits, short."""
    return len(text) <= _signature_forms()[1] and bool(_NAME_RE.match(text)) and not _is_upper_line(text)


def _read_signature(lines: list[Line]) -> tuple[Signature, int]:
    """The signature block at the start of ``lines``: "Nơi nhận" and its list, the signer's
    roles and name. Returns it and where it ends: at the first line that is none of these (a
    table, a numbered line, a sentence), or right after the name. Only the signer's own lines
    make the signer, never what follows the block."""
    sig = Signature()
    notes, _ = _signature_forms()
    end = 0
    for end, line in enumerate(lines):
        text = line.text
        if line.is_table:
            break
        if _RECIPIENTS_RE.match(text):
            sig.recipient_lines.append(line)
            continue
        marker = read_marker(text)
        if text.startswith(("-", "–", "+", "•")) and sig.recipient_lines:
            sig.recipients.append(text.lstrip("-–+• ").rstrip(";.,"))
            sig.recipient_lines.append(line)
            continue
        if sig.recipients and re.match(rf"[{VI_LOWER}]", text) and sig.recipient_lines[-1] is lines[end - 1]:
            sig.recipients[-1] = f"{sig.recipients[-1]} {text.rstrip(';.,')}"  # a recipient wrapped onto two lines
            sig.recipient_lines.append(line)
            continue
        if marker is not None:
            break
        roles = _ROLE_RE.findall(text)
        if roles and (_is_upper_line(text) or _SIGNATURE_ROLE_RE.match(text)):
            sig.signer_title = roles[-1]
            sig.signer_lines.append(line)
            continue
        if _SIGNATURE_ROLE_RE.match(text) or (_is_upper_line(text) and not appendix_heading(line)):
            sig.signer_lines.append(line)
            continue
        if text.casefold() in notes or len(text) <= 2:  # "(Đã ký)"; a speck OCR read as a mark
            sig.note_lines.append(line)
            continue
        if _is_name(text) and not sig.signer:
            sig.signer = text
            sig.signer_lines.append(line)
            continue
        break
    else:
        end = len(lines)
    return sig, end


def looks_wrapped(lines: list[Line]) -> bool:
    """Hard-wrapped PDF text: many lines start in the middle of a sentence."""
    prose = [ln for ln in lines if not ln.is_table and not ln.emphasised]
    if len(prose) < 10:
        return False
    mid_sentence = sum(1 for ln in prose if re.match(rf"[{VI_LOWER}]", ln.text) and not is_marked(ln.text))
    return mid_sentence / len(prose) > 0.25


def _appendix_at(lines: list[Line]) -> int:
    """Where the appendix begins: its heading, in any case and form. A heading written in
    capitals, or after the closing or the signature, opens it; a mixed-case one in the middle
    of the body only when its table follows."""
    ended = False  # the closing paragraph or the signature block has been seen
    for i, line in enumerate(lines):
        if not line.is_table and (_RECIPIENTS_RE.match(line.text) or _SIGNATURE_ROLE_RE.match(line.text)
                                  or line.text.startswith("Trên đây là")):
            ended = True
        if appendix_heading(line) is None:
            continue
        if ended or line.emphasised or not _UPPER_RE.search(line.text) \
                or any(ln.is_table for ln in lines[i + 1:i + 1 + _APPENDIX_LOOKAHEAD]):
            return i
    return len(lines)


def segment(lines: list[Line]) -> tuple[Segments, bool]:
    """Split clean lines into body, appendix, title block and signature.

    Returns the segments and whether the text is hard-wrapped. What follows the signature
    block and is not part of it (a table printed without an appendix heading) is appendix
    matter, never the signer.
    """
    appendix_at = _appendix_at(lines)
    # the block opens with "Nơi nhận" or with the signer's first role line ("TM. ỦY BAN NHÂN DÂN"), whichever
    # comes first (two columns read side by side interleave them)
    signature_at = next((i for i, ln in enumerate(lines[:appendix_at]) if _RECIPIENTS_RE.match(ln.text)
                         or (_SIGNATURE_ROLE_RE.match(ln.text) and _is_upper_line(ln.text))), appendix_at)
    body = lines[:signature_at]
    wrapped = looks_wrapped(body)
    body, front = _take_title_block(body, wrapped)
    signature, length = _read_signature(lines[signature_at:appendix_at])
    appendix = lines[signature_at + length:]
    return Segments(body=body, appendix=appendix, front=front, signature=signature), wrapped
