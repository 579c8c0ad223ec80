"""The storage on SQLite and on a real PostgreSQL server: accounts, sessions, the log-in limit,
feedback and history, and the schema created at start."""
from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from rag.storage import AccountError, Feedback, HistoryEntry, Rating, Role
from rag.storage import schema

PASSWORD = "mật-khẩu-đủ-dài"


def test_users_add_list_remove_with_salted_argon2_hashes(db):
    db.users.add("Lan", PASSWORD, Role.ADMIN)
    db.users.add("minh", PASSWORD, Role.READER)
    assert [(u.name, u.role) for u in db.users.list()] == [("lan", Role.ADMIN), ("minh", Role.READER)]
    with db.engine.connect() as conn:
        hashes = conn.execute(sa.select(schema.users.c.password_hash)).scalars().all()
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)
    assert hashes[0] != hashes[1]  # same password, different salts
    assert db.users.check_password("LAN ", PASSWORD).role is Role.ADMIN
    assert db.users.check_password("lan", "sai-mật-khẩu") is None
    assert db.users.check_password("không-có", PASSWORD) is None
    db.users.remove("minh")
    assert [u.name for u in db.users.list()] == ["lan"]


def test_account_mistakes_are_clear_vietnamese_errors(db):
    db.users.add("lan", PASSWORD, Role.READER)
    with pytest.raises(AccountError, match="đã có"):
        db.users.add("Lan", PASSWORD, Role.ADMIN)
    with pytest.raises(AccountError, match="ít nhất 8 ký tự"):
        db.users.add("hoa", "ngắn", Role.READER)
    with pytest.raises(AccountError, match="Tên người dùng"):
        db.users.add("có dấu cách", PASSWORD, Role.READER)
    with pytest.raises(AccountError, match="Không có người dùng"):
        db.users.remove("không-có")
    with pytest.raises(AccountError, match="reader, evaluator hoặc admin"):
        Role.parse("boss")


@pytest.mark.slow  # waits for a real time window to pass
def test_sessions_expire_and_go_with_their_account(make_db):
    db = make_db(session_hours=3 / 3600)  # three seconds
    db.users.add("lan", PASSWORD, Role.EVALUATOR)
    token = db.sessions.create("lan")
    assert db.sessions.user_of(token).role is Role.EVALUATOR
    assert db.sessions.user_of(token + "x") is None and db.sessions.user_of(None) is None
    time.sleep(3.3)
    assert db.sessions.user_of(token) is None
    db = make_db()
    token = db.sessions.create("lan")
    with db.engine.connect() as conn:  # only the hash is kept
        assert token not in conn.execute(sa.select(schema.sessions.c.token_hash)).scalars().all()
    db.users.remove("lan")
    assert db.sessions.user_of(token) is None


def test_feedback_round_trip_update_and_csv(db):
    cites = [{"plan_id": "lai-chau-2022-2025", "clause": "IV.3-2", "path": "IV › 3", "text": "Sở Giáo dục…"}]
    down = db.feedback.add(Feedback(rating=Rating.DOWN, question="Sở GD&ĐT phải làm gì?", answer="Không nêu.",
                                    citations=cites, plans=["lai-chau-2022-2025"], answerer="default",
                                    index_version="b1", user_name="lan"))
    db.feedback.add(Feedback(rating=Rating.UP, question="q2", answer="a2", user_name=None))
    assert db.feedback.update(down, "lan", comment="Thiếu nhiệm vụ IV.3-2, ghi chú \"trích\"")
    assert not db.feedback.update(down, "hoa", comment="không phải của tôi")  # only one's own
    downs = db.feedback.list(Rating.DOWN)
    assert len(downs) == 1 and downs[0].citations == cites and downs[0].plans == ["lai-chau-2022-2025"]
    assert downs[0].comment.startswith("Thiếu nhiệm vụ") and downs[0].index_version == "b1"
    import csv
    import io

    rows = list(csv.reader(io.StringIO(db.feedback.to_csv())))
    assert rows[0][3] == "đánh giá" and len(rows) == 3
    assert rows[1][3] == "👎" and rows[1][4] == "Thiếu nhiệm vụ IV.3-2, ghi chú \"trích\"" and "IV.3-2" in rows[1][7]
    assert rows[2][8] == "tất cả"
    assert db.feedback.remove(down, "lan") and db.feedback.list(Rating.DOWN) == []


def test_each_user_sees_only_their_own_history(db):
    db.history.add(HistoryEntry("Câu của Lan?", "Trả lời " * 100, "lan", ["ha-noi-2022-2025"]))
    db.history.add(HistoryEntry("Câu của Hoa?", "…", "hoa"))
    db.history.add(HistoryEntry("Câu thứ hai của Lan?", "ngắn", "lan"))
    mine = db.history.of_user("lan")
    assert [h.question for h in mine] == ["Câu thứ hai của Lan?", "Câu của Lan?"]
    assert len(mine[1].answer_summary) <= 300 and mine[1].plans == ["ha-noi-2022-2025"]
    assert [h.question for h in db.history.of_user("hoa")] == ["Câu của Hoa?"]


def test_schema_is_created_once_and_data_survives_a_restart(make_db):
    first = make_db()
    first.users.add("lan", PASSWORD, Role.ADMIN)
    first.close()
    again = make_db()  # create-if-missing finds everything there
    assert [u.name for u in again.users.list()] == ["lan"]
    with again.engine.connect() as conn:
        assert conn.execute(sa.select(schema.meta.c.value)).scalar() == str(schema.SCHEMA_VERSION)


def test_replicas_starting_together_and_writing_at_once(make_db):
    dbs, errors = [], []

    def start_and_write(n):
        try:
            db = make_db()
            dbs.append(db)
            for i in range(20):
                db.feedback.add(Feedback(rating=Rating.UP, question=f"q{n}-{i}", answer="a", user_name=f"u{n}"))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start_and_write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(dbs[0].feedback.list()) == 80


def test_sqlite_by_default_in_wal_mode_in_the_data_folder(tmp_path):
    from rag.config import load_settings
    from rag.storage import open_database

    db = open_database(load_settings(env={"RAG_DATA_DIR": str(tmp_path / "data")}))
    assert db.backend == "sqlite"
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert (tmp_path / "data" / "rag.sqlite3").exists()
    db.close()
