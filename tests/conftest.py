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
