"""«Đánh giá»: an evaluator uploads a question set (XLSX, CSV or JSONL), chooses the plans,
the answerer and the retriever, runs it with a progress bar and a stop button, reads the results
(filterable to failures; a click opens the cited clauses as in the chat's sources panel), sees the
metrics, downloads XLSX / CSV / the report, and compares two of their kept runs.

A run goes on in its own worker thread (``rag.eval.job``) and asks the assistant one question at a
time through the same lock as the chat, a first-come-first-served one, so a chat question waits for
at most the question in progress. The run's event has its own concurrency group, not the chat's.
Each visitor sees only their own runs: runs are keyed by the logged-in user name when there is one,
else by the Gradio session.
"""
from __future__ import annotations

import html
import logging
import tempfile
from dataclasses import replace
from pathlib import Path

import gradio as gr

from rag.eval.compare import compare_runs, render_comparison
from rag.eval.dataset import QuestionFileError, QuestionSet, load_uploaded_questions
from rag.eval.export import STATUS_FAILED, STATUS_PASSED, metric_rows, result_row
from rag.eval.job import EvalJob, export_run
from rag.eval.runner import RunConfig
from rag.eval.runs import RunNotFound, RunStore, SavedRun
from rag.eval.template import template_bytes
from rag.models import Answer, Citation, Passage, SearchHit
from ui.access import Role
from ui.context import PageContext, plan_choices
from ui.render import sources_html

log = logging.getLogger(__name__)

TABLE_HEADERS = ["", "id", "Câu hỏi", "Câu trả lời", "Điều khoản trích dẫn", "Thời gian (ms)", "Tìm thấy",
                 "Dữ kiện"]
ICONS = {STATUS_PASSED: "✓", STATUS_FAILED: "✗"}  # system fonts have these; emoji may not render
NO_SOURCES = "<div class='sources-empty'>Bấm vào một dòng của bảng để xem các điều khoản được trích dẫn.</div>"
MAX_ANSWER_CHARS = 400


def user_key(request: gr.Request | None) -> str:
    """Whose runs: the logged-in user, else this browser session."""
    if request is None:
        return ""
    name = getattr(request, "username", None)
    return f"user:{name}" if name else f"session:{request.session_hash or ''}"


def answer_from_record(record: dict, short_names: dict[str, str]) -> Answer:
    """The result line of a run as the ``Answer`` the sources panel renders."""
    cites = tuple(Citation(c["plan_id"], c["clause"], c.get("path", ""), c["text"],
                           short_names.get(c["plan_id"], c["plan_id"])) for c in record.get("citations", []))
    hits = tuple(SearchHit(h["rank"], Passage(0, h["plan_id"], h["clause"], tuple(h.get("path", "").split(" › ")),
                                              h["text"], ""), h.get("score", 0.0))
                 for h in record.get("retrieved", []))
    return Answer(record.get("question", ""), record.get("answer", ""), bool(record.get("abstained")), cites, hits,
                  float(record.get("latency_ms", 0)))


