"""The evaluation report: a markdown file an evaluator can attach to a review, and a JSON summary."""
from __future__ import annotations

import json
import time
from pathlib import Path

from rag.eval.metrics import QuestionScore

METRIC_ROWS = [
    ("recall@1", "Recall@1"), ("recall@5", "Recall@5"), ("recall@10", "Recall@10"), ("mrr@10", "MRR@10"),
    ("top5_mean_chars", "Độ dài TB 5 đoạn đầu (ký tự) / mean chars of top-5"),
    ("must_mention_accuracy", "Nêu đủ dữ kiện / answer_must_mention"),
    ("citation_precision", "Độ chính xác trích dẫn / citation precision"),
    ("citation_recall", "Độ phủ trích dẫn / citation recall"),
    ("abstention_rate_unanswerable", "Từ chối đúng (câu không có đáp án) / abstention on unanswerable"),
    ("false_abstentions", "Từ chối sai (câu có đáp án) / false abstentions"),
    ("latency_p50_ms", "Độ trễ p50 (ms)"), ("latency_p95_ms", "Độ trễ p95 (ms)"),
]


def fmt_metric(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}" if value < 10 else f"{value:.0f}"
    return str(value)


def md_cell(text: str, limit: int = 140) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _mark(ok: bool | None) -> str:
    return "–" if ok is None else ("✓" if ok else "✗")


def render_report(title: str, runs: list[dict], skipped: list) -> str:
    """``runs``: one dict per configuration with config, summary, by_type, scores."""
    lines = [f"# Báo cáo đánh giá / Evaluation report — {title}", ""]
    first = runs[0]["config"]
    lines += ["| cấu hình / configuration | |", "|---|---|"]
    for key in ("questions_file", "embedder", "corpus_hash", "parser_version", "rag_version", "index_built_at",
                "generated_at"):
        lines.append(f"| {key} | `{first.get(key, '')}` |")
    lines.append(f"| dòng bị bỏ qua / skipped lines | {len(skipped)} |")
    lines.append("")
    if skipped:
        lines += ["Các dòng bị bỏ qua / skipped:", ""] + [f"- {p}" for p in skipped] + [""]

    lines += ["## Chỉ số / Metrics", "", "Tính trên các câu có đáp án (có `gold`), trừ các dòng về từ chối.", ""]
    header = "| chỉ số / metric | " + " | ".join(f"{r['config']['retriever']} + {r['config']['answerer']}" for r in runs) + " |"
    lines += [header, "|---|" + "---|" * len(runs)]
    for key, label in METRIC_ROWS:
        lines.append(f"| {label} | " + " | ".join(fmt_metric(r["summary"].get(key)) for r in runs) + " |")
    counts = runs[0]["summary"]
    lines += ["", counts_sentence(counts), ""]

    for run in runs:
        cfg = run["config"]
        name = f"{cfg['retriever']} + {cfg['answerer']}"
        if run["by_type"]:
            lines += [f"## Theo loại câu hỏi / By type — {name}", "",
                      "| loại / type | n | R@5 | MRR@10 | dữ kiện / facts | trích dẫn / citation prec. | từ chối / abstained |",
                      "|---|---|---|---|---|---|---|"]
            for t, s in run["by_type"].items():
                abst = f"{s['abstained_unanswerable']}/{s['unanswerable']}" if s["unanswerable"] else \
                    f"{s['false_abstentions']}/{s['answerable']}"
                lines.append(f"| {t} | {s['questions']} | {fmt_metric(s['recall@5'])} | {fmt_metric(s['mrr@10'])} | "
                             f"{fmt_metric(s['must_mention_accuracy'])} | {fmt_metric(s['citation_precision'])} | {abst} |")
            lines.append("")
        scores: list[QuestionScore] = run["scores"]
        ordered = sorted(scores, key=lambda s: (s.passed, s.id))
        lines += [f"## Từng câu hỏi / Per question — {name}", "",
                  "Câu sai xếp trước. *Failures first.* Hạng = hạng của đoạn đầu tiên chứa trích dẫn vàng.", "",
                  "| id | loại | đạt | hạng | R@5 | dữ kiện | trích dẫn | từ chối | câu trả lời (dòng đầu) |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for s in ordered:
            rank = "–" if not s.answerable else (str(s.first_rank) if s.first_rank else "✗")
            r5 = f"{s.recall5:.2f}" if s.answerable else "–"
            cites = f"{s.cited_good}/{s.cited_total}" if s.answerable else str(s.cited_total)
            abst = ("✓" if s.abstained else "✗") if s.unanswerable else ("✗ sai" if s.abstained and s.answerable else "")
            lines.append(f"| {s.id} | {s.type} | {_mark(s.passed)} | {rank} | {r5} | {_mark(s.mentions)} | {cites} | "
                         f"{abst} | {md_cell(s.first_line)} |")
        lines.append("")
    return "\n".join(lines)


def counts_sentence(summary: dict) -> str:
    """«N câu hỏi: a có đáp án, u không có đáp án trong kế hoạch, g chưa có đáp án chuẩn» — the parts
    add up to N (a question with neither a gold quote nor the unanswerable type is the third kind)."""
    questions, answerable, unanswerable = (summary.get(k, 0) for k in ("questions", "answerable", "unanswerable"))
    ungraded = summary.get("ungraded", questions - answerable - unanswerable)
    parts = [f"{answerable} có đáp án", f"{unanswerable} không có đáp án trong kế hoạch"]
    if ungraded:
        parts.append(f"{ungraded} chưa có đáp án chuẩn (chỉ chấm các dữ kiện phải nêu, nếu có)")
    return f"{questions} câu hỏi: " + ", ".join(parts) + "."


def write_report(path: Path, title: str, runs: list[dict], skipped: list) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(title, runs, skipped), encoding="utf-8")
    summary = {
        "title": title,
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "skipped": [str(p) for p in skipped],
        "runs": [{"config": r["config"], "summary": r["summary"], "by_type": r["by_type"]} for r in runs],
    }
    json_path = path.with_suffix(".json")
    json_path.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return json_path
