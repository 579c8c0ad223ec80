"""Calling a page handler the way the probe did: upload a file through ``/gradio_api/upload``, then
run the handler by its ``fn_index`` through ``/gradio_api/queue/join`` and read the answer from the
event stream. The handler is found in ``/config`` by the ``elem_id`` of the component that triggers
it, so the tests do not depend on the order handlers were registered in."""
from __future__ import annotations

import json
import uuid
from pathlib import Path

import httpx


class GradioCaller:
    def __init__(self, url: str, cookies: dict | None = None, timeout: float = 300.0) -> None:
        self.url = url.rstrip("/") + "/"
        self.http = httpx.Client(cookies=cookies or {}, timeout=timeout)
        self.config = self.http.get(self.url + "config").raise_for_status().json()

    def close(self) -> None:
        self.http.close()

    def fn_index(self, elem_id: str, event: str) -> tuple[int, int]:
        """(fn_index, trigger component id) of the handler that ``event`` on ``elem_id`` runs first."""
        ids = {c["id"] for c in self.config["components"] if c.get("props", {}).get("elem_id") == elem_id}
        for dep in self.config["dependencies"]:
            for target, name in dep.get("targets", []):
                if target in ids and name == event:
                    return dep["id"], target
        raise LookupError(f"no handler for {event} on #{elem_id}")

    def upload(self, path: Path) -> dict:
        with open(path, "rb") as fh:
            answer = self.http.post(self.url + "gradio_api/upload", files={"files": (path.name, fh)})
        answer.raise_for_status()
        stored = answer.json()[0]
        return {"path": stored, "orig_name": path.name, "size": path.stat().st_size,
                "meta": {"_type": "gradio.FileData"}}

    def call(self, fn_index: int, data: list, trigger_id: int | None = None) -> dict:
        """The handler's completion message: ``{"success": bool, "output": {...}}``."""
        session = uuid.uuid4().hex[:11]
        joined = self.http.post(self.url + "gradio_api/queue/join", json={
            "data": data, "fn_index": fn_index, "session_hash": session, "event_data": None,
            "trigger_id": trigger_id})
        joined.raise_for_status()
        with self.http.stream("GET", self.url + "gradio_api/queue/data", params={"session_hash": session}) as stream:
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed":
                    return message
        raise RuntimeError("the event stream ended without a result")


def first_text(message: dict) -> str:
    """The first output of a completed handler as text (a markdown value or an update's value)."""
    data = (message.get("output") or {}).get("data") or [""]
    value = data[0]
    if isinstance(value, dict):
        value = value.get("value", "")
    return str(value or "")
