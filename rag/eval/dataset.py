"""Reads a question set: JSON Lines, CSV or XLSX (told apart by content, see ``readers``).

Only ``id`` and ``question`` are required. A bad row (no question, duplicate id, a plan that
matches none, bad JSON) is listed with its row number and skipped; the rest is evaluated.
A file that cannot be read at all raises ``QuestionFileError`` with a Vietnamese message.

Spreadsheet cells: ``plans`` lists plan keys separated by ``,`` or ``;`` (a key is the start of a
plan id, e.g. ``ha-noi``; a place name such as «Hà Nội» is folded to that form); ``history``
holds earlier questions, one a line (or a JSON list); ``must_mention`` holds groups separated by
``;``, each a set of alternatives separated by ``|``; ``gold_quote`` (and ``gold_quote 2``, …)
are verbatim quotes, each from the plan in the ``gold_plan`` column of the same number (or the one
``gold_plan`` column, or the row's only plan). A ``type`` the plans do not answer
(``headers.toml``) marks a question the assistant should abstain on.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from rag.eval.readers import (QuestionFileError, Table, TooManyRows, header_names, read_table, sniff_kind,
                              too_many_rows)
from rag.text import fold

DEFAULT_MAX_ROWS = 2000
MAX_FILE_BYTES = 20 * 1024 * 1024
_PLAN_SPLIT_RE = re.compile(r"[,;\n]+")

__all__ = ["DEFAULT_MAX_ROWS", "EvalQuestion", "GoldItem", "QuestionFileError", "QuestionSet", "RowProblem",
           "TooManyRows", "load_questions", "load_uploaded_questions", "parse_questions"]


@dataclass(frozen=True)
class GoldItem:
    plan: str
    quote: str


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    line: int  # the line (JSONL) or row (spreadsheet) it came from
    plans: tuple[str, ...] = ()
    type: str = ""
    gold: tuple[GoldItem, ...] = ()
    must_mention: tuple[tuple[str, ...], ...] = ()
    has_gold: bool = False  # the line carried a "gold" field at all
    history: tuple[str, ...] = ()  # earlier user questions of the conversation, oldest first

    @property
    def answerable(self) -> bool:
        return bool(self.gold)

    @property
    def unanswerable(self) -> bool:
        return self.has_gold and not self.gold

    def to_dict(self) -> dict:
        """The JSON Lines form (the format ``load_questions`` reads back)."""
        data = {"id": self.id, "question": self.question}
        if self.plans:
            data["plans"] = list(self.plans)
        if self.history:
            data["history"] = list(self.history)
        if self.type:
            data["type"] = self.type
        if self.has_gold:
            data["gold"] = [{"plan": g.plan, "quote": g.quote} for g in self.gold]
        if self.must_mention:
            data["answer_must_mention"] = [list(g) for g in self.must_mention]
        return data


@dataclass(frozen=True)
class RowProblem:
    row: int
    message: str  # Vietnamese, for the evaluator

    def __str__(self) -> str:
        return f"dòng {self.row}: {self.message}"


@dataclass
class QuestionSet:
    questions: list[EvalQuestion] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # about the file as a whole (ignored columns, encoding)
    source_format: str = "jsonl"


class _BadRow(ValueError):
    pass


def _plan_key(value: str, plan_ids: list[str], what: str) -> str:
    key = value.strip()
    if not any(pid.startswith(key) for pid in plan_ids):
        key = fold(value).replace(" ", "-")  # «Hà Nội» -> "ha-noi"
    if not key or not any(pid.startswith(key) for pid in plan_ids):
        raise _BadRow(f"kế hoạch «{value.strip()}» ({what}) không khớp kế hoạch nào")
    return key


def _strings(value, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _BadRow(f"«{what}» phải là danh sách chuỗi")
    return tuple(value)


class _Builder:
    """Checks rows one by one and keeps the good ones; ids must be unique across the file."""

    def __init__(self, plan_ids: list[str]) -> None:
        self.plan_ids = plan_ids
        self.out = QuestionSet()
        self.seen: dict[str, int] = {}

    def add(self, number: int, *, qid, question, plans=(), history=(), type_="", gold=None, must_mention=()):
        try:
            if qid is None or str(qid).strip() == "":
                raise _BadRow("thiếu «id»")
            qid = str(qid).strip()
            if qid in self.seen:
                raise _BadRow(f"trùng id «{qid}» (đã có ở dòng {self.seen[qid]})")
            if not isinstance(question, str) or not question.strip():
                raise _BadRow("thiếu câu hỏi")
            plan_keys = tuple(_plan_key(p, self.plan_ids, "cột kế hoạch") for p in plans if p.strip())
            gold_items = None
            if gold is not None:
                gold_items = tuple(GoldItem(_plan_key(plan, self.plan_ids, "trích dẫn đúng"), quote)
                                   for plan, quote in gold)
        except _BadRow as exc:
            self.out.problems.append(RowProblem(number, str(exc)))
            return
        self.seen[qid] = number
        self.out.questions.append(EvalQuestion(
            id=qid, question=question.strip(), line=number, plans=plan_keys, type=type_, gold=gold_items or (),
            must_mention=tuple(must_mention), has_gold=gold_items is not None,
            history=tuple(h.strip() for h in history if h.strip())))


def _parse_jsonl(text: str, plan_ids: list[str], max_rows: int) -> QuestionSet:
    b = _Builder(plan_ids)
    count = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        count += 1
        if count > max_rows:
            raise too_many_rows(max_rows)
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise _BadRow("không phải đối tượng JSON")
            gold = None
            if "gold" in data:
                gold = []
                for item in data.get("gold") or []:
                    if not isinstance(item, dict) or not item.get("plan") or not item.get("quote"):
                        raise _BadRow("mỗi mục «gold» cần «plan» và «quote»")
                    gold.append((str(item["plan"]), str(item["quote"])))
            groups = [_strings(g, "answer_must_mention") for g in data.get("answer_must_mention") or []]
            fields = dict(qid=data.get("id"), question=data.get("question"), plans=_strings(data.get("plans"), "plans"),
                          history=_strings(data.get("history"), "history"), type_=str(data.get("type") or ""),
                          gold=gold, must_mention=groups)
        except json.JSONDecodeError as exc:
            b.out.problems.append(RowProblem(number, f"JSON không hợp lệ ({exc.msg})"))
            continue
        except _BadRow as exc:
            b.out.problems.append(RowProblem(number, str(exc)))
            continue
        b.add(number, **fields)
    return b.out


def _history_cell(text: str) -> tuple[str, ...]:
    if text.startswith("["):
        try:
            value = json.loads(text)
            if isinstance(value, list):
                return tuple(str(v) for v in value)
        except json.JSONDecodeError:
            pass
    return tuple(line for line in text.splitlines() if line.strip())


def _mentions_cell(text: str) -> tuple[tuple[str, ...], ...]:
    groups = []
    for group in text.split(";"):
        alternatives = tuple(a.strip() for a in group.split("|") if a.strip())
        if alternatives:
            groups.append(alternatives)
    return tuple(groups)


def _parse_table(table: Table, plan_ids: list[str]) -> QuestionSet:
    names = header_names()
    b = _Builder(plan_ids)
    has_id = any(c.name == "id" for c in table.columns)
    if table.ignored_headers:
        b.out.notes.append("Các cột không dùng: " + ", ".join(f"«{h}»" for h in table.ignored_headers))
    if not has_id:
        b.out.notes.append("Không có cột «id»: dùng số dòng làm id.")
    quote_numbers = sorted({c.number for c in table.columns if c.name == "gold_quote"})
    for row in table.rows:
        plans = [p for p in _PLAN_SPLIT_RE.split(row.get("plans")) if p.strip()]
        type_ = row.get("type")
        gold = None
        try:
            quotes = [(n, q) for n in quote_numbers for q in row.get("gold_quote", n).splitlines() if q.strip()]
            if quotes:
                gold = []
                for n, quote in quotes:
                    plan = row.get("gold_plan", n) or row.get("gold_plan") or (plans[0] if len(plans) == 1 else "")
                    if not plan:
                        raise _BadRow(f"trích dẫn đúng «{quote[:40]}» thiếu kế hoạch (cột gold_plan)")
                    gold.append((plan, quote.strip()))
            elif type_ and fold(type_) in names.unanswerable_types:
                gold = []
        except _BadRow as exc:
            b.out.problems.append(RowProblem(row.number, str(exc)))
            continue
        b.add(row.number, qid=row.get("id") if has_id else f"R{row.number}", question=row.get("question"),
              plans=plans, history=_history_cell(row.get("history")), type_=type_, gold=gold,
              must_mention=_mentions_cell(row.get("must_mention")))
    b.out.source_format = table.kind
    if table.encoding and table.encoding not in ("utf-8", "utf-8-sig"):
        b.out.notes.append(f"Bảng mã của tệp CSV: {table.encoding}.")
    return b.out


def _looks_jsonl(data: bytes, name: str) -> bool:
    if name.lower().endswith((".jsonl", ".json", ".ndjson")):
        return True
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return head == b"{"


def parse_questions(data: bytes, plan_ids: list[str], name: str = "", max_rows: int = DEFAULT_MAX_ROWS,
                    limits=None) -> QuestionSet:
    """A question set from the bytes of a file called ``name`` (the name only hints JSONL). ``limits``
    (``sheet_limits.SheetLimits``; default: the configured ones) bound what an XLSX or CSV may unpack to."""
    if len(data) > MAX_FILE_BYTES:
        raise QuestionFileError(f"Tệp quá lớn ({len(data) // (1024 * 1024)} MB; tối đa "
                                f"{MAX_FILE_BYTES // (1024 * 1024)} MB).")
    if not data.strip():
        raise QuestionFileError("Tệp trống: không có câu hỏi nào.")
    if sniff_kind(data) == "text" and _looks_jsonl(data, name):
        text = data.decode("utf-8-sig", errors="replace")
        return _parse_jsonl(text, plan_ids, max_rows)
    return _parse_table(read_table(data, max_rows, limits), plan_ids)


def load_questions(path: Path, plan_ids: list[str], max_rows: int = DEFAULT_MAX_ROWS) -> QuestionSet:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"{path}: question file not found") from exc
    except IsADirectoryError as exc:
        raise QuestionFileError(f"«{path}» là thư mục, không phải tệp câu hỏi.") from exc
    return parse_questions(data, plan_ids, Path(path).name, max_rows)


QUESTION_FILE_TIMEOUT_S = 120.0


def load_uploaded_questions(path: Path, plan_ids: list[str], max_rows: int = DEFAULT_MAX_ROWS,
                            memory_mb: int = 1024) -> QuestionSet:
    """``load_questions`` for a file someone uploaded to the server: read in a child process
    (``rag/sandbox.py``) with a memory and a time limit, so whatever a spreadsheet library does with it
    never grows the server. Refusals are QuestionFileError, as from ``load_questions``."""
    from rag.sandbox import ChildFailed, Limits, run_limited

    size = Path(path).stat().st_size
    if size > MAX_FILE_BYTES:  # before starting anything
        raise QuestionFileError(f"Tệp quá lớn ({size // (1024 * 1024)} MB; tối đa "
                                f"{MAX_FILE_BYTES // (1024 * 1024)} MB).")
    try:
        return run_limited(load_questions, Path(path), list(plan_ids), max_rows,
                           limits=Limits(memory_mb=memory_mb, timeout_s=QUESTION_FILE_TIMEOUT_S))
    except ChildFailed as exc:
        why = {"memory": f"cần quá {memory_mb} MB bộ nhớ", "timeout": f"mất quá {QUESTION_FILE_TIMEOUT_S:.0f} giây"}
        raise QuestionFileError(f"Không đọc được tệp câu hỏi: đọc tệp {why.get(exc.reason, 'bị dừng bất thường')}; "
                                "hãy kiểm tra tệp (XLSX, CSV UTF-8 hoặc JSONL).") from None
