"""Checks an LLM's answer against the clauses it was given: every citation marker must
point to a given clause whose words support the sentence; unsupported markers are removed
and sentences no given clause supports are dropped. Word overlap alone lets a wrong name
or number ride along in an otherwise supported sentence, so every agency and every number
or date a sentence states must also appear in the clauses it cites."""
from __future__ import annotations

import re
from dataclasses import dataclass

from rag.index.analyzer import analyze
from rag.structure.agencies import find_agencies

_MARK_RE = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_SENTENCE_RE = re.compile(r"(?<=[.!?;:])\s+|\n+")
# share of a sentence's content terms (folded syllables and syllable pairs) that the cited
# clause must contain: a paraphrase keeps most of its words from the clause it rests on
MIN_SUPPORT = 0.5
MIN_WORDS = 4  # fewer distinct words than this cannot be checked (a stray heading, "V.")


def _terms(text: str) -> set[str]:
    return {t for t in analyze(_MARK_RE.sub(" ", text), accents=False) if len(t) > 1}


_NUMBER_RE = re.compile(r"\d+(?:[/.,]\d+)*")


def facts(text: str) -> set[str]:
    """Agencies (alias-table keys) and numbers/dates a text states."""
    return {f"agency:{k}" for k in find_agencies(text)} | {f"n:{n}" for n in _NUMBER_RE.findall(_MARK_RE.sub(" ", text))}


def support(sentence: str, clause_text: str) -> float:
    words = _terms(sentence)
    if not words:
        return 1.0
    return len(words & _terms(clause_text)) / len(words)


@dataclass
class CheckedAnswer:
    text: str
    used: list[int]  # given-clause numbers cited, in order of first use
    dropped_sentences: int
    removed_markers: int


def check_answer(answer: str, clauses: list[str], min_support: float = MIN_SUPPORT) -> CheckedAnswer:
    """``clauses[i]`` is the text given as [i+1]. Markers are renumbered by first use."""
    kept: list[str] = []
    used: list[int] = []
    dropped = removed = 0
    for sentence in (s.strip() for s in _SENTENCE_RE.split(answer)):
        if not sentence:
            continue
        marks = [int(n) for group in _MARK_RE.findall(sentence) for n in group.split(",")]
        body = _MARK_RE.sub("", sentence).strip()
        if len({t for t in _terms(body) if "_" not in t and not t.isdigit()}) < MIN_WORDS:
            if _terms(body):
                dropped += 1  # a fragment too short to check against a clause
            continue
        good = [n for n in dict.fromkeys(marks) if 1 <= n <= len(clauses) and support(body, clauses[n - 1]) >= min_support]
        removed += len(marks) - len(good)
        if not good:  # repair: a given clause that does support the sentence
            best = max(range(len(clauses)), key=lambda i: support(body, clauses[i]), default=None)
            if best is not None and support(body, clauses[best]) >= min_support:
                good = [best + 1]
        if good and not facts(body) <= set().union(*(facts(clauses[n - 1]) for n in good)):
            removed += len(good)
            good = []  # a name or number the cited clauses do not state
        if not good:
            dropped += 1
            continue
        for n in good:
            if n not in used:
                used.append(n)
        body = body.rstrip()
        end = body[-1] if body[-1] in ".!?;:" else ""
        body = body[:-1].rstrip() if end else body
        kept.append(f"{body} {' '.join(f'[{used.index(n) + 1}]' for n in good)}{end or '.'}")
    return CheckedAnswer("\n".join(kept), used, dropped, removed)
