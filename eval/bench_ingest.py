"""Ingestion benchmark: the three PDF libraries on the same fixtures, OCR of scans, and the time
of `rag add` on a ~20-page text PDF.

Measured, against what the fixture generator knows (``tests/fixtures/make_fixtures.py``):
  * characters recovered: the share of the known text's characters (whole words, diacritics
    included, in order) found in the extracted text; "extra" is text that is not in the plan
    (running headers, page numbers, broken words);
  * clauses recovered: the share of the known plan's clauses (address and text, as the parser
    reads the known text) that the parser finds in the extracted text;
  * extraction time (median of 3), OCR time per page and OCR character accuracy;
  * `rag add` of the 20-page PDF in a fresh process on a corpus copy (its new passages are
    embedded; the other plans' embeddings come from the cache), median of 3 runs, each with
    different text so nothing is cached;
  * scanned ruled tables: plans with a known task table rendered to a text PDF, rasterised, read
    by OCR with the table rebuilt from the image and, in the same run, without (the previous
    design): the share of rows found with the right lead, partners and deadline.

    .venv/bin/python eval/bench_ingest.py [--cache INDEX/cache] [--parts pdf,ocr,tables,add]
    # writes eval/reports/ingest.md (only the sections of the parts run are replaced)
"""
from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

from make_fixtures import build, long_variant, plan_text, write_pdf, write_scan  # noqa: E402
from ingest_plans import PLANS  # noqa: E402

from rag.ingest.ocr import OcrEngine  # noqa: E402
from rag.ingest.pdf import BACKENDS, PdfExtractor  # noqa: E402
from rag.models import PlanInfo  # noqa: E402
from rag.structure import parse_plan  # noqa: E402
from rag.text import fold  # noqa: E402

REPORT = ROOT / "eval" / "reports" / "ingest.md"


def _words(text: str) -> list[str]:
    return [w for w in text.replace("|", " ").split() if w]


def char_recovery(known: str, got: str) -> tuple[float, float]:
    """(share of the known characters recovered, extra characters as a share of the known)."""
    a, b = _words(known), _words(got)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(len("".join(a[m.a:m.a + m.size])) for m in matcher.get_matching_blocks())
    total_a, total_b = len("".join(a)), len("".join(b))
    return matched / total_a, max(0, total_b - matched) / total_a


def clauses(text: str) -> set[tuple[str, str]]:
    plan = parse_plan(PlanInfo(id="x", file="x", title="x", short_name="x"), text)
    return {(c.address, fold(c.text)) for c in plan.clauses}


def clause_recovery(known: str, got: str) -> float:
    expected = clauses(known)
    try:
        found = clauses(got)
    except ValueError:
        return 0.0
    return len(expected & found) / len(expected)


def median_time(fn, runs: int = 3):
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def bench_pdf(fixtures: dict[str, Path]) -> list[dict]:
    rows = []
    cases = {"quang-tri.pdf (3 trang)": (fixtures["pdf"], plan_text(PLANS["quang-tri"])),
             "quang-tri-long.pdf (~20 trang)": (fixtures["long"], plan_text(long_variant(PLANS["quang-tri"])))}
    for name, (path, known) in cases.items():
        for backend in BACKENDS:
            seconds, extracted = median_time(lambda: PdfExtractor(backend).run(path))
            chars, extra = char_recovery(known, extracted.text)
            rows.append({"file": name, "backend": backend, "chars": chars, "extra": extra,
                         "clauses": clause_recovery(known, extracted.text), "seconds": seconds,
                         "pages": extracted.pages})
            print(rows[-1], file=sys.stderr)
    return rows


def bench_ocr(folder: Path) -> list[dict]:
    engine = OcrEngine()
    if engine.missing():
        return []
    rows = []
    for key in ("bac-kan", "quang-tri"):
        path = folder / f"{key}-scan.pdf"
        write_scan(PLANS[key], path)
        known = plan_text(PLANS[key])
        started = time.perf_counter()
        extracted = engine.run(path)
        seconds = time.perf_counter() - started
        chars, extra = char_recovery(known, extracted.text)
        rows.append({"file": path.name, "pages": extracted.pages, "chars": chars, "extra": extra,
                     "clauses": clause_recovery(known, extracted.text), "per_page": seconds / extracted.pages})
        print(rows[-1], file=sys.stderr)
    return rows


