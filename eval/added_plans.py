"""Do plans added from DOCX and PDF answer as well as the four built-in plans?

One run, in temporary folders, of the product's own paths:

  1. the ingestion fixtures (``tests/fixtures/make_fixtures.py``: DOCX, text PDF, scanned PDF, plain
     text; fictional plans) are written;
  2. ``corpus/`` (the four plans and ``plans.toml``) is copied, and the configuration
     (``rag.config.Settings`` through ``RAG_<FIELD>`` variables) points the corpus, index, runs and data
     folders at the copy; the dev set is run on the four plans alone (the same index the product builds);
  3. every fixture is added with ``rag add``'s path (``rag.ingest.add.PlanAdder``: read in a child
     process, written, index rebuilt), its parse report kept;
  4. ``rag eval``'s path (``rag.eval.job.run_and_save``) runs the added-plans questions and the dev
     questions on the enlarged corpus, so the four plans and the added ones are compared like for like.

The report (``eval/reports/added-plans.md``) has the figures per question set, the added-plans figures by
the source format of the plan asked about and by the tags of each question's note (``[appendix]``,
``[list]``, ``[unanswerable]`` …), the parse report of each file, the places where added plans answer worse,
and the failing added-plans questions (a readable tuning set; no held-out set is read here). A section
between the ``analysis`` markers is written by hand and kept when the report is written again.

    .venv/bin/python eval/added_plans.py                      # all fixtures, both question sets
    .venv/bin/python eval/added_plans.py --cache-from index/cache --keep /tmp/added-run
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(FIXTURES))
# one thread per library: on a shared machine a multi-threaded query embedding takes seconds
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from tqdm import tqdm  # noqa: E402

log = logging.getLogger("eval.added_plans")

QUESTIONS = ROOT / "eval" / "questions"
ADDED_SET = QUESTIONS / "added-plans.jsonl"
DEV_SET = QUESTIONS / "dev.jsonl"
REPORT = ROOT / "eval" / "reports" / "added-plans.md"
FIXTURE_FILES = ("kon-tum.docx", "quang-tri.pdf", "bac-kan.pdf", "ha-giang.txt", "binh-lam.docx", "long-phu.pdf",
                 "an-khe.pdf")  # every fixture but the bench-only long PDF
SCANS = ("bac-kan.pdf", "an-khe.pdf")
FORMATS = ("docx", "text pdf", "scan", "txt")
FOUR = "the four"  # the format column of a question about the built-in plans
CONTROL = "four + added as plain text"  # the corpus of the control run (text_control)
ROUGH = "four + scans scanned badly"  # the corpus of the rough-scan run (rough_scans)
# the worse scan (make_fixtures.write_scan): resolution, page turned on the glass (degrees), grain (grey levels),
# blur (pixels), JPEG quality, dust (share of pixels)
ROUGH_SCAN = dict(dpi=200, angle=0.8, noise=8.0, blur=0.6, quality=70, dust=0.001)
ANALYSIS_START, ANALYSIS_END = "<!-- analysis: written by hand, kept by eval/added_plans.py -->", \
    "<!-- /analysis -->"
_TAG_RE = re.compile(r"\[([^\[\]]{1,40})\]")
# (summary key, label); what the goals are stated in
METRICS = (("recall@1", "recall@1"), ("recall@5", "recall@5"), ("mrr@10", "MRR@10"),
           ("must_mention_accuracy", "facts named"), ("citation_precision", "citation precision"))
WORSE_MARGIN = 0.02  # a gap smaller than this is called level (one question in 50)


@dataclass(frozen=True)
class AddedFile:
    """One fixture file and what ``rag add`` made of it (``report`` None when it was refused)."""

    name: str
    format: str
    plan_id: str = ""
    report: dict | None = None
    error: str = ""
    expected_rows: int = 0  # appendix task rows the generator wrote
    corrected: str = ""  # metadata read wrong and corrected before committing (the rough-scan run only)


@dataclass
class SetRun:
    """One question set run through ``rag eval``'s path."""

    name: str
    corpus: str  # "four + added" or "four only"
    result: dict  # runner.run's: config, summary, by_type, scores
    questions: list[dict]  # the raw JSONL lines (their notes carry the tags)
    records: dict[str, dict]  # id -> result record (answer, citations, retrieved)
    skipped: list = field(default_factory=list)

    @property
    def summary(self) -> dict:
        return self.result["summary"]

    @property
    def scores(self) -> list:
        return self.result["scores"]


