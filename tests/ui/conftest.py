"""A real `rag serve` process on a free port, using the session's index; and a real browser
(Debian's Chromium, driven by Playwright) for the tests that use the page as a person would."""
from __future__ import annotations

import os
import signal
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(index_dir, port: int, log_path, env: dict | None = None):
    from ui.app import wait_until_up

    env = {**os.environ, "RAG_INDEX_DIR": str(index_dir), "GRADIO_ANALYTICS_ENABLED": "False",
           "RAG_DATA_DIR": str(log_path.parent / "data"), **(env or {})}  # feedback and history of this run only
    log = open(log_path, "w")
    # Ctrl-C as a person's terminal sends it: a test run started in the background (`… &`) hands its children
    # SIGINT ignored, and the server, like any program, then keeps ignoring it
    proc = subprocess.Popen([sys.executable, "-m", "rag.cli", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", timeout=120)
    except TimeoutError:
        proc.kill()
        raise
    return proc


@pytest.fixture(scope="session")
def server_url(assistant, index_root, tmp_path_factory):
    port = free_port()
    proc = start_server(index_root, port, tmp_path_factory.mktemp("serve") / "serve.log")
    yield f"http://127.0.0.1:{port}/"
    proc.terminate()
    proc.wait(15)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (screenshots go to tests/artifacts/)."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is not installed (scripts/test.sh installs it)"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


def build_tabs(settings, assistant, data_dir, classes) -> dict:
    """The given tab classes built on one page context over the session's assistant, laid out in a
    Blocks, so their handlers can be called as plain methods (no server, no browser)."""
    import gradio as gr

    from ui.access import Access
    from ui.app import page_context
    from ui.gate import AnswerGate
    from ui.loader import AssistantLoader

    settings = settings.replace(data_dir=data_dir)
    loader = AssistantLoader(settings, assistant.corpus)
    loader.wait()
    ctx = page_context(settings, loader, Access(), AnswerGate(settings, loader))
    built = {cls.__name__: cls(ctx) for cls in classes}
    with gr.Blocks():
        for tab in built.values():
            tab.layout()
    return built
