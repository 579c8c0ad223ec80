"""Runs a question set through the assistant and scores it.

Results are written one line per question as they are produced (and flushed), so an
interrupted run leaves every result written so far intact.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from rag import __version__
from rag.eval.dataset import EvalQuestion, QuestionSet
from rag.eval.metrics import QuestionScore, score_question, summarize, summarize_by_type
from rag.retrieval.question import QuestionError
from rag.structure.parser import PARSER_VERSION

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunConfig:
    retriever: str = "hybrid"
    answerer: str = "default"


def _plan_filter(assistant, q: EvalQuestion) -> list[str] | None:
    if not q.plans:
        return None
    return [pid for pid in assistant.corpus.plan_ids if any(pid.startswith(k) for k in q.plans)]


def _result_record(assistant, q: EvalQuestion, config: RunConfig) -> dict:
    started = time.perf_counter()
    try:
        answer = assistant.ask(q.question, _plan_filter(assistant, q), config.retriever, config.answerer,
                               history=q.history)
    except QuestionError as exc:
        return {"id": q.id, "question": q.question, "answer": str(exc), "abstained": True, "citations": [],
                "retrieved": [], "latency_ms": round((time.perf_counter() - started) * 1000, 2)}
    data = answer.to_dict()
    return {"id": q.id, "question": q.question, "history": list(q.history), "answer": data["answer"],
            "abstained": data["abstained"], "citations": data["citations"], "retrieved": data["retrieved"][:10],
            "latency_ms": data["latency_ms"], "evidence": data["evidence"]}


def run(assistant, qset: QuestionSet, out: Path, config: RunConfig, progress: bool = True,
        questions_file: str = "") -> dict:
    out.parent.mkdir(parents=True, exist_ok=True)
    scores: list[QuestionScore] = []
    desc = f"Đánh giá ({config.retriever} + {config.answerer})"
    with out.open("w", encoding="utf-8") as fh:
        for q in tqdm(qset.questions, desc=desc, unit="câu", disable=not progress):
            record = _result_record(assistant, q, config)
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            fh.flush()
            scores.append(score_question(q, record))
    manifest = assistant.index.manifest
    return {
        "config": {
            "retriever": config.retriever, "answerer": config.answerer, "embedder": manifest.embedder,
            "corpus_hash": manifest.corpus_hash[:16], "parser_version": PARSER_VERSION, "rag_version": __version__,
            "index_built_at": manifest.built_at, "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "questions_file": questions_file, "results_file": str(out),
        },
        "summary": summarize(scores),
        "by_type": summarize_by_type(scores),
        "scores": scores,
    }