@dataclass
class Measurement:
    files: list[AddedFile]
    runs: list[SetRun]
    plan_formats: dict[str, str]  # plan id -> format (the four: FOUR)
    started: str
    seconds: float
    load: str
    rough: list[AddedFile] = field(default_factory=list)  # the scans again, scanned badly (rough_scans)


# --- helpers ------------------------------------------------------------------------------------

def load_avg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def commit_id() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except OSError:
        return ""


def source_format(report: dict) -> str:
    """docx | text pdf | scan | txt, from a parse report."""
    if report["source"] == "pdf":
        return "scan" if report["ocr"] else "text pdf"
    return "txt" if report["source"] == "text" else report["source"]


def tags_of(question: dict) -> list[str]:
    """The bracketed tags of a question's note («[appendix] [list] …»), lower case."""
    return [t.strip().lower() for t in _TAG_RE.findall(str(question.get("note") or ""))]


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def question_format(q: dict, plan_formats: dict[str, str]) -> str:
    """The format of the plans a question is about (its gold plans, else its plan filter)."""
    keys = [g["plan"] for g in q.get("gold") or []] or list(q.get("plans") or [])
    found = {fmt for key in keys for pid, fmt in plan_formats.items() if pid.startswith(key)}
    if not found:
        return "no plan named"
    return found.pop() if len(found) == 1 else "several formats"


def expected_rows(name: str) -> int:
    from ingest_plans import PLANS

    plan = PLANS.get(Path(name).stem)
    return sum(1 for row in (plan.table or []) if len(row) > 2) if plan else 0


# --- the run ------------------------------------------------------------------------------------

def configure(work: Path, cache_from: Path | None):
    """The one configuration pointed at the temporary folders; returns the Settings."""
    from rag.config import load_settings

    corpus = work / "corpus"
    shutil.copytree(ROOT / "corpus", corpus, ignore=shutil.ignore_patterns(".*"))
    env = {**os.environ, "RAG_CORPUS_DIR": str(corpus), "RAG_INDEX_DIR": str(work / "index"),
           "RAG_RUNS_DIR": str(work / "runs"), "RAG_DATA_DIR": str(work / "data")}
    if cache_from and cache_from.is_dir():  # the same vectors, computed once before: only new passages are embedded
        shutil.copytree(cache_from, work / "index" / "cache")
        log.info("embedding cache seeded from %s", cache_from)
    return load_settings(env)  # this process's environment is left as it was


