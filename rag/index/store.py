"""The persisted index: FAISS vectors, BM25 matrix, passages and a manifest.

Layout of ``index/``::

    current -> builds/<build-id>      (a symlink, swapped atomically)
    builds/<build-id>/manifest.json   corpus hash, parser version, embedder identity, build time,
                                      sha256 of every other file of the build
                      passages.jsonl  one passage per line
                      dense.faiss     the vectors (one or more per passage)
                      vector_map.npy  vector row -> passage id
                      lexical.npz, lexical.vocab.json
    cache/<embedder>.npz              embeddings by text hash, so a rebuild re-embeds only new text

A build writes a fresh folder and only then points ``current`` at it, so an interrupted
build leaves the previous index in use. Loading checks the manifest: a missing file,
unreadable JSON, a file whose sha256 differs from the manifest's or a vector count that
does not match is *corrupt*; another corpus, parser or embedder (or a manifest written
before checksums) is *stale*.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from rag import __version__
from rag.checksum import file_sha256
from rag.index.embeddings import VectorEmbeddings
from rag.index.lexical import LexicalIndex
from rag.locks import folder_lock
from rag.index.passages import PassageStats, build_passages, passage_stats, split_for_window
from rag.models import Corpus, Passage
from rag.structure.parser import PARSER_VERSION

log = logging.getLogger(__name__)

FORMAT_VERSION = 2  # 2: the manifest carries sha256 checksums of the index files
FLAT_LIMIT = 2_000_000  # exact inner-product search stays under ~150 ms up to here on 2 cores


class IndexProblem(Exception):
    """Base of the reasons an index cannot be used as it is."""


class MissingIndex(IndexProblem):
    pass


class StaleIndex(IndexProblem):
    pass


class CorruptIndex(IndexProblem):
    pass


@dataclass(frozen=True)
class IndexManifest:
    format: int
    corpus_hash: str
    parser_version: str
    embedder: str
    dim: int
    passages: int
    vectors: int
    faiss_index: str
    built_at: str
    build_seconds: float
    rag_version: str
    stats: dict
    checksums: dict = field(default_factory=dict)  # file name -> sha256 hex, every file but the manifest

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)


@dataclass
class LoadedIndex:
    manifest: IndexManifest | None  # None: the lexical side only, held in memory while the vectors are computed
    passages: list[Passage]
    dense: object | None  # faiss.Index; None until the vectors are computed (see ``lexical_only``)
    vector_map: np.ndarray
    lexical: LexicalIndex
    path: Path | None

    @property
    def has_dense(self) -> bool:
        return self.dense is not None


def lexical_only(corpus: Corpus) -> LoadedIndex:
    """The passages and their BM25 index, in memory, without vectors: what a first start answers
    from while the passages are embedded (under a second for the four seed plans, where embedding
    them takes about a minute on 2 cores; eval/reports/benchmark-first-start.md)."""
    passages = build_passages(corpus)
    if not passages:
        raise ValueError("nothing to index: no plan has clauses")
    lexical = LexicalIndex.fit([p.embed_text for p in passages])
    return LoadedIndex(None, passages, None, np.zeros(0, dtype=np.int64), lexical, None)


def build_lock(root: Path):
    """One build at a time in an index folder, across processes (``rag add`` beside a running
    server, two replicas starting at once)."""
    return folder_lock(root, ".build.lock")


def _checksums(folder: Path) -> dict[str, str]:
    return {f.name: file_sha256(f) for f in sorted(folder.iterdir()) if f.is_file() and f.name != "manifest.json"}


def _passage_to_json(p: Passage) -> str:
    d = asdict(p)
    d["path"], d["addresses"] = list(p.path), list(p.addresses)
    return json.dumps(d, ensure_ascii=False)


def _passage_from_json(line: str) -> Passage:
    d = json.loads(line)
    d["path"], d["addresses"] = tuple(d["path"]), tuple(d["addresses"])
    return Passage(**d)


class EmbeddingCache:
    """Vectors by sha1 of the embedded text, one file per embedder identity."""

    def __init__(self, folder: Path, identity: str) -> None:
        self.path = folder / (hashlib.sha1(identity.encode()).hexdigest()[:16] + ".npz")
        self.vectors: dict[str, np.ndarray] = {}
        if self.path.exists():
            try:
                with np.load(self.path) as data:
                    self.vectors = dict(zip(data["keys"].tolist(), data["vectors"]))
            except Exception as exc:  # a damaged cache is only a slower build
                log.warning("ignoring unreadable embedding cache %s: %s", self.path, exc)

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def embed(self, embedder: VectorEmbeddings, texts: list[str], progress: bool) -> np.ndarray:
        keys = [self.key(t) for t in texts]
        todo = sorted({k: t for k, t in zip(keys, texts) if k not in self.vectors}.items())
        if todo:
            fresh = embedder.embed_passages([t for _, t in todo], progress=progress)
            self.vectors.update({k: v for (k, _), v in zip(todo, fresh)})
        return np.stack([self.vectors[k] for k in keys]).astype(np.float32) if keys else np.zeros(
            (0, embedder.dim), np.float32)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.stem + f".tmp{os.getpid()}.npz")
        keys = np.array(list(self.vectors), dtype="U40")
        vectors = np.stack(list(self.vectors.values())) if self.vectors else np.zeros((0, 1), np.float32)
        np.savez(tmp, keys=keys, vectors=vectors)
        os.replace(tmp, self.path)


def _make_faiss(vectors: np.ndarray):
    import faiss

    dim = vectors.shape[1]
    if len(vectors) <= FLAT_LIMIT:
        index = faiss.IndexFlatIP(dim)
    else:  # beyond this, approximate search keeps queries fast
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
    index.add(vectors)
    return index


class IndexStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @property
    def current(self) -> Path:
        return self.root / "current"

    # --- build -----------------------------------------------------------------------------

    def build(self, corpus: Corpus, embedder: VectorEmbeddings, max_tokens: int = 480,
              progress: bool = False) -> IndexManifest:
        with build_lock(self.root):
            return self._build(corpus, embedder, max_tokens, progress)

    def load_or_build(self, corpus: Corpus, embedder: VectorEmbeddings, max_tokens: int = 480,
                      progress: bool = False, superseded=lambda: False) -> LoadedIndex | None:
        """The index of ``corpus``, building it unless another process built it while this one waited
        for the build lock. None when ``superseded()`` says, once the lock is held, that nobody wants
        this corpus any more (a plan was added or removed meanwhile)."""
        with build_lock(self.root):
            try:
                return self.load(corpus.content_hash, embedder.identity)
            except IndexProblem as exc:
                if superseded():
                    return None
                log.info("building the index (%s)", exc)
            self._build(corpus, embedder, max_tokens, progress)
        return self.load(corpus.content_hash, embedder.identity)

    def _build(self, corpus: Corpus, embedder: VectorEmbeddings, max_tokens: int = 480,
               progress: bool = False) -> IndexManifest:
        import faiss

        started = time.perf_counter()
        passages = build_passages(corpus)
        if not passages:
            raise ValueError("nothing to index: no plan has clauses")
        count = embedder.token_count
        if count(passages[0].embed_text) is None:
            from rag.index.tokens import count_tokens as count
        inputs, owners = [], []
        for p in passages:
            context = p.embed_text[: len(p.embed_text) - len(p.text) - 2]
            for chunk in split_for_window(context, p.text, count, max_tokens):
                inputs.append(chunk)
                owners.append(p.id)
        cache = EmbeddingCache(self.root / "cache", embedder.identity)
        vectors = cache.embed(embedder, inputs, progress)
        lexical = LexicalIndex.fit([p.embed_text for p in passages])
        dense = _make_faiss(vectors)
        stats: PassageStats = passage_stats(passages, count, max_tokens)

        build_id = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        builds = self.root / "builds"
        tmp = builds / f".tmp-{build_id}"
        tmp.mkdir(parents=True, exist_ok=True)
        try:
            with (tmp / "passages.jsonl").open("w", encoding="utf-8") as fh:
                for p in passages:
                    fh.write(_passage_to_json(p) + "\n")
            faiss.write_index(dense, str(tmp / "dense.faiss"))
            np.save(tmp / "vector_map.npy", np.asarray(owners, dtype=np.int64))
            lexical.save(tmp / "lexical")
            manifest = IndexManifest(
                format=FORMAT_VERSION, corpus_hash=corpus.content_hash, parser_version=PARSER_VERSION,
                embedder=embedder.identity, dim=int(vectors.shape[1]), passages=len(passages),
                vectors=int(len(vectors)), faiss_index=type(dense).__name__,
                built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                build_seconds=round(time.perf_counter() - started, 2), rag_version=__version__,
                stats=stats.to_dict(), checksums=_checksums(tmp))
            # the manifest is written last: a folder without one is never a complete build
            (tmp / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
            final = builds / build_id
            os.replace(tmp, final)
            self._point_current_at(final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        cache.save()
        self._prune(keep=final)
        log.info("built index %s: %d passages, %d vectors in %.1fs", build_id, len(passages), len(vectors),
                 manifest.build_seconds)
        return manifest

    def _point_current_at(self, target: Path) -> None:
        link = self.root / f".current-{os.getpid()}"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(Path("builds") / target.name)
        os.replace(link, self.current)  # atomic: readers see the old or the new build, never none

    def _prune(self, keep: Path) -> None:
        builds = self.root / "builds"
        for folder in builds.iterdir():
            if folder.resolve() != keep.resolve() and not folder.name.startswith(".tmp-"):
                shutil.rmtree(folder, ignore_errors=True)
        for folder in builds.glob(".tmp-*"):  # left by a build that was killed
            if time.time() - folder.stat().st_mtime > 3600:
                shutil.rmtree(folder, ignore_errors=True)

    # --- load ------------------------------------------------------------------------------

    def read_manifest(self) -> IndexManifest:
        if not self.current.exists():
            raise MissingIndex(f"no index in {self.root}")
        path = self.current / "manifest.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return IndexManifest(**data)
        except FileNotFoundError as exc:
            raise CorruptIndex(f"{path} is missing") from exc
        except (ValueError, TypeError) as exc:
            raise CorruptIndex(f"{path} is unreadable ({exc})") from exc

    def check(self, manifest: IndexManifest, corpus_hash: str, embedder_identity: str) -> None:
        if manifest.format != FORMAT_VERSION:
            raise StaleIndex(f"index format {manifest.format}, expected {FORMAT_VERSION}")
        if manifest.parser_version != PARSER_VERSION:
            raise StaleIndex(f"built by parser {manifest.parser_version}, current is {PARSER_VERSION}")
        if manifest.corpus_hash != corpus_hash:
            raise StaleIndex("the plans changed since the index was built")
        if manifest.embedder != embedder_identity:
            raise StaleIndex(f"built with embedder {manifest.embedder}, configured is {embedder_identity}")
        if not manifest.checksums:
            raise StaleIndex("the manifest has no checksums of the index files")

    @staticmethod
    def verify(folder: Path, manifest: IndexManifest) -> None:
        """Every file the manifest lists has the sha256 it records (zeroed vectors of the right
        size load without complaint otherwise, and change answers)."""
        for name, expected in sorted(manifest.checksums.items()):
            path = folder / name
            if not path.is_file():
                raise CorruptIndex(f"{path} is missing")
            found = file_sha256(path)
            if found != expected:
                raise CorruptIndex(f"{path}: sha256 {found[:12]}… does not match the manifest's {expected[:12]}…")

    def load(self, corpus_hash: str, embedder_identity: str) -> LoadedIndex:
        import faiss

        manifest = self.read_manifest()
        self.check(manifest, corpus_hash, embedder_identity)
        folder = self.current.resolve()
        self.verify(folder, manifest)
        try:
            with (folder / "passages.jsonl").open(encoding="utf-8") as fh:
                passages = [_passage_from_json(line) for line in fh if line.strip()]
            dense = faiss.read_index(str(folder / "dense.faiss"))
            vector_map = np.load(folder / "vector_map.npy")
            lexical = LexicalIndex.load(folder / "lexical")
        except Exception as exc:
            raise CorruptIndex(f"{folder}: {type(exc).__name__}: {exc}") from exc
        if (len(passages) != manifest.passages or dense.ntotal != manifest.vectors
                or len(vector_map) != dense.ntotal or lexical.n_docs != len(passages)
                or dense.d != manifest.dim):
            raise CorruptIndex(f"{folder}: files do not agree with the manifest")
        return LoadedIndex(manifest, passages, dense, vector_map, lexical, folder)
