"""``rag eval``: run a question set (each run kept, exported on request, reported), write an empty
template, or compare two kept runs. The run → keep → export sequence is ``rag.eval.job``'s, the
same one the page's evaluation tab uses."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from rag.cli.common import UserError, index_options, make_assistant, plan_ids, settings_for
from rag.config import Settings
from rag.eval.compare import compare_runs, render_comparison
from rag.eval.dataset import QuestionFileError, QuestionSet, load_questions
from rag.eval.job import export_run, run_and_save
from rag.eval.report import write_report
from rag.eval.runner import RunConfig
from rag.eval.runs import RunNotFound, RunStore, SavedRun
from rag.eval.template import write_template

EXPORT_KINDS = ("xlsx", "csv")


def cmd_eval(args, settings: Settings) -> int:
    settings = settings_for(args, settings)
    if args.template:
        return eval_template(args)
    if args.compare:
        return eval_compare(args, settings)
    if not args.questions:
        raise UserError("Cần tệp câu hỏi (JSONL, CSV hoặc XLSX), hoặc --template, hoặc --compare RUN_A RUN_B.")
    assistant = make_assistant(settings)
    qset = question_set(args, settings, assistant.corpus.plan_ids)
    plans = tuple(plan_ids(assistant.corpus, args.plan) or ())
    configs = [RunConfig(r.strip(), a.strip(), plans) for r in args.retriever.split(",") if r.strip()
               for a in args.answerer.split(",") if a.strip()]
    store = RunStore(settings.runs_dir)
    runs = [run_one(args, settings, assistant, qset, cfg, store, several=len(configs) > 1) for cfg in configs]
    if qset.problems:
        print(f"Đã bỏ qua {len(qset.problems)} dòng không hợp lệ.")
    if args.report:
        summary = write_report(Path(args.report), Path(args.questions).name, runs, qset.problems)
        print(f"Báo cáo: {args.report} (tóm tắt JSON: {summary})")
    return 0


def question_set(args, settings: Settings, known_plans: list[str]) -> QuestionSet:
    """The question file, read; its notes and skipped rows named on stderr."""
    try:
        qset = load_questions(Path(args.questions), known_plans, settings.eval_max_rows)
    except FileNotFoundError as exc:
        raise UserError(f"Không tìm thấy tệp câu hỏi: {args.questions}") from exc
    except QuestionFileError as exc:
        raise UserError(f"{args.questions}: {exc}") from exc
    for note in qset.notes:
        print(f"Lưu ý: {note}", file=sys.stderr)
    for problem in qset.problems:
        print(f"Bỏ qua {problem}", file=sys.stderr)
    if not qset.questions:
        raise UserError(f"Không có câu hỏi hợp lệ nào trong {args.questions}.")
    return qset


def results_path(args, settings: Settings, cfg: RunConfig, several: bool) -> Path:
    if not args.out:
        return settings.runs_dir / ".results" / f"{cfg.retriever}-{cfg.answerer}-{time.time_ns()}.jsonl"
    out = Path(args.out)
    return out.with_name(f"{out.stem}.{cfg.retriever}-{cfg.answerer}{out.suffix}") if several else out


def run_one(args, settings: Settings, assistant, qset: QuestionSet, cfg: RunConfig, store: RunStore,
            several: bool) -> dict:
    """One configuration: run, keep, print its line, export; returns the run's result."""
    path = results_path(args, settings, cfg, several)
    result, saved = run_and_save(assistant, qset, cfg, store, settings, path, owner=args.owner or "",
                                 title=Path(args.questions).name, questions_file=args.questions,
                                 progress=sys.stderr.isatty())
    if not args.out:
        path.unlink(missing_ok=True)
        path = saved.path / "results.jsonl"
    print(f"[{cfg.retriever} + {cfg.answerer}] {summary_line(result['summary'])} → {path}")
    print(f"Đã lưu lần chạy: {saved.id}  ({saved.path})")
    for target in args.export or []:
        print(f"Tải về: {export(saved, Path(target), cfg if several else None)}")
    return result


def summary_line(s: dict) -> str:
    def fmt(v):
        return "–" if v is None else f"{v:.3f}"

    return (f"{s['questions']} câu: recall@5 {fmt(s['recall@5'])}, MRR@10 {fmt(s['mrr@10'])}, "
            f"dữ kiện {fmt(s['must_mention_accuracy'])}, trích dẫn {fmt(s['citation_precision'])}, "
            f"từ chối đúng {s['abstained_unanswerable']}/{s['unanswerable']}, từ chối sai {s['false_abstentions']}, "
            f"p50 {s['latency_p50_ms']:.0f} ms")


def export_kind(target: Path) -> str:
    kind = target.suffix.lstrip(".").lower()
    if kind not in EXPORT_KINDS:
        raise UserError(f"--export: chỉ xuất được .xlsx hoặc .csv (đã nhập {target}).")
    return kind


def export(saved: SavedRun, target: Path, cfg: RunConfig | None = None) -> Path:
    export_kind(target)
    if cfg is not None:
        target = target.with_name(f"{target.stem}.{cfg.retriever}-{cfg.answerer}{target.suffix}")
    return export_run(saved, target)


def eval_template(args) -> int:
    out = Path(args.out or f"bo-cau-hoi-mau.{args.template}")
    write_template(args.template, out)
    print(f"Đã viết tệp mẫu: {out} (các cột id, câu hỏi, kế hoạch, câu hỏi trước, trích dẫn đúng, "
          "kế hoạch của trích dẫn, phải nêu, loại; một dòng ví dụ)")
    return 0


def eval_compare(args, settings: Settings) -> int:
    store = RunStore(settings.runs_dir)
    try:
        a, b = (store.load(r) for r in args.compare)
    except RunNotFound as exc:
        known = [r.id for r in store.list()][:10]
        raise UserError(f"{exc} Các lần chạy gần nhất: {', '.join(known) or 'chưa có'}.") from exc
    print(render_comparison(compare_runs(a, b)))
    return 0


def register(sub) -> None:
    p = sub.add_parser("eval", help="chạy bộ câu hỏi đánh giá và viết báo cáo; mỗi lần chạy được lưu để so sánh")
    p.add_argument("questions", nargs="?", help="tệp câu hỏi: JSONL (mỗi dòng {id, question, …}), CSV hoặc XLSX")
    p.add_argument("--out", help="tệp kết quả JSONL (với --template: tệp mẫu)")
    p.add_argument("--template", choices=["xlsx", "csv"], help="viết tệp mẫu trống (các cột và một dòng ví dụ)")
    p.add_argument("--compare", nargs=2, metavar=("RUN_A", "RUN_B"), help="so sánh hai lần chạy đã lưu")
    p.add_argument("--plan", action="append", help="chỉ dùng kế hoạch này (có thể lặp lại)")
    p.add_argument("--export", action="append", metavar="FILE.xlsx|FILE.csv",
                   help="xuất kết quả: mỗi câu một dòng, trích dẫn, chỉ số (có thể lặp lại)")
    p.add_argument("--owner", help=argparse.SUPPRESS)
    p.add_argument("--report", help="tệp báo cáo markdown (kèm tóm tắt .json)")
    p.add_argument("--retriever", default="hybrid", help="hybrid|dense|lexical, hoặc nhiều, cách nhau dấu phẩy")
    p.add_argument("--answerer", default="default", help="default|llm, hoặc nhiều, cách nhau dấu phẩy")
    index_options(p)
    p.set_defaults(func=cmd_eval)