def add_files(settings, paths: list[Path], expected: dict[str, dict] | None = None) -> list[AddedFile]:
    """Each file through ``rag add``'s path. ``expected`` (file name -> the metadata of the same plan read from
    a clean file): where the metadata read differs, it is corrected before the plan is committed, as a person
    does on the page after reading the parse report (prepare, correct, commit), and the difference is kept."""
    from rag.ingest.add import PlanAdder
    from rag.ingest.detect import Overrides
    from rag.ingest.errors import IngestError

    adder = PlanAdder(settings)  # one embedder for every add
    out = []
    for path in tqdm(paths, desc="rag add", unit="tệp"):
        corrected = ""
        try:
            draft = adder.prepare(path)
            info = None
            want = (expected or {}).get(path.name)
            if want and (draft.info.id, draft.info.province) != (want["id"], want["province"]):
                corrected = f"read as `{draft.info.id}` (province «{draft.info.province}»)"
                info = Overrides(**{k: want[k] for k in ("id", "title", "short_name", "issuer", "province")}).apply(
                    draft.info)
                log.warning("%s: metadata %s, corrected to %s", path.name, corrected, want["id"])
            report = adder.commit(draft, info).to_dict()
        except IngestError as exc:
            log.warning("%s was refused: %s", path.name, exc)
            out.append(AddedFile(path.name, "?", error=str(exc), expected_rows=expected_rows(path.name)))
            continue
        log.info("added %s as %s (%d clauses)", path.name, report["id"], report["counts"]["clauses"])
        out.append(AddedFile(path.name, source_format(report), report["id"], report,
                             expected_rows=expected_rows(path.name), corrected=corrected))
    return out


def run_set(assistant, settings, name: str, path: Path, corpus: str, limit: int | None) -> SetRun:
    from rag.eval.dataset import load_questions
    from rag.eval.job import run_and_save
    from rag.eval.runner import RunConfig
    from rag.eval.runs import RunStore

    qset = load_questions(path, assistant.corpus.plan_ids, settings.eval_max_rows)
    if limit is not None:
        qset.questions = qset.questions[:limit]
    out = settings.runs_dir / ".results" / f"{name}-{time.time_ns()}.jsonl"
    log.info("%s on %s: %d questions (%d lines skipped)", name, corpus, len(qset.questions), len(qset.problems))
    result, saved = run_and_save(assistant, qset, RunConfig(), RunStore(settings.runs_dir), settings, out,
                                 title=f"{path.name} ({corpus})", questions_file=str(path), progress=True)
    records = {r["id"]: r for r in read_jsonl(out)}
    raw = {q["id"]: q for q in read_jsonl(path)}
    questions = [raw[q.id] for q in qset.questions if q.id in raw]
    log.info("%s on %s: kept as run %s", name, corpus, saved.id)
    return SetRun(name, corpus, result, questions, records, list(qset.problems))


def text_control(work: Path, added: list[AddedFile], added_set: Path, limit: int | None) -> SetRun:
    """The same plans added from the generator's own plain text (what every extractor should recover),
    in a corpus of their own: a question that passes here but not on the DOCX/PDF/scan is lost in reading
    the file; one that fails on both is lost in the answer layer."""
    from ingest_plans import PLANS
    from make_fixtures import plan_text

    from rag.pipeline import Assistant

    folder = work / "fixtures-as-text"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for f in added:
        if f.report is not None and Path(f.name).stem in PLANS:
            path = folder / f"{Path(f.name).stem}.txt"
            path.write_text(plan_text(PLANS[path.stem]), encoding="utf-8")
            paths.append(path)
    settings = configure(work / "control", work / "index" / "cache")
    add_files(settings, paths)
    assistant = Assistant(settings, progress=True)
    return run_set(assistant, settings, added_set.stem, added_set, CONTROL, limit)


def rough_scans(work: Path, added: list[AddedFile], added_set: Path, limit: int | None) -> tuple[list[AddedFile], SetRun]:
    """The scanned plans again, scanned badly (``rough_scan``), in a corpus of their own, with their questions."""
    from ingest_plans import PLANS
    from make_fixtures import write_scan

    from rag.pipeline import Assistant

    folder = work / "rough-scans"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for f in added:
        if f.format == "scan" and Path(f.name).stem in PLANS:
            write_scan(PLANS[Path(f.name).stem], folder / f.name, **ROUGH_SCAN)
            paths.append(folder / f.name)
    settings = configure(work / "rough", work / "index" / "cache")
    clean = {f.name: f.report["metadata"] for f in added if f.report}
    files = [replace(f, format="rough scan") if f.report else f for f in add_files(settings, paths, clean)]
    assistant = Assistant(settings, progress=True)
    return files, run_set(assistant, settings, added_set.stem, added_set, ROUGH, limit)


