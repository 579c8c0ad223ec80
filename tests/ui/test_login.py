"""Log-in on the page, against real `rag serve` processes: refused to start beyond loopback
without accounts; with log-in forced on 127.0.0.1, wrong passwords refused, a limit on tries,
sessions that end, roles from the accounts, and gradio_client logging in like a browser."""
from __future__ import annotations

import os
import subprocess
import sys
import time

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


def test_sessions_end_on_log_out_and_on_expiry(login_server):
    url = login_server
    cookies = {"rag-session": log_in(url, "lan", PASSWORD).cookies["rag-session"]}
    assert httpx.get(url + "config", cookies=cookies, timeout=30).status_code == 200
    out = httpx.get(url + "logout", cookies=cookies, timeout=30)
    assert out.status_code == 303 and out.headers["location"] == "./login"
    assert httpx.get(url + "config", cookies=cookies, timeout=30).status_code == 401
    cookies = {"rag-session": log_in(url, "lan", PASSWORD).cookies["rag-session"]}
    assert httpx.get(url + "config", cookies=cookies, timeout=30).status_code == 200
    time.sleep(21)  # RAG_SESSION_HOURS is 20 seconds here
    assert httpx.get(url + "config", cookies=cookies, timeout=30).status_code == 401
    assert httpx.get(url, cookies=cookies, timeout=30).status_code == 303


def test_gradio_client_logs_in_and_asks(login_server):
    from gradio_client import Client
    from gradio_client.exceptions import AuthenticationError

    with pytest.raises(AuthenticationError):
        Client(login_server, auth=("lan", "sai mật khẩu"), verbose=False)
    client = Client(login_server, auth=("lan", PASSWORD), verbose=False)
    text, cites = client.predict("Sở Tài chính Lai Châu có nhiệm vụ gì?", [], api_name="/ask")
    assert "Sở Tài chính" in text and "lai-chau" in cites


def test_a_page_whose_session_ends_goes_back_to_the_log_in_form(login_server, browser):
    page = browser.new_page(locale="vi-VN")
    page.goto(login_server, wait_until="load")
    page.fill("#username", "minh")
    page.fill("#password", PASSWORD)
    page.click("#login")
    page.wait_for_selector("#question textarea", timeout=60_000)
    assert "minh" in page.locator("#account").inner_text()
    page.wait_for_url("**/login?expired=1", timeout=60_000)  # RAG_SESSION_HOURS is 20 seconds here
    assert "Phiên đăng nhập đã hết hạn" in page.locator("#login-error").inner_text()
    page.close()
