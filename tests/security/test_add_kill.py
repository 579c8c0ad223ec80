"""Item 9 of issue 16: `rag add` killed with SIGKILL at any moment leaves the old corpus or the new
one, never a half-added plan. Real `rag add` processes, a real index (with the session's embedding
cache), killed at each named step (``RAG_TEST_PAUSE_AT``, rag/ingest/add.py) and after a delay."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.ingest.conftest import copy_corpus, plan_files, rag  # noqa: F401  (plan_files: a fixture)

PLAN_ID = "kiem-thu-kill"


@pytest.fixture()
def env(tmp_path, fresh_index_dir) -> dict:
    return {"RAG_CORPUS_DIR": str(copy_corpus(tmp_path)), "RAG_INDEX_DIR": str(fresh_index_dir)}


def _plans(env: dict) -> list[str]:
    out = rag(env, "plans", "--json")
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    return [p["id"] for p in json.loads(out.stdout)["plans"]]


def _start_add(env: dict, path: Path, pause: str | None = None) -> subprocess.Popen:
    extra = {"RAG_TEST_PAUSE_AT": pause} if pause else {}
    return subprocess.Popen([sys.executable, "-m", "rag.cli", "add", str(path), "--id", PLAN_ID], cwd=ROOT,
                            env={**os.environ, **env, **extra}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)


def _wait_for_pause(proc: subprocess.Popen, step: str) -> None:
    for line in proc.stderr:  # blocks until the child reaches the step (or ends)
        if line.strip() == f"paused at {step}":
            return
    raise AssertionError(f"rag add ended (code {proc.wait()}) before reaching {step}")


def _leftovers(corpus: Path) -> list[str]:
    return sorted(p.name for p in [*corpus.glob(".*"), *(corpus / "originals").glob(".*")]
                  if p.name not in (".plans.lock",))


@pytest.mark.parametrize("step, added", [("files-written", False), ("index-built", False), ("manifest-written", True)])
def test_kill_9_at_each_step_leaves_the_old_or_the_new_corpus(step, added, env, plan_files):
    corpus = Path(env["RAG_CORPUS_DIR"])
    before = _plans(env)
    proc = _start_add(env, plan_files["txt"], pause=step)
    _wait_for_pause(proc, step)
    proc.kill()  # SIGKILL: no clean-up code runs
    proc.wait(30)
    after = _plans(env)
    assert after == (before + [PLAN_ID] if added else before)
    if added:  # the new state is whole: its text is there and the index answers from it without a rebuild
        assert (corpus / f"{PLAN_ID}.txt").exists()
        found = rag(env, "search", "tuyên truyền", "--plan", PLAN_ID, "--json")
        assert found.returncode == 0 and json.loads(found.stdout), found.stderr
        assert "rebuild" not in found.stderr.lower()
    # the next add (or remove) tidies what the killed one left, and the same file can be added again
    again = rag(env, "add", str(plan_files["txt"]), "--id", PLAN_ID) if not added else rag(env, "remove", PLAN_ID)
    assert again.returncode == 0, again.stderr
    assert _plans(env) == (before + [PLAN_ID] if not added else before)
    assert _leftovers(corpus) == []


def test_kill_9_after_a_delay_leaves_a_usable_state(env, plan_files):
    corpus = Path(env["RAG_CORPUS_DIR"])
    before = _plans(env)
    for delay in (2.0,):
        proc = _start_add(env, plan_files["txt"])
        time.sleep(delay)
        proc.kill()
        proc.wait(30)
        after = _plans(env)
        assert after in (before, before + [PLAN_ID])
        if after == before:
            assert not (corpus / f"{PLAN_ID}.txt").exists() or (corpus / ".add-journal.json").exists()
        else:
            assert (corpus / f"{PLAN_ID}.txt").exists()
            assert rag(env, "remove", PLAN_ID).returncode == 0
    shutil.rmtree(corpus / "originals", ignore_errors=True)
