"""Bad uploads against a real server: memory and time to refusal (issue 16, items 3 and 4).

Starts `rag serve` on 127.0.0.1 (no accounts: the visitor is an administrator, so both upload
handlers can be called), waits until the index is loaded, then sends each file the way the probe
did (``/gradio_api/upload``, then the handler by ``fn_index``: the evaluation tab's question-file
handler for XLSX, the add-plan tab's «Đọc tệp» for DOCX). For each file: the server's RSS before,
its peak while the request runs (sampled every 20 ms from /proc), RSS 3 s after the answer, the
time to the answer and the answer itself. Goals: RSS back within 50 MB of idle; refusal < 5 s.

The previous design is measured in the same run, outside the server (a child process per file,
capped at 3 GB and 45 s, sampled the same way): openpyxl read-only over the whole workbook (the old
reader) and python-docx over the DOCX (the old «Đọc tệp» had no child and no XML budget). The
streaming readers are compared on a real 2,000-question XLSX and on the bad files without the
pre-scan: openpyxl read-only and python-calamine (when importable; ``--calamine DIR`` adds a
folder holding it to the path).

    .venv/bin/python eval/bench_uploads.py [--index-dir DIR] [--calamine /tmp/calamine]
    # writes eval/reports/benchmark-uploads.md
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.security import bad_files  # noqa: E402
from tests.security.gradio_calls import GradioCaller, first_text  # noqa: E402

REPORT = ROOT / "eval" / "reports" / "benchmark-uploads.md"
OLD_LIMIT_MB, OLD_TIMEOUT_S = 3072, 45.0


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Sampler:
    """The peak RSS of a process while a block runs."""

    def __init__(self, pid: int, every_s: float = 0.02) -> None:
        self.pid, self.every_s, self.peak, self._stop = pid, every_s, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(self.every_s)

    def __enter__(self) -> "Sampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb(self.pid))


# --- files ---------------------------------------------------------------------------------------

def good_xlsx(path: Path, rows: int = 2000) -> Path:
    from openpyxl import Workbook

    questions = [json.loads(line)["question"] for line in (ROOT / "eval/questions/dev.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Câu hỏi")
    sheet.append(["id", "câu hỏi", "kế hoạch", "phải nêu"])
    for n in range(rows):
        sheet.append([f"q{n}", questions[n % len(questions)] + f" ({n})", "", "Sở Giáo dục|giáo dục"])
    book.save(path)
    return path


def build_files(folder: Path) -> list[tuple[str, Path, str]]:
    """(label, file, handler kind: "questions" | "plan")."""
    sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
    from make_fixtures import build

    fixtures = build(folder / "fixtures")
    return [
        ("XLSX 2.000 câu hỏi (hợp lệ)", good_xlsx(folder / "hop-le.xlsx"), "questions"),
        ("XLSX chuỗi chung 1,5 GB", bad_files.xlsx_huge_shared_string(folder / "chuoi-1-5-gb.xlsx"), "questions"),
        ("XLSX 1 triệu cột", bad_files.xlsx_million_columns(folder / "trieu-cot.xlsx"), "questions"),
        ("XLSX 1 triệu dòng trống", bad_files.xlsx_million_blank_rows(folder / "trieu-dong.xlsx"), "questions"),
        ("DOCX kế hoạch thật (hợp lệ)", fixtures["docx"], "plan"),
        ("DOCX bom zip 19 × 10 MiB", bad_files.docx_bomb(folder / "bom.docx"), "plan"),
        ("DOCX 20.000 điều khoản", bad_files.docx_many_clauses(folder / "nhieu-dieu-khoan.docx"), "plan"),
    ]


# --- the server ----------------------------------------------------------------------------------

def start_server(index_dir: Path, data_dir: Path, log_path: Path) -> tuple[subprocess.Popen, str]:
    import httpx

    from tests.ui.conftest import free_port

    port = free_port()
    env = {**os.environ, "RAG_INDEX_DIR": str(index_dir), "RAG_DATA_DIR": str(data_dir), "RAG_DATABASE_URL": "",
           "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "rag.cli", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=open(log_path, "w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "healthz", timeout=5).json().get("status") == "ok":
                return proc, url
        except (httpx.HTTPError, ValueError):
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"the server ended: see {log_path}")
        time.sleep(1)
    proc.kill()
    raise TimeoutError("the server did not load its index")


def send(caller: GradioCaller, path: Path, kind: str) -> str:
    elem, event = ("eval-file", "change") if kind == "questions" else ("read-plan", "click")
    fn, trigger = caller.fn_index(elem, event)
    message = caller.call(fn, [caller.upload(path)], trigger)
    return first_text(message) if message.get("success") else f"(error) {message.get('output')}"


# --- the readers outside the server --------------------------------------------------------------

CHILD = r"""
import json, resource, sys, time
limit = int(sys.argv[3]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
kind, path = sys.argv[1], sys.argv[2]
started = time.perf_counter()
try:
    if kind == "openpyxl":
        import openpyxl
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        cells = sum(len(r) for ws in book.worksheets for r in ws.iter_rows(values_only=True))
        result = f"{cells} ô"
    elif kind == "calamine":
        from python_calamine import CalamineWorkbook
        rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
        result = f"{sum(len(r) for r in rows)} ô"
    elif kind == "scan+openpyxl":
        from rag.eval.readers import read_xlsx
        from rag.eval.dataset import QuestionFileError
        try:
            result = f"{len(read_xlsx(open(path, 'rb').read(), 100000).rows)} dòng"
        except QuestionFileError as exc:
            result = "từ chối: " + str(exc)[:60]
    elif kind == "python-docx+parse":
        from pathlib import Path
        from rag.ingest.docx import DocxExtractor
        from rag.models import PlanInfo
        from rag.structure.parser import parse_plan
        text = DocxExtractor().run(Path(path)).text
        plan = parse_plan(PlanInfo(id="x", file="x.txt", title="x", short_name="x"), text)
        result = f"{len(text)} ký tự, {len(plan.clauses)} điều khoản"
except MemoryError:
    result = "MemoryError"
print(json.dumps({"result": result, "seconds": time.perf_counter() - started}))
"""


def run_reader(kind: str, path: Path, extra_path: str = "") -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), extra_path) if p)}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, kind, str(path), str(OLD_LIMIT_MB)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with Sampler(proc.pid) as sampler:
        try:
            out, err = proc.communicate(timeout=OLD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return {"result": f"dừng sau {OLD_TIMEOUT_S:.0f} s (chưa xong)", "seconds": OLD_TIMEOUT_S,
                    "peak": sampler.peak}
    try:
        data = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        data = {"result": f"lỗi (mã {proc.returncode}): {err.strip().splitlines()[-1][:60] if err.strip() else ''}",
                "seconds": time.perf_counter() - started}
    data["peak"] = sampler.peak
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", type=Path, default=None, help="a built index (default: the configured one)")
    parser.add_argument("--calamine", default="", help="a folder holding python_calamine, if not installed")
    parser.add_argument("--skip-old", action="store_true", help="do not measure the previous design")
    args = parser.parse_args()

    from rag.config import load_settings

    index_dir = args.index_dir or load_settings().index_dir
    if not (index_dir / "current").exists():
        print(f"building the index in {index_dir} (once)…", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "rag.cli", "build"], cwd=ROOT, check=True,
                       env={**os.environ, "RAG_INDEX_DIR": str(index_dir), "PYTHONPATH": str(ROOT)})
    work = Path(tempfile.mkdtemp(prefix="bench-uploads-"))
    try:
        files = build_files(work)
        proc, url = start_server(index_dir, work / "data", work / "serve.log")
        rows = []
        try:
            time.sleep(5)
            idle = rss_mb(proc.pid)
            caller = GradioCaller(url)
            for label, path, kind in files:
                before = rss_mb(proc.pid)
                with Sampler(proc.pid) as sampler:
                    started = time.perf_counter()
                    answer = send(caller, path, kind)
                    seconds = time.perf_counter() - started
                time.sleep(3)
                after = rss_mb(proc.pid)
                rows.append((label, path, kind, before, sampler.peak, after, seconds, answer))
                print(f"{label}: {seconds:.2f} s, RSS {before:.0f} → peak {sampler.peak:.0f} → {after:.0f} MB; "
                      f"{answer[:90]!r}", file=sys.stderr)
            caller.close()
            final = rss_mb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(60)
        readers = []
        if not args.skip_old:
            for label, path, kind in files:
                kinds = (["openpyxl", "calamine", "scan+openpyxl"] if kind == "questions" else ["python-docx+parse"])
                for reader in kinds:
                    result = run_reader(reader, path, args.calamine)
                    readers.append((label, reader, result))
                    print(f"  {reader} on {label}: {result}", file=sys.stderr)
        write_report(idle, final, rows, readers)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _size(path: Path) -> str:
    n = path.stat().st_size
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} KB"


def write_report(idle: float, final: float, rows, readers) -> None:
    load = os.getloadavg()
    lines = [
        "# Benchmark: bad uploads against a real server (issue 16)", "",
        f"`eval/bench_uploads.py`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, Python "
        f"{platform.python_version()}, {os.cpu_count()} cores shared with other work (load average "
        f"{load[0]:.1f} at the end). One `rag serve` on 127.0.0.1, index loaded; each file uploaded and handed "
        "to its page handler by `fn_index`, as the probe did. RSS of the server process from /proc, sampled every "
        "20 ms (the child process that reads a plan is not the server and is not counted here; it ends after "
        "each file).", "",
        f"Server RSS idle: **{idle:.0f} MB**; after all files: **{final:.0f} MB** (goal: within 50 MB of idle).", "",
        "| file | size | handler | RSS before | peak | 3 s after | after − idle | time to answer | answer |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, path, kind, before, peak, after, seconds, answer in rows:
        handler = "Đánh giá: tải bộ câu hỏi" if kind == "questions" else "Thêm kế hoạch: Đọc tệp"
        ok = "✅" if after - idle <= 50 else "❌"
        fast = "✅" if seconds < 5 else "❌"
        text = " ".join(answer.replace("|", "/").split())[:110]
        lines.append(f"| {label} | {_size(path)} | {handler} | {before:.0f} MB | {peak:.0f} MB | {after:.0f} MB | "
                     f"{after - idle:+.0f} MB {ok} | {seconds:.2f} s {fast} | {text} |")
    if readers:
        lines += ["", "## The readers outside the server (previous design, and the streaming readers compared)", "",
                  f"Each in its own child process, address space capped at {OLD_LIMIT_MB} MB, stopped after "
                  f"{OLD_TIMEOUT_S:.0f} s; peak RSS sampled as above. `openpyxl` is the previous question-file "
                  "reader (read-only, whole workbook); `python-docx+parse` is what «Đọc tệp» ran in the server before "
                  "(extraction and the clause parser, no XML budget, no child); "
                  "`scan+openpyxl` is the reader now (zip directory and streamed scan first, then openpyxl "
                  "bounded to the real cells).", "",
                  "| file | reader | time | peak RSS | result |", "|---|---|---|---|---|"]
        for label, reader, r in readers:
            lines.append(f"| {label} | {reader} | {r['seconds']:.2f} s | {r['peak']:.0f} MB | "
                         f"{' '.join(str(r['result']).replace('|', '/').split())[:80]} |")
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {REPORT}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
