"""A follow-up question, completed from the conversation before it is searched.

"Còn Hà Nội?", "Cơ quan nào phối hợp?", "Thời hạn?", "Sở Tài chính thì sao?" mean nothing
alone. The earlier user questions (oldest first) carry the plan, the agency and the task:
  * a question that names no plan keeps the plan of the latest turn that named one;
  * a short or leaning question ("còn …", "… thì sao", "kế hoạch đó …", or hardly any words
    of its own) takes the task of the previous turn, with the plan or agency it names put in
    place of the earlier one.
What was carried is said back to the user ("hiểu là: …").
"""
from __future__ import annotations

import logging
import re

from rag.retrieval.cues import cues
from rag.retrieval.scope import loose
from rag.structure.agencies import agency_lexicon, agency_name
from rag.text import fold

log = logging.getLogger(__name__)

MAX_TURNS = 10  # earlier questions looked at (the latest ones)
MAX_OWN_TERMS = 2  # a question with at most this many words of its own leans on the previous one
_SHORT_WORDS = 10


def clean_history(history, max_chars: int = 2000) -> tuple[str, ...]:
    """Earlier user questions as a tuple of clean strings: anything that is not a list of
    strings is ignored (logged), empty entries dropped, only the latest ``MAX_TURNS`` kept."""
    from rag.retrieval.question import QuestionError, clean_question

    if history is None or history == "":
        return ()
    if isinstance(history, str) or not isinstance(history, (list, tuple)):
        log.warning("history ignored: expected a list of strings, got %s", type(history).__name__)
        return ()
    out = []
    for item in history:
        if not isinstance(item, str):
            log.warning("history entry ignored: %s is not a string", type(item).__name__)
            continue
        try:
            out.append(clean_question(item, max_chars))
        except QuestionError:
            continue
    if len(out) > MAX_TURNS:
        log.info("history of %d turns cut to the latest %d", len(out), MAX_TURNS)
    return tuple(out[-MAX_TURNS:])


def leans_on_previous(question: str, analysis) -> bool:
    folded = fold(question)
    if analysis.address is not None or analysis.front:
        return False
    if cues("followup")(folded) or cues("pointer")(folded):
        return True
    first = cues("followup_start").search(folded)
    if first is not None and first.start() == 0 and len(folded.split()) <= _SHORT_WORDS:
        return True
    if first is not None and first.start() == 0 and analysis.agencies and \
            set(analysis.agencies) <= set(analysis.partners_named):
        return True  # "Vậy còn phối hợp với Viện kiểm sát … để làm gì?": partners of the agency asked before
    if analysis.agencies and analysis.kind.value != "content":
        return False  # "Sở Y tế phải làm gì?" is a whole question (its plan may still be carried)
    return len(analysis.key_terms) <= MAX_OWN_TERMS and len(folded.split()) <= _SHORT_WORDS


def _replace_agencies(text: str, old: tuple[str, ...], new: tuple[str, ...]) -> str:
    """``text`` with the mentions of the ``old`` agencies taken out and the ``new`` ones put first."""
    lex = agency_lexicon()
    for key in old:
        for alias, k in lex.aliases():
            if k != key:
                continue
            pattern = r"(?<!\w)" + r"[\W_]+".join(_folded_word_pattern(w) for w in alias.split()) + r"(?!\w)"
            text = re.sub(pattern, " ", text, flags=re.I)
    names = ", ".join(agency_name(k) for k in new)
    return f"{names} {' '.join(text.split())}" if names else " ".join(text.split())


_LETTERS = {"a": "aàáảãạăằắẳẵặâầấẩẫậ", "e": "eèéẻẽẹêềếểễệ", "i": "iìíỉĩị", "o": "oòóỏõọôồốổỗộơờớởỡợ",
            "u": "uùúủũụưừứửữự", "y": "yỳýỷỹỵ", "d": "dđ"}


def _folded_word_pattern(word: str) -> str:
    """A regex matching ``word`` (folded) as typed with or without diacritics."""
    out = []
    for ch in word:
        group = _LETTERS.get(ch)
        out.append(f"[{group}{group.upper()}]" if group else re.escape(ch))
    return "".join(out)


def _strip_followup_words(question: str) -> str:
    folded = fold(question)
    first = cues("followup_start").search(folded)
    words = question.split()
    if first is not None and first.start() == 0:
        words = words[len(first.group().split()):]
    text = " ".join(words)
    return re.sub(r"\b(thì sao|thi sao|thế nào|the nao)\b", " ", text, flags=re.I).strip(" ?,.") or text


def _name_pointed(text: str, agencies: tuple[str, ...]) -> str:
    """``text`` with the words that point at an earlier agency ("sở này") replaced by its name."""
    match = cues("pointer").search(loose(text))  # one character for each typed one: its span is the typed one
    if match is None or not agencies:
        return text
    return text[:match.start()] + ", ".join(agency_name(k) for k in agencies) + text[match.end():]


def complete(question: str, history: tuple[str, ...], analyzer) -> tuple[str, str, tuple[str, ...]]:
    """(the question to search and answer, how it was understood — '' when standalone, what was
    carried from earlier turns)."""
    if not history:
        return question, "", ()
    previous, _, _ = complete(history[-1], history[:-1], analyzer)
    prev = analyzer.read(previous)
    cur = analyzer.read(question)
    scoper = analyzer.scoper
    carried: list[str] = []
    if not leans_on_previous(question, cur):
        if cur.scope.plan_ids or not prev.scope.plan_ids or cur.scope.unknown_places:
            return question, "", ()
        places = ", ".join(dict.fromkeys(scoper.plan_place(p) for p in prev.scope.plan_ids))
        text = f"{question} ({places})"
        return text, f"theo kế hoạch {places} như câu hỏi trước", ("plan",)

    base = previous
    notes: list[str] = []
    if cur.scope.plan_ids or cur.scope.unknown_places:
        base = scoper.strip_mentions(base)
        places = ", ".join(dict.fromkeys([scoper.plan_place(p) for p in cur.scope.plan_ids] +
                                         list(cur.scope.unknown_places)))
        notes.append(f"nay hỏi về {places}")
    elif prev.scope.plan_ids:
        carried.append("plan")
    # "Vậy còn phối hợp với Viện kiểm sát … để làm gì?": the agencies named are partners of the agency asked before
    partners_only = bool(cur.agencies) and set(cur.agencies) <= set(cur.partners_named)
    if partners_only and prev.agencies:
        carried.append("agency")
    elif cur.agencies and prev.agencies and set(cur.agencies) != set(prev.agencies):
        base = _replace_agencies(base, prev.agencies, ())
        notes.append(f"nay hỏi về {', '.join(agency_name(k) for k in cur.agencies)}")
    elif prev.agencies and not cur.agencies:
        carried.append("agency")
    carried.append("task")
    own = _strip_followup_words(question)
    if "agency" in carried:  # "sở này" is the agency asked about before
        own = _name_pointed(own, prev.agencies)
    text = f"{own} — {base}" if own else base
    understood = f"hỏi tiếp câu «{previous}»" + (f", {'; '.join(notes)}" if notes else "")
    return text, understood, tuple(carried)
