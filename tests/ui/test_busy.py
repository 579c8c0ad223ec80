"""Past the in-flight limit the server answers at once that it is busy (here the limit is 0, so
every question is past it)."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

from gradio_client import Client

from tests.ui.conftest import free_port, start_server


def test_past_the_limit_the_answer_is_busy_at_once(assistant, index_root, tmp_path):
    port = free_port()
    proc = start_server(index_root, port, tmp_path / "serve.log", env={"RAG_MAX_IN_FLIGHT": "0"})
    url = f"http://127.0.0.1:{port}/"
    try:
        answer, cites = Client(url, verbose=False).predict("Sở Tư pháp Đồng Nai có nhiệm vụ gì?", [], api_name="/ask")
        assert answer == "⚠️ Hệ thống đang bận, vui lòng thử lại sau giây lát." and cites == "[]"
        req = urllib.request.Request(url + "api/ask", method="POST", headers={"Content-Type": "application/json"},
                                     data=json.dumps({"question": "Sở Tư pháp Đồng Nai có nhiệm vụ gì?"}).encode())
        try:
            urllib.request.urlopen(req, timeout=30)
            raise AssertionError("expected 503")
        except urllib.error.HTTPError as err:
            assert err.code == 503 and err.headers["Retry-After"]
            assert "Hệ thống đang bận" in json.loads(err.read())["detail"]
        with urllib.request.urlopen(url + "healthz", timeout=30) as resp:
            assert json.loads(resp.read())["refused_busy"] == 2
    finally:
        proc.terminate()
        proc.wait(15)
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert '"status": "busy"' in log and "Sở Tư pháp" not in log  # no question text unless RAG_LOG_QUESTIONS=1
