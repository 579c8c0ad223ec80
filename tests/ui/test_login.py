"""Log-in on the page, against real `rag serve` processes: refused to start beyond loopback
without accounts; with log-in forced on 127.0.0.1, wrong passwords refused, a limit on tries,
sessions that end, roles from the accounts, and gradio_client logging in like a browser."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import httpx
import pytest

from tests.conftest import ROOT
from tests.ui.conftest import free_port

PASSWORD = "mật khẩu thử nghiệm"


def rag(env: dict, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rag.cli", *args], cwd=ROOT, env={**os.environ, **env}, input=stdin,
                          capture_output=True, text=True, timeout=120)


def start(env: dict, port: int, log_path, host: str = "127.0.0.1") -> subprocess.Popen:
    from ui.app import wait_until_up

    proc = subprocess.Popen([sys.executable, "-m", "rag.cli", "serve", "--host", host, "--port", str(port)], cwd=ROOT,
                            env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", **env},
                            stdout=open(log_path, "w"), stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/login", timeout=120)
    except TimeoutError:
        proc.kill()
        raise
    return proc


def test_refuses_to_start_beyond_loopback_without_accounts(index_root, tmp_path):
    env = {"RAG_INDEX_DIR": str(index_root), "RAG_DATA_DIR": str(tmp_path), "RAG_DATABASE_URL": ""}
    for args, extra in (((("--host", "0.0.0.0")), {}), ((), {"RAG_REQUIRE_LOGIN": "1"})):
        done = rag({**env, **extra}, "serve", *args, "--port", str(free_port()))
        assert done.returncode == 2
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "chưa có tài khoản nào" in lines[0] and "rag user add" in lines[0]


@pytest.fixture(scope="module")
def login_server(assistant, index_root, tmp_path_factory):
    folder = tmp_path_factory.mktemp("login")
    env = {"RAG_INDEX_DIR": str(index_root), "RAG_DATA_DIR": str(folder / "data"), "RAG_DATABASE_URL": "",
           "RAG_REQUIRE_LOGIN": "1", "RAG_LOGIN_FREE_FAILURES_PER_PAIR": "3", "RAG_LOGIN_BACKOFF_BASE_S": "600", "RAG_SESSION_HOURS": str(20 / 3600)}
    for name, role in (("lan", "admin"), ("minh", "reader"), ("khoa", "reader")):
        assert rag(env, "user", "add", name, "--role", role, "--password-stdin", stdin=PASSWORD + "\n").returncode == 0
    port = free_port()
    proc = start(env, port, folder / "serve.log")
    yield f"http://127.0.0.1:{port}/"
    proc.terminate()
    proc.wait(15)


def log_in(url: str, name: str, password: str) -> httpx.Response:
    return httpx.post(url + "login", data={"username": name, "password": password}, timeout=30)


def test_page_needs_a_log_in_and_a_wrong_password_is_refused(login_server):
    url = login_server
    page = httpx.get(url, timeout=30)
    assert page.status_code == 303 and page.headers["location"] == "login"
    form = httpx.get(url + "login", timeout=30)
    assert form.status_code == 200 and "Đăng nhập" in form.text and 'name="password"' in form.text
    assert httpx.get(url + "config", timeout=30).status_code == 401  # the app itself is closed too
    upload = httpx.post(url + "gradio_api/upload", files={"files": ("a.txt", b"x")}, timeout=30)
    assert upload.status_code == 401  # and so are uploads and the queue
    assert httpx.post(url + "gradio_api/queue/join", json={}, timeout=30).status_code == 401
    wrong = log_in(url, "minh", "không phải mật khẩu")
    assert wrong.status_code == 401 and wrong.json()["error"] == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert "rag-session" not in wrong.cookies
    in_browser = httpx.post(url + "login", data={"username": "minh", "password": "sai"}, timeout=30,
                            headers={"Accept": "text/html"})
    assert in_browser.status_code == 401 and "không đúng" in in_browser.text and 'value="minh"' in in_browser.text
    ok = log_in(url, "minh", PASSWORD)
    assert ok.status_code == 200 and ok.json()["role"] == "reader"
    again = httpx.post(url + "login/", data={"username": "minh", "password": PASSWORD}, timeout=30,
                       headers={"Accept": "text/html"})  # a browser is sent on to the page
    assert again.status_code == 303 and again.headers["location"] == "../" and "rag-session" in again.cookies
    cookies = {"rag-session": ok.cookies["rag-session"]}
    assert httpx.get(url, cookies=cookies, timeout=30).status_code == 200
    assert httpx.get(url + "config", cookies=cookies, timeout=30).status_code == 200


def test_log_in_is_rate_limited_after_three_wrong_tries(login_server):
    url = login_server
    for _ in range(3):
        assert log_in(url, "khoa", "đoán mò 123").status_code == 401
    limited = log_in(url, "khoa", PASSWORD)  # even the right password from that address, until the wait passes
    assert limited.status_code == 429 and "sai nhiều lần" in limited.json()["error"]
    assert int(limited.headers["Retry-After"]) > 0
    assert log_in(url, "lan", PASSWORD).status_code == 200  # other accounts are not locked out


def test_sessions_end_on_log_out(login_server):
    url = login_server
    cookies = {"rag-session": log_in(url, "lan", PASSWORD).cookies["rag-session"]}
    assert httpx.get(url + "config", cookies=cookies, timeout=30).status_code == 200
    out = httpx.get(url + "logout", cookies=cookies, timeout=30)
    assert out.status_code == 303 and out.headers["location"] == "./login"
    assert httpx.get(url + "config", cookies=cookies, timeout=30).status_code == 401
    cookies = {"rag-session": log_in(url, "lan", PASSWORD).cookies["rag-session"]}
    assert httpx.get(url + "config", cookies=cookies, timeout=30).status_code == 200


def test_a_session_ends_when_its_time_is_up(index_root, tmp_path):
    """A real server in this process, on the storage's clock stopped: the clock is moved past the
    session's end instead of sleeping through it."""
    import threading

    from rag.config import load_settings
    from rag.storage import Role, open_database
    from rag.storage.clock import FakeClock, use_clock
    from ui.app import serve
    from ui.scratch import close_scratch

    settings = load_settings().replace(index_dir=index_root, data_dir=tmp_path / "data", database_url="",
                                       require_login=True, session_hours=20 / 3600)
    db = open_database(settings)
    db.users.add("lan", PASSWORD, Role.ADMIN)
    db.close()
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with use_clock(FakeClock()) as clock:
        demo = serve(settings, port=port, ready=threading.Event())
        try:
            cookies = {"rag-session": log_in(url, "lan", PASSWORD).cookies["rag-session"]}
            assert httpx.get(url + "config", cookies=cookies, timeout=30).status_code == 200
            clock.advance(19)
            assert httpx.get(url + "config", cookies=cookies, timeout=30).status_code == 200
            clock.advance(2)  # RAG_SESSION_HOURS is 20 seconds here
            assert httpx.get(url + "config", cookies=cookies, timeout=30).status_code == 401
            assert httpx.get(url, cookies=cookies, timeout=30).status_code == 303
        finally:
            demo.close()
            close_scratch()  # the server ran in this process: later browsers must not live in its folder


