"""Reads a question set (JSON Lines). Only ``id`` and ``question`` are required; a bad line
is named with its problem and skipped, the rest is evaluated."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class GoldItem:
    plan: str
    quote: str


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    line: int
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


@dataclass
class QuestionSet:
    questions: list[EvalQuestion] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "line N: what is wrong"


def _strings(value, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"'{what}' must be a list of strings")
    return tuple(value)


def load_questions(path: Path, plan_ids: list[str]) -> QuestionSet:
    out = QuestionSet()
    seen: dict[str, int] = {}
    try:
        raw_lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"{path}: question file not found") from exc
    for number, raw in enumerate(raw_lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            qid = data.get("id")
            if qid is None or str(qid).strip() == "":
                raise ValueError("missing 'id'")
            qid = str(qid)
            if qid in seen:
                raise ValueError(f"duplicate id {qid!r} (first on line {seen[qid]})")
            question = data.get("question")
            if not isinstance(question, str) or not question.strip():
                raise ValueError("missing 'question'")
            plans = _strings(data.get("plans"), "plans")
            for key in plans:
                if not any(pid.startswith(key) for pid in plan_ids):
                    raise ValueError(f"plan key {key!r} matches no plan")
            gold = []
            for item in data.get("gold") or []:
                if not isinstance(item, dict) or not item.get("plan") or not item.get("quote"):
                    raise ValueError("each gold item needs 'plan' and 'quote'")
                if not any(pid.startswith(item["plan"]) for pid in plan_ids):
                    raise ValueError(f"gold plan key {item['plan']!r} matches no plan")
                gold.append(GoldItem(str(item["plan"]), str(item["quote"])))
            groups = []
            for group in data.get("answer_must_mention") or []:
                groups.append(_strings(group, "answer_must_mention"))
            history = _strings(data.get("history"), "history")
        except json.JSONDecodeError as exc:
            out.problems.append(f"line {number}: bad JSON ({exc.msg})")
            continue
        except ValueError as exc:
            out.problems.append(f"line {number}: {exc}")
            continue
        seen[qid] = number
        out.questions.append(EvalQuestion(
            id=qid, question=question, line=number, plans=plans, type=str(data.get("type") or ""),
            gold=tuple(gold), must_mention=tuple(groups), has_gold="gold" in data, history=history))
    return out