def _short(text: str, limit: int = MAX_ANSWER_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _view(run_id: str, items: list[tuple], short_names: dict[str, str]) -> dict:
    """What the table shows, kept per session: (question, record, score) triples become rows."""
    rows = [result_row(q, rec, score, short_names) for q, rec, score in items]
    return {"run_id": run_id, "rows": rows, "records": {rec["id"]: rec for _, rec, _ in items},
            "short_names": short_names}


def _table(view: dict | None, failures_only: bool) -> list[list]:
    if not view:
        return []
    out = []
    for row, rec in ((r, view["records"][r.id]) for r in view["rows"]):
        if failures_only and not row.failed:
            continue
        clauses = "; ".join(f"{view['short_names'].get(c['plan_id'], c['plan_id'])} {c['clause']}"
                            for c in rec.get("citations", []))
        out.append([ICONS.get(row.status, "–"), row.id, row.question, _short(row.answer), clauses or "—",
                    row.time_ms, row.hit, row.facts])
    return out


def _metrics_md(run: SavedRun) -> str:
    lines = [f"### Chỉ số — lần chạy `{run.id}`", ""]
    if run.meta.get("status") == "stopped":
        lines += [f"■ Đã dừng sau {run.summary.get('questions', 0)} câu; chỉ số tính trên các câu đã chạy.", ""]
    lines += ["| chỉ số | giá trị |", "|---|---|"]
    for label, value in metric_rows(run.summary):
        shown = "–" if value is None else (f"{value:.3f}" if isinstance(value, float) and value < 10 else f"{value}")
        lines.append(f"| {label} | {shown} |")
    problems = run.meta.get("problems", [])
    if problems:
        lines += ["", f"**{len(problems)} dòng bị bỏ qua:**", ""]
        lines += [f"- dòng {p['row']}: {html.escape(p['message'])}" for p in problems]
    for note in run.meta.get("notes", []):
        lines += ["", f"*{html.escape(note)}*"]
    return "\n".join(lines)


def _file_summary(qset, name: str) -> str:
    parts = [f"**{html.escape(name)}**: {len(qset.questions)} câu hỏi hợp lệ"]
    if qset.problems:
        parts[0] += f", {len(qset.problems)} dòng bị bỏ qua (vẫn chạy các dòng còn lại):"
        parts += [f"- {html.escape(str(p))}" for p in qset.problems]
    parts += [f"*{html.escape(n)}*" for n in qset.notes]
    return "\n".join(parts)


class Refusal(Exception):
    """A run cannot start; the message is for the user (Vietnamese)."""


class EvalTab:
    """Runs are kept in ``settings.runs_dir``; the downloads of this server's runs and the two
    template files are in one temporary folder."""

    def __init__(self, ctx: PageContext) -> None:
        self.ctx = ctx
        self.store = RunStore(ctx.settings.runs_dir)
        self.jobs: dict[str, EvalJob] = {}  # user key -> their latest run on this server
        self.downloads = Path(tempfile.mkdtemp(prefix="rag-eval-downloads-"))
        self.templates = self.downloads / "mau"
        self.templates.mkdir()
        for kind in ("xlsx", "csv"):
            (self.templates / f"bo-cau-hoi-mau.{kind}").write_bytes(template_bytes(kind))

    # --- helpers -------------------------------------------------------------------------------

    def own_runs(self, request) -> list[tuple[str, str]]:
        return [(r.label, r.id) for r in self.store.list(owner=user_key(request))]

    def own_run(self, run_id: str, request) -> SavedRun:
        run = self.store.load(run_id)
        if run.meta.get("owner") != user_key(request):
            raise RunNotFound(f"Không có lần chạy «{run_id}».")
        return run

    def download_files(self, run: SavedRun) -> list[str]:
        folder = self.downloads / run.id
        folder.mkdir(exist_ok=True)
        return [str(export_run(run, folder / f"{name}-{run.id}.{kind}"))
                for kind, name in (("xlsx", "ket-qua"), ("csv", "ket-qua"), ("md", "bao-cao"), ("json", "bao-cao"))]

    def parse(self, path: str) -> QuestionSet:
        """An uploaded question file, read in a child process with a memory and time limit after the
        checks of what it unpacks to (``load_uploaded_questions``), so it never grows the server."""
        corpus = self.ctx.plans.corpus
        settings = self.ctx.settings
        return load_uploaded_questions(Path(path), corpus.plan_ids, settings.eval_max_rows,
                                       memory_mb=settings.ingest_child_memory_mb)

    def unchanged(self, message: str | None = None) -> tuple:
        return (gr.update(value=message) if message else gr.update(),) + (gr.update(),) * (len(self.outputs) - 1)

    # --- handlers ------------------------------------------------------------------------------

    def on_load(self, request: gr.Request):
        """Shows the tab to evaluators, with their kept runs in the comparison lists."""
        ok = self.ctx.access.allows(request, Role.EVALUATOR)
        runs = self.own_runs(request) if ok else []
        return gr.update(visible=ok), gr.update(choices=runs), gr.update(choices=runs)

    def on_upload(self, path: str | None):
        if not path:
            return ""
        try:
            qset = self.parse(path)
        except QuestionFileError as exc:
            return f"⚠️ {exc}"
        except OSError:
            log.exception("could not read the uploaded file")
            return "⚠️ Không đọc được tệp đã tải lên."
        return _file_summary(qset, Path(path).name)

    def start(self, path, chosen_plans, answerer_name, retriever_name, key: str) -> EvalJob:
        """Checks the request and starts the run, or raises ``Refusal``."""
        if not path:
            raise Refusal("⚠️ Hãy tải lên một bộ câu hỏi (XLSX, CSV hoặc JSONL) trước khi chạy.")
        running = self.jobs.get(key)
        if running is not None and not running.finished:
            raise Refusal("⚠️ Bạn đang có một lần chạy chưa xong; hãy chờ hoặc bấm «Dừng».")
        if not chosen_plans:
            raise Refusal("⚠️ Hãy chọn ít nhất một kế hoạch.")
        if answerer_name == "llm" and not self.ctx.llm_ok:
            raise Refusal("⚠️ Trình trả lời LLM chưa sẵn sàng trên máy chủ này; hãy chọn «Mặc định».")
        try:
            qset = self.parse(path)
        except QuestionFileError as exc:
            raise Refusal(f"⚠️ {exc}") from exc
        if not qset.questions:
            raise Refusal("⚠️ Tệp không có câu hỏi hợp lệ nào: " + "; ".join(str(p) for p in qset.problems[:5]))
        try:
            assistant = self.ctx.loader.wait()
        except (TimeoutError, RuntimeError) as exc:
            raise Refusal(f"⚠️ {exc}") from exc
        plan_ids = self.ctx.plans.corpus.plan_ids
        allowed_plans = () if set(chosen_plans) >= set(plan_ids) else tuple(chosen_plans)
        config = RunConfig(retriever_name or "hybrid", answerer_name or "default", allowed_plans)
        job = EvalJob(assistant, qset, config, self.store, self.ctx.settings, owner=key, title=Path(path).name,
                      lock=self.ctx.loader.lock).start()
        self.jobs[key] = job
        return job

    def run_eval(self, path, chosen_plans, answerer_name, retriever_name, only_failures, request: gr.Request,
                 progress=gr.Progress()):
        """Runs the question set, showing the results as they come, then the metrics and downloads."""
        key = user_key(request)
        try:
            job = self.start(path, chosen_plans, answerer_name, retriever_name, key)
        except Refusal as exc:
            yield self.unchanged(str(exc))
            return
        names = {p.id: p.info.short_name for p in self.ctx.plans.corpus.plans}
        yield from self.follow(job, names, only_failures, progress)
        yield self.finished(job, names, only_failures, request)

    def follow(self, job: EvalJob, names: dict, only_failures: bool, progress):
        shown = -1
        every = 0.4 + job.total / 500  # a 2,000-question table is not re-sent more than every ~4 s
        while True:
            finished = job.wait(every)
            progress((job.done, job.total), desc="Đang chạy bộ câu hỏi", unit="câu")
            if job.done != shown and not finished:
                shown = job.done
                current = _view("", [(r.question, r.record, r.score) for r in list(job.results)], names)
                stop_note = " — đang dừng…" if job.stopping else ""
                yield (f"⏳ Đã chạy {job.done}/{job.total} câu{stop_note}", _table(current, only_failures), current,
                       *(gr.update(),) * 7)
            if finished:
                return

    def finished(self, job: EvalJob, names: dict, only_failures: bool, request) -> tuple:
        items = [(r.question, r.record, r.score) for r in job.results]
        if job.saved is None:
            current = _view("", items, names)
            return (f"⚠️ {job.error}", _table(current, only_failures), current, *(gr.update(),) * 7)
        run = job.saved
        current = _view(run.id, items, names)
        files = self.download_files(run)
        runs = self.own_runs(request)
        done = "■ Đã dừng" if run.meta.get("status") == "stopped" else "✓ Xong"
        failed = sum(1 for r in current["rows"] if r.failed)
        return (f"{done}: {job.done}/{job.total} câu, {failed} câu không đạt. Lần chạy đã lưu: `{run.id}`",
                _table(current, only_failures), current, _metrics_md(run),
                *(gr.update(value=f, interactive=True) for f in files),
                gr.update(choices=runs), gr.update(choices=runs, value=run.id))

    def stop_eval(self, request: gr.Request):
        job = self.jobs.get(user_key(request))
        if job is None or job.finished:
            return gr.update()
        job.stop()
        return "■ Đang dừng sau câu hiện tại…"

    @staticmethod
    def filter_table(view: dict | None, failures_only: bool) -> list[list]:
        return _table(view, failures_only)

    def open_row(self, current: dict | None, evt: gr.SelectData):
        """The clauses a result row cites, as in the chat's sources panel."""
        if not current:
            return NO_SOURCES
        qid = str(evt.row_value[1]) if evt.row_value and len(evt.row_value) > 1 else None
        record = current["records"].get(qid)
        if record is None:
            return NO_SOURCES
        indexes = self.ctx.plans.indexes
        answer = answer_from_record(record, current["short_names"])
        gone = [c for c in answer.citations if c.plan_id not in indexes]  # a plan since removed from the corpus
        answer = replace(answer, citations=tuple(c for c in answer.citations if c.plan_id in indexes))
        head = (f"<div class='source'><div class='source-title'><b>{html.escape(record['id'])}</b> — "
                f"{html.escape(record['question'])}</div><div class='source-text'>"
                f"{html.escape(record['answer']).replace(chr(10), '<br>')}</div></div>")
        note = (f"<div class='low-evidence'>{len(gone)} điều khoản trích dẫn thuộc kế hoạch không còn trong kho.</div>"
                if gone else "")
        return head + note + sources_html(answer, self.ctx.plans.corpus, indexes)

    def compare(self, a: str | None, b: str | None, request: gr.Request):
        if not a or not b:
            return "⚠️ Hãy chọn hai lần chạy để so sánh."
        try:
            return render_comparison(compare_runs(self.own_run(a, request), self.own_run(b, request)))
        except RunNotFound as exc:
            return f"⚠️ {exc}"

    # --- layout and wiring -----------------------------------------------------------------------

    def layout(self) -> None:
        """The tab, hidden until the visitor is known to be an evaluator."""
        with gr.Tab("Đánh giá", visible=False, elem_id="tab-eval") as self.tab:
            gr.Markdown("Chạy một bộ câu hỏi cố định và xem kết quả từng câu, chỉ số, tải về và so sánh các lần chạy. "
                        "Tệp: **XLSX, CSV hoặc JSONL**, cột `id`, `câu hỏi` (bắt buộc), `kế hoạch`, `câu hỏi trước`, "
                        "`trích dẫn đúng`, `kế hoạch của trích dẫn`, `phải nêu`, `loại` (tùy chọn); tiêu đề tiếng Việt "
                        f"hoặc tiếng Anh; tối đa {self.ctx.settings.eval_max_rows} câu một tệp.")
            self._inputs()
            self._results()
            with gr.Accordion("So sánh hai lần chạy", open=False, elem_id="eval-compare-box"):
                with gr.Row():
                    self.run_a = gr.Dropdown(choices=[], label="Lần chạy A (trước)", elem_id="eval-run-a")
                    self.run_b = gr.Dropdown(choices=[], label="Lần chạy B (sau)", elem_id="eval-run-b")
                self.compare_button = gr.Button("So sánh", elem_id="eval-compare")
                self.comparison = gr.Markdown(elem_id="eval-comparison")
            self.view = gr.State(None)
        self.outputs = [self.status, self.table, self.view, self.metrics, *self.downloads_buttons, self.run_a, self.run_b]

    def _inputs(self) -> None:
        corpus, llm_ok = self.ctx.plans.corpus, self.ctx.llm_ok
        with gr.Row():
            self.upload = gr.File(label="Bộ câu hỏi (XLSX, CSV hoặc JSONL)", type="filepath", elem_id="eval-file",
                                  file_types=[".xlsx", ".csv", ".jsonl", ".json", ".txt", ".tsv"], scale=3)
            with gr.Column(scale=1):
                gr.DownloadButton("Tải tệp mẫu XLSX", value=str(self.templates / "bo-cau-hoi-mau.xlsx"), size="sm")
                gr.DownloadButton("Tải tệp mẫu CSV", value=str(self.templates / "bo-cau-hoi-mau.csv"), size="sm")
        self.file_info = gr.Markdown(elem_id="eval-file-info")
        with gr.Row():
            self.plans = gr.CheckboxGroup(choices=plan_choices(corpus), value=corpus.plan_ids,
                                          label="Kế hoạch được dùng", elem_id="eval-plans", scale=3)
            self.answerer = gr.Radio(choices=[("Mặc định", "default"),
                                              ("LLM" if llm_ok else "LLM (chưa sẵn sàng)", "llm")],
                                     value="default", label="Trình trả lời", elem_id="eval-answerer", scale=1)
            self.retriever = gr.Radio(choices=[("Kết hợp (hybrid)", "hybrid"), ("Chỉ dense", "dense"),
                                               ("Chỉ lexical", "lexical")], value="hybrid", label="Cách tìm",
                                      elem_id="eval-retriever", scale=1)
        with gr.Row():
            self.run_button = gr.Button("Chạy đánh giá", variant="primary", elem_id="eval-run")
            self.stop_button = gr.Button("Dừng", variant="stop", elem_id="eval-stop")

    def _results(self) -> None:
        self.status = gr.Markdown(elem_id="eval-status")
        self.failures_only = gr.Checkbox(label="Chỉ hiện câu không đạt", value=False, elem_id="eval-failures")
        self.table = gr.Dataframe(headers=TABLE_HEADERS, value=[], wrap=True, interactive=False, elem_id="eval-table",
                                  column_widths=["4%", "6%", "22%", "34%", "16%", "7%", "5%", "6%"])
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                self.metrics = gr.Markdown(elem_id="eval-metrics")
            with gr.Column(scale=2):
                gr.Markdown("#### Điều khoản được trích dẫn")
                self.sources = gr.HTML(NO_SOURCES, elem_id="eval-sources", elem_classes=["sources-panel"])
        with gr.Row():
            self.downloads_buttons = [
                gr.DownloadButton(label, value=None, interactive=False, elem_id=f"eval-dl-{kind}")
                for kind, label in (("xlsx", "Tải kết quả XLSX"), ("csv", "Tải kết quả CSV"),
                                    ("md", "Tải báo cáo (markdown)"), ("json", "Tải tóm tắt JSON"))]

    def wire(self, demo: gr.Blocks) -> None:
        wire, evaluator = self.ctx.wire, Role.EVALUATOR
        wire.on(demo.load, self.on_load, Role.READER, outputs=[self.tab, self.run_a, self.run_b])
        wire.on(self.upload.change, self.on_upload, evaluator, inputs=self.upload, outputs=self.file_info)
        wire.on(self.run_button.click, self.run_eval, evaluator,
                inputs=[self.upload, self.plans, self.answerer, self.retriever, self.failures_only],
                outputs=self.outputs, concurrency_id="eval-run", concurrency_limit=4, show_progress_on=[self.status])
        wire.on(self.stop_button.click, self.stop_eval, evaluator, outputs=self.status, queue=False)
        wire.on(self.failures_only.change, self.filter_table, evaluator, inputs=[self.view, self.failures_only],
                outputs=self.table)
        wire.on(self.table.select, self.open_row, evaluator, inputs=self.view, outputs=self.sources)
        wire.on(self.compare_button.click, self.compare, evaluator, inputs=[self.run_a, self.run_b],
                outputs=self.comparison)
