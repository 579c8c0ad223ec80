"""Roles are checked on the server at every call of every handler, whatever the page shows.

In-process: every handler the page registers went through the one role helper (``ui.access.Wiring``),
and every one but ``/ask`` is private. Against a real `rag serve` with log-in and real accounts:
each protected handler, called by ``fn_index`` through ``/gradio_api/queue/join`` as an attacker
would, is refused with no session (401), as a reader and (for admin handlers) as an evaluator, with
a Vietnamese message and an English WARNING naming the handler and the user; nothing changes (no
plan added, no evaluation run kept). The same call as a role that may make it is answered."""
from __future__ import annotations

import json
import os
import shutil
import uuid

import httpx
import pytest

from rag.storage import Role
from tests.ingest.conftest import copy_corpus
from tests.ui.conftest import free_port
from tests.ui.test_login import PASSWORD, log_in, rag, start
from ui.access import REFUSED, Access

# the page's protected handlers, by the element that triggers them: (elem_id, event) -> role needed
PROTECTED = {("read-plan", "click"): Role.ADMIN, ("confirm-plan", "click"): Role.ADMIN,
             ("tab-feedback", "select"): Role.ADMIN, ("feedback-refresh", "click"): Role.ADMIN,
             ("eval-file", "change"): Role.EVALUATOR, ("eval-run", "click"): Role.EVALUATOR,
             ("eval-stop", "click"): Role.EVALUATOR, ("eval-failures", "change"): Role.EVALUATOR,
             ("eval-table", "select"): Role.EVALUATOR, ("eval-compare", "click"): Role.EVALUATOR}
SELECTED = {"index": [0, 1], "value": "q1", "row_value": ["✓", "q1"], "selected": True}  # a click on a row
PLAN_TEXT = ("ỦY BAN NHÂN DÂN TỈNH THỬ\nKẾ HOẠCH\nThực hiện Quyết định 830/QĐ-TTg\nI. MỤC ĐÍCH\n"
             "1. Bảo vệ trẻ em trên môi trường mạng.\nII. TỔ CHỨC THỰC HIỆN\n1. Sở Tư pháp: phổ biến pháp luật.\n")


# --- in-process: every handler goes through the role helper --------------------------------------

@pytest.fixture(scope="module")
def demo(settings, assistant):
    from ui.app import build_app
    from ui.loader import AssistantLoader

    return build_app(settings, AssistantLoader(settings, assistant.corpus), Access())


def test_every_handler_of_the_page_goes_through_the_role_check(demo):
    handlers = [f for f in demo.fns.values() if f.fn is not None]  # fn None: runs in the browser only
    assert len(handlers) > 40
    unchecked = [f.name for f in handlers if not isinstance(getattr(f.fn, "rag_role", None), Role)]
    assert not unchecked, f"handlers not registered through ui.access.Wiring: {unchecked}"
    public = sorted(f.api_name for f in handlers if f.api_visibility != "private")
    assert public == ["ask"]
    roles = {f.fn.__qualname__: f.fn.rag_role for f in handlers}
    assert roles["AddPlanTab.on_read"] is roles["AddPlanTab.on_confirm"] is roles["FeedbackTab.thumbs_down"] is Role.ADMIN
    assert {roles[f"EvalTab.{n}"] for n in ("on_upload", "run_eval", "stop_eval", "filter_table", "open_row",
                                             "compare")} == {Role.EVALUATOR}
    assert roles["ChatTab.respond"] is roles["ChatTab.ask_api"] is Role.READER


def test_the_role_helper_refuses_logs_and_keeps_generators(tmp_path, caplog):
    import inspect

    import gradio as gr

    from rag.config import load_settings
    from rag.storage import open_database
    from ui.access import Refused, guard

    db = open_database(load_settings(env={"RAG_DATA_DIR": str(tmp_path)}))
    db.users.add("minh", "mật khẩu đủ dài", Role.READER)
    db.users.add("lan", "mật khẩu đủ dài", Role.ADMIN)
    access = Access("0.0.0.0", db, login=True)
    added = []

    def add_plan(name: str, progress=gr.Progress()):
        added.append(name)
        return "ok"

    def stream(n: int):
        yield from range(n)

    checked, streamed = guard(access, Role.ADMIN, add_plan), guard(access, Role.READER, stream)
    params = list(inspect.signature(checked).parameters.values())
    assert [p.name for p in params] == ["name", "progress", "rag_request"] and params[2].annotation is gr.Request
    with pytest.raises(Refused, match=REFUSED):
        checked("kế hoạch", None, gr.Request(username="minh"))
    with pytest.raises(Refused):
        checked("kế hoạch", None, gr.Request(username=None))  # no session
    assert added == []
    assert "refused handler test_the_role_helper_refuses_logs_and_keeps_generators.<locals>.add_plan to user 'minh'" \
        in caplog.text and "WARNING" in caplog.text
    assert checked("kế hoạch", None, gr.Request(username="lan")) == "ok" and added == ["kế hoạch"]
    assert inspect.isgeneratorfunction(streamed) and list(streamed(3, gr.Request(username="minh"))) == [0, 1, 2]
    db.close()


def test_the_protected_list_below_names_every_protected_handler(demo):
    by_id = {b._id: getattr(b, "elem_id", None) for b in demo.blocks.values()}
    protected = set()
    for f in demo.fns.values():
        if f.fn is not None and f.fn.rag_role > Role.READER:
            protected |= {(by_id.get(block_id), event) for block_id, event in f.targets}
    assert protected == set(PROTECTED)


# --- a real server with accounts ------------------------------------------------------------------

