"""Adding a plan to a corpus folder, and removing one.

``prepare`` reads a file into a draft (text, clause tree, detected metadata, parse report)
and writes nothing; the reading runs in a child process with a memory and a time limit
(``rag/sandbox.py``), so a hostile file kills the child, not the server or the command. ``commit`` writes the original file to ``originals/``, the extracted
text beside the other plan texts, the ``[[plan]]`` entry into ``plans.toml`` (temp file,
then rename), and rebuilds the index (``IndexStore.build``: atomic, and its embedding cache
means only the new plan's passages are embedded). If anything fails, the manifest is put
back and the new files removed, so the corpus and the index stay as they were.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from rag.config import Settings
from rag.corpus.manifest import ManifestError, load_manifest
from rag.corpus.reader import PlanFileError, read_plan_text
from rag.locks import folder_lock
from rag.ingest.detect import Overrides, detect
from rag.ingest.document import ExtractedText, SourceKind
from rag.ingest.errors import IngestError
from rag.ingest.headings import join_bare_headings
from rag.ingest.report import ParseReport, build_report
from rag.ingest.validate import check_file
from rag.models import PlanDocument, PlanInfo
from rag.sandbox import ChildFailed, Limits, run_limited
from rag.structure.loader import MANIFEST_NAME, load_corpus
from rag.structure.parser import parse_plan
from rag.text import fold

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]  # (share done 0..1, Vietnamese description)
ORIGINALS = "originals"
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DUPLICATE_SHARE = 0.8  # this share of the new plan's clause texts already in one plan: a duplicate
_PLAN_HEADER_RE = re.compile(r"^\[\[plan\]\]\s*$", re.M)
JOURNAL = ".add-journal.json"  # the files an add in progress writes (removed by the next add if it was killed)
PAUSE_ENV = "RAG_TEST_PAUSE_AT"  # for tests only: pause at a named step of commit so a test can kill -9 there


def pause_point(step: str) -> None:
    """A test hook: with ``RAG_TEST_PAUSE_AT=<step>`` the process says so on stderr and waits to be
    killed. Steps of ``commit``: files-written, index-built, manifest-written. Unset: does nothing."""
    if os.environ.get(PAUSE_ENV) == step:
        import sys

        print(f"paused at {step}", file=sys.stderr, flush=True)
        time.sleep(3600)


@dataclass(frozen=True)
class Draft:
    source: Path
    kind: SourceKind
    extracted: ExtractedText
    plan: PlanDocument
    report: ParseReport

    @property
    def info(self) -> PlanInfo:
        return self.plan.info


def _n(number: int) -> str:
    """Thousands grouped with a dot, as Vietnamese writes them."""
    return f"{number:,}".replace(",", ".")


def _quiet(share: float, message: str) -> None:
    log.info("%3.0f%% %s", share * 100, message)


def _atomic_write(path: Path, data: str | bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    if isinstance(data, str):
        tmp.write_text(data, encoding="utf-8")
    else:
        tmp.write_bytes(data)
    os.replace(tmp, path)


def _locked(folder: Path):
    """One add or remove at a time on a corpus folder (other processes wait)."""
    return folder_lock(folder, ".plans.lock")


def _toml_value(value) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(json.dumps(str(v), ensure_ascii=False) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid TOML basic string


def manifest_entry(info: PlanInfo, extra: dict[str, str]) -> str:
    keys = ("id", "file", "title", "short_name", "issuer", "number", "date", "decision", "period", "province",
            "aliases")
    lines = ["[[plan]]"] + [f"{k} = {_toml_value(getattr(info, k))}" for k in keys]
    lines += [f"{k} = {_toml_value(v)}" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


def _clause_keys(plan: PlanDocument) -> set[str]:
    return {fold(c.text) for c in plan.clauses if len(c.text) >= 40}


def _read_in_child(settings: Settings, path: Path, overrides: Overrides, original_name: str | None,
                   progress: Progress = _quiet) -> Draft:
    """``PlanAdder.read`` in the child process of ``prepare`` (module level, so it can be pickled)."""
    return PlanAdder(settings).read(path, overrides, progress, original_name)


class PlanAdder:
    def __init__(self, settings: Settings, embedder=None) -> None:
        self.settings = settings
        self.corpus_dir = Path(settings.corpus_dir)
        self._embedder = embedder

    @property
    def manifest_path(self) -> Path:
        return self.corpus_dir / MANIFEST_NAME

    def embedder(self):
        if self._embedder is None:
            from rag.index.embeddings import make_embedder

            self._embedder = make_embedder(self.settings.embedder)
        return self._embedder

    # --- reading a file ------------------------------------------------------------------

    def extract(self, path: Path, kind: SourceKind, progress: Progress = _quiet) -> ExtractedText:
        if kind is SourceKind.DOCX:
            from rag.ingest.docx import DocxExtractor

            return DocxExtractor().run(path)
        if kind is SourceKind.TEXT:
            from rag.ingest.text import TextExtractor

            return TextExtractor().run(path)
        from rag.ingest.pdf import MIN_CHARS_PER_PAGE, PdfExtractor, text_layer_chars

        chars, pages = text_layer_chars(path)
        if chars >= MIN_CHARS_PER_PAGE * pages:
            return PdfExtractor(self.settings.pdf_backend).run(path)
        from rag.ingest.ocr import OcrEngine

        log.info("%s: %d characters on %d pages, reading it by OCR", path, chars, pages)
        engine = OcrEngine(self.settings.ocr_language, self.settings.ocr_dpi)
        engine.require(path.name)
        return engine.run(path, lambda n, total: progress(0.6 * n / total, f"Nhận dạng chữ (OCR) trang {n}/{total}…"))

    def check(self, path: Path) -> SourceKind:
        s = self.settings
        return check_file(path, s.ingest_max_mb, s.ingest_max_unzipped_mb, max_xml_mb=s.ingest_max_docx_xml_mb)

    def prepare(self, path: Path, overrides: Overrides = Overrides(), progress: Progress = _quiet,
                original_name: str | None = None) -> Draft:
        """Read ``path`` into a draft in a child process; nothing is written. IngestError when it cannot
        be added (also when reading it needs more memory or time than a plan does)."""
        path = Path(path)
        name = original_name or path.name
        self.check(path)  # here first: a refusal from the file's directory costs milliseconds, no child
        if self.corpus_dir.exists():
            with _locked(self.corpus_dir):
                self.recover()  # a killed add's files must not make its id look taken
        s = self.settings
        limits = Limits(memory_mb=s.ingest_child_memory_mb, timeout_s=s.ingest_child_timeout_s)
        try:
            return run_limited(_read_in_child, s, path, overrides, original_name, limits=limits, progress=progress)
        except ChildFailed as exc:
            if exc.reason == "memory":
                message = (f"Đọc tệp «{name}» cần quá {limits.memory_mb} MB bộ nhớ, vượt xa một kế hoạch thật; "
                           "không thêm tệp này.")
            elif exc.reason == "timeout":
                message = (f"Đọc tệp «{name}» mất quá {limits.timeout_s / 60:.0f} phút nên đã dừng; "
                           "không thêm tệp này.")
            else:
                message = f"Không đọc được tệp «{name}»: trình đọc dừng bất thường; không thêm tệp này."
            raise IngestError(message, f"child-{exc.reason}") from None

    def read(self, path: Path, overrides: Overrides = Overrides(), progress: Progress = _quiet,
             original_name: str | None = None) -> Draft:
        """What ``prepare`` runs in the child: check, extract, parse, detect."""
        path = Path(path)
        name = original_name or path.name
        started = time.perf_counter()
        kind = self.check(path)
        progress(0.05, "Đang đọc tệp…")
        extracted = self.extract(path, kind, progress)
        extracted = replace(extracted, text=join_bare_headings(extracted.text))
        read_s = time.perf_counter() - started
        limit = self.settings.ingest_max_text_chars
        if len(extracted.text) > limit:
            raise IngestError(f"Tài liệu «{name}» có {_n(len(extracted.text))} ký tự, vượt xa một kế hoạch (tối đa "
                              f"{_n(limit)}); không thêm.", "too-much-text")
        if not re.search(r"[^\W\d_]", extracted.text):
            raise IngestError(f"Tài liệu «{name}» không có chữ nào (tài liệu rỗng"
                              f"{' hoặc ảnh không nhận dạng được' if extracted.ocr else ''}).", "empty")
        progress(0.65, "Đang phân tích cấu trúc…")
        stem = Path(name).stem
        provisional = PlanInfo(id="ke-hoach-moi", file=name, title=stem, short_name=stem)
        try:
            plan = parse_plan(provisional, extracted.text)
        except PlanFileError as exc:
            raise IngestError(f"Không tìm thấy cấu trúc đánh số (I., 1., a) …) trong «{name}»: đây có phải văn bản "
                              f"kế hoạch không?", "no-structure") from exc
        if len(plan.clauses) > self.settings.ingest_max_clauses:
            raise IngestError(f"Tài liệu «{name}» có {_n(len(plan.clauses))} điều khoản, vượt xa một kế hoạch (tối đa "
                              f"{_n(self.settings.ingest_max_clauses)}); không thêm.", "too-many-clauses")
        info = overrides.apply(detect(plan, extracted.text, stem))
        info = replace(info, file=f"{info.id}.txt")
        self._check_id(info.id)
        plan = parse_plan(info, extracted.text)
        self._check_duplicate(plan, extracted.text, name)
        seconds = {"read": read_s, "parse": time.perf_counter() - started - read_s}
        return Draft(path, kind, extracted, plan, build_report(plan, extracted, seconds))

    # --- checks --------------------------------------------------------------------------

    def _manifest(self) -> list[PlanInfo]:
        if not self.manifest_path.exists():
            return []
        try:
            return load_manifest(self.manifest_path)
        except ManifestError as exc:
            raise IngestError(f"Không đọc được danh mục kế hoạch {self.manifest_path}; sửa tệp này trước.",
                              "manifest") from exc

    def _check_id(self, plan_id: str) -> None:
        if not _ID_RE.match(plan_id):
            raise IngestError(f"Mã kế hoạch «{plan_id}» không hợp lệ: chỉ dùng chữ thường không dấu, số và dấu «-».",
                              "bad-id")
        if plan_id in {p.id for p in self._manifest()} or (self.corpus_dir / f"{plan_id}.txt").exists():
            raise IngestError(f"Đã có kế hoạch mã «{plan_id}»; chọn mã khác (--id).", "id-clash")

    def _check_duplicate(self, plan: PlanDocument, text: str, name: str) -> None:
        mine = fold(text)
        keys = _clause_keys(plan)
        for info in self._manifest():
            try:
                other = read_plan_text(self.corpus_dir / info.file)
            except PlanFileError:
                continue
            same = fold(other) == mine
            if not same and keys:
                try:
                    theirs = _clause_keys(parse_plan(info, other))
                except PlanFileError:
                    theirs = set()
                same = len(keys & theirs) >= _DUPLICATE_SHARE * len(keys)
            if same:
                raise IngestError(f"«{name}» trùng nội dung với kế hoạch đã có «{info.id}» ({info.short_name}).",
                                  "duplicate")

    # --- writing ---------------------------------------------------------------------------

    def _rebuild_index(self, progress: Progress, tqdm_progress: bool, manifest: Path | None = None):
        from rag.index.store import IndexStore

        progress(0.7, "Đang cập nhật chỉ mục (chỉ nhúng các đoạn mới)…")
        corpus = load_corpus(self.corpus_dir, manifest)
        IndexStore(self.settings.index_dir).build(corpus, self.embedder(), self.settings.max_passage_tokens,
                                                  progress=tqdm_progress)
        return corpus

    @property
    def _journal(self) -> Path:
        return self.corpus_dir / JOURNAL

    @property
    def _staged_manifest(self) -> Path:
        return self.corpus_dir / f".{MANIFEST_NAME}.staged"

    def recover(self) -> None:
        """Undo what a killed add left (call under the lock): files it wrote for a plan the manifest does
        not list are removed; a plan the manifest lists is kept (the kill came after the switch)."""
        for folder in (self.corpus_dir, self.corpus_dir / ORIGINALS):  # half-written temporary files
            for tmp in folder.glob(".*.tmp-*"):
                tmp.unlink(missing_ok=True)
        if not self._journal.exists():
            self._staged_manifest.unlink(missing_ok=True)
            return
        try:
            journal = json.loads(self._journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            journal = {}
        listed = {p.id for p in self._manifest()}
        if journal.get("id") and journal["id"] not in listed:
            log.warning("an earlier add of %s was interrupted; removing the files it wrote", journal["id"])
            for name in journal.get("files", []):
                path = (self.corpus_dir / name).resolve()
                if path.is_relative_to(self.corpus_dir.resolve()):
                    path.unlink(missing_ok=True)
        self._staged_manifest.unlink(missing_ok=True)
        self._journal.unlink(missing_ok=True)

    def commit(self, draft: Draft, info: PlanInfo | None = None, progress: Progress = _quiet,
               tqdm_progress: bool = False) -> ParseReport:
        """Write the draft into the corpus and update the index. ``info`` replaces the draft's
        metadata (corrected on the page). Returns the final report.

        The order makes it all-or-nothing, even under ``kill -9``: a journal names the files about to
        be written; the text and the original are written; the index is built from a *staged* copy of
        the manifest that lists the new plan; only then the staged manifest replaces ``plans.toml``
        (one ``os.replace``: the moment the plan exists) and the journal goes. Killed before the
        switch, the corpus is the old one (the next add or remove deletes the files the journal names,
        and the next start rebuilds the index from the embedding cache); killed after, it is the new one.
        """
        started = time.perf_counter()
        if info is not None and info != draft.info:
            info = replace(info, file=f"{info.id}.txt")
            plan = parse_plan(info, draft.extracted.text)
            draft = replace(draft, plan=plan, report=build_report(plan, draft.extracted, draft.report.seconds))
        info = draft.info
        with _locked(self.corpus_dir):
            self.recover()
            self._check_id(info.id)
            self._check_duplicate(draft.plan, draft.extracted.text, draft.source.name)
            old_manifest = self.manifest_path.read_text(encoding="utf-8") if self.manifest_path.exists() else ""
            text_path = self.corpus_dir / info.file
            original = self.corpus_dir / ORIGINALS / f"{info.id}{draft.source.suffix.lower()}"
            _atomic_write(self._journal, json.dumps({"id": info.id, "files": [
                info.file, f"{ORIGINALS}/{original.name}"]}, ensure_ascii=False))
            try:
                _atomic_write(text_path, draft.extracted.text)
                original.parent.mkdir(exist_ok=True)
                _atomic_write(original, draft.source.read_bytes())
                pause_point("files-written")
                entry = manifest_entry(info, {"original": f"{ORIGINALS}/{original.name}",
                                              "source": draft.kind.value + ("+ocr" if draft.extracted.ocr else "")})
                _atomic_write(self._staged_manifest,
                              (old_manifest.rstrip("\n") + "\n\n" if old_manifest else "") + entry)
                corpus = self._rebuild_index(progress, tqdm_progress, self._staged_manifest)
                failed = [e for e in corpus.errors if e.plan_id == info.id]
                if failed:
                    raise IngestError(f"Kế hoạch mới không nạp được: {failed[0].message}", "load")
                pause_point("index-built")
                os.replace(self._staged_manifest, self.manifest_path)  # the one step that adds the plan
                pause_point("manifest-written")
                self._journal.unlink(missing_ok=True)
            except BaseException as exc:
                log.warning("adding %s failed (%s: %s); putting the corpus back", info.id, type(exc).__name__, exc)
                if self.manifest_path.read_text(encoding="utf-8") != old_manifest and old_manifest:
                    _atomic_write(self.manifest_path, old_manifest)
                self.recover()
                with contextlib.suppress(OSError):
                    original.parent.rmdir()  # only if this add created it and nothing else is there
                raise
        progress(1.0, "Đã thêm kế hoạch.")
        seconds = {**draft.report.seconds, "index": time.perf_counter() - started}
        return replace(draft.report, seconds=seconds)

    def add(self, path: Path, overrides: Overrides = Overrides(), progress: Progress = _quiet,
            tqdm_progress: bool = False) -> ParseReport:
        return self.commit(self.prepare(path, overrides, progress), progress=progress, tqdm_progress=tqdm_progress)

    # --- removing ------------------------------------------------------------------------

    def remove(self, plan_id: str, progress: Progress = _quiet, tqdm_progress: bool = False) -> PlanInfo:
        import tomllib

        with _locked(self.corpus_dir):
            self.recover()
            old = self.manifest_path.read_text(encoding="utf-8")
            heads = [m.start() for m in _PLAN_HEADER_RE.finditer(old)]
            blocks = [old[a:b] for a, b in zip(heads, heads[1:] + [len(old)])]
            found = None
            for block in blocks:
                entry = tomllib.loads(block)["plan"][0]
                if entry.get("id") == plan_id:
                    found = (block, entry)
            if found is None:
                raise IngestError(f"Không có kế hoạch «{plan_id}» trong {self.manifest_path}.", "unknown-id")
            if len(blocks) == 1:
                raise IngestError("Không xóa được kế hoạch cuối cùng của kho; thêm kế hoạch khác trước.", "last-plan")
            block, entry = found
            info = next(p for p in load_manifest(self.manifest_path) if p.id == plan_id)
            new = old.replace(block, "").rstrip("\n") + "\n"
            _atomic_write(self._staged_manifest, new)  # indexed first, then switched in one step (as in commit)
            try:
                self._rebuild_index(progress, tqdm_progress, self._staged_manifest)
            except BaseException:
                log.exception("removing %s failed; the manifest is unchanged", plan_id)
                self._staged_manifest.unlink(missing_ok=True)
                raise
            os.replace(self._staged_manifest, self.manifest_path)
            if entry.get("original"):  # files written by `rag add`; a hand-made plan's text is kept
                (self.corpus_dir / entry["original"]).unlink(missing_ok=True)
                (self.corpus_dir / info.file).unlink(missing_ok=True)
        return info
