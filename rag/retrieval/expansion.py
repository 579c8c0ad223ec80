"""Query expansion: abbreviations and everyday paraphrases people type, mapped to the
words the plans use, for the lexical side of search. All of it is data: agency aliases from
``rag/lexicon/agencies.toml``, the rest from ``abbreviations.toml``, ``paraphrases.toml`` and,
for English questions, ``english.toml``."""
from __future__ import annotations

import re
from functools import lru_cache

from rag import lexicon
from rag.structure.agencies import all_agencies
from rag.text import fold


@lru_cache(maxsize=1)
def _case_sensitive() -> tuple[tuple[str, str], ...]:
    return tuple((p, means) for phrases, means in lexicon.phrase_table("abbreviations", "case_sensitive")
                 for p in phrases)


def _table() -> list[tuple[str, str]]:
    return _static_table() + _agency_pairs(len(all_agencies()))


@lru_cache(maxsize=1)
def _static_table() -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for name in ("abbreviations", "paraphrases"):
        for phrases, expansion in lexicon.phrase_table(name):
            pairs += [(fold(p), expansion) for p in phrases if fold(p)]
    return pairs


@lru_cache(maxsize=1)
def _english_table() -> list[tuple[str, str]]:
    pairs = [(fold(p), means) for phrases, means in lexicon.phrase_table("english") for p in phrases if fold(p)]
    return _longest_first(pairs)


def _longest_first(pairs) -> list[tuple[str, str]]:
    """Longest phrase first, ties in a fixed order: a set's order changes from process to process
    (string hashing is seeded), and the order of the words added changes the query."""
    return sorted(set(pairs), key=lambda p: (-len(p[0]), p))


@lru_cache(maxsize=4)
def _agency_pairs(_count: int) -> list[tuple[str, str]]:
    """Every agency alias → its full name (recomputed when plans register new agencies)."""
    return [(fold(alias), a.name) for a in all_agencies() for alias in a.aliases if fold(alias) != fold(a.name)]


@lru_cache(maxsize=4)
def _sorted_table(_count: int) -> list[tuple[str, str]]:
    return _longest_first(_table())


def expand_query(question: str, english: bool = False) -> str:
    """The words to add to ``question`` for lexical matching ('' when nothing applies).
    ``english``: the question is in English, so the English glossary applies too."""
    folded = f" {fold(question)} "
    extra: list[str] = []
    table = _sorted_table(len(all_agencies()))
    if english:
        table = _english_table() + table
    for phrase, expansion in table:
        if f" {phrase} " in folded and expansion not in extra:
            extra.append(expansion)
    for token, expansion in _case_sensitive():
        if re.search(rf"(?<![\w&]){re.escape(token)}(?![\w&])", question) and expansion not in extra:
            extra.append(expansion)
    return " ".join(extra)


def english_agencies(question: str) -> tuple[str, ...]:
    """Agencies an English question names, through the English glossary."""
    from rag.structure.agencies import find_agencies

    folded = f" {fold(question)} "
    names = [means for phrase, means in _english_table() if f" {phrase} " in folded]
    return find_agencies(" ; ".join(names)) if names else ()
