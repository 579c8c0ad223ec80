"""Loads every plan of the manifest into clause trees; a plan that fails is reported
and the others still load."""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from rag.corpus.manifest import load_manifest
from rag.corpus.reader import PlanFileError, read_plan_text
from rag.models import Corpus, PlanDocument, PlanLoadError
from rag.structure.parser import PARSER_VERSION, parse_plan

log = logging.getLogger(__name__)

MANIFEST_NAME = "plans.toml"


def corpus_hash(corpus_dir: Path, manifest: Path | None = None) -> str:
    """Content hash of the manifest and every plan file it names (plus the parser version)."""
    h = hashlib.sha256(f"parser={PARSER_VERSION}\n".encode())
    manifest = manifest or corpus_dir / MANIFEST_NAME
    h.update(manifest.read_bytes())
    for info in load_manifest(manifest):
        path = corpus_dir / info.file
        h.update(info.file.encode())
        try:
            h.update(path.read_bytes())
        except OSError as exc:  # missing, a folder, no permission: that plan fails to load, not the corpus
            h.update(f"<unreadable: {type(exc).__name__}>".encode())
    return h.hexdigest()


def load_plan(corpus_dir: Path, info) -> PlanDocument:
    text = read_plan_text(corpus_dir / info.file)
    try:
        return parse_plan(info, text)
    except PlanFileError:
        raise
    except Exception as exc:  # a parser bug must not take the other plans down
        log.exception("parsing %s failed", info.file)
        raise PlanFileError(f"{corpus_dir / info.file}: could not be parsed ({type(exc).__name__}: {exc})") from exc


def load_corpus(corpus_dir: Path, manifest: Path | None = None) -> Corpus:
    """Every plan named in ``corpus_dir/plans.toml`` (or in ``manifest``, a staged copy that ``rag add``
    indexes before it replaces the real one); ManifestError if the manifest is unusable."""
    manifest = manifest or corpus_dir / MANIFEST_NAME
    infos = load_manifest(manifest)
    plans, errors = [], []
    for info in infos:
        try:
            plans.append(load_plan(corpus_dir, info))
        except PlanFileError as exc:
            log.warning("plan %s not loaded: %s", info.id, exc)
            errors.append(PlanLoadError(info.id, info.file, str(exc), info))
    return Corpus(plans=tuple(plans), errors=tuple(errors), content_hash=corpus_hash(corpus_dir, manifest))
