"""A real `rag serve` process on a free port, using the session's index."""
from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(index_dir, port: int, log_path, env: dict | None = None):
    from ui.app import wait_until_up

    env = {**os.environ, "RAG_INDEX_DIR": str(index_dir), "GRADIO_ANALYTICS_ENABLED": "False",
           "RAG_DATA_DIR": str(log_path.parent / "data"), **(env or {})}  # feedback and history of this run only
    log = open(log_path, "w")
    proc = subprocess.Popen([sys.executable, "-m", "rag.cli", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
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
