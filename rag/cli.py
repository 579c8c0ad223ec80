"""The ``rag`` command: outline, build, search, ask, eval, serve.

Messages for people are in Vietnamese; logs (stderr, ``--verbose``) are in English.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
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
        label = c.title or c.text
        if len(label) > 100:
            label = label[:100].rsplit(" ", 1)[0] + "…"
        extra = ""
        if c.level == "item" and c.agency and (not c.parent or c.parent == c.address.rsplit(".", 1)[0]):
            extra = f"  [{', '.join(agency_name(k) for k in c.agency)}]"
        if c.is_row and c.deadline:
            extra = f"  [chủ trì: {c.lead}; thời hạn: {c.deadline}]"
        print(f"{'  ' * depth}{c.address:<10} {label}{extra}")
    return 0


# --- parser --------------------------------------------------------------------------------

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
