"""Runs a question set through the assistant and scores it.

Results are written one line per question as they are produced (and flushed), so an
interrupted run leaves every result written so far intact. The page runs the same loop in a
worker thread: it passes a lock shared with the chat (one question at a time through the
embedder), a stop flag, and a callback that receives each result as it comes.
"""
from __future__ import annotations

import contextlib
import inspect
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from rag import __version__
from rag.eval.dataset import EvalQuestion, QuestionSet
from rag.eval.metrics import QuestionScore, score_question, summarize, summarize_by_type
from rag.retrieval.question import QuestionError
from rag.structure.parser import PARSER_VERSION

log = logging.getLogger(__name__)

ANSWER_FAILED = "⚠️ Đã có lỗi khi trả lời câu hỏi này (xem nhật ký của lượt chạy)."

OnResult = Callable[[int, int, EvalQuestion, dict, QuestionScore], None]


@dataclass(frozen=True)
class RunConfig:
    retriever: str = "hybrid"
    answerer: str = "default"
    plans: tuple[str, ...] = ()  # the plans the run may answer from (empty: all)


def _plan_filter(assistant, q: EvalQuestion, allowed: tuple[str, ...] = ()) -> list[str] | None:
    """The question's own plans, within the plans the run was given."""
    ids = [pid for pid in assistant.corpus.plan_ids if not allowed or pid in allowed]
    if q.plans:
        mine = [pid for pid in ids if any(pid.startswith(k) for k in q.plans)]
        ids = mine or ids  # its plan left out of the run: answer from the run's plans (and likely abstain)
    return None if len(ids) == len(assistant.corpus.plan_ids) else ids


def takes_history(assistant) -> bool:
    """Whether ``assistant.ask`` accepts the earlier questions of a conversation."""
    try:
        return "history" in inspect.signature(assistant.ask).parameters
    except (TypeError, ValueError):
        return False


def _result_record(assistant, q: EvalQuestion, config: RunConfig, with_history: bool) -> dict:
    started = time.perf_counter()
    kwargs = {"history": list(q.history)} if with_history and q.history else {}
    try:
        answer = assistant.ask(q.question, _plan_filter(assistant, q, config.plans), config.retriever, config.answerer,
                               **kwargs)
    except QuestionError as exc:
        return {"id": q.id, "question": q.question, "history": list(q.history), "answer": str(exc),
                "abstained": True, "citations": [], "retrieved": [],
                "latency_ms": round((time.perf_counter() - started) * 1000, 2)}
    except Exception:  # one question's fault must not lose the run: it is recorded, scored as failed, logged
        log.exception("answering %s failed", q.id)
        return {"id": q.id, "question": q.question, "history": list(q.history), "answer": ANSWER_FAILED,
                "abstained": False, "citations": [], "retrieved": [], "error": True,
                "latency_ms": round((time.perf_counter() - started) * 1000, 2)}
    data = answer.to_dict()
    record = {"id": q.id, "question": q.question, "history": list(q.history), "answer": data["answer"],
              "abstained": data["abstained"], "citations": data["citations"], "retrieved": data["retrieved"][:10],
              "latency_ms": data["latency_ms"]}
    if "evidence" in data:  # what the answerer measured, when it says
        record["evidence"] = data["evidence"]
    return record


def run_config_dict(assistant, config: RunConfig, questions_file: str, out: Path) -> dict:
    manifest = assistant.index.manifest
    return {
        "retriever": config.retriever, "answerer": config.answerer, "plans": list(config.plans),
        "embedder": manifest.embedder, "corpus_hash": manifest.corpus_hash[:16], "parser_version": PARSER_VERSION,
        "rag_version": __version__, "index_built_at": manifest.built_at,
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "questions_file": questions_file,
        "results_file": str(out),
    }


def run(assistant, qset: QuestionSet, out: Path, config: RunConfig, progress: bool = True,
        questions_file: str = "", *, lock: threading.Lock | None = None, stop: threading.Event | None = None,
        on_result: OnResult | None = None) -> dict:
    out.parent.mkdir(parents=True, exist_ok=True)
    scores: list[QuestionScore] = []
    desc = f"Đánh giá ({config.retriever} + {config.answerer})"
    with_history = takes_history(assistant)
    stopped = False
    total = len(qset.questions)
    with out.open("w", encoding="utf-8") as fh:
        for i, q in enumerate(tqdm(qset.questions, desc=desc, unit="câu", disable=not progress), start=1):
            if stop is not None and stop.is_set():
                stopped = True
                log.info("run stopped after %d of %d questions", i - 1, total)
                break
            with lock if lock is not None else contextlib.nullcontext():
                record = _result_record(assistant, q, config, with_history)
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            fh.flush()
            scores.append(score_question(q, record))
            if on_result is not None:
                on_result(i, total, q, record, scores[-1])
    return {
        "config": run_config_dict(assistant, config, questions_file, out),
        "summary": summarize(scores),
        "by_type": summarize_by_type(scores),
        "scores": scores,
        "stopped": stopped,
    }
