"""Domain knowledge as data: the TOML files beside this module.

| file | what it holds |
|---|---|
| ``agencies.toml`` | agency keys, names and aliases; the shape of an agency name (heads, stop words) |
| ``provinces.toml`` | province and city names |
| ``abbreviations.toml`` | abbreviations people type, and what they stand for |
| ``paraphrases.toml`` | everyday wording mapped to the plans' wording (query expansion) |
| ``english.toml`` | an English → Vietnamese glossary for English questions |
| ``questions.toml`` | the cue phrases that tell what a question asks (lead, partners, deadline …); ``[generic]``: words any question about these plans may use (not the specific content asked) |
| ``stopwords.toml`` | the lexical index's stopword exceptions (stopwords that carry meaning in these plans) |
| ``clauses.toml`` | what a clause says about itself (lead, partners, a time, money …), for the learned ranker's features |
| ``distress.toml`` | words that say a child is being harmed now, and the hotline to call |
| ``examples.toml`` | the page's example questions per kind of user |
| ``plan_mentions.toml`` | the ways a question names a plan (decision, number, period, issue date, place prefix) |
| ``attributes.toml`` | the ways plans write when, how often and what target (the attribute readers) |
| ``structure.toml`` | appendix heading forms; short notes in a signature block |
| ``deadlines.toml`` | how plans write when a task is due (the deadline parser, ``rag deadlines``) |
| ``audiences.toml`` | who a clause asks something of (the checklists by audience, ``rag checklist``) |
| ``plan_metadata.toml`` | patterns for a plan's number, date and issuing body in its front matter (``rag add``) |

Each file opens with a note on how to extend it. Files are read once per process.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parent


class LexiconError(ValueError):
    """A lexicon file is missing or not valid TOML (a packaging or editing mistake)."""


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """The parsed content of ``<name>.toml``."""
    path = LEXICON_DIR / f"{name}.toml"
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise LexiconError(f"lexicon file missing: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"lexicon file {path} is not valid TOML: {exc}") from exc


def phrase_table(name: str, section: str = "entry") -> list[tuple[tuple[str, ...], str]]:
    """``[[entry]] phrases = [...]; means = "..."`` blocks as (phrases, meaning) pairs."""
    return [(tuple(e["phrases"]), e["means"]) for e in load(name).get(section, [])]
