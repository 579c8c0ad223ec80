"""What changed between two kept runs: metric deltas, questions that got worse or better, and
changed citations. Used by `rag eval --compare RUN_A RUN_B` and the page's «So sánh» panel.

A question *got worse* when it passed in A and fails in B (and *better* the other way round);
"passed" is ``QuestionScore.passed``. Questions are matched by id; ids in only one run are listed.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rag.eval.report import METRIC_ROWS, fmt_metric, md_cell
from rag.eval.runs import SavedRun

# metrics where a smaller value is the better one
LOWER_IS_BETTER = {"false_abstentions", "latency_p50_ms", "latency_p95_ms", "top5_mean_chars"}


@dataclass(frozen=True)
class MetricDelta:
    key: str
    label: str
    a: float | int | None
    b: float | int | None

    @property
    def delta(self) -> float | None:
        return None if self.a is None or self.b is None else self.b - self.a

    @property
    def improved(self) -> bool | None:
        d = self.delta
        if not d:
            return None
        return d < 0 if self.key in LOWER_IS_BETTER else d > 0


@dataclass(frozen=True)
class QuestionChange:
    id: str
    question: str
    passed_a: bool
    passed_b: bool
    answer_a: str
    answer_b: str
    cited_a: tuple[str, ...]  # "plan_id clause"
    cited_b: tuple[str, ...]

    @property
    def citations_changed(self) -> bool:
        return set(self.cited_a) != set(self.cited_b)


@dataclass
class RunComparison:
    a: SavedRun
    b: SavedRun
    metrics: list[MetricDelta] = field(default_factory=list)
    worse: list[QuestionChange] = field(default_factory=list)
    better: list[QuestionChange] = field(default_factory=list)
    citations_changed: list[QuestionChange] = field(default_factory=list)  # same pass/fail, other clauses
    only_a: list[str] = field(default_factory=list)
    only_b: list[str] = field(default_factory=list)
    unchanged: int = 0


def _cited(record: dict) -> tuple[str, ...]:
    return tuple(f"{c['plan_id']} {c['clause']}" for c in record.get("citations", []))


def compare_runs(a: SavedRun, b: SavedRun) -> RunComparison:
    out = RunComparison(a, b)
    out.metrics = [MetricDelta(key, label, a.summary.get(key), b.summary.get(key)) for key, label in METRIC_ROWS]
    scores_a = {s.id: s for s in a.scores()}
    scores_b = {s.id: s for s in b.scores()}
    records_a = {r["id"]: r for r in a.records}
    records_b = {r["id"]: r for r in b.records}
    out.only_a = [i for i in records_a if i not in records_b]
    out.only_b = [i for i in records_b if i not in records_a]
    for qid, ra in records_a.items():
        rb = records_b.get(qid)
        if rb is None or qid not in scores_a or qid not in scores_b:
            continue
        change = QuestionChange(qid, ra["question"], scores_a[qid].passed, scores_b[qid].passed, ra["answer"],
                                rb["answer"], _cited(ra), _cited(rb))
        if change.passed_a and not change.passed_b:
            out.worse.append(change)
        elif change.passed_b and not change.passed_a:
            out.better.append(change)
        elif change.citations_changed:
            out.citations_changed.append(change)
        else:
            out.unchanged += 1
    return out


def _delta(m: MetricDelta) -> str:
    d = m.delta
    if d is None:
        return "–"
    sign = "+" if d > 0 else ""
    mark = {True: " ▲", False: " ▼", None: ""}[m.improved]
    return (f"{sign}{d:.3f}" if isinstance(d, float) and abs(d) < 10 else f"{sign}{d:.0f}") + mark


def _cites(cited: tuple[str, ...]) -> str:
    return ", ".join(cited) if cited else "không trích dẫn"


def render_comparison(c: RunComparison) -> str:
    """Markdown, read in a terminal or on the page."""
    def describe(run: SavedRun) -> str:
        m = run.meta
        cfg = run.config
        return (f"`{run.id}`: {cfg.get('retriever')} + {cfg.get('answerer')}, chỉ mục {m.get('index_version') or '?'}, "
                f"phiên bản {m.get('product_version')}, {run.summary.get('questions')} câu")

    lines = ["## So sánh hai lần chạy / Run comparison", "", f"- A: {describe(c.a)}", f"- B: {describe(c.b)}", "",
             "| chỉ số / metric | A | B | B − A |", "|---|---|---|---|"]
    for m in c.metrics:
        lines.append(f"| {m.label} | {fmt_metric(m.a)} | {fmt_metric(m.b)} | {_delta(m)} |")
    lines += ["", f"**Kém đi / worse: {len(c.worse)}** · **Tốt lên / better: {len(c.better)}** · "
                  f"đổi trích dẫn / changed citations: {len(c.citations_changed)} · không đổi / unchanged: {c.unchanged}",
              ""]
    for title, items in (("Câu kém đi (A đạt, B không đạt)", c.worse), ("Câu tốt lên (A không đạt, B đạt)", c.better),
                         ("Câu đổi trích dẫn", c.citations_changed)):
        if not items:
            continue
        lines += [f"### {title}", "", "| id | câu hỏi | trích dẫn A | trích dẫn B | câu trả lời B (đầu) |",
                  "|---|---|---|---|---|"]
        for q in items:
            lines.append(f"| {q.id} | {md_cell(q.question, 80)} | {md_cell(_cites(q.cited_a), 80)} | "
                         f"{md_cell(_cites(q.cited_b), 80)} | {md_cell(q.answer_b, 100)} |")
        lines.append("")
    if c.only_a or c.only_b:
        lines += [f"Chỉ có ở A: {', '.join(c.only_a) or '–'}; chỉ có ở B: {', '.join(c.only_b) or '–'}.", ""]
    return "\n".join(lines)
