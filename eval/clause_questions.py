"""Questions generated from the plans' own clauses, for training the learned ranker
(``eval/train_ranker.py``). Works on any corpus: it reads only the clause tree and the plan
metadata, never a plan's name or an address.

From an appendix row: who leads it, who takes part, by when. From a clause assigned to an
agency (under its heading in "Tổ chức thực hiện"): what the agency must do about it, which
agency does it. From any other content clause: what the plan says about it, how much, the goal.
The topic is a window of the clause's words, shortened and partly reworded with the everyday
paraphrases of ``rag/lexicon/paraphrases.toml`` (plan wording → everyday wording); one question in
five is typed without diacritics, and some name the plan's province. The gold of each question is
a quote of its source clause, so any passage holding that quote counts, as in ``rag eval``.

    python eval/clause_questions.py --out /tmp/generated.jsonl
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag import lexicon  # noqa: E402
from rag.models import Clause, ClauseLevel, Corpus  # noqa: E402
from rag.structure.agencies import agency_name  # noqa: E402
from rag.text import strip_diacritics  # noqa: E402

_LEAD = ["Ai chủ trì {t}?", "Cơ quan nào chủ trì {t}?", "Đơn vị nào chịu trách nhiệm chính việc {t}?",
         "Việc {t} do cơ quan nào chủ trì?", "Cơ quan chủ trì {t} là ai?"]
_PARTNERS = ["Cơ quan nào phối hợp {t}?", "Những đơn vị nào phối hợp thực hiện {t}?", "Việc {t} phối hợp với ai?",
             "{T} có những cơ quan nào cùng tham gia phối hợp?"]
_DEADLINE = ["Thời hạn {t} là khi nào?", "Khi nào phải hoàn thành {t}?", "{T} thực hiện đến khi nào?",
             "Việc {t} có thời hạn thế nào?"]
_AGENCY_DUTY = ["{A} có nhiệm vụ gì về {t}?", "{A} phải làm gì để {t}?", "Nhiệm vụ của {A} trong việc {t} là gì?",
                "{A} được giao gì liên quan đến {t}?"]
_AGENCY_WHO = ["Cơ quan nào {t}?", "Ai {t}?", "Đơn vị nào có trách nhiệm {t}?", "Việc {t} giao cho cơ quan nào?"]
_CONTENT = ["Kế hoạch nói gì về {t}?", "{T} được quy định thế nào?", "Nội dung {t} gồm những gì?",
            "Kế hoạch yêu cầu gì về {t}?", "Có quy định nào về {t} không?", "{T} là gì?"]
_NUMBER = ["Chỉ tiêu {t} là bao nhiêu?", "Kế hoạch đặt mục tiêu bao nhiêu phần trăm {t}?", "{T} đạt tỷ lệ bao nhiêu?"]
_DUTIES = ["{A} phải làm gì?", "{A} có nhiệm vụ gì?", "Nhiệm vụ của {A} là gì?", "{A} được giao những việc gì?",
           "Trách nhiệm của {A} trong kế hoạch?"]
_SCOPE = ["Theo kế hoạch của {p}, ", "Ở {p}, ", "Kế hoạch {p}: ", "Tại {p} ", ""]

_SKIP_LEVELS = (ClauseLevel.FRONT, ClauseLevel.PART, ClauseLevel.GROUP, ClauseLevel.APPENDIX, ClauseLevel.CLOSING)
_NUMBER_RE = re.compile(r"\d+\s*%|\b\d{2,3}\b")


def _everyday() -> list[tuple[str, str]]:
    """(plan wording, an everyday phrase for it), from the paraphrase lexicon."""
    pairs = []
    for phrases, means in lexicon.phrase_table("paraphrases"):
        for p in phrases:
            if len(means.split()) <= 4 and p.lower() != means.lower():
                pairs.append((means.lower(), p))
    return pairs


def topic(text: str, rng: random.Random, everyday: list[tuple[str, str]]) -> str:
    """A window of the clause's first sentence: 4-10 words, some words dropped, some reworded."""
    text = re.split(r"\s\|\s", text)[0]
    first = re.split(r"(?<=[.;:])\s", text)[0]
    words = [w.strip(",.;:()“”\"") for w in first.split()]
    words = [w for w in words if w and not w.startswith("-")]
    if len(words) > 4:
        n = rng.randint(4, min(10, len(words)))
        # start at the clause's first word or after a comma, where a phrase begins
        starts = [0] + [i + 1 for i, w in enumerate(first.split()[:-1]) if w.endswith(",") and i + 1 < len(words) - 3]
        start = min(rng.choice(starts), len(words) - n)
        words = words[start:start + n]
    if len(words) > 5 and rng.random() < 0.5:  # people leave out the plans' filler words
        generic = lexicon.load("questions")["generic"]["words"].split()
        droppable = [i for i, w in enumerate(words) if w.lower() in generic]
        if droppable:
            del words[rng.choice(droppable)]
    out = " ".join(words)
    low = out.lower()
    for plan_words, daily in everyday:
        if plan_words in low and rng.random() < 0.5:
            i = low.index(plan_words)
            out = out[:i] + daily + out[i + len(plan_words):]
            low = out.lower()
    return out[:1].lower() + out[1:] if out[:2] != out[:2].upper() else out