def measure(work: Path, files: tuple[str, ...] = FIXTURE_FILES, added_set: Path = ADDED_SET,
            dev_set: Path | None = DEV_SET, plain_dev: bool = True, limit: int | None = None,
            cache_from: Path | None = None, control: bool = True) -> Measurement:
    from make_fixtures import build

    from rag.pipeline import Assistant

    started = time.perf_counter()
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load = load_avg()
    log.info("writing the fixtures")
    built = build(work / "fixtures", scan=any(f in SCANS for f in files))
    by_name = {p.name: p for p in built.values()}
    unknown = [f for f in files if f not in by_name]
    if unknown:
        raise SystemExit(f"unknown fixture file(s): {', '.join(unknown)}; known: {', '.join(FIXTURE_FILES)}")
    settings = configure(work, cache_from)
    runs = []
    if plain_dev and dev_set is not None:
        assistant = Assistant(settings, progress=True)  # builds the four plans' index, as `rag eval` does
        runs.append(run_set(assistant, settings, dev_set.stem, dev_set, "four only", limit))
        del assistant
    added = add_files(settings, [by_name[f] for f in files])
    assistant = Assistant(settings, progress=True)
    plan_formats = {pid: FOUR for pid in assistant.corpus.plan_ids}
    plan_formats.update({f.plan_id: f.format for f in added if f.plan_id})
    runs.insert(0, run_set(assistant, settings, added_set.stem, added_set, "four + added", limit))
    if dev_set is not None:
        runs.insert(1, run_set(assistant, settings, dev_set.stem, dev_set, "four + added", limit))
    del assistant
    if control:
        runs.append(text_control(work, added, added_set, limit))
    rough: list[AddedFile] = []
    if control and any(f.format == "scan" for f in added):
        rough, run = rough_scans(work, added, added_set, limit)
        runs.append(run)
    return Measurement(added, runs, plan_formats, when, time.perf_counter() - started, f"{load} → {load_avg()}",
                       rough)


# --- the report ---------------------------------------------------------------------------------

