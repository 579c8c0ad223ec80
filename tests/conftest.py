"""Shared fixtures: the real corpus, parsed once per session, and the dev questions."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "corpus"
DEV_SET = ROOT / "eval" / "questions" / "dev.jsonl"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def corpus():
    from rag.structure import load_corpus

    loaded = load_corpus(CORPUS_DIR)
    assert not loaded.errors, loaded.errors
    return loaded


@pytest.fixture(scope="session")
def dev_questions() -> list[dict]:
    return [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def index_root(tmp_path_factory) -> Path:
    """One real index for the whole session, in a temporary folder (also used by CLI subprocesses)."""
    import os

    root = tmp_path_factory.mktemp("index")
    os.environ["RAG_INDEX_DIR"] = str(root)
    os.environ["RAG_RUNS_DIR"] = str(tmp_path_factory.mktemp("runs"))  # kept evaluation runs
    return root


@pytest.fixture(scope="session")
def settings(index_root):
    from rag.config import load_settings

    return load_settings().replace(index_dir=index_root, corpus_dir=CORPUS_DIR)


@pytest.fixture(scope="session")
def assistant(settings, corpus):
    from rag.pipeline import Assistant

    return Assistant(settings, corpus)


@pytest.fixture()
def fresh_index_dir(tmp_path, assistant, index_root) -> Path:
    """An empty index folder that shares the session's embedding cache (so builds take seconds)."""
    import shutil

    root = tmp_path / "index"
    shutil.copytree(index_root / "cache", root / "cache")
    return root


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the session (tests/postgres.py); each test makes its own database."""
    from tests.postgres import PostgresCluster

    cluster = PostgresCluster().start()
    yield cluster
    cluster.stop()


# --- the fast unit layer: `pytest -m "not slow"` ---------------------------------------------
# A test is slow when it needs a built index, a server, a browser or PostgreSQL (one of these
# fixtures, directly or through another fixture) or runs a child process (its module, a test
# helper it imports, or rag.sandbox uses ``subprocess``/``multiprocessing``). New tests are marked by the same rules.
# Tests that load the embedding model or wait for a real time window carry the marker themselves.
SLOW_FIXTURES = {"index_root", "postgres", "browser", "server_url"}


def _runs_subprocesses(module) -> bool:
    """The test module uses ``subprocess``/``multiprocessing``, or calls into a module that does
    (a test helper such as ``rag(env, ...)``, or the product's child-process sandbox)."""
    import multiprocessing
    import subprocess
    import sys

    spawners = (subprocess, multiprocessing)
    for value in vars(module).values():
        if any(value is m for m in spawners):
            return True
        home = getattr(value, "__module__", None)
        if home and home != module.__name__ and home.startswith(("tests", "rag.sandbox")) \
                and any(getattr(sys.modules.get(home), m.__name__, None) is m for m in spawners):
            return True
    return False


def pytest_collection_modifyitems(config, items):
    checked: dict[str, bool] = {}
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and module.__name__ not in checked:
            checked[module.__name__] = _runs_subprocesses(module)
        slow = bool(SLOW_FIXTURES & set(getattr(item, "fixturenames", ()))) \
            or (module is not None and checked[module.__name__]) \
            or getattr(getattr(item, "callspec", None), "params", {}).get("make_db") == "postgresql"
        if slow:
            item.add_marker(pytest.mark.slow)
