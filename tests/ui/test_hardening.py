"""The hardened server: each defect of the issue on serving many users, with the input that broke it,
against a real `rag serve` (gradio_client and plain HTTP)."""
from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from urllib.parse import urlparse

import pytest
from gradio_client import Client

DUTY_QUESTION = "Sở Tư pháp Đồng Nai có nhiệm vụ gì?"


def _ask(url, *args):
    answer, cites = Client(url, verbose=False).predict(*args, api_name="/ask")
    return answer, json.loads(cites)


def _http(url, method, path, body=None, headers=None):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(url.rstrip("/") + path, data=data, method=method,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def _call_plain(url, data: str) -> list:
    """Gradio's plain HTTP API: POST /gradio_api/call/ask with a raw JSON text, then read the result."""
    status, body = _http(url, "POST", "/gradio_api/call/ask", f'{{"data": {data}}}'.encode())
    assert status == 200, body
    event = json.loads(body)["event_id"]
    status, stream = _http(url, "GET", f"/gradio_api/call/ask/{event}")
    assert "event: complete" in stream, stream  # not "event: error" with {"error": null}
    payload = stream.split("event: complete", 1)[1].split("data:", 1)[1].strip().splitlines()[0]
    return json.loads(payload)[0]  # [answer, citations]


# --- 1. non-string input ------------------------------------------------------------------------

@pytest.mark.parametrize("question, plans, expected", [
    (123, [], "Câu hỏi phải là một chuỗi văn bản (đã nhận số)"),
    (["Sở Tư pháp"], [], "đã nhận danh sách"),
    ({"q": "Sở Tư pháp"}, [], "đã nhận đối tượng"),
    (DUTY_QUESTION, [1, 2], "Mỗi mã kế hoạch trong «plans» phải là một chuỗi"),
])
def test_wrongly_typed_ask_gets_a_vietnamese_message(server_url, question, plans, expected):
    answer, cites = _ask(server_url, question, plans)
    assert expected in answer and cites == []


@pytest.mark.parametrize("data, expected", [
    ('["\\ud800", []]', "Câu hỏi trống"),  # a lone surrogate, as JSON sends it
    ("[12]", "Câu hỏi phải là một chuỗi văn bản"),
    ('[{"a": 1}, ["ha-noi-2022-2025"]]', "đã nhận đối tượng"),
])
def test_plain_http_bad_input_is_answered_not_an_error(server_url, data, expected):
    answer, cites = _call_plain(server_url, data)
    assert expected in answer and cites == "[]"


def test_missing_plans_means_every_plan(server_url):
    answer, cites = _call_plain(server_url, json.dumps([DUTY_QUESTION]))
    assert json.loads(cites)[0]["clause"] == "V.6-1"
    answer, cites = _ask(server_url, DUTY_QUESTION)  # gradio_client, plans left out
    assert cites[0]["clause"] == "V.6-1"


def test_history_is_accepted_as_a_third_argument(server_url):
    answer, cites = _ask(server_url, DUTY_QUESTION, [], ["Kế hoạch Đồng Nai giai đoạn nào?"])
    assert cites[0]["clause"] == "V.6-1"
    answer, _ = _ask(server_url, DUTY_QUESTION, [], "không phải danh sách")
    assert "«history» phải là một danh sách" in answer


# --- 2. unknown plan ids ------------------------------------------------------------------------

def test_unknown_plan_id_is_an_error_naming_the_known_ids(server_url):
    answer, cites = _ask(server_url, DUTY_QUESTION, ["dong-nai-2026-2030", "khong-co-ke-hoach-nay"])
    assert "Không có kế hoạch mã «khong-co-ke-hoach-nay»" in answer
    assert "dong-nai-2026-2030" in answer and "ha-noi-2022-2025" in answer and cites == []


def test_plans_as_a_string_is_an_error_not_one_char_ids(server_url):
    answer, cites = _ask(server_url, DUTY_QUESTION, "dong-nai-2026-2030")
    assert "phải là một danh sách mã kế hoạch" in answer and cites == []


# --- 3. request size ----------------------------------------------------------------------------

def _raw_post(url, path, headers, chunks):
    u = urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    conn.putrequest("POST", path)
    for k, v in headers.items():
        conn.putheader(k, v)
    conn.endheaders()
    try:
        for chunk in chunks:
            conn.send(chunk)
    except OSError:  # the server closed the connection after refusing: expected
        pass
    resp = conn.getresponse()
    return resp.status, resp.read().decode("utf-8", "replace")


def test_a_100_mb_request_is_refused_before_it_is_read(server_url):
    status, body = _raw_post(server_url, "/gradio_api/queue/join",
                             {"Content-Type": "application/json", "Content-Length": str(100_000_000)},
                             [b" " * 65536])
    assert status == 413 and "Yêu cầu quá lớn" in body


def test_a_chunked_request_past_the_limit_is_refused(server_url):
    def chunks():
        piece = b" " * 65536
        for _ in range(40):  # 2.6 MB, over the 1 MB limit, with no Content-Length
            yield f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
        yield b"0\r\n\r\n"

    status, body = _raw_post(server_url, "/api/ask", {"Content-Type": "application/json",
                                                      "Transfer-Encoding": "chunked"}, chunks())
    assert status == 413 and "Yêu cầu quá lớn" in body


# --- 4. uploads, 5. remote URLs -----------------------------------------------------------------

def _upload(url, name: str, content: bytes):
    boundary = "----rag-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return _http(url, "POST", "/gradio_api/upload", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})


@pytest.mark.parametrize("name", ["trang.html", "chay.exe", "khong-duoi"])
def test_upload_of_a_file_type_the_page_does_not_take_is_refused(server_url, name):
    status, body = _upload(server_url, name, b"<script>alert(1)</script>")
    assert status == 415 and ".docx, .pdf, .txt, .md" in body


def test_an_allowed_upload_is_never_served_back(server_url):
    status, body = _upload(server_url, "ke-hoach.txt", "Kế hoạch thử".encode())
    assert status == 200, body
    path = json.loads(body)[0]
    status, body = _http(server_url, "GET", f"/gradio_api/file={path}")
    assert status == 404 and "không được phép" in body


@pytest.mark.parametrize("target", ["http://example.com/a.png", "https%3A//example.com/a.png", "//example.com/a"])
def test_the_file_route_never_fetches_urls(server_url, target):
    status, body = _http(server_url, "GET", f"/gradio_api/file={target}")
    assert status == 403 and "không tải tệp từ địa chỉ bên ngoài" in body


# --- 8. invisible characters and HTML in the question -------------------------------------------

@pytest.mark.parametrize("question", [
    "Sở Tư p\u200dháp Đồng Nai có nhiệm vụ gì?",  # zero-width joiner inside a word
    "Sở Tư\u200c pháp Đồng\u200b Nai có nhiệm vụ gì?",  # zero-width non-joiner / space
    "\ufeffSở Tư pháp \u200fĐồng Nai\u202e có nhiệm vụ gì?",  # BOM, right-to-left marks
    "<b>Sở Tư pháp</b> Đồng Nai có <i>nhiệm vụ</i> gì?",
    "<p>Sở Tư pháp Đồng Nai có nhiệm vụ gì?</p>",
])
def test_invisible_characters_and_tags_do_not_hide_the_answer(server_url, question):
    answer, cites = _ask(server_url, question, [])
    assert cites and cites[0]["clause"] == "V.6-1", answer[:200]


# --- POST /api/ask, /healthz --------------------------------------------------------------------

def test_json_api_answers_with_citations(server_url):
    status, body = _http(server_url, "POST", "/api/ask", {"question": DUTY_QUESTION})
    reply = json.loads(body)
    assert status == 200 and set(reply) == {"answer", "citations", "abstained"}
    assert reply["citations"][0]["clause"] == "V.6-1" and reply["abstained"] is False
    status, body = _http(server_url, "POST", "/api/ask", {"question": "Kế hoạch Lâm Đồng giao nhiệm vụ gì?",
                                                          "plans": None, "history": ["câu trước"]})
    assert status == 200 and json.loads(body)["abstained"] is True


@pytest.mark.parametrize("payload, expected", [
    ({"question": 123}, "Câu hỏi phải là một chuỗi văn bản"),
    ({"question": DUTY_QUESTION, "plans": "dong-nai-2026-2030"}, "phải là một danh sách"),
    ({"question": DUTY_QUESTION, "plans": ["khong-co"]}, "Các mã hiện có"),
    ({"plans": []}, "Câu hỏi phải là một chuỗi văn bản"),
    ([DUTY_QUESTION], "đối tượng JSON"),
])
def test_json_api_refuses_bad_input_in_vietnamese(server_url, payload, expected):
    status, body = _http(server_url, "POST", "/api/ask", payload)
    assert status == 422 and expected in json.loads(body)["detail"]


def test_json_api_is_in_the_openapi_schema(server_url):
    status, body = _http(server_url, "GET", "/openapi.json")
    spec = json.loads(body)
    op = spec["paths"]["/api/ask"]["post"]
    assert "question" in op["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert "/healthz" in spec["paths"]


def test_healthz_reports_index_plans_and_queue(server_url):
    _ask(server_url, DUTY_QUESTION)
    status, body = _http(server_url, "GET", "/healthz")
    health = json.loads(body)
    assert status == 200 and health["status"] == "ok" and health["index_version"]
    assert "dong-nai-2026-2030" in health["plans_loaded"] and health["plans_failed"] == []
    assert health["queue_depth"] >= 0 and health["in_flight"] >= 0
