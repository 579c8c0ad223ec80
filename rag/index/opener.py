"""Opens the index for a corpus and embedder: loads it, or (re)builds it when it is
missing, stale or corrupt, telling the user why.

A first start spends nearly all its time embedding the passages (58 of 58.5 s for the four seed
plans on 2 cores, eval/reports/benchmark-first-start.md); the BM25 side takes a quarter of a
second. So a server may ask for the index *lexical first*: the passages and their BM25 index at
once, the vectors computed in a background thread and handed over when ready
(``open_index(..., on_dense=…)``)."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from rag.config import Settings
from rag.index.embeddings import VectorEmbeddings
from rag.index.store import CorruptIndex, IndexStore, LoadedIndex, MissingIndex, StaleIndex, lexical_only
from rag.models import Corpus

log = logging.getLogger(__name__)

Notify = Callable[[str], None]
OnDense = Callable[[LoadedIndex | None, BaseException | None], None]


def open_index(settings: Settings, corpus: Corpus, embedder: VectorEmbeddings, progress: bool = False,
               notify: Notify | None = None, on_dense: OnDense | None = None,
               superseded: Callable[[], bool] = lambda: False) -> LoadedIndex:
    """The loaded index. When it must be built and ``on_dense`` is given, returns at once the
    lexical side only (``LoadedIndex.has_dense`` is False) and builds in a background thread, which
    calls ``on_dense(index, None)`` with the full index, ``on_dense(None, error)`` if the build failed,
    or ``on_dense(None, None)`` if ``superseded()`` said the corpus was replaced before it started."""
    notify = notify or (lambda message: None)
    store = IndexStore(settings.index_dir)
    try:
        return store.load(corpus.content_hash, embedder.identity)
    except MissingIndex:
        notify("Chưa có chỉ mục; đang dựng chỉ mục lần đầu…")
        log.info("no index in %s: building", settings.index_dir)
    except StaleIndex as exc:
        notify(f"Chỉ mục đã cũ ({exc}); đang dựng lại…")
        log.info("stale index: %s; rebuilding", exc)
    except CorruptIndex as exc:
        notify(f"Chỉ mục bị hỏng ({exc}); đang dựng lại từ các kế hoạch…")
        log.warning("corrupt index: %s; rebuilding", exc)
    if on_dense is None:
        store.build(corpus, embedder, settings.max_passage_tokens, progress=progress)
        return store.load(corpus.content_hash, embedder.identity)

    def build_dense() -> None:
        try:
            full = store.load_or_build(corpus, embedder, settings.max_passage_tokens, superseded=superseded)
        except BaseException as exc:  # handed over: the lexical side keeps answering
            log.exception("building the index vectors failed")
            on_dense(None, exc)
            return
        on_dense(full, None)

    lexical = lexical_only(corpus)
    threading.Thread(target=build_dense, name="index-vectors", daemon=True).start()
    return lexical