def test_gradio_client_logs_in_and_asks(login_server):
    from gradio_client import Client
    from gradio_client.exceptions import AuthenticationError

    with pytest.raises(AuthenticationError):
        Client(login_server, auth=("lan", "sai mật khẩu"), verbose=False)
    client = Client(login_server, auth=("lan", PASSWORD), verbose=False)
    text, cites = client.predict("Sở Tài chính Lai Châu có nhiệm vụ gì?", [], api_name="/ask")
    assert "Sở Tài chính" in text and "lai-chau" in cites


def test_log_out_in_the_same_tab_and_the_other_tabs_follow_at_once(login_server, browser):
    """«Đăng xuất» logs out in its own tab; another tab of the browser goes to the log-in form at once
    (told by the first, not by a timer), and a tab whose session was ended elsewhere goes there on its
    next action instead of showing a bare "Error". (Expiry: test_a_session_ends_when_its_time_is_up.)"""

    def logged_in(context, name):
        page = context.new_page()
        page.goto(login_server, wait_until="load")
        if page.locator("#username").count():
            page.fill("#username", name)
            page.fill("#password", PASSWORD)
            page.click("#login")
        page.wait_for_selector("#question textarea", timeout=60_000)
        page.wait_for_function(f"() => document.querySelector('#account')?.innerText.includes('{name}')",
                               timeout=30_000)
        # the page's load-time script that listens for other tabs' log-out has run (Gradio runs the load
        # events in no fixed order, so the account line may show first)
        page.wait_for_function("() => window.ragSessionWatch === true", timeout=30_000)
        return page

    context = browser.new_context(locale="vi-VN")
    old, current = logged_in(context, "minh"), logged_in(context, "minh")
    current.get_by_role("button", name="Đăng xuất").click()
    current.wait_for_url("**/login", timeout=30_000)  # in the same tab, no new one
    assert len(context.pages) == 2
    old.wait_for_url(re.compile(r"/login(\?expired=1)?$"), timeout=30_000)  # the log-in form, whichever way
    assert old.locator("#password").count() == 1
    context.close()

    # another device ends the session: this tab's next question leads to the form
    other = browser.new_context(locale="vi-VN")
    tab = logged_in(other, "lan")
    token = next(c["value"] for c in other.cookies() if c["name"] == "rag-session")
    assert httpx.get(login_server + "logout", cookies={"rag-session": token}, timeout=30,
                     follow_redirects=False).status_code == 303
    tab.locator("#question textarea").fill("Sở Tài chính Lai Châu có nhiệm vụ gì?")
    tab.locator("#send").click()
    tab.wait_for_url("**/login?expired=1", timeout=30_000)
    assert "Phiên đăng nhập đã hết hạn" in tab.locator("#login-error").inner_text()
    other.close()
