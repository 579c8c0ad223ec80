"""Fixture files written by tests/fixtures/make_fixtures.py, and a corpus copy to add them to."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS_DIR, FIXTURES, ROOT


@pytest.fixture(scope="session")
def plan_files(tmp_path_factory) -> dict[str, Path]:
    sys.path.insert(0, str(FIXTURES))
    from make_fixtures import build

    return build(tmp_path_factory.mktemp("ingest-fixtures"))


def copy_corpus(root: Path) -> Path:
    target = root / "corpus"
    shutil.copytree(CORPUS_DIR, target)
    return target


def rag(env: dict, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rag.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **env})


def add_json(env: dict, path: Path, *extra: str) -> dict:
    out = rag(env, "add", str(path), "--json", *extra)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    return json.loads(out.stdout)


@pytest.fixture()
def empty_corpus_env(tmp_path) -> dict:
    """A corpus copy and an index folder that will never be built (for refusals)."""
    return {"RAG_CORPUS_DIR": str(copy_corpus(tmp_path)), "RAG_INDEX_DIR": str(tmp_path / "index")}
