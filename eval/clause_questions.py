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
# the plan named as people name it besides its place, from its manifest entry and signature
# (each used only when the plan has that field): its own number, the decision it carries out,
# its period, when it was issued, who issued or signed it
_BY_NUMBER = ["Theo Kế hoạch số {number}, ", "Kế hoạch {n}: ", "Trong KH {n}, "]
_BY_DECISION = ["Theo kế hoạch thực hiện Quyết định {decision}, ", "Kế hoạch triển khai QĐ {d}: ",
                "Trong kế hoạch thực hiện Quyết định số {d}, "]
_BY_PERIOD = ["Trong kế hoạch giai đoạn {period}, ", "Kế hoạch {period}: ", "Theo kế hoạch giai đoạn {period} "]
_BY_DATE = ["Theo kế hoạch ban hành {date}, ", "Kế hoạch của tỉnh ban hành {date}: ",
            "Theo kế hoạch ban hành {date} thực hiện Quyết định {decision}, "]
_BY_ISSUER = ["Theo kế hoạch của {issuer}, "]
_BY_SIGNER = ["Theo kế hoạch do {signer} ký, "]
# the role a clause's first words give its agency → questions that ask for that role, and the
# other role's wording as a question its answer is not (a partner clause does not say who organises)
_ASK_ROLE = {"lead": ["Cơ quan nào chủ trì {t}?", "Ai chịu trách nhiệm chính {t}?"],
             "organise": ["Ai tổ chức {t}?", "Cơ quan nào tổ chức {t}?", "Đơn vị nào triển khai {t}?"],
             "partner": ["Cơ quan nào phối hợp {t}?", "Ai phối hợp {t}?", "{A} phối hợp với ai {t}?"],
             "take_part": ["Cơ quan nào tham gia {t}?", "Những đơn vị nào tham gia {t}?", "{A} tham gia {t} không?"]}
_PARTNERS_BESIDE_LEAD = ["Ngoài {L}, cơ quan nào phối hợp {t}?", "{L} chủ trì {t}, còn ai phối hợp?",
                         "{t} thì {L} chủ trì, những đơn vị nào cùng tham gia?"]

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


def _role_opening(text: str) -> tuple[str, str] | None:
    """(role, the clause without its role words) when the clause opens with a role: "Phối hợp
    với Sở … tổ chức …" → ("partner", "tổ chức …")."""
    from rag.retrieval.features import ROLES, role_cues
    from rag.retrieval.scope import loose

    opening = loose(text[:40])
    for role in ROLES:
        m = role_cues(role).search(opening)
        if m and m.start() <= 2:
            rest = text[m.end():].lstrip(" ,;:")
            if role in ("lead", "partner") and rest.lower().startswith(("với ", "phối hợp với ")):
                # "… phối hợp với Sở X, Sở Y tổ chức …": the task starts after the agencies
                cut = re.search(r"(?:tổ chức|triển khai|thực hiện|xây dựng|tuyên truyền|hướng dẫn|chỉ đạo)\s", rest)
                if cut is None:  # the task is not told apart from the agencies
                    return None
                rest = rest[cut.start():]
            return role, rest
    return None


