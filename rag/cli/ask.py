"""``rag search``, ``rag ask`` and ``rag chat``: questions answered (or searched) in the terminal."""
from __future__ import annotations

import argparse
import sys

from rag.cli.common import (UserError, index_options, make_assistant, plan_ids, print_json, question_arg,
                            question_options, settings_for)
from rag.config import Settings
from rag.retrieval.question import QuestionError

NEW_CONVERSATION = ("/moi", "/mới", "/new")


def check_k(k: int | None) -> int:
    if k is None:
        return 10
    if k <= 0:
        raise UserError(f"-k phải là số nguyên dương (đã nhập {k}).")
    if k > 200:
        raise UserError(f"-k tối đa là 200 (đã nhập {k}).")
    return k


def cmd_search(args, settings: Settings) -> int:
    settings = settings_for(args, settings)
    question = question_arg(args.question, settings)
    k = check_k(args.k)
    assistant = make_assistant(settings)
    result = assistant.search(question, plan_ids(assistant.corpus, args.plan), k=k, mode=args.retriever)
    if args.json:
        print_json([h.to_dict() for h in result.hits])
        return 0
    if result.scope.elsewhere:
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
    settings = settings_for(args, settings)
    question = question_arg(args.question, settings)
    assistant = make_assistant(settings)
    answer = assistant.ask(question, plan_ids(assistant.corpus, args.plan), args.retriever, args.answerer,
                           history=args.history or ())
    if args.json:
        print_json(answer.to_dict())
    else:
        print(render_answer(answer))
    return 0


def cmd_chat(args, settings: Settings) -> int:
    """A conversation in the terminal: each question is read as a follow-up to the earlier ones."""
    settings = settings_for(args, settings)
    assistant = make_assistant(settings)
    plans = plan_ids(assistant.corpus, args.plan)
    history: list[str] = []
    print("Hỏi về các kế hoạch (câu sau được hiểu tiếp theo câu trước). Gõ «/moi» để bắt đầu hội thoại mới, "
          "Ctrl+D để thoát.", file=sys.stderr)
    while True:
        try:
            line = input("Bạn: ")
        except EOFError:
            print(file=sys.stderr)
            return 0
        if line.strip() in NEW_CONVERSATION:
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


def register(sub) -> None:
    p = sub.add_parser("search", help="tìm các đoạn liên quan trong các kế hoạch")
    p.add_argument("question", help="câu hỏi (có dấu hoặc không dấu)")
    question_options(p, "chỉ tìm trong kế hoạch này (có thể lặp lại)")
    p.add_argument("-k", type=int, default=10, help="số đoạn trả về (mặc định 10)")
    p.add_argument("--retriever", choices=["hybrid", "dense", "lexical"], help="cách tìm (mặc định hybrid)")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="hỏi và nhận câu trả lời có trích dẫn")
    p.add_argument("question", help="câu hỏi")
    question_options(p, "chỉ trả lời theo kế hoạch này (có thể lặp lại)")
    p.add_argument("--retriever", choices=["hybrid", "dense", "lexical"], help=argparse.SUPPRESS)
    p.add_argument("--answerer", default="default", choices=["default", "llm"], help="default (không cần LLM) hoặc llm")
    p.add_argument("--history", action="append", metavar="CÂU_TRƯỚC",
                   help="câu hỏi trước trong hội thoại (lặp lại, cũ nhất trước): câu hỏi được hiểu tiếp theo chúng")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="hội thoại trong cửa sổ lệnh: câu sau được hiểu tiếp theo câu trước")
    p.add_argument("--plan", action="append", help="chỉ trả lời theo kế hoạch này (có thể lặp lại)")
    p.add_argument("--answerer", default="default", choices=["default", "llm"], help="default (không cần LLM) hoặc llm")
    index_options(p)
    p.set_defaults(func=cmd_chat)