def _quote(clause: Clause) -> str:
    text = re.split(r"\s\|\s", clause.text)[0].strip()
    return text[:60].rsplit(" ", 1)[0] if len(text) > 60 else text


def _fill(template: str, t: str, agency: str = "") -> str:
    return template.replace("{T}", t[:1].upper() + t[1:]).replace("{t}", t).replace("{A}", agency)


def clause_questions(clause: Clause, rng: random.Random, everyday) -> list[tuple[str, str]]:
    """(kind, question) pairs from one clause."""
    out = []
    if clause.level is ClauseLevel.ROW:
        t = topic(clause.text, rng, everyday)
        if clause.lead:
            out.append(("lead", _fill(rng.choice(_LEAD), t)))
        if clause.partners:
            out.append(("partners", _fill(rng.choice(_PARTNERS), topic(clause.text, rng, everyday))))
        if clause.deadline:
            out.append(("deadline", _fill(rng.choice(_DEADLINE), topic(clause.text, rng, everyday))))
        return out
    if len(clause.text) < 40:  # a heading
        return out
    if clause.agency:
        name = agency_name(clause.agency[0])
        out.append(("duty", _fill(rng.choice(_AGENCY_DUTY), topic(clause.text, rng, everyday), name)))
        if rng.random() < 0.6:
            out.append(("who", _fill(rng.choice(_AGENCY_WHO), topic(clause.text, rng, everyday))))
        return out
    out.append(("content", _fill(rng.choice(_CONTENT), topic(clause.text, rng, everyday))))
    if _NUMBER_RE.search(clause.text):
        out.append(("number", _fill(rng.choice(_NUMBER), topic(clause.text, rng, everyday))))
    return out


def generate(corpus: Corpus, seed: int = 15, per_plan: int | None = None, rounds: int = 2) -> list[dict]:
    """Eval-format question records (id, question, plans, gold, type, source); ``rounds``
    differently worded questions per clause and kind."""
    rng = random.Random(seed)
    everyday = _everyday()
    records = []
    for plan in corpus.plans:
        place = plan.info.province or plan.info.short_name
        mine = []
        for clause in plan.clauses:
            if clause.level in _SKIP_LEVELS or not clause.text.strip():
                continue
            for kind, question in [q for _ in range(rounds) for q in clause_questions(clause, rng, everyday)]:
                scope = rng.choice(_SCOPE).replace("{p}", place)
                if scope:
                    opener = question.split()[0]
                    keep_case = len(opener) > 1 and (opener.isupper() or opener in ("Sở", "Ủy", "UBND", "Công", "Đoàn",
                                                                                   "Hội", "Ban", "Bộ", "Báo", "Đài"))
                    question = scope + (question if keep_case else question[:1].lower() + question[1:])
                if rng.random() < 0.2:
                    question = strip_diacritics(question)
                mine.append({"question": question, "plans": [plan.id], "type": kind,
                             "gold": [{"plan": plan.id, "quote": _quote(clause)}],
                             "source": f"{plan.id}#{clause.address}"})
        # "what must agency X do": every clause assigned to X is gold, its neighbours of other agencies are not
        by_agency: dict[str, list[Clause]] = {}
        for clause in plan.clauses:
            if clause.agency and clause.level not in _SKIP_LEVELS and len(clause.text) >= 40:
                by_agency.setdefault(clause.agency[0], []).append(clause)
        for key, clauses in by_agency.items():
            for _ in range(rounds):
                question = rng.choice(_SCOPE).replace("{p}", place) + _fill(rng.choice(_DUTIES), "", agency_name(key))
                if rng.random() < 0.2:
                    question = strip_diacritics(question)
                mine.append({"question": question, "plans": [plan.id], "type": "duties",
                             "gold": [{"plan": plan.id, "quote": _quote(c)} for c in clauses],
                             "source": f"{plan.id}#{key}"})
        if per_plan is not None and len(mine) > per_plan:
            mine = rng.sample(mine, per_plan)
        records += mine
    for i, r in enumerate(records, start=1):
        r["id"] = f"G{i:04d}"
    return records


def main() -> None:
    from rag.config import load_settings
    from rag.structure import load_corpus

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    records = generate(load_corpus(load_settings().corpus_dir), args.seed)
    with open(args.out, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(records)} questions → {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
