"""Cue phrases from ``rag/lexicon/questions.toml``, compiled once into patterns over folded text.

A cue is a folded phrase matched at word boundaries; "*" in a cue stands for one to four words.
A list named ``<name>_except`` holds phrases blanked out before ``<name>`` is matched
("moi truong" is not a school, although it holds "truong").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rag import lexicon


def _phrase_pattern(phrase: str) -> str:
    words = phrase.split()
    parts = [r"(?:\S+ ){1,4}?" if w == "*" else re.escape(w) + " " for w in words]
    return "".join(parts)[:-1] if not words[-1] == "*" else "".join(parts)


@dataclass(frozen=True)
class CueSet:
    """One list of cues: ``search`` finds the first (longest-alternative-first) match."""

    pattern: re.Pattern | None
    exclude: re.Pattern | None = None

    def search(self, folded: str) -> re.Match | None:
        if self.pattern is None:
            return None
        if self.exclude is not None:
            folded = self.exclude.sub(lambda m: "#" * len(m.group()), folded)
        return self.pattern.search(folded)

    def __call__(self, folded: str) -> bool:
        return self.search(folded) is not None


def compile_cues(phrases) -> re.Pattern | None:
    phrases = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
    if not phrases:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(_phrase_pattern(p) for p in phrases) + r")(?![\w])")


@lru_cache(maxsize=None)
def cues(name: str, section: str = "cues") -> CueSet:
    table = lexicon.load("questions").get(section, {})
    if name not in table:
        raise KeyError(f"no cue list {section}.{name} in questions.toml")
    return CueSet(compile_cues(table[name]), compile_cues(table.get(f"{name}_except", ())))


@lru_cache(maxsize=1)
def generic_words() -> frozenset[str]:
    """The generic vocabulary as written (with diacritics)."""
    return frozenset(lexicon.load("questions")["generic"]["words"].lower().split())


@lru_cache(maxsize=1)
def generic_folded() -> frozenset[str]:
    """The same, folded: for questions typed without diacritics."""
    from rag.text import fold

    return frozenset(fold(w) for w in generic_words())


@lru_cache(maxsize=None)
def value_list(name: str) -> tuple[str, ...]:
    return tuple(lexicon.load("questions")["values"][name])