@pytest.fixture(scope="module")
def roles_server(assistant, index_root, tmp_path_factory):
    root = tmp_path_factory.mktemp("roles")
    shutil.copytree(index_root / "cache", root / "index" / "cache")
    env = {"RAG_CORPUS_DIR": str(copy_corpus(root)), "RAG_INDEX_DIR": str(root / "index"),
           "RAG_DATA_DIR": str(root / "data"),
           "RAG_RUNS_DIR": str(root / "runs"), "RAG_DATABASE_URL": "", "RAG_REQUIRE_LOGIN": "1"}
    for name, role in (("lan", "admin"), ("thu", "evaluator"), ("minh", "reader")):
        assert rag(env, "user", "add", name, "--role", role, "--password-stdin", stdin=PASSWORD + "\n").returncode == 0
    port = free_port()
    proc = start(env, port, root / "serve.log")
    yield f"http://127.0.0.1:{port}/", root
    proc.terminate()
    proc.wait(15)


class Caller:
    """Calls the page's handlers by fn_index, like a script that skips the page."""

    def __init__(self, url: str, name: str | None) -> None:
        cookies = log_in(url, name, PASSWORD).cookies if name else None
        self.http = httpx.Client(base_url=url, cookies=cookies, timeout=120)

    def upload(self, file_name: str, data: bytes) -> dict:
        path = self.http.post("gradio_api/upload", files={"files": (file_name, data)}).json()[0]
        return {"path": path, "orig_name": file_name, "meta": {"_type": "gradio.FileData"}}

    def call(self, fn_index: int, data: list, trigger_id: int | None = None, event_data: dict | None = None):
        """The queue's last message for the call (``process_completed``), or the refused HTTP response."""
        session = uuid.uuid4().hex
        joined = self.http.post("gradio_api/queue/join", json={"data": data, "fn_index": fn_index,
                                                               "event_data": event_data,
                                                               "session_hash": session, "trigger_id": trigger_id})
        if joined.status_code != 200:
            return joined
        with self.http.stream("GET", "gradio_api/queue/data", params={"session_hash": session}) as stream:
            for line in stream.iter_lines():
                if line.startswith("data:"):
                    message = json.loads(line[5:])
                    if message.get("msg") == "process_completed":
                        return message
        raise AssertionError("the queue closed without completing the call")


def _dependencies(url: str) -> dict[tuple[str, str], tuple[int, int, list]]:
    """(elem_id, event) -> (fn_index, trigger id, default inputs) from the page's config."""
    config = Caller(url, "lan").http.get("config").json()
    components = {c["id"]: c for c in config["components"]}
    found = {}
    for index, dep in enumerate(config["dependencies"]):
        for block_id, event in dep["targets"]:
            elem_id = components.get(block_id, {}).get("props", {}).get("elem_id")
            if (elem_id, event) in PROTECTED:
                inputs = [components[i]["props"].get("value") for i in dep["inputs"]]
                found[(elem_id, event)] = (dep.get("id", index), block_id, inputs)
    return found


def _refused(reply) -> bool:
    return isinstance(reply, dict) and reply.get("success") is False and REFUSED in (reply["output"].get("error") or "")


def test_protected_handlers_refuse_callers_without_the_role(roles_server):
    url, root = roles_server
    deps = _dependencies(url)
    assert set(deps) == set(PROTECTED)
    plans_before = (root / "corpus" / "plans.toml").read_bytes()
    reader, evaluator, admin = Caller(url, "minh"), Caller(url, "thu"), Caller(url, None)
    upload = reader.upload("ke-hoach-thu.txt", PLAN_TEXT.encode())
    questions = reader.upload("cau-hoi.csv", "id,câu hỏi\nq1,Sở Tư pháp có nhiệm vụ gì?\n".encode())
    for key, (fn_index, trigger, inputs) in deps.items():
        data = list(inputs)
        if key == ("read-plan", "click"):
            data = [upload]
        if key in (("eval-file", "change"), ("eval-run", "click")):
            data[0] = questions
        event = SELECTED if key[1] == "select" else None
        assert admin.call(fn_index, data, trigger, event).status_code == 401, key  # no session: the app is closed
        assert _refused(reader.call(fn_index, data, trigger, event)), key
        if PROTECTED[key] is Role.ADMIN:
            assert _refused(evaluator.call(fn_index, data, trigger, event)), key
    assert (root / "corpus" / "plans.toml").read_bytes() == plans_before  # no plan added
    assert not (root / "corpus" / "originals" / "ke-hoach-thu.txt").exists()
    assert not [p for p in (root / "runs").glob("*") if not p.name.startswith(".")]  # no run kept
    log = (root / "serve.log").read_text(encoding="utf-8")
    assert "WARNING" in log and "refused handler AddPlanTab.on_read to user 'minh'" in log
    assert "refused handler EvalTab.run_eval to user 'minh'" in log
    assert "refused handler AddPlanTab.on_confirm to user 'thu'" in log


def test_the_same_calls_are_answered_for_a_role_that_may_make_them(roles_server):
    url, _ = roles_server
    deps = _dependencies(url)
    admin, evaluator = Caller(url, "lan"), Caller(url, "thu")
    fn_index, trigger, inputs = deps[("confirm-plan", "click")]
    reply = admin.call(fn_index, inputs, trigger)  # no draft read yet: the handler's own message
    assert reply["success"] and "Hãy đọc một tệp kế hoạch" in json.dumps(reply["output"], ensure_ascii=False)
    fn_index, trigger, inputs = deps[("eval-compare", "click")]
    reply = evaluator.call(fn_index, inputs, trigger)
    assert reply["success"] and "Hãy chọn hai lần chạy" in json.dumps(reply["output"], ensure_ascii=False)
