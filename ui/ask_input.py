"""Checks what a client sent to ``/ask`` (Gradio) or ``POST /api/ask`` (JSON) before anything is
answered: the question must be text, ``plans`` a list of known plan ids, ``history`` a list of
earlier questions. Every refusal is one Vietnamese sentence for the user; nothing raises past here."""
from __future__ import annotations

from dataclasses import dataclass

from rag.models import Corpus

MAX_HISTORY = 20  # earlier questions kept; older ones are dropped


class AskInputError(ValueError):
    """The request cannot be answered as sent; the message is for the user (Vietnamese)."""


@dataclass(frozen=True)
class AskInput:
    question: str
    plan_ids: tuple[str, ...]  # empty: every loaded plan
    history: tuple[str, ...] = ()


def _type_name(value) -> str:
    return {int: "số", float: "số", bool: "giá trị đúng/sai", list: "danh sách", tuple: "danh sách",
            dict: "đối tượng", type(None): "rỗng"}.get(type(value), "giá trị không phải văn bản")


def _known(corpus: Corpus) -> str:
    return ", ".join(corpus.plan_ids)


def check_ask(corpus: Corpus, question, plans=None, history=None) -> AskInput:
    """The checked request, or AskInputError naming what is wrong."""
    if not isinstance(question, str):
        raise AskInputError(f"Câu hỏi phải là một chuỗi văn bản (đã nhận {_type_name(question)}).")
    if plans is None or plans == "":
        plan_ids: tuple[str, ...] = ()
    elif isinstance(plans, str):  # read one character at a time, it would widen the search silently
        raise AskInputError("«plans» phải là một danh sách mã kế hoạch, ví dụ [\"ha-noi-2022-2025\"], không phải "
                            f"một chuỗi. Các mã hiện có: {_known(corpus)}.")
    elif not isinstance(plans, (list, tuple)):
        raise AskInputError(f"«plans» phải là một danh sách mã kế hoạch (đã nhận {_type_name(plans)}). "
                            f"Các mã hiện có: {_known(corpus)}.")
    else:
        bad = [p for p in plans if not isinstance(p, str)]
        if bad:
            raise AskInputError(f"Mỗi mã kế hoạch trong «plans» phải là một chuỗi (đã nhận {_type_name(bad[0])}). "
                                f"Các mã hiện có: {_known(corpus)}.")
        failed = {e.plan_id: e for e in corpus.errors}
        unloaded = [p for p in plans if p in failed]
        if unloaded:
            raise AskInputError(f"Kế hoạch «{unloaded[0]}» hiện không nạp được (tệp {failed[unloaded[0]].file} bị lỗi). "
                                f"Các mã đang dùng được: {_known(corpus)}.")
        unknown = [p for p in plans if p not in corpus.plan_ids]
        if unknown:
            shown = ", ".join(f"«{p[:60]}»" for p in unknown[:3])
            raise AskInputError(f"Không có kế hoạch mã {shown}. Các mã hiện có: {_known(corpus)}.")
        plan_ids = tuple(dict.fromkeys(plans))
    if history is None or history == "":
        earlier: tuple[str, ...] = ()
    elif not isinstance(history, (list, tuple)) or not all(isinstance(h, str) for h in history):
        raise AskInputError("«history» phải là một danh sách các câu hỏi trước đó (mỗi câu là một chuỗi).")
    else:
        earlier = tuple(history[-MAX_HISTORY:])
    return AskInput(question, plan_ids, earlier)
