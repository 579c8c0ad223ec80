"""Opens the index for a corpus and embedder: loads it, or (re)builds it when it is
missing, stale or corrupt, telling the user why."""
from __future__ import annotations

import logging
from collections.abc import Callable

from rag.config import Settings
from rag.index.embeddings import VectorEmbeddings
from rag.index.store import CorruptIndex, IndexStore, LoadedIndex, MissingIndex, StaleIndex
from rag.models import Corpus

log = logging.getLogger(__name__)

Notify = Callable[[str], None]


def open_index(settings: Settings, corpus: Corpus, embedder: VectorEmbeddings, progress: bool = False,
               notify: Notify | None = None) -> LoadedIndex:
    notify = notify or (lambda message: None)
    store = IndexStore(settings.index_dir)
    try:
        return store.load(corpus.content_hash, embedder.identity)
    except MissingIndex:
        notify("Chưa có chỉ mục; đang dựng chỉ mục lần đầu (khoảng 15 giây)…")
        log.info("no index in %s: building", settings.index_dir)
    except StaleIndex as exc:
        notify(f"Chỉ mục đã cũ ({exc}); đang dựng lại…")
        log.info("stale index: %s; rebuilding", exc)
    except CorruptIndex as exc:
        notify(f"Chỉ mục bị hỏng ({exc}); đang dựng lại từ các kế hoạch…")
        log.warning("corrupt index: %s; rebuilding", exc)
    store.build(corpus, embedder, settings.max_passage_tokens, progress=progress)
    return store.load(corpus.content_hash, embedder.identity)
