"""A specific value (a number with its unit, money, a percentage, a date, a name): the clause
that states it, or "the plan does not state it" with the related clauses labelled as such."""
from __future__ import annotations

import re

from rag.answer.composers.base import Abstention, Context
from rag import lexicon
from rag.answer.evidence import besides, has_value, value_match
from rag.retrieval.cues import cues
from rag.retrieval.scope import loose
from rag.text import fold

_VALUE_LABEL = {"money": "số tiền hay mức phạt cụ thể", "percent": "tỷ lệ phần trăm cụ thể",
                "name": "tên cụ thể", "phone": "số điện thoại cụ thể", "date": "thời điểm cụ thể"}
EVIDENCE_CLAUSES = 3  # the value must be in one of the best clauses, not anywhere in the plan


_SHARE_WINDOW = 6  # words after a printed percentage that say what it is a share of ("100% các trường tiểu học")


def _share_of(question: str) -> str:
    """What a percentage asked is a share of: the two words after the cue, leading words skipped
    ("bao nhiêu phần trăm giáo viên" → "giáo viên"); "" when nothing follows (the share is asked of
    the question's topic, not of a named group)."""
    cue = cues("percent", "values")
    found = cue.search(loose(question)) if cue.pattern is not None else None
    if found is None:
        return ""
    skip = set(lexicon.load("questions")["values"].get("percent_of_skip", ()))
    words = re.findall(r"[^\W_]+", question[found.end():])[:6]
    while words and fold(words[0]) in skip:
        words.pop(0)
    return "" if not words or words[0].isdigit() else " ".join(words[:2])


def _share_of_stated(text: str, share_of: str) -> bool:
    """A percentage printed in ``text`` is a share of ``share_of``: its first word follows the figure,
    or a pair of words the paraphrase table gives it ("trường học" → "cơ sở giáo dục")."""
    from rag.answer.gate import _paraphrase_meanings  # the table the gate reads words with
    from rag.index.analyzer import analyze

    head = fold(share_of).split()[0]
    meant = {t for term in analyze(share_of, accents=False) for t in _paraphrase_meanings().get(term, ()) if "_" in t}
    for m in _PERCENT_AT.finditer(text):
        window = " ".join(re.findall(r"[^\W_]+", text[m.end():])[:_SHARE_WINDOW])
        if head in fold(window).split() or meant & set(analyze(window, accents=False)):
            return True
    return False


_PERCENT_AT = re.compile(r"\d+(?:[.,]\d+)?\s*%")


class ValueComposer:
    def compose(self, ctx: Context) -> Abstention | None:
        """Puts the clause whose value-stating sentence best matches the question first
        (``ctx.ranked``), or abstains when none of the best clauses states such a value."""
        value = ctx.analysis.value
        evidence = ctx.ranked[:EVIDENCE_CLAUSES]
        # "Ngoài số 111, … số mấy?": the figure set aside is not the one asked
        aside = [t for t in besides(ctx.question).split() if any(ch.isdigit() for ch in t)]

        def stated(text: str) -> bool:
            for figure in aside:
                text = re.sub(rf"(?<![\d.]){re.escape(figure)}(?![\d.])", " ", text)
            return has_value(text, value)

        # a share asked of a named group ("bao nhiêu phần trăm giáo viên"): a plan's share of another group
        # ("100% các trường") does not answer it (English questions: the words cannot be compared)
        share_of = _share_of(ctx.question) if value == "percent" and not ctx.analysis.english else ""
        if share_of and any(stated(r.clause.text) for r in evidence) and \
                not any(_share_of_stated(r.clause.text, share_of) for r in evidence):
            plans = ", ".join(dict.fromkeys(ctx.short(r.plan_id) for r in evidence))
            return Abstention(f"Kế hoạch ({plans}) không nêu tỷ lệ phần trăm cụ thể cho «{share_of}»: tỷ lệ các "
                              f"điều khoản gần nhất nêu là của đối tượng khác.", tuple(evidence[:2]), "no-value")
        if not any(stated(r.clause.text) for r in evidence):
            label = _VALUE_LABEL.get(value, f"con số cụ thể ({value.split(':', 1)[-1]})")
            plans = ", ".join(dict.fromkeys(ctx.short(r.plan_id) for r in evidence))
            return Abstention(f"Kế hoạch ({plans}) không nêu {label} cho nội dung này.", tuple(evidence[:2]),
                              "no-value")
        # the clauses that state such a value first, the best matching of them first
        head = sorted(evidence, key=lambda r: (not stated(r.clause.text),
                                               -value_match(ctx.question, r.clause.text, value)))
        ctx.ranked = head + ctx.ranked[EVIDENCE_CLAUSES:]
        return None
