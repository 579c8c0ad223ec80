"""The generality table: the same question sets answered by the previous design and by this
one, overall and for the kinds of question the dev set hardly has (follow-ups, English,
without diacritics). Reads result files written by `rag eval`.

    python eval/generality_report.py --set dev eval/questions/dev.jsonl BEFORE.jsonl AFTER.jsonl \
        --set heldout3 eval/questions/heldout3.jsonl BEFORE.jsonl AFTER.jsonl --out eval/reports/generality.md
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from rag.eval.dataset import load_questions
from rag.eval.metrics import score_question, summarize
from rag.text import has_diacritics, looks_english

PLAN_IDS = None


def _subsets(q) -> list[str]:
    out = ["all"]
    if q.history:
        out.append("follow-ups")
    if looks_english(q.question):
        out.append("English")
    elif not has_diacritics(q.question):
        out.append("no diacritics")
    return out


def _fmt(v, digits=3):
    return "–" if v is None else f"{v:.{digits}f}"


def table(name: str, questions: Path, before: Path, after: Path, plan_ids: list[str]) -> list[str]:
    qs = {q.id: q for q in load_questions(questions, plan_ids).questions}
    runs = {}
    for label, path in (("before", before), ("after", after)):
        rows = {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if r}
        runs[label] = {qid: score_question(q, rows[qid]) for qid, q in qs.items() if qid in rows}
    lines = [f"### {name} ({questions})", "",
             "| subset | n | design | recall@5 | MRR@10 | facts named | citation precision | abstained / unanswerable "
             "| false abstentions / answerable |", "|---|---|---|---|---|---|---|---|---|"]
    for subset in ("all", "follow-ups", "English", "no diacritics"):
        ids = [qid for qid, q in qs.items() if subset in _subsets(q)]
        if not ids:
            continue
        for label in ("before", "after"):
            s = summarize([runs[label][i] for i in ids if i in runs[label]])
            lines.append(f"| {subset} | {len(ids)} | {label} | {_fmt(s['recall@5'])} | {_fmt(s['mrr@10'])} | "
                         f"{_fmt(s['must_mention_accuracy'])} | {_fmt(s['citation_precision'])} | "
                         f"{s['abstained_unanswerable']}/{s['unanswerable']} | {s['false_abstentions']}/{s['answerable']} |")
    return lines + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", nargs=4, action="append", metavar=("NAME", "QUESTIONS", "BEFORE", "AFTER"),
                        required=True)
    parser.add_argument("--plans", default="lai-chau-2021-2025,dong-nai-2026-2030,ninh-thuan-2021-2025,ha-noi-2022-2025")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    plan_ids = args.plans.split(",")
    lines = ["# Generality: the previous design against this one", ""]
    for name, questions, before, after in args.set:
        lines += table(name, Path(questions), Path(before), Path(after), plan_ids)
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
