"""``rag serve``: the page (Gradio) with ``POST /api/ask`` beside it."""
from __future__ import annotations

import sys

from rag.cli.common import UserError, corpus_for_use
from rag.config import Settings


def cmd_serve(args, settings: Settings) -> int:
    # heavy (Gradio, SQLAlchemy): imported only when the page is served, so `rag --help` stays quick
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
    corpus = corpus_for_use(settings)  # names every plan that failed to load; the page is served with the others
    print(f"Trang hỏi đáp: http://{args.host}:{args.port}  (Ctrl+C để dừng)", file=sys.stderr)
    serve(settings, host=args.host, port=args.port, corpus=corpus)
    return 0


def register(sub) -> None:
    p = sub.add_parser("serve", help="mở trang hỏi đáp (Gradio) trên máy này")
    p.add_argument("--host", default="127.0.0.1", help="địa chỉ lắng nghe (mặc định 127.0.0.1: chỉ máy này)")
    p.add_argument("--port", type=int, default=7860, help="cổng (mặc định 7860)")
    p.set_defaults(func=cmd_serve)
