"""``rag user`` (accounts of the page) and ``rag feedback`` (what users said about answers). The work
is in ``rag.storage.commands``; here are the options and the user-facing errors."""
from __future__ import annotations

from rag.cli.common import UserError
from rag.config import Settings


def cmd_user(args, settings: Settings) -> int:
    # heavy (SQLAlchemy): imported only by the commands that open the database, so `rag --help` stays quick
    from rag.storage import AccountError, StorageError
    from rag.storage.commands import user_command

    try:
        return user_command(args, settings)
    except (AccountError, StorageError) as exc:
        raise UserError(str(exc)) from exc


def cmd_feedback(args, settings: Settings) -> int:
    from rag.storage import StorageError  # heavy (SQLAlchemy), as in cmd_user
    from rag.storage.commands import feedback_command

    try:
        return feedback_command(args, settings)
    except StorageError as exc:
        raise UserError(str(exc)) from exc


def register(sub) -> None:
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