def _known_rows(plan) -> dict[str, tuple[str, str, str]]:
    """Address → (lead, partners, deadline) of every task row, as the generator wrote them."""
    rows, group = {}, ""
    for row in plan.table:
        if len(row) == 2:
            group = row[0]
        else:
            rows[f"PL.{group}.{row[0]}" if group else f"PL.{row[0]}"] = tuple(" ".join(str(v).split()) for v in row[2:])
    return rows


_AGENCIES = ["Sở Y tế", "Công an tỉnh", "Sở Giáo dục và Đào tạo", "Sở Tư pháp", "Tỉnh đoàn", "Sở Tài chính",
             "Đài Phát thanh và Truyền hình tỉnh", "Hội Liên hiệp Phụ nữ tỉnh", "Sở Văn hóa, Thể thao và Du lịch",
             "Ủy ban nhân dân các huyện", "Sở Nội vụ", "Sở Khoa học và Công nghệ", "Bưu điện tỉnh"]
_TASKS = ["Rà soát danh sách trẻ em có nguy cơ bị xâm hại trên mạng", "Tập huấn kỹ năng số cho giáo viên chủ nhiệm",
          "Kiểm tra điểm kinh doanh dịch vụ Internet gần trường học", "Phát hành tờ rơi hướng dẫn cha mẹ",
          "Tổ chức diễn đàn trẻ em về an toàn trên mạng", "Xây dựng chuyên mục hỏi đáp trên cổng thông tin",
          "Hỗ trợ tâm lý cho trẻ em bị bắt nạt trực tuyến", "Đánh giá kết quả thực hiện hằng năm"]


def _big_table(plan):
    """The plan with a 40-row task table in 4 groups, leads and partners varied."""
    import copy

    grown = copy.deepcopy(plan)
    table = []
    for g, roman in enumerate(("I", "II", "III", "IV")):
        table.append((roman, f"Nhóm nhiệm vụ thứ {g + 1}"))
        for n in range(1, 11):
            k = g * 10 + n
            table.append((n, f"{_TASKS[k % len(_TASKS)]} (đợt {k})", _AGENCIES[k % len(_AGENCIES)],
                          _AGENCIES[(k * 5 + 3) % len(_AGENCIES)], f"Quý {('I', 'II', 'III', 'IV')[k % 4]}/{2026 + k % 5}"))
    grown.table = table
    grown.key = f"{plan.key}-40"
    return grown


def bench_ocr_tables(folder: Path) -> list[dict]:
    """Scans of plans with a ruled task table: rows with the right lead (and partners, deadline),
    the table rebuilt from the image against the previous design, in the same run."""
    if OcrEngine().missing():
        return []
    cases = {"an-khe (1 bảng, 2 trang)": PLANS["an-khe"], "quang-tri (bảng qua 2 trang)": PLANS["quang-tri"],
             "an-khe, 40 dòng (bảng qua nhiều trang)": _big_table(PLANS["an-khe"])}
    rows = []
    for name, plan in cases.items():
        path = folder / f"{plan.key}-{len(plan.table)}-scan.pdf"
        write_scan(plan, path)
        known = _known_rows(plan)
        for design, engine in (("bảng dựng lại từ ảnh (đang dùng)", OcrEngine()),
                               ("không dựng bảng (trước)", OcrEngine(tables=False))):
            started = time.perf_counter()
            extracted = engine.run(path)
            seconds = time.perf_counter() - started
            try:
                parsed = parse_plan(PlanInfo(id="x", file="x", title="x", short_name="x"), extracted.text)
                got = {c.address: c for c in parsed.clauses if c.level == "row"}
            except ValueError:
                got = {}
            same = lambda a, b: fold(a or "") == fold(b or "")  # noqa: E731
            hit = {k: got.get(k) for k in known}
            rows.append({"file": name, "design": design, "rows": len(known), "found": len(got),
                         "lead": sum(1 for k, c in hit.items() if c and same(c.lead, known[k][0])) / len(known),
                         "partners": sum(1 for k, c in hit.items() if c and same(c.partners, known[k][1])) / len(known),
                         "deadline": sum(1 for k, c in hit.items() if c and same(c.deadline, known[k][2])) / len(known),
                         "per_page": seconds / extracted.pages})
            print(rows[-1], file=sys.stderr)
    return rows


