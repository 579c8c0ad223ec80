"""Downloads of a run: XLSX (one row a question, citations as plan + clause + quote, a metrics
sheet, the run's configuration and its bad rows), CSV (the same rows), and the markdown / JSON
report (``report.py``). The rows are also what the page's results table shows.

Text from answers and plans is written as text, never as a formula, by the product's one
spreadsheet writer (``rag/sheets.py``).
"""
from __future__ import annotations

from dataclasses import astuple, dataclass

from rag.eval.dataset import EvalQuestion, RowProblem
from rag.eval.metrics import QuestionScore
from rag.eval.report import METRIC_ROWS
from rag.sheets import append_row, csv_bytes, new_workbook, workbook_bytes

HEADERS = ["id", "Câu hỏi", "Câu trả lời", "Trích dẫn (kế hoạch — điều khoản: nguyên văn)", "Thời gian (ms)",
           "Tìm thấy đáp án (top 5)", "Nêu đủ dữ kiện", "Trạng thái", "Từ chối"]
STATUS_PASSED, STATUS_FAILED, STATUS_NO_GOLD = "đạt", "không đạt", "không có đáp án chuẩn"


@dataclass(frozen=True)
class ResultRow:
    id: str
    question: str
    answer: str
    citations: str  # one line a citation: "KH … — IV.3.b: «quote»"
    time_ms: float
    hit: str  # ✓ / ✗ / – (no gold)
    facts: str  # ✓ / ✗ / – (no must_mention)
    status: str
    abstained: str

    @property
    def failed(self) -> bool:
        return self.status == STATUS_FAILED


def _mark(value: bool | None) -> str:
    return "–" if value is None else ("✓" if value else "✗")


def status_of(score: QuestionScore) -> str:
    if not score.answerable and not score.unanswerable and score.mentions is None:
        return STATUS_NO_GOLD
    return STATUS_PASSED if score.passed else STATUS_FAILED


def citation_lines(record: dict, short_names: dict[str, str]) -> str:
    return "\n".join(f"{short_names.get(c['plan_id'], c['plan_id'])} — {c['clause']}: «{c['text']}»"
                     for c in record.get("citations", []))


def result_row(q: EvalQuestion, record: dict, score: QuestionScore, short_names: dict[str, str]) -> ResultRow:
    if score.answerable:
        hit = _mark(score.recall5 == 1.0)
    elif score.unanswerable:
        hit = _mark(score.abstained)  # nothing to find: the hit is abstaining
    else:
        hit = "–"
    return ResultRow(id=q.id, question=q.question, answer=record.get("answer", ""),
                     citations=citation_lines(record, short_names), time_ms=round(float(record["latency_ms"]), 1),
                     hit=hit, facts=_mark(score.mentions), status=status_of(score),
                     abstained="có" if record.get("abstained") else "không")


def result_rows(questions: list[EvalQuestion], records: list[dict], scores: list[QuestionScore],
                short_names: dict[str, str]) -> list[ResultRow]:
    by_id = {q.id: q for q in questions}
    return [result_row(by_id[r["id"]], r, s, short_names) for r, s in zip(records, scores)]


def metric_rows(summary: dict) -> list[tuple[str, float | int | None]]:
    """(label, value) with values rounded as the report shows them (None: not measured)."""
    def value(v):
        return round(v, 3) if isinstance(v, float) else v

    rows = [(label, value(summary.get(key))) for key, label in METRIC_ROWS]
    rows += [("Số câu hỏi / questions", summary.get("questions", 0)),
             ("Có đáp án / answerable", summary.get("answerable", 0)),
             ("Không có đáp án / unanswerable", summary.get("unanswerable", 0))]
    return rows


def results_csv(rows: list[ResultRow]) -> bytes:
    return csv_bytes(HEADERS, (astuple(row) for row in rows))


def results_xlsx(rows: list[ResultRow], summary: dict, meta: dict, problems: list[RowProblem]) -> bytes:
    from openpyxl.styles import PatternFill

    book = new_workbook()
    sheet = book.active
    sheet.title = "Kết quả"
    put = append_row

    put(sheet, HEADERS, bold=True)
    failed = PatternFill("solid", fgColor="FDE2E1")
    for row in rows:
        put(sheet, astuple(row))
        if row.failed:
            for cell in sheet[sheet.max_row]:
                cell.fill = failed
    for letter, width in zip("ABCDEFGHI", (10, 50, 70, 80, 12, 14, 14, 18, 10)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:I{max(1, sheet.max_row)}"

    metrics = book.create_sheet("Chỉ số")
    put(metrics, ["Chỉ số / metric", "Giá trị / value"], bold=True)
    for label, value in metric_rows(summary):
        put(metrics, [label, "–" if value is None else value])
    metrics.column_dimensions["A"].width = 60
    metrics.column_dimensions["B"].width = 16

    config = book.create_sheet("Cấu hình")
    put(config, ["Mục / item", "Giá trị / value"], bold=True)
    cfg = meta.get("config", {})
    for key, value in [("run id", meta.get("id", "")), ("trạng thái / status", meta.get("status", "")),
                       ("tệp câu hỏi / questions", meta.get("title", "")),
                       ("phiên bản sản phẩm / product version", meta.get("product_version", "")),
                       ("phiên bản chỉ mục / index version", meta.get("index_version", "")),
                       *[(k, ", ".join(v) if isinstance(v, list) else v) for k, v in cfg.items()
                         if k != "results_file"]]:
        put(config, [key, str(value)])
    config.column_dimensions["A"].width = 36
    config.column_dimensions["B"].width = 70

    bad = book.create_sheet("Dòng bị bỏ qua")
    put(bad, ["Dòng / row", "Lý do / problem"], bold=True)
    for p in problems:
        put(bad, [p.row, p.message])
    bad.column_dimensions["B"].width = 80
    return workbook_bytes(book)



def saved_run_bytes(run, kind: str) -> bytes:
    """A kept run (``runs.SavedRun``) as ``kind``: xlsx | csv | md | json."""
    from rag.eval.runs import problems_of

    if kind in ("md", "json"):
        md, js = run.report_paths()
        return (md if kind == "md" else js).read_bytes()
    rows = result_rows(run.questions, run.records, run.scores(), run.short_names)
    if kind == "csv":
        return results_csv(rows)
    if kind == "xlsx":
        return results_xlsx(rows, run.summary, run.meta, problems_of(run))
    raise ValueError(f"unknown export kind {kind!r}: use xlsx, csv, md or json")
