"""Reads one plan file as text, refusing what is not a usable UTF-8 plan."""
from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path


class PlanFileError(ValueError):
    """One plan file cannot be used; the message names the file and what is wrong."""


def _guess_encoding(raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "UTF-32"
    if raw[:200].count(b"\x00") > 10:
        return "UTF-16 (no byte-order mark)"
    return "a legacy 8-bit code page such as Windows-1258 (cp1258)"


def read_plan_text(path: Path) -> str:
    """Return the file's text, NFC-normalised, with Windows line ends made plain.

    Raises PlanFileError for a missing, empty or non-UTF-8 file.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise PlanFileError(f"{path}: file not found") from exc
    except OSError as exc:
        raise PlanFileError(f"{path}: cannot be read ({exc.strerror})") from exc
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    if not raw.strip():
        raise PlanFileError(f"{path}: file is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlanFileError(
            f"{path}: not UTF-8 text (byte {exc.start} cannot be decoded; it looks like "
            f"{_guess_encoding(raw)}). Convert it to UTF-8, e.g. `iconv -f CP1258 -t UTF-8`."
        ) from exc
    if "\x00" in text:
        raise PlanFileError(f"{path}: contains NUL characters; it looks like {_guess_encoding(raw)}, not UTF-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)
