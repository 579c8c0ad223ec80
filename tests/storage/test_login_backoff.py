"""Item 6 of issue 16: log-in back-off per (user, address) pair and per address, on SQLite and on a
real PostgreSQL, with the storage clock (``rag/storage/clock.py``) stepped forward instead of sleeping.

The inputs that broke: five wrong passwords for a reader from five addresses locked the reader out
for 15 minutes even with the right password; twenty failures from one address locked out the admin."""
from __future__ import annotations

import os
import stat
from datetime import datetime, timedelta

import pytest

from rag.storage import Role, clock

PASSWORD = "mật khẩu đủ dài"


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, 8, 0, 0)

    def __call__(self) -> datetime:
        return self.now

    def step(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture()
def fake_clock():
    fake = FakeClock()
    with clock.use(fake):
        yield fake


def test_failures_from_other_addresses_do_not_lock_the_user_out(make_db, fake_clock):
    db = make_db()
    db.users.add("minh", PASSWORD, Role.READER)
    for n in range(5):  # the probe: five wrong passwords from five addresses
        assert not db.logins.log_in("minh", "đoán mò", f"10.0.0.{n + 1}").ok
    assert db.logins.log_in("minh", PASSWORD, "192.168.1.7").ok  # the reader from their own address


def test_one_pair_backs_off_doubling_and_the_right_password_waits_too(make_db, fake_clock):
    db = make_db(login_free_failures_per_pair=3, login_backoff_base_s=2.0, login_backoff_max_s=60.0)
    db.users.add("minh", PASSWORD, Role.READER)
    for _ in range(3):
        assert db.logins.log_in("minh", "sai", "10.0.0.1").message == "Tên đăng nhập hoặc mật khẩu không đúng."
    waiting = db.logins.log_in("minh", PASSWORD, "10.0.0.1")  # no password is checked while it waits
    assert not waiting.ok and waiting.retry_after_s == pytest.approx(2.0) and "thử lại sau 2 giây" in waiting.message
    assert db.logins.log_in("minh", PASSWORD, "10.0.0.2").ok  # the same user elsewhere is not slowed
    fake_clock.step(2.1)
    assert not db.logins.log_in("minh", "sai", "10.0.0.1").ok  # a fourth failure: now 4 s
    assert db.logins.wait_s("minh", "10.0.0.1") == pytest.approx(4.0)
    fake_clock.step(4.1)
    db.logins.log_in("minh", "sai", "10.0.0.1")
    assert db.logins.wait_s("minh", "10.0.0.1") == pytest.approx(8.0)
    for _ in range(6):  # the wait stops growing at the maximum
        fake_clock.step(61)
        db.logins.log_in("minh", "sai", "10.0.0.1")
    assert db.logins.wait_s("minh", "10.0.0.1") == pytest.approx(60.0)
    fake_clock.step(60.5)
    ok = db.logins.log_in("minh", PASSWORD, "10.0.0.1")
    assert ok.ok and db.sessions.user_of(ok.token).name == "minh"
    assert db.logins.wait_s("minh", "10.0.0.1") == 0  # a success starts that pair afresh


def test_an_address_that_keeps_failing_is_slowed_but_the_admin_elsewhere_is_not(make_db, fake_clock):
    db = make_db(login_free_failures_per_address=20)
    db.users.add("lan", PASSWORD, Role.ADMIN)
    for n in range(20):  # the probe: twenty failures from one address, rotating names
        db.logins.log_in(f"doan-{n}", "sai", "10.0.0.66")
    slowed = db.logins.log_in("lan", PASSWORD, "10.0.0.66")
    assert not slowed.ok and slowed.retry_after_s == pytest.approx(1.0)
    assert db.logins.log_in("lan", PASSWORD, "10.0.0.5").ok  # the admin from their own address
    fake_clock.step(1.5)
    assert db.logins.log_in("lan", PASSWORD, "10.0.0.66").ok  # a slow-down, not a lock-out


def test_failures_older_than_the_window_are_forgotten(make_db, fake_clock):
    db = make_db(login_free_failures_per_pair=1, login_window_s=300.0, login_backoff_max_s=10_000.0,
                 login_backoff_base_s=1000.0)
    db.users.add("lan", PASSWORD, Role.READER)
    db.logins.log_in("lan", "sai", "10.0.0.1")
    assert db.logins.wait_s("lan", "10.0.0.1") == pytest.approx(1000.0)
    fake_clock.step(301)
    assert db.logins.log_in("lan", PASSWORD, "10.0.0.1").ok


def test_one_password_limit_and_nfc(make_db):
    from rag.storage import AccountError
    from rag.storage.users import MAX_PASSWORD_CHARS

    db = make_db()
    with pytest.raises(AccountError, match="dài quá"):
        db.users.add("dai", "x" * 5000, Role.READER)  # the probe's 5,000 characters
    db.users.add("vua", "a" * MAX_PASSWORD_CHARS, Role.READER)
    assert db.logins.log_in("vua", "a" * MAX_PASSWORD_CHARS, "10.0.0.1").ok
    decomposed = "mật khẩu tiếng Việt".replace("ậ", "a\u0323\u0302").replace("ẩ", "a\u0302\u0309")
    assert decomposed != "mật khẩu tiếng Việt"
    db.users.add("nfc", decomposed, Role.READER)
    assert db.logins.log_in("nfc", "mật khẩu tiếng Việt", "10.0.0.1").ok  # typed composed, set decomposed


def test_sqlite_file_is_private(tmp_path):
    from rag.config import load_settings
    from rag.storage import open_database

    folder = tmp_path / "data"
    folder.mkdir()
    old = folder / "rag.sqlite3"
    old.touch(mode=0o644)
    os.chmod(old, 0o644)
    db = open_database(load_settings(env={}).replace(data_dir=folder, database_url=""))
    db.users.add("lan", PASSWORD, Role.READER)
    db.close()
    assert stat.S_IMODE(old.stat().st_mode) == 0o600  # an existing 0644 file is narrowed
    fresh = tmp_path / "fresh"
    db = open_database(load_settings(env={}).replace(data_dir=fresh, database_url=""))
    db.users.add("lan", PASSWORD, Role.READER)
    db.close()
    for f in fresh.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) & 0o077 == 0, f
