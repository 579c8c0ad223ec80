"""Issue 16 items 2, 6 (forwarded addresses; last, as it makes 127.0.0.1 wait), 7 and 10 (headers), against a real `rag serve` with
log-in forced on 127.0.0.1 and real accounts of each role."""
from __future__ import annotations

import json

import httpx
import pytest

from tests.conftest import ROOT  # noqa: F401  (the session's index is built by the fixtures)
from tests.ui.conftest import free_port
from tests.ui.test_login import rag, start

PASSWORD = "mật khẩu thử nghiệm"
QUESTION = {"question": "Sở Tài chính Lai Châu có nhiệm vụ gì?"}


@pytest.fixture(scope="module")
def server(assistant, index_root, tmp_path_factory):
    folder = tmp_path_factory.mktemp("security")
    env = {"RAG_INDEX_DIR": str(index_root), "RAG_DATA_DIR": str(folder / "data"), "RAG_DATABASE_URL": "",
           "RAG_REQUIRE_LOGIN": "1", "RAG_LOGIN_FREE_FAILURES_PER_ADDRESS": "4", "RAG_LOGIN_BACKOFF_BASE_S": "600",
           "FORWARDED_ALLOW_IPS": ""}
    for name, role in (("lan", "admin"), ("hoa", "evaluator"), ("minh", "reader"), ("khoa", "reader")):
        assert rag(env, "user", "add", name, "--role", role, "--password-stdin", stdin=PASSWORD + "\n").returncode == 0
    port = free_port()
    log_path = folder / "serve.log"
    proc = start(env, port, log_path)
    yield f"http://127.0.0.1:{port}/", log_path
    proc.terminate()
    proc.wait(15)


def _log_in(url, name, password=PASSWORD, **kw):
    return httpx.post(url + "login", data={"username": name, "password": password}, timeout=60, **kw)


def test_api_ask_needs_a_session_when_log_in_is_required(server):
    url, _ = server
    bare = httpx.post(url + "api/ask", json=QUESTION, timeout=60)
    assert bare.status_code == 401 and "Cần đăng nhập" in bare.json()["detail"]
    assert bare.headers["www-authenticate"] == "Bearer"
    assert httpx.post(url + "api/ask", json=QUESTION, timeout=60,
                      headers={"Authorization": "Bearer khong-phai-ma"}).status_code == 401
    assert httpx.post(url + "api/ask", json=QUESTION, timeout=60, cookies={"rag-session": "x" * 43}).status_code == 401
    logged = _log_in(url, "minh")  # a reader: the least role asks
    assert logged.status_code == 200
    token = logged.json()["token"]
    assert logged.json()["token_type"] == "bearer" and logged.cookies["rag-session"] == token
    with_cookie = httpx.post(url + "api/ask", json=QUESTION, cookies={"rag-session": token}, timeout=60)
    assert with_cookie.status_code == 200 and "Sở Tài chính" in with_cookie.json()["answer"]
    with_bearer = httpx.post(url + "api/ask", json=QUESTION, headers={"Authorization": f"Bearer {token}"}, timeout=60)
    assert with_bearer.status_code == 200 and with_bearer.json()["citations"]
    httpx.post(url + "logout", headers={"Authorization": f"Bearer {token}"}, timeout=60)
    assert httpx.post(url + "api/ask", json=QUESTION, headers={"Authorization": f"Bearer {token}"},
                      timeout=60).status_code == 401  # ended with the session


def test_health_and_schema_are_open_on_purpose(server):
    url, _ = server
    assert httpx.get(url + "healthz", timeout=60).status_code == 200
    schema = httpx.get(url + "openapi.json", timeout=60)
    assert schema.status_code == 200 and "/api/ask" in schema.json()["paths"]


def _nested(levels: int) -> str:
    return '{"question": ' + "[" * levels + "]" * levels + "}"


def test_deeply_nested_json_gets_400_in_vietnamese_and_no_traceback(server):
    url, log_path = server
    token = _log_in(url, "minh").json()["token"]
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    body = _nested(50_000)  # the probe: 50,000 levels, 100 KB
    assert len(body) >= 100_000
    for path in ("api/ask", "gradio_api/call/ask"):
        answer = httpx.post(url + path, content=body, headers=auth, timeout=60)
        assert answer.status_code == 400, (path, answer.text)
        assert answer.json()["detail"] == "Nội dung JSON lồng nhau quá sâu (tối đa 64 cấp)."
    assert httpx.post(url + "gradio_api/call/ask", content='{"data": ' + "[" * 65 + "]" * 65 + "}", headers=auth,
                      timeout=60).status_code == 400
    shallow = httpx.post(url + "api/ask", content=json.dumps(QUESTION), headers=auth, timeout=60)
    assert shallow.status_code == 200  # ordinary bodies pass unchanged
    text = log_path.read_text(errors="replace")
    assert "Traceback" not in text and "RecursionError" not in text


def test_security_headers_on_every_answer_and_the_page_still_works(server):
    url, _ = server
    cookies = {"rag-session": _log_in(url, "lan").json()["token"]}
    for path, kw in (("login", {}), ("", {"cookies": cookies}), ("config", {"cookies": cookies}), ("healthz", {})):
        answer = httpx.get(url + path, timeout=60, **kw)
        assert answer.status_code == 200, path
        assert answer.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    page = httpx.get(url, cookies=cookies, timeout=60)
    assert "<html" in page.text.lower()