def bench_add(folder: Path, cache: Path | None, runs: int = 3) -> dict:
    """`rag add` of a ~20-page PDF in a fresh process; every run's text is new to the cache."""
    base = folder / "base"
    shutil.copytree(ROOT / "corpus", base / "corpus")
    env = {**os.environ, "RAG_CORPUS_DIR": str(base / "corpus"), "RAG_INDEX_DIR": str(base / "index")}
    if cache and cache.exists():
        shutil.copytree(cache, base / "index" / "cache")
    subprocess.run([sys.executable, "-m", "rag.cli", "build"], cwd=ROOT, env=env, check=True, capture_output=True)
    times, phases, pages, passages = [], [], 0, 0
    for k in range(runs):
        plan = long_variant(PLANS["quang-tri"])
        plan.number = f"{90 + k}/KH-UBND"
        for node in plan.body[1].kids:  # new wording each run, so nothing comes from the embedding cache
            node.text = f"{node.text} (đợt {k + 1})"
        pdf = folder / f"long-{k}.pdf"
        write_pdf(plan, pdf)
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "rag.cli", "add", str(pdf), "--id", f"dai-{k}", "--json"],
                             cwd=ROOT, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if out.returncode != 0:
            raise SystemExit(out.stderr)
        report = json.loads(out.stdout)
        pages, passages = report["pages"], report["counts"]["clauses"]
        phases.append(report["seconds"])
        subprocess.run([sys.executable, "-m", "rag.cli", "remove", f"dai-{k}"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    median = lambda key: statistics.median(p.get(key, 0.0) for p in phases)  # noqa: E731
    return {"median": statistics.median(times), "runs": times, "pages": pages, "clauses": passages,
            "read": median("read"), "parse": median("parse"), "index": median("index")}


def _pdf_section(pdf_rows) -> list[str]:
    lines = ["## PDF with a text layer: the three libraries, same post-processing", "",
             "| file | library | characters recovered | extra characters | clauses recovered | extraction time |",
             "|---|---|---|---|---|---|"]
    for r in pdf_rows:
        lines.append(f"| {r['file']} | {r['backend']} | {r['chars']:.3f} | {r['extra']:.3f} | {r['clauses']:.3f} | "
                     f"{r['seconds'] * 1000:.0f} ms |")
    return lines + ["", "Same steps after each library (`rag/ingest/layout.py`): running headers, footers and page "
                    "numbers dropped, hard breaks re-flowed from line positions, tables as rows (pypdf gives neither "
                    "positions nor tables, so its lines are left to the parser's own re-flow).", ""]


def _ocr_section(ocr_rows) -> list[str]:
    lines = ["## Scanned PDF: Tesseract 5 (`vie`), 300 dpi", "",
             "| file | pages | characters recovered | extra characters | clauses recovered | OCR time per page |",
             "|---|---|---|---|---|---|"]
    for r in ocr_rows:
        lines.append(f"| {r['file']} | {r['pages']} | {r['chars']:.3f} | {r['extra']:.3f} | {r['clauses']:.3f} | "
                     f"{r['per_page']:.1f} s |")
    return lines + [""]


def _tables_section(rows) -> list[str]:
    lines = ["## Scanned ruled tables: rows with the right lead (goal ≥ 90 %)", "",
             "Each plan's task table is drawn by reportlab (ruled grid, merged group rows, header repeated after a "
             "page break), the PDF rasterised at 200 dpi into an image-only PDF, then read by `rag add`'s OCR at "
             "300 dpi. A row counts when its address (group and number) is found and its lead, partners or deadline "
             "equals the known one (case, diacritics and punctuation aside). Both designs in the same run.", "",
             "| scan | design | rows known | rows found | right lead | right partners | right deadline | "
             "OCR time per page |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['file']} | {r['design']} | {r['rows']} | {r['found']} | **{r['lead']:.0%}** | "
                     f"{r['partners']:.0%} | {r['deadline']:.0%} | {r['per_page']:.1f} s |")
    return lines + ["", "How (`rag/ingest/ruling.py`): ruling lines are long runs of dark pixels (numpy); rows of the "
                    "same extent stacked under each other and cut by vertical rules make a grid, a border missing in a "
                    "row merges its cells (group rows); the rules are painted white before Tesseract reads the page, "
                    "and each word goes to the cell its TSV box falls in.", ""]


def _add_section(add) -> list[str]:
    return ["## `rag add` of a text PDF (fresh process, OCR excluded)", "",
            "| plan | pages | clauses | median of 3 | runs | read PDF | parse + checks | index (embedding) | goal |",
            "|---|---|---|---|---|---|---|---|---|",
            f"| Quảng Trị, grown | {add['pages']} | {add['clauses']} | **{add['median']:.1f} s** | "
            f"{', '.join(f'{t:.1f}' for t in add['runs'])} s | {add['read']:.1f} s | {add['parse']:.1f} s | "
            f"{add['index']:.1f} s | ≤ 10 s |", "",
            "Each run adds new text (nothing from the embedding cache for the new plan) and includes process start, "
            "loading the embedder, reading the PDF, parsing, the duplicate check against every plan, embedding the new "
            "passages and writing the index.", ""]


def _sections(text: str) -> dict[str, str]:
    """The report's "## " sections by heading, to replace only those measured in this run."""
    out, current = {}, None
    for line in text.splitlines():
        if line.startswith("## "):
            current = line
            out[current] = []
        if current:
            out[current].append(line)
    return {k: "\n".join(v).rstrip() + "\n" for k, v in out.items()}


def write_report(new: dict[str, list[str]]) -> None:
    old = _sections(REPORT.read_text(encoding="utf-8")) if REPORT.exists() else {}
    order = ["## PDF with a text layer", "## Scanned PDF:", "## Scanned ruled tables", "## `rag add` of a text PDF"]
    fresh = {lines[0]: "\n".join(lines).rstrip() + "\n" for lines in new.values()}
    merged = []
    for prefix in order:
        chosen = next((v for k, v in fresh.items() if k.startswith(prefix)), None) or \
            next((v for k, v in old.items() if k.startswith(prefix)), None)
        if chosen:
            merged.append(chosen)
    head = ["# Ingestion benchmark", "",
            f"Last run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} ({', '.join(new)}), {os.cpu_count()} cores "
            f"(shared; 1-minute load average {os.getloadavg()[0]:.1f}, so every time here is slower than on an idle "
            "machine). Fixtures: `tests/fixtures/make_fixtures.py` (fictional plans; the known text and structure "
            "come from the generator). Sections not measured in the last run are kept from earlier runs.", ""]
    REPORT.write_text("\n".join(head) + "\n" + "\n".join(merged), encoding="utf-8")
    print(REPORT.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", type=Path, help="an index/cache folder with the corpus embeddings (saves ~90 s)")
    parser.add_argument("--parts", default="pdf,ocr,tables,add", help="which measurements to run (comma-separated)")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    new: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        folder = Path(tmp)
        if "pdf" in parts:
            new["pdf"] = _pdf_section(bench_pdf(build(folder / "fixtures", scan=False, long=True)))
        if "ocr" in parts:
            new["ocr"] = _ocr_section(bench_ocr(folder))
        if "tables" in parts:
            new["tables"] = _tables_section(bench_ocr_tables(folder))
        if "add" in parts:
            new["add"] = _add_section(bench_add(folder, args.cache))
    write_report(new)


if __name__ == "__main__":
    main()
