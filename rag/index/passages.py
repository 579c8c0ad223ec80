"""What is indexed: clause-shaped passages.

Each passage is one clause — a leaf (bullet, point, paragraph, appendix row, item
without sub-clauses) or a clause whose own text is substantive — never a cut through a
clause. ``text`` stays the verbatim clause text for citation; ``embed_text`` prefixes the
plan's short name and heading path so that a bullet under "3. Sở Giáo dục và Đào tạo"
is found by a question about that agency.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from rag.models import Clause, Corpus, Passage

CONTEXT_SEP = " › "
_NEVER_INDEXED = ("part", "group", "appendix")
_SUBSTANTIVE_CHARS = 80
_SENTENCE_RE = re.compile(r"(?<=[.;:])\s+(?=[A-ZÀ-ỸĐ0-9“(-])")


def _has_children(clauses: tuple[Clause, ...]) -> set[str]:
    return {c.parent for c in clauses if c.parent}


def is_indexed(clause: Clause, parents: set[str]) -> bool:
    if clause.level in _NEVER_INDEXED:
        return False
    if clause.address not in parents:
        return True
    return len(clause.text) >= _SUBSTANTIVE_CHARS


_CONTEXT_HEADINGS = 2  # the nearest headings carry the meaning (part › item); more only costs embedding time
_CONTEXT_HEADING_CHARS = 60


def _short(heading: str) -> str:
    if len(heading) <= _CONTEXT_HEADING_CHARS:
        return heading
    return heading[:_CONTEXT_HEADING_CHARS].rsplit(" ", 1)[0].rstrip("…") + "…"


def context_line(short_name: str, clause: Clause) -> str:
    """'KH Lai Châu 2022 › IV. TỔ CHỨC THỰC HIỆN › 3. Sở Giáo dục và Đào tạo'"""
    return CONTEXT_SEP.join([short_name, *(_short(h) for h in clause.path[-_CONTEXT_HEADINGS:])])


def build_passages(corpus: Corpus) -> list[Passage]:
    passages: list[Passage] = []
    for plan in corpus.plans:
        parents = _has_children(plan.clauses)
        for clause in plan.clauses:
            if not is_indexed(clause, parents):
                continue
            passages.append(Passage(
                id=len(passages),
                plan_id=plan.id,
                clause=clause.address,
                path=(plan.info.short_name, *clause.path),
                text=clause.text,
                embed_text=f"{context_line(plan.info.short_name, clause)}: {clause.text}",
                addresses=(clause.address,),
            ))
    return passages


def split_for_window(context: str, text: str, count_tokens, max_tokens: int) -> list[str]:
    """Embedding inputs for one passage: the whole of it if it fits the embedder's window,
    else consecutive runs of whole sentences, each with the context line in front."""
    whole = f"{context}: {text}"
    if count_tokens(whole) <= max_tokens:
        return [whole]
    chunks, current = [], ""
    for sentence in _SENTENCE_RE.split(text):
        candidate = f"{current} {sentence}".strip()
        if current and count_tokens(f"{context}: {candidate}") > max_tokens:
            chunks.append(f"{context}: {current}")
            current = sentence
        else:
            current = candidate
    if current:
        chunks.append(f"{context}: {current}")
    return chunks


@dataclass(frozen=True)
class PassageStats:
    count: int
    chars_mean: float
    chars_median: float
    chars_max: int
    tokens_mean: float
    tokens_max: int
    over_window: int

    def to_dict(self) -> dict:
        return self.__dict__.copy()


def passage_stats(passages: list[Passage], count_tokens, max_tokens: int) -> PassageStats:
    chars = [len(p.text) for p in passages]
    tokens = [count_tokens(p.embed_text) for p in passages]
    return PassageStats(
        count=len(passages),
        chars_mean=round(statistics.fmean(chars), 1) if chars else 0.0,
        chars_median=statistics.median(chars) if chars else 0.0,
        chars_max=max(chars, default=0),
        tokens_mean=round(statistics.fmean(tokens), 1) if tokens else 0.0,
        tokens_max=max(tokens, default=0),
        over_window=sum(t > max_tokens for t in tokens),
    )