def clause_questions(clause: Clause, rng: random.Random, everyday, real_like: bool = False) -> list[tuple[str, str]]:
    """(kind, question) pairs from one clause. ``real_like``: also the questions that contrast roles
    (who organises against who takes part, partners beside a named lead)."""
    out = []
    if clause.level is ClauseLevel.ROW:
        t = topic(clause.text, rng, everyday)
        if clause.lead:
            out.append(("lead", _fill(rng.choice(_LEAD), t)))
        if clause.partners:
            out.append(("partners", _fill(rng.choice(_PARTNERS), topic(clause.text, rng, everyday))))
        if real_like and clause.lead and clause.partners and clause.lead_agencies and rng.random() < 0.5:
            lead = agency_name(clause.lead_agencies[0])
            out.append(("partners", _fill(rng.choice(_PARTNERS_BESIDE_LEAD), topic(clause.text, rng, everyday))
                        .replace("{L}", lead)))
        if real_like and clause.lead and rng.random() < 0.5:
            out.append(("lead", _fill(rng.choice(_ASK_ROLE["organise"]), topic(clause.text, rng, everyday))))
        if clause.deadline:
            out.append(("deadline", _fill(rng.choice(_DEADLINE), topic(clause.text, rng, everyday))))
        return out
    if len(clause.text) < 40:  # a heading
        return out
    if clause.agency:
        name = agency_name(clause.agency[0])
        out.append(("duty", _fill(rng.choice(_AGENCY_DUTY), topic(clause.text, rng, everyday), name)))
        role = _role_opening(clause.text) if real_like else None
        if role is not None and len(role[1]) >= 20:
            out.append(("role", _fill(rng.choice(_ASK_ROLE[role[0]]), topic(role[1], rng, everyday), name)))
        if rng.random() < 0.6:
            out.append(("who", _fill(rng.choice(_AGENCY_WHO), topic(clause.text, rng, everyday))))
        return out
    out.append(("content", _fill(rng.choice(_CONTENT), topic(clause.text, rng, everyday))))
    if _NUMBER_RE.search(clause.text):
        out.append(("number", _fill(rng.choice(_NUMBER), topic(clause.text, rng, everyday))))
    return out


def _date_words(date: str) -> str:
    """A manifest date as people write it: "2022-12-01" → "ngày 1/12/2022"; "2026" → "năm 2026"."""
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", date.strip()):
        return f"ngày {int(m.group(3))}/{int(m.group(2))}/{m.group(1)}"
    if re.fullmatch(r"\d{4}", date.strip()):
        return f"năm {date.strip()}"
    return date.strip()


def metadata_scopes(plan) -> list[str]:
    """Ways to name ``plan`` other than by its place, from the fields its manifest entry fills."""
    info = plan.info
    lead_number = lambda code: (re.match(r"\s*(\d+)", code or "") or [None, ""])[1]  # noqa: E731
    fields = {"number": info.number, "n": lead_number(info.number), "decision": info.decision,
              "d": lead_number(info.decision), "period": info.period, "date": _date_words(info.date),
              "issuer": info.issuer, "signer": getattr(plan, "signer", "")}
    out = []
    for templates, needs in ((_BY_NUMBER, "number"), (_BY_DECISION, "decision"), (_BY_PERIOD, "period"),
                             (_BY_DATE, "date"), (_BY_ISSUER, "issuer"), (_BY_SIGNER, "signer")):
        for t in templates:
            used = re.findall(r"\{(\w+)\}", t)
            if fields.get(needs) and all(fields.get(u) for u in used):
                out.append(re.sub(r"\{(\w+)\}", lambda m: fields[m.group(1)], t))
    return out


def generate(corpus: Corpus, seed: int = 15, per_plan: int | None = None, rounds: int = 2,
             real_like: bool = True) -> list[dict]:
    """Eval-format question records (id, question, plans, gold, type, source); ``rounds``
    differently worded questions per clause and kind. ``real_like`` False: the first recipe
    (place names only, no role contrasts), kept to measure against."""
    rng = random.Random(seed)
    everyday = _everyday()
    records = []
    for plan in corpus.plans:
        place = plan.info.province or plan.info.short_name
        by_metadata = metadata_scopes(plan) if real_like else []
        mine = []
        for clause in plan.clauses:
            if clause.level in _SKIP_LEVELS or not clause.text.strip():
                continue
            for kind, question in [q for _ in range(rounds) for q in clause_questions(clause, rng, everyday, real_like)]:
                scope = rng.choice(_SCOPE).replace("{p}", place)
                if by_metadata and rng.random() < 0.4:
                    scope = rng.choice(by_metadata)
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
                scope = rng.choice(_SCOPE).replace("{p}", place)
                if by_metadata and rng.random() < 0.4:
                    scope = rng.choice(by_metadata)
                question = scope + _fill(rng.choice(_DUTIES), "", agency_name(key))
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
