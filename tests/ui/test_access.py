"""Access.role_of: admins on a loopback page without log-in; with log-in, the account's role."""
from __future__ import annotations

import gradio as gr

from rag.config import load_settings
from rag.storage import Role, open_database
from ui.access import Access


def test_without_log_in_loopback_visitors_are_admins_and_others_readers():
    nobody = gr.Request(username=None)
    assert Access("127.0.0.1").role_of(nobody) is Role.ADMIN
    assert Access("localhost").allows(nobody, Role.ADMIN)
    assert Access("0.0.0.0").role_of(nobody) is Role.READER
    assert Access("127.0.0.1").user_name(gr.Request(username="lan")) is None  # no accounts: names are not trusted


def test_with_log_in_the_role_is_the_accounts(tmp_path):
    db = open_database(load_settings(env={"RAG_DATA_DIR": str(tmp_path)}))
    db.users.add("lan", "mật khẩu đủ dài", Role.EVALUATOR)
    access = Access("0.0.0.0", db, login=True)
    lan = gr.Request(username="lan")
    assert access.role_of(lan) is Role.EVALUATOR and access.user_name(lan) == "lan"
    assert access.allows(lan, Role.READER) and access.allows(lan, Role.EVALUATOR) and not access.allows(lan, Role.ADMIN)
    assert access.role_of(gr.Request(username=None)) is None and not access.allows(None, Role.READER)
    assert access.role_of(gr.Request(username="không-có")) is None
    db.close()
