"""Calibrates the evidence gate (rag/answer/gate.py): answers every question once with the gate
open, records what it measured, then replays the gate's rules for a grid of thresholds and
counts true abstentions (unanswerable questions refused) and false ones (answerable refused).

    python eval/calibrate_gate.py --calibrate eval/questions/dev.jsonl eval/questions/heldout2.jsonl \
        --check eval/questions/heldout3.jsonl --out eval/reports/gate-curve.md

Thresholds are chosen on the calibration sets only; the check set is reported, never used to choose.
"""
from __future__ import annotations

import argparse
import itertools
import logging
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from rag.answer.gate import refuses
from rag.config import load_settings
from rag.eval.dataset import load_questions
from rag.pipeline import Assistant

log = logging.getLogger("calibrate_gate")

OPEN_GATE = dict(gate_min_relative_bm25=0.0, gate_min_coverage=0.0, gate_min_cosine_english=0.0, gate_min_cosine_on_topic=0.0,
                 gate_max_specific_df=1.0, gate_min_support=0.0, gate_min_support_premise=0.0)
GRID = {
    "min_relative_bm25": (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5),
    "min_coverage": (0.15, 0.2, 0.25, 0.3),
    "min_cosine_on_topic": (0.85, 0.86, 0.87, 0.875, 0.88, 0.9, 1.01),
    "max_specific_df": (0.0, 0.002, 0.005, 0.01, 0.02),
    "min_support": (0.5, 0.67, 0.8, 1.01),
}


@dataclass
class Observed:
    answerable: bool
    unanswerable: bool
    abstained_else: bool  # refused for a reason the grid does not change
    english: bool
    applies: bool
    relative: float
    coverage: float
    cosine: float
    units: int
    lacking: list[tuple[str, float]]
    things: tuple[str, ...] = ()  # the units that name things (only those may be missing for a refusal)


def observe(assistant: Assistant, path: Path) -> list[Observed]:
    qset = load_questions(path, assistant.corpus.plan_ids)
    out = []
    for q in tqdm(qset.questions, desc=path.name, unit="câu"):
        plans = [p for p in assistant.corpus.plan_ids if any(p.startswith(k) for k in q.plans)] or None
        answer = assistant.ask(q.question, plans, history=q.history)
        e = answer.evidence
        measured = "relative_bm25" in e
        out.append(Observed(
            answerable=q.answerable, unanswerable=q.unanswerable,
            abstained_else=answer.abstained and e.get("reason") not in ("off-topic", "unsupported"),
            english=assistant.analyze(q.question, q.history).english, applies=bool(e.get("applies", False)),
            relative=e.get("relative_bm25", 1.0), coverage=e.get("coverage", 1.0), cosine=e.get("cosine", 1.0),
            units=len(e.get("units", [])), lacking=list(zip(e.get("lacking", []), e.get("lacking_df", [])))
            if measured else [], things=tuple(e.get("thing_units", ()))))
    return out


def abstains(o: Observed, t: dict, cosine_english: float) -> bool:
    if o.abstained_else:
        return True
    if o.english:
        return o.cosine < cosine_english
    if o.relative < t["min_relative_bm25"] and o.coverage < t["min_coverage"] and o.cosine < t["min_cosine_on_topic"]:
        return True
    if not o.applies or not o.units:
        return False
    missing = [u for u, df in o.lacking if df <= t["max_specific_df"] and u in o.things]  # as EvidenceGate.measure
    return refuses(missing, 1 - len(missing) / o.units, t["min_support"])


def score(obs: list[Observed], t: dict, cosine_english: float) -> tuple[int, int, int, int]:
    true = sum(1 for o in obs if o.unanswerable and abstains(o, t, cosine_english))
    false = sum(1 for o in obs if o.answerable and abstains(o, t, cosine_english))
    return true, sum(o.unanswerable for o in obs), false, sum(o.answerable for o in obs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calibrate", nargs="+", required=True)
    parser.add_argument("--check", nargs="*", default=[])
    parser.add_argument("--out", default="eval/reports/gate-curve.md")
    args = parser.parse_args()
    settings = load_settings()
    cosine_english = settings.gate_min_cosine_english
    assistant = Assistant(settings.replace(**OPEN_GATE))
    calib = [o for p in args.calibrate for o in observe(assistant, Path(p))]
    check = [o for p in args.check for o in observe(assistant, Path(p))]
    rows = []
    for values in itertools.product(*GRID.values()):
        t = dict(zip(GRID, values))
        ct, cu, cf, ca = score(calib, t, cosine_english)
        rows.append((t, (ct, cu, cf, ca), score(check, t, cosine_english) if check else None))
    # the choice: most unanswerable refused with at most 3% of answerable refused, then fewest false
    allowed = [r for r in rows if r[1][2] <= 0.03 * r[1][3]] or rows
    best = max(allowed, key=lambda r: (r[1][0], -r[1][2], r[0]["min_support"], -r[0]["max_specific_df"]))
    current = {"min_relative_bm25": settings.gate_min_relative_bm25, "min_coverage": settings.gate_min_coverage,
               "min_cosine_on_topic": settings.gate_min_cosine_on_topic,
               "max_specific_df": settings.gate_max_specific_df, "min_support": settings.gate_min_support}
    lines = ["# Evidence gate: thresholds against abstentions", "",
             f"Calibration sets: {', '.join(args.calibrate)}. Check set (never used to choose): "
             f"{', '.join(args.check) or '—'}.", "",
             "Each row replays the gate on answers produced once with the gate open. *true*: unanswerable "
             "questions refused; *false*: answerable questions refused. Rule chosen: most true abstentions on the "
             "calibration sets with false abstentions ≤ 3 % of the answerable ones.", "",
             f"Chosen: `{best[0]}` — calibration {best[1][0]}/{best[1][1]} true, {best[1][2]}/{best[1][3]} false"
             + (f"; check {best[2][0]}/{best[2][1]} true, {best[2][2]}/{best[2][3]} false." if best[2] else "."),
             f"In `rag/config.py` now: `{current}`.", "",
             "## Curve: one threshold moved at a time from the chosen setting", ""]
    for name, grid in GRID.items():
        lines += [f"### {name}", "", "| value | calib. true | calib. false | check true | check false |", "|---|---|---|---|---|"]
        for value in grid:
            t = {**best[0], name: value}
            c, k = score(calib, t, cosine_english), score(check, t, cosine_english) if check else None
            mark = " ←" if value == best[0][name] else ""
            lines.append(f"| {value}{mark} | {c[0]}/{c[1]} | {c[2]}/{c[3]} | "
                         + (f"{k[0]}/{k[1]} | {k[2]}/{k[3]} |" if k else "– | – |"))
        lines.append("")
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[:12]))


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    main()
