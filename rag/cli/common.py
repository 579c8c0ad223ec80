"""What every command shares: the user-facing error, JSON output, loading the corpus and the
assistant, resolving plan ids, and the options several commands take."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rag.config import Settings
from rag.corpus.manifest import ManifestError
from rag.models import Corpus
from rag.retrieval.question import QuestionError, clean_question
from rag.structure import load_corpus

EXIT_USAGE = 2
EXIT_FAILURE = 1


class UserError(Exception):
    """A problem the user can fix; its message is Vietnamese and shown without a traceback."""


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def read_corpus(settings: Settings) -> Corpus:
    """The corpus, or UserError when its manifest cannot be read."""
    try:
        return load_corpus(settings.corpus_dir)
    except ManifestError as exc:
        raise UserError(f"Không đọc được danh mục kế hoạch: {exc}") from exc


def corpus_for_use(settings: Settings) -> Corpus:
    """The corpus for a command that needs plans: each plan that failed is named on stderr."""
    corpus = read_corpus(settings)
    for err in corpus.errors:
        print(f"Cảnh báo: không nạp được kế hoạch «{err.plan_id}» — {err.message}", file=sys.stderr)
    if not corpus.plans:
        raise UserError("Không có kế hoạch nào nạp được; kiểm tra thư mục corpus/.")
    return corpus


def known_plans(corpus: Corpus) -> str:
    return "\n".join(f"  {p.id:<24} {p.info.short_name}" for p in corpus.plans)


def resolve_plan(corpus: Corpus, plan_id: str) -> str:
    """A plan id, or the one plan whose id starts with it."""
    if plan_id in corpus.plan_ids:
        return plan_id
    matches = [pid for pid in corpus.plan_ids if pid.startswith(plan_id)]
    if len(matches) == 1:
        return matches[0]
    raise UserError(f"Không có kế hoạch «{plan_id}». Các kế hoạch hiện có:\n{known_plans(corpus)}")


def plan_ids(corpus: Corpus, plans: list[str] | None) -> list[str] | None:
    return [resolve_plan(corpus, p) for p in plans] if plans else None


def make_assistant(settings: Settings, progress: bool = True):
    from rag.pipeline import Assistant  # heavy (torch, faiss): loaded only by the commands that answer

    corpus = corpus_for_use(settings)
    try:
        return Assistant(settings, corpus, progress=progress and sys.stderr.isatty(),
                         notify=lambda msg: print(msg, file=sys.stderr))
    except ValueError as exc:
        raise UserError(str(exc)) from exc


def settings_for(args, settings: Settings) -> Settings:
    """The settings with the hidden ``--embedder`` / ``--index-dir`` options applied."""
    changes = {}
    if getattr(args, "embedder", None):
        changes["embedder"] = args.embedder
    if getattr(args, "index_dir", None):
        changes["index_dir"] = Path(args.index_dir)
    return settings.replace(**changes) if changes else settings


def question_arg(text: str, settings: Settings) -> str:
    try:
        return clean_question(text, settings.max_question_chars)
    except QuestionError as exc:
        raise UserError(str(exc)) from exc


def question_options(p: argparse.ArgumentParser, plan_help: str) -> None:
    """Options shared by the commands that answer or search a question."""
    p.add_argument("--plan", action="append", help=plan_help)
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    index_options(p)


def index_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--embedder", help=argparse.SUPPRESS)
    p.add_argument("--index-dir", help=argparse.SUPPRESS)