def test_page_runs_in_a_browser_under_the_csp(server):
    from playwright.sync_api import sync_playwright

    from tests.ui.conftest import ARGS, CHROMIUM

    url, _ = server
    violations = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(locale="vi-VN")
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(url, wait_until="load")
        page.fill("#username", "minh")
        page.fill("#password", PASSWORD)
        page.click("#login")
        page.wait_for_selector("#question textarea", timeout=60_000)
        page.locator("#question textarea").fill("Sở Tài chính Lai Châu có nhiệm vụ gì?")
        page.locator("#send").click()
        page.wait_for_function("() => { const b = document.querySelectorAll('#chat .message'); "
                               "return b.length > 1 && !b[b.length-1].innerText.includes('Đang tìm'); }",
                               timeout=60_000)
        assert "Sở Tài chính" in page.locator("#chat").inner_text()
        browser.close()
    assert violations == []


def test_one_password_limit_for_user_add_and_log_in(server, tmp_path):
    url, _ = server
    env = {"RAG_DATA_DIR": str(tmp_path), "RAG_DATABASE_URL": ""}
    long = rag(env, "user", "add", "dai", "--role", "reader", "--password-stdin", stdin="x" * 5000 + "\n")
    assert long.returncode == 2 and "dài quá 256 ký tự" in long.stderr and "Traceback" not in long.stderr
    assert _log_in(url, "minh", "x" * 5000).status_code == 401


@pytest.fixture(scope="module")
def bad_uploads(tmp_path_factory) -> dict:
    from tests.security import bad_files

    folder = tmp_path_factory.mktemp("bad-uploads")
    return {"shared-string": bad_files.xlsx_huge_shared_string(folder / "chuoi.xlsx"),
            "columns": bad_files.xlsx_million_columns(folder / "cot.xlsx"),
            "blank-rows": bad_files.xlsx_million_blank_rows(folder / "dong.xlsx"),
            "docx-bomb": bad_files.docx_bomb(folder / "bom.docx"),
            "many-clauses": bad_files.docx_many_clauses(folder / "nhieu.docx")}


@pytest.mark.parametrize("case, who, handler, expected", [
    ("shared-string", "hoa", ("eval-file", "change"), "vượt giới hạn 50 MB"),
    ("columns", "hoa", ("eval-file", "change"), "tối đa 100 cột"),
    ("blank-rows", "hoa", ("eval-file", "change"), "kể cả dòng trống"),
    ("docx-bomb", "lan", ("read-plan", "click"), "nghi là «bom zip»"),
    ("many-clauses", "lan", ("read-plan", "click"), "vượt xa một kế hoạch"),
])
def test_the_probes_bad_uploads_are_refused_by_the_real_handlers(server, bad_uploads, case, who, handler, expected):
    """The probe's way in: upload, then the tab's handler by fn_index, as an evaluator (question files) or
    an administrator (plans)."""
    from tests.security.gradio_calls import GradioCaller, first_text

    url, log_path = server
    caller = GradioCaller(url, cookies={"rag-session": _log_in(url, who).json()["token"]})
    try:
        fn, trigger = caller.fn_index(*handler)
        message = caller.call(fn, [caller.upload(bad_uploads[case])], trigger)
    finally:
        caller.close()
    assert message.get("success"), message
    assert expected in first_text(message)
    assert "Traceback" not in log_path.read_text(errors="replace")


def test_every_page_handler_given_null_inputs_answers_without_a_traceback(server):
    """The probe called private handlers with nulls by fn_index: ``error: null`` and a traceback. Now each
    one answers (mended: null → [] for list inputs) or is refused with 400 in Vietnamese."""
    import httpx as http

    from tests.security.gradio_calls import GradioCaller

    url, log_path = server
    caller = GradioCaller(url, cookies={"rag-session": _log_in(url, "lan").json()["token"]}, timeout=120)
    outcomes = {}
    try:
        for dep in caller.config["dependencies"]:
            try:
                message = caller.call(dep["id"], [None] * len(dep.get("inputs", [])))
                outcomes[dep["id"]] = "answered" if message.get("success") is not None else message
            except http.HTTPStatusError as exc:
                assert exc.response.status_code == 400, exc.response.text
                assert exc.response.json()["detail"] == "Dữ liệu gửi lên không hợp lệ cho thao tác này."
                outcomes[dep["id"]] = "refused"
    finally:
        caller.close()
    assert len(outcomes) > 20 and list(outcomes.values()).count("answered") > 20
    text = log_path.read_text(errors="replace")
    assert "Traceback" not in text and "ComponentProcessingError" not in text


def test_forwarded_for_from_loopback_is_not_trusted(server):
    url, _ = server
    statuses = [_log_in(url, f"doan-{n}", "sai", headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
                for n in range(6)]
    # at most four free failures from 127.0.0.1 whatever the header says (earlier tests may have used
    # some), then that address waits: a rotating header does not escape the per-address back-off
    first = statuses.index(429)
    assert 1 <= first <= 4 and set(statuses[:first]) == {401} and set(statuses[first:]) == {429}
    assert _log_in(url, "khoa", headers={"X-Forwarded-For": "198.51.100.7"}).status_code == 429
