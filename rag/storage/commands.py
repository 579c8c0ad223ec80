"""What ``rag user …`` and ``rag feedback export`` do (the parser lives in rag/cli/accounts.py)."""
from __future__ import annotations

import getpass
import sys
from pathlib import Path

from rag.config import Settings
from rag.sheets import write_atomic
from rag.storage.database import open_database
from rag.storage.records import AccountError, Role


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise AccountError("Không có bàn phím để nhập mật khẩu; dùng --password-stdin.")
    first = getpass.getpass("Mật khẩu: ")
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise AccountError("Hai lần nhập mật khẩu không khớp.")
    return first


def user_command(args, settings: Settings) -> int:
    db = open_database(settings)
    try:
        if args.action == "add":
            role = Role.parse(args.role)
            user = db.users.add(args.name, _read_password(args.password_stdin), role)
            print(f"Đã thêm người dùng «{user.name}» với vai trò {role.label} ({db.describe()}).")
        elif args.action == "remove":
            db.users.remove(args.name)
            print(f"Đã xóa người dùng «{args.name}» (góp ý và lịch sử câu hỏi của họ vẫn được giữ).")
        else:
            users = db.users.list()
            if not users:
                print("Chưa có tài khoản nào. Thêm: rag user add TÊN --role admin")
            for u in users:
                print(f"{u.name:<24} {u.role.label:<10} tạo lúc {u.created_at:%Y-%m-%d %H:%M} UTC")
    finally:
        db.close()
    return 0


def feedback_command(args, settings: Settings) -> int:
    db = open_database(settings)
    try:
        text = db.feedback.to_csv()
        count = len(db.feedback.list())
    finally:
        db.close()
    if not args.out:
        sys.stdout.write(text)
        return 0
    out = write_atomic(Path(args.out), text)  # written whole, then renamed; BOM: spreadsheets read Vietnamese
    print(f"Đã xuất {count} góp ý vào {out}", file=sys.stderr)
    return 0
