"""The LLM answerer against a real small model (Qwen2.5-Coder-0.5B-Instruct GGUF, assembled
from its PyPI part packages) served by a real llama_cpp.server on 127.0.0.1, through the
OpenAI-compatible path."""
from __future__ import annotations

import http.server
import re
import threading
import time

import pytest

from rag.answer.gguf import MODELS, fetch_model, verify
from rag.answer.llm import LLMAnswerer, LocalServer, availability
from rag.answer.support import MIN_SUPPORT, support


@pytest.fixture(scope="module")
def llm_server():
    path = fetch_model("qwen2.5-coder-0.5b")
    assert verify("qwen2.5-coder-0.5b") and path.stat().st_size == MODELS["qwen2.5-coder-0.5b"].size
    server = LocalServer(path).start()
    yield server
    server.stop()


@pytest.fixture()
def llm_assistant(assistant, llm_server):
    from rag.pipeline import Assistant

    settings = assistant.settings.replace(llm_base_url=llm_server.base_url, llm_model="local", llm_timeout_s=120)
    return Assistant(settings, assistant.corpus)


def _sentences_supported(answer, llm):
    for line in answer.answer.splitlines():
        if line.startswith("("):
            continue  # a note, not a claim
        marks = [int(m) for m in re.findall(r"\[(\d+)\]", line)]
        assert marks, f"uncited sentence: {line}"
        for m in marks:
            c = answer.citations[m - 1]
            passage = next(h.passage for h in answer.retrieved if h.passage.clause == c.clause and h.passage.plan_id == c.plan_id)
            assert support(re.sub(r"\[\d+\]", "", line), llm._described(passage)) >= MIN_SUPPORT, line


def test_llm_answers_are_cited_and_supported(llm_assistant):
    llm = llm_assistant.answerer("llm")
    written_by_llm = 0
    for question in ("Cơ quan nào chủ trì tham mưu Ủy ban nhân dân thành phố Đồng Nai triển khai hướng dẫn thi hành "
                     "Luật Trí tuệ nhân tạo năm 2025?",
                     "Ở Đồng Nai, cơ quan nào tham gia các hội thảo khoa học, đánh giá khung pháp lý bảo vệ trẻ em?",
                     "Sở Tài chính Hà Nội có trách nhiệm gì về kinh phí thực hiện kế hoạch?"):
        answer = llm_assistant.ask(question, answerer="llm")
        assert not answer.abstained and answer.citations
        markers = {int(m) for m in re.findall(r"\[(\d+)\]", answer.answer)}
        assert markers == set(range(1, len(answer.citations) + 1))
        if answer.answerer == "llm":
            written_by_llm += 1
            _sentences_supported(answer, llm)
        else:
            assert "trình trả lời mặc định" in answer.answer  # the fallback says so
    assert written_by_llm >= 1, "the model never produced a usable answer"


def test_llm_keeps_the_evidence_based_abstention(llm_assistant):
    answer = llm_assistant.ask("Kế hoạch của tỉnh Lâm Đồng giao cơ quan nào chủ trì?", answerer="llm")
    assert answer.abstained and "Lâm Đồng" in answer.answer


def test_endpoint_down_falls_back_to_default(assistant):
    from rag.pipeline import Assistant

    settings = assistant.settings.replace(llm_base_url="http://127.0.0.1:9/v1", llm_model="x", llm_timeout_s=3)
    down = Assistant(settings, assistant.corpus)
    answer = down.ask("Sở Tư pháp Đồng Nai có nhiệm vụ gì?", answerer="llm")
    assert not answer.abstained and answer.citations[0].clause == "V.6-1"
    assert "Không dùng được LLM" in answer.answer


class _Slow(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's name
        time.sleep(5)
        self.send_response(500)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_slow_endpoint_times_out_to_default(assistant):
    from rag.pipeline import Assistant

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings = assistant.settings.replace(llm_base_url=f"http://127.0.0.1:{server.server_port}/v1", llm_model="x",
                                              llm_timeout_s=1.5)
        slow = Assistant(settings, assistant.corpus)
        answer = slow.ask("Sở Tư pháp Đồng Nai có nhiệm vụ gì?", answerer="llm")
        # the timeout ends the wait (no timed assertion: the machine's load must not decide a test)
        assert "Không dùng được LLM" in answer.answer and answer.citations and answer.answerer == "default"
    finally:
        server.shutdown()


def test_unconfigured_llm_is_explained(assistant):
    ok, why = availability(assistant.settings.replace(llm_base_url="", llm_gguf_path=""))
    assert not ok and "Chưa cấu hình LLM" in why
    answer = assistant.ask("Sở Tư pháp Đồng Nai có nhiệm vụ gì?", answerer="llm")
    assert "Không dùng được LLM" in answer.answer and answer.citations  # never required to use the product
