"""Kept evaluation runs: one folder a run under ``Settings.runs_dir`` (env ``RAG_RUNS_DIR``).

    <runs_dir>/<run id>/
        run.json         what was run: settings (no secrets), retriever, answerer, plans, index
                         version (hash of the index manifest), product version, owner, status,
                         the bad rows of the question file, short names of the plans
        questions.jsonl  the question set as read (JSON Lines: runs can be re-scored and re-run)
        results.jsonl    one line a question, as ``rag eval --out`` writes
        summary.json     metrics (overall and by type)
        report.md        the markdown report (+ report.json)

A run is written into a hidden temporary folder and renamed into place, so an interrupted save
leaves no half run; a listing never shows one.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from rag import __version__
from rag.config import Settings
from rag.eval.dataset import EvalQuestion, QuestionSet, RowProblem, parse_questions
from rag.eval.metrics import QuestionScore, score_question, summarize, summarize_by_type
from rag.eval.report import write_report

log = logging.getLogger(__name__)

_SECRET_SETTINGS = ("llm_api_key",)


class RunNotFound(LookupError):
    """No kept run of that id (the message is Vietnamese)."""


def settings_record(settings: Settings) -> dict:
    data = {}
    for f in dataclasses.fields(settings):
        if f.name in _SECRET_SETTINGS:
            continue
        value = getattr(settings, f.name)
        data[f.name] = str(value) if isinstance(value, Path) else value
    return data


def manifest_hash(index_path: Path) -> str:
    """The index version: sha256 of its manifest.json (first 16 hex digits)."""
    path = Path(index_path) / "manifest.json"
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return ""


@dataclass
class SavedRun:
    id: str
    path: Path
    meta: dict
    summary: dict
    by_type: dict
    questions: list[EvalQuestion]
    records: list[dict]

    @property
    def config(self) -> dict:
        return self.meta.get("config", {})

    @property
    def label(self) -> str:
        cfg = self.config
        n = self.summary.get("questions", 0)
        stopped = " (đã dừng)" if self.meta.get("status") == "stopped" else ""
        return f"{self.id} — {cfg.get('retriever', '')} + {cfg.get('answerer', '')}, {n} câu{stopped}"

    @property
    def short_names(self) -> dict[str, str]:
        return self.meta.get("plans", {})

    def scores(self) -> list[QuestionScore]:
        by_id = {q.id: q for q in self.questions}
        return [score_question(by_id[r["id"]], r) for r in self.records if r["id"] in by_id]

    def report_paths(self) -> tuple[Path, Path]:
        return self.path / "report.md", self.path / "report.json"


def new_run_id(config: dict) -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{config.get('retriever', 'run')}-{config.get('answerer', '')}-{secrets.token_hex(2)}"


class RunStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def save(self, result: dict, qset: QuestionSet, results_file: Path, *, settings: Settings, index_path: Path,
             short_names: dict[str, str], owner: str = "", title: str = "") -> SavedRun:
        """Keep one run (the dict ``runner.run`` returns) with its results file."""
        config = dict(result["config"])
        run_id = new_run_id(config)
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".tmp-{run_id}"
        tmp.mkdir()
        try:
            shutil.copyfile(results_file, tmp / "results.jsonl")
            config["results_file"] = str(self.root / run_id / "results.jsonl")
            meta = {
                "id": run_id, "title": title or config.get("questions_file", ""), "owner": owner,
                "status": "stopped" if result.get("stopped") else "done",
                "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "product_version": __version__,
                "index_version": manifest_hash(index_path), "config": config, "settings": settings_record(settings),
                "problems": [dataclasses.asdict(p) for p in qset.problems], "notes": list(qset.notes),
                "plans": dict(short_names),
            }
            _write_json(tmp / "run.json", meta)
            (tmp / "questions.jsonl").write_text(
                "".join(json.dumps(q.to_dict(), ensure_ascii=False) + "\n" for q in qset.questions), encoding="utf-8")
            _write_json(tmp / "summary.json", {"summary": result["summary"], "by_type": result["by_type"]})
            write_report(tmp / "report.md", meta["title"] or run_id, [{**result, "config": config}], qset.problems)
            os.replace(tmp, self.root / run_id)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        log.info("run %s saved in %s", run_id, self.root)
        return self.load(run_id)

    def _folder(self, run_id: str) -> Path:
        candidate = Path(run_id)
        if candidate.is_dir() and (candidate / "run.json").exists():  # a path to a run folder also works
            return candidate
        if "/" in run_id or run_id.startswith("."):
            raise RunNotFound(f"Không có lần chạy «{run_id}».")
        folder = self.root / run_id
        if not (folder / "run.json").exists():
            raise RunNotFound(f"Không có lần chạy «{run_id}» trong {self.root}.")
        return folder

    def load(self, run_id: str) -> SavedRun:
        folder = self._folder(run_id)
        meta = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        plan_ids = list(meta.get("plans", {}))
        qset = parse_questions((folder / "questions.jsonl").read_bytes(), plan_ids, "questions.jsonl",
                               max_rows=10 ** 9)
        records = [json.loads(line) for line in (folder / "results.jsonl").read_text(encoding="utf-8").splitlines()
                   if line.strip()]
        return SavedRun(meta["id"], folder, meta, summary["summary"], summary["by_type"], qset.questions, records)

    def list(self, owner: str | None = None) -> list[SavedRun]:
        """Kept runs, newest first; only ``owner``'s when given."""
        if not self.root.is_dir():
            return []
        out = []
        for folder in sorted(self.root.iterdir(), reverse=True):
            if folder.name.startswith(".") or not (folder / "run.json").exists():
                continue
            try:
                meta = json.loads((folder / "run.json").read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                log.warning("skipping unreadable run folder %s", folder)
                continue
            if owner is not None and meta.get("owner", "") != owner:
                continue
            out.append(self.load(folder.name))
        return out


def rescored(run: SavedRun) -> dict:
    """The run in the form ``runner.run`` returns (for reports and exports)."""
    scores = run.scores()
    return {"config": run.config, "summary": summarize(scores), "by_type": summarize_by_type(scores),
            "scores": scores, "stopped": run.meta.get("status") == "stopped"}


def problems_of(run: SavedRun) -> list[RowProblem]:
    return [RowProblem(p["row"], p["message"]) for p in run.meta.get("problems", [])]


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