def fmt(value, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def abstain_cells(s: dict) -> tuple[str, str]:
    """'abstains on the unanswerable' and 'false abstentions' as shares with their counts."""
    unans = (f"{s['abstained_unanswerable'] / s['unanswerable']:.2f} ({s['abstained_unanswerable']}/"
             f"{s['unanswerable']})") if s["unanswerable"] else "–"
    false = (f"{s['false_abstentions'] / s['answerable']:.3f} ({s['false_abstentions']}/{s['answerable']})"
             if s["answerable"] else "–")
    return unans, false


def figures_table(runs: list[SetRun]) -> list[str]:
    lines = ["| | " + " | ".join(f"{r.name} ({r.corpus})" for r in runs) + " |",
             "|---|" + "---|" * len(runs),
             "| questions (answerable / unanswerable) | " + " | ".join(
                 f"{r.summary['questions']} ({r.summary['answerable']} / {r.summary['unanswerable']})"
                 for r in runs) + " |"]
    for key, label in METRICS:
        lines.append(f"| {label} | " + " | ".join(fmt(r.summary[key]) for r in runs) + " |")
    cells = [abstain_cells(r.summary) for r in runs]
    lines.append("| abstains on the unanswerable | " + " | ".join(c[0] for c in cells) + " |")
    lines.append("| false abstentions | " + " | ".join(c[1] for c in cells) + " |")
    lines.append("| ask p50 | " + " | ".join(f"{r.summary['latency_p50_ms']:.0f} ms" for r in runs) + " |")
    return lines


def groups(run: SetRun, key) -> dict[str, list]:
    """Scores grouped by ``key(raw question)``; a question may fall in several groups."""
    raw = {q["id"]: q for q in run.questions}
    out: dict[str, list] = {}
    for s in run.scores:
        for g in key(raw.get(s.id, {})):
            out.setdefault(g, []).append(s)
    return out


def breakdown_table(title: str, grouped: dict[str, list], order: list[str]) -> list[str]:
    from rag.eval.metrics import summarize

    lines = [f"| {title} | n | recall@1 | recall@5 | MRR@10 | facts named | citation precision | "
             "abstains on unanswerable | false abstentions |", "|---|---|---|---|---|---|---|---|---|"]
    for g in order:
        if g not in grouped:
            continue
        s = summarize(grouped[g])
        unans, false = abstain_cells(s)
        lines.append(f"| {g} | {s['questions']} | " + " | ".join(fmt(s[k]) for k, _ in METRICS) +
                     f" | {unans} | {false} |")
    return lines


def parse_table(files: list[AddedFile]) -> list[str]:
    lines = ["| file | format | plan id | pages | clauses | coverage | appendix rows (found / written) | "
             "agency sections | warnings | read + parse, index |", "|---|---|---|---|---|---|---|---|---|---|"]
    for f in files:
        if f.report is None:
            lines.append(f"| {f.name} | – | **refused**: {f.error} | | | | | | | |")
            continue
        r, c = f.report, f.report["counts"]
        rows = f"{c['appendix_rows']} / {f.expected_rows}"
        if c["appendix_rows"] != f.expected_rows:
            rows = f"**{rows}**"
        kinds = Counter(w["kind"] for w in r["warnings"])
        warnings = ", ".join(f"{k} ×{n}" for k, n in sorted(kinds.items())) or "none"
        if f.corrected:
            warnings += f"; **metadata {f.corrected}, corrected by hand**"
        sec = r["seconds"]
        lines.append(f"| {f.name} | {f.format} | `{f.plan_id}` | {r['pages'] or '–'} | {c['clauses']} | "
                     f"{r['coverage'] * 100:.1f} % ({len(r['left_out'])}/{r['lines']} lines left out) | {rows} | "
                     f"{c['agency_sections']} | {warnings} | {sec.get('read', 0) + sec.get('parse', 0):.1f} s, "
                     f"{sec.get('index', 0):.1f} s |")
    return lines


def worse_sentences(m: Measurement) -> list[str]:
    """Where the added plans answer worse than the four (dev on the same enlarged corpus), as bullets."""
    from rag.eval.metrics import summarize

    added = next((r for r in m.runs if r.name != "dev" and r.corpus == "four + added"), None)
    dev = next((r for r in m.runs if r.name == "dev" and r.corpus == "four + added"), None)
    if added is None or dev is None:
        return ["- (dev was not run; nothing to compare with)"]
    out = []
    for key, label in METRICS:
        a, d = added.summary[key], dev.summary[key]
        if a is None or d is None:
            continue
        word = "**worse**" if a < d - WORSE_MARGIN else ("better" if a > d + WORSE_MARGIN else "level")
        out.append(f"- {label}: added plans {fmt(a)}, the four {fmt(d)} — {word}")
    for which, idx in (("abstains on the unanswerable", 0), ("false abstentions", 1)):
        out.append(f"- {which}: added plans {abstain_cells(added.summary)[idx]}, the four "
                   f"{abstain_cells(dev.summary)[idx]}")
    weak = []
    for label, grouped in (("format", groups(added, lambda q: [question_format(q, m.plan_formats)])),
                           ("tag", groups(added, tags_of))):
        for g, scores in sorted(grouped.items()):
            s = summarize(scores)
            for key, name in METRICS:
                if s[key] is not None and dev.summary[key] is not None and s[key] < dev.summary[key] - WORSE_MARGIN:
                    weak.append(f"{label} *{g}* {name} {fmt(s[key])} (n={s['questions']})")
    if weak:
        out.append("- below the four's dev figure: " + "; ".join(weak))
    return out


def format_effect(m: Measurement) -> list[str]:
    """Each format against the same plans added from plain text (the control run), question by question."""
    from rag.eval.metrics import summarize

    added = m.runs[0]
    control = next((r for r in m.runs if r.corpus == CONTROL), None)
    if control is None:
        return ["(The control run was skipped.)"]
    mine = groups(added, lambda q: [question_format(q, m.plan_formats)])
    theirs = groups(control, lambda q: [question_format(q, m.plan_formats)])
    lines = ["| format of the file | n | passed: from the file / from plain text | facts named | citation precision | "
             "false abstentions |", "|---|---|---|---|---|---|"]
    for g in FORMATS:
        if g not in mine or g not in theirs:
            continue
        a, b = summarize(mine[g]), summarize(theirs[g])
        passed = f"{sum(s.passed for s in mine[g])} / {sum(s.passed for s in theirs[g])}"
        lines.append(f"| {g} | {a['questions']} | {passed} | {fmt(a['must_mention_accuracy'])} / "
                     f"{fmt(b['must_mention_accuracy'])} | {fmt(a['citation_precision'])} / "
                     f"{fmt(b['citation_precision'])} | {a['false_abstentions']} / {b['false_abstentions']} |")
    ok = {s.id: s.passed for s in control.scores}
    lost = sorted(s.id for s in added.scores if not s.passed and ok.get(s.id))
    won = sorted(s.id for s in added.scores if s.passed and ok.get(s.id) is False)
    both = sorted(s.id for s in added.scores if not s.passed and ok.get(s.id) is False)
    lines += ["", f"- failing only when read from the file (lost in reading it): {', '.join(lost) or 'none'}",
              f"- failing only from plain text: {', '.join(won) or 'none'}",
              f"- failing both ways (lost in the answer layer, whatever the format): {', '.join(both) or 'none'}"]
    return lines


def rough_section(m: Measurement) -> list[str]:
    """The scanned plans' questions on clean scans and on bad ones, and what reading the bad ones found."""
    from rag.eval.metrics import summarize

    rough = next((r for r in m.runs if r.corpus == ROUGH), None)
    if rough is None:
        return ["(No scan was added, or the run was skipped.)"]
    asked = {s.id for s in rough.scores}
    clean = [s for s in m.runs[0].scores if s.id in asked]
    lines = ["| scans | n | passed | facts named | citation precision | abstains on unanswerable | "
             "false abstentions |", "|---|---|---|---|---|---|---|"]
    for name, scores in (("as the generator scans them (clean)", clean), ("scanned badly", rough.scores)):
        s = summarize(scores)
        unans, false = abstain_cells(s)
        lines.append(f"| {name} | {s['questions']} | {sum(x.passed for x in scores)} | "
                     f"{fmt(s['must_mention_accuracy'])} | {fmt(s['citation_precision'])} | {unans} | {false} |")
    ok = {s.id: s.passed for s in clean}
    lost = sorted(s.id for s in rough.scores if not s.passed and ok.get(s.id))
    lines += ["", f"- failing only on the bad scans: {', '.join(lost) or 'none'}", ""]
    return lines + parse_table(m.rough)


def failures(run: SetRun, plan_formats: dict[str, str]) -> list[str]:
    """The failing questions of the added-plans set (a tuning set: never called for a held-out set)."""
    assert not run.name.startswith(("heldout", "holdout")), run.name
    raw = {q["id"]: q for q in run.questions}
    bad = [s for s in run.scores if not s.passed]
    if not bad:
        return ["None."]
    lines = ["| id | format | tags | question | gold rank | facts | cited (good/all) | first cited | "
             "answer (first line) |", "|---|---|---|---|---|---|---|---|---|"]
    for s in sorted(bad, key=lambda s: s.id):
        q, rec = raw.get(s.id, {}), run.records.get(s.id, {})
        cited = rec.get("citations") or []
        first = f"`{cited[0]['plan_id']} {cited[0]['clause']}`" if cited else "–"
        rank = "–" if not s.answerable else (str(s.first_rank) if s.first_rank else "✗")
        facts = "–" if s.mentions is None else ("✓" if s.mentions else "✗")
        if s.unanswerable:
            facts = "answered" if not s.abstained else facts
        lines.append(f"| {s.id} | {question_format(q, plan_formats)} | {' '.join(tags_of(q))} | "
                     f"{_cell(q.get('question', ''))} | {rank} | {facts} | {s.cited_good}/{s.cited_total} | {first} | "
                     f"{_cell(s.first_line, 120)}{' (abstained)' if s.abstained and s.answerable else ''} |")
    return lines


def _cell(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def kept_analysis(path: Path) -> str:
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if ANALYSIS_START in text and ANALYSIS_END in text:
            return text.split(ANALYSIS_START, 1)[1].split(ANALYSIS_END, 1)[0].strip("\n")
    return "(No analysis written yet.)"


def render(m: Measurement, analysis: str = "") -> str:
    added = m.runs[0]
    lines = ["# Plans added from DOCX and PDF against the four built-in plans", "",
             f"Run {m.started} by `eval/added_plans.py` at commit `{commit_id()}`, {m.seconds / 60:.1f} min on "
             f"{os.cpu_count()} cores ({platform.python_version()}), load {m.load}. The four plans were copied to a "
             f"temporary corpus, {sum(1 for f in m.files if f.report)} fixture files "
             "(`tests/fixtures/make_fixtures.py`, fictional plans) added with `rag add`'s path "
             "(`PlanAdder`), and the question sets run with `rag eval`'s path (`rag.eval.job.run_and_save`): "
             "hybrid retrieval, the default answerer, the learned ranker, each question limited to its own plans.",
             "", "## Figures", "",
             "*dev (four + added)* is the four plans' questions on the same enlarged corpus: the like-for-like "
             "comparison. *dev (four only)* is the same set on the plain four-plan corpus, from the same run. "
             f"*{CONTROL}*: the control run below.", ""]
    lines += figures_table(m.runs)
    lines += ["", "Recall, MRR, facts named and citation precision are over the answerable questions.", "",
              "## Where added plans answer worse than the four", "",
              f"Compared with dev on the same corpus (a gap under {WORSE_MARGIN} is called level). Dev is the set the "
              "answer layer was tuned on, so it flatters the four; the analysis below also compares with the four "
              "plans' unseen sets.", ""]
    lines += worse_sentences(m)
    lines += ["", "## Reading the file or answering? The same plans added from plain text", "",
              "A control run: every added plan added again, in a corpus of its own, from the generator's plain text "
              "(`make_fixtures.plan_text`: the text every extractor should recover), and the same questions run. "
              "The gap between the two is what reading DOCX, PDF and scans costs; what fails both ways is the "
              "answer layer on plans worded unlike the four.", ""]
    lines += format_effect(m)
    lines += ["", "## Scans scanned badly", "",
              "The generator's scans are clean renders. Here the scanned plans are scanned again, worse "
              f"(`make_fixtures.write_scan` with {ROUGH_SCAN['dpi']} dpi, the page turned {ROUGH_SCAN['angle']}° on "
              f"the glass, grain of {ROUGH_SCAN['noise']:g} grey levels, blur {ROUGH_SCAN['blur']:g} px, JPEG quality "
              f"{ROUGH_SCAN['quality']}, {ROUGH_SCAN['dust']:.1%} of the pixels dust), added to a corpus of their own, "
              "and their questions run again (the questions about other plans name plans that corpus does not hold, "
              "and are skipped).", ""]
    lines += rough_section(m)
    lines += ["", ANALYSIS_START, analysis or "(No analysis written yet.)", ANALYSIS_END, "",
              f"## {added.name}: by source format of the plan asked about", ""]
    fmt_groups = groups(added, lambda q: [question_format(q, m.plan_formats)])
    lines += breakdown_table("format", fmt_groups, [*FORMATS, FOUR, "several formats", "no plan named"])
    tag_groups = groups(added, lambda q: tags_of(q) or ["(no tag)"])
    lines += ["", f"## {added.name}: by question tag (the note's `[…]`)", "",
              "A question with several tags counts in each.", ""]
    lines += breakdown_table("tag", tag_groups, sorted(tag_groups))
    lines += ["", "## Parse reports of the added files", "",
              "Coverage: the share of the extracted text's characters in a clause, the front matter or the "
              "signature block. Appendix rows: task rows found against those the generator wrote (bold when "
              "they differ).", ""]
    lines += parse_table(m.files)
    skipped = [f"- {r.name} ({r.corpus}): {len(r.skipped)} lines skipped ({'; '.join(map(str, r.skipped[:3]))} …)"
               for r in m.runs if r.skipped and r.corpus != ROUGH]  # that corpus holds the scanned plans only
    if skipped:
        lines += ["", "Question lines the run skipped:", "", *skipped]
    lines += ["", f"## Failing {added.name} questions", "",
              "This set is a readable tuning set, so its failures are listed (no held-out set is run here). "
              "Gold rank: rank of the first retrieved passage holding a gold quote (✗: not in the top 10).", ""]
    lines += failures(added, m.plan_formats)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPORT, help="the markdown report")
    parser.add_argument("--files", default=",".join(FIXTURE_FILES), help="fixture files to add, comma-separated")
    parser.add_argument("--questions", type=Path, default=ADDED_SET, help="questions about the added plans")
    parser.add_argument("--dev", type=Path, default=DEV_SET, help="the four plans' questions")
    parser.add_argument("--no-dev", action="store_true", help="run the added-plans questions only")
    parser.add_argument("--no-plain-dev", action="store_true", help="skip dev on the plain four-plan corpus")
    parser.add_argument("--no-control", action="store_true",
                        help="skip the control run (the same plans added from plain text)")
    parser.add_argument("--limit", type=int, help="the first N questions of each set")
    parser.add_argument("--cache-from", type=Path,
                        help="an embedding cache folder to start from (e.g. index/cache): the same vectors, faster")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (corpus, index, runs)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in ("httpx", "faiss", "rag.index"):
        logging.getLogger(name).setLevel(logging.WARNING)
    files = tuple(f.strip() for f in args.files.split(",") if f.strip())
    if not args.questions.exists():
        raise SystemExit(f"no question file {args.questions}")
    with tempfile.TemporaryDirectory(prefix="added-plans-") as tmp:
        work = args.keep or Path(tmp)
        if args.keep:
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
        m = measure(work, files, args.questions, None if args.no_dev else args.dev, not args.no_plain_dev,
                    args.limit, args.cache_from, not args.no_control)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(m, kept_analysis(args.out)), encoding="utf-8")
    log.info("report written to %s", args.out)
    if args.json:
        args.json.write_text(json.dumps({
            "runs": [{"set": r.name, "corpus": r.corpus, "summary": r.summary} for r in m.runs],
            "files": [{"file": f.name, "format": f.format, "plan_id": f.plan_id, "error": f.error,
                       "coverage": f.report and f.report["coverage"], "expected_rows": f.expected_rows,
                       "counts": f.report and f.report["counts"]} for f in m.files]},
            ensure_ascii=False, indent=2), encoding="utf-8")
    for r in m.runs:
        s = r.summary
        log.info("%s (%s): %d questions, recall@1 %s, recall@5 %s, facts %s, citations %s", r.name, r.corpus,
                 s["questions"], fmt(s["recall@1"]), fmt(s["recall@5"]), fmt(s["must_mention_accuracy"]),
                 fmt(s["citation_precision"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
