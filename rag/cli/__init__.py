"""The ``rag`` command: outline, build, search, ask, chat, deadlines, workplan, checklist, eval, serve, add,
plans, remove, user, feedback, model. One module per command group; each has ``cmd_*`` functions ``(args, settings) ->
exit code`` and a ``register(sub)`` that adds its sub-commands to the parser. A new command goes
into the group it belongs to (or a new module listed in ``GROUPS``).

Messages for people are in Vietnamese; logs (stderr, ``--verbose``) are in English.
"""
from __future__ import annotations

import argparse
import logging
import sys

from rag.cli import accounts, ask, corpus, eval as eval_cmd, model, schedule, serve
from rag.cli.common import EXIT_FAILURE, EXIT_USAGE, UserError
from rag.cli.ask import render_answer
from rag.config import load_settings

__all__ = ["EXIT_FAILURE", "EXIT_USAGE", "UserError", "build_parser", "main", "render_answer"]

log = logging.getLogger("rag")

# in the order ``rag --help`` lists them
GROUPS = (corpus.register, ask.register, schedule.register, eval_cmd.register, serve.register, corpus.register_plans,
          accounts.register, model.register)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rag",
        description="Hỏi đáp về các kế hoạch bảo vệ trẻ em trên môi trường mạng (trích dẫn kế hoạch và điều khoản).",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="ghi nhật ký chi tiết (tiếng Anh) ra stderr")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    for register in GROUPS:
        register(sub)
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
