"""Agency names: every spelling of an agency maps to one key.

Two sources, one lexicon:
  * the alias table in ``rag/lexicon/agencies.toml`` (abbreviations and variant spellings merged
    under one key: "Sở GD&ĐT" = "Sở Giáo dục và Đào tạo");
  * the *shape* of an agency name, for agencies no table lists: a head word written as plans
    write it ("Sở", "Hội", "Liên đoàn", "Bộ Chỉ huy" …) followed by a capitalised name, up to a
    word that goes on with the sentence ("Sở Công Thương chủ trì …" → "Sở Công Thương").
    Such an agency is keyed by its folded name ("so-cong-thuong").

Agencies recognised by shape in a plan are *registered* when the plan is parsed, so a later
question that types the name in lower case or without diacritics still finds it. The same
lexicon serves the parser, the lexical index, the question analysis and the agency view.
Matching is done on folded text (see ``rag.text.fold``).
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from rag import lexicon
from rag.text import fold


@dataclass(frozen=True)
class Agency:
    key: str
    name: str
    aliases: tuple[str, ...]
    listed: bool = True  # in the alias table (False: recognised by its shape in a plan)


@dataclass(frozen=True)
class _Shape:
    heads: tuple[str, ...]
    stops: frozenset[str]
    joiners: frozenset[str]
    scopes: tuple[str, ...]
    max_words: int


_NAMES_SEEN_MAX = 1000
_FOUND_MAX = 20000  # texts whose agencies are remembered (clauses are read again on every question)
_WORD_RE = re.compile(r"[^\W_]+|[^\w\s]", re.UNICODE)  # words, and each punctuation mark


def slug(name: str) -> str:
    return fold(name).replace(" ", "-")


class AgencyLexicon:
    """The alias table plus the agencies registered from parsed plans."""

    def __init__(self, data: dict, places: list[str]) -> None:
        pattern = data.get("pattern", {})
        self.shape = _Shape(
            heads=tuple(sorted(pattern.get("heads", ()), key=lambda h: -len(h.split()))),
            stops=frozenset(s.lower() for s in pattern.get("stops", ())),
            joiners=frozenset(pattern.get("joiners", ())),
            scopes=tuple(sorted(pattern.get("scopes", ()), key=lambda s: -len(s.split()))),
            max_words=int(pattern.get("max_words", 8)),
        )
        self._places = sorted({fold(p) for p in places}, key=len, reverse=True)
        self._lock = threading.RLock()
        self._agencies: dict[str, Agency] = {}
        for entry in data.get("agency", []):
            aliases: list[str] = []
            for alias in entry.get("aliases", ()):
                aliases += [alias.replace("{place}", p) for p in places] if "{place}" in alias else [alias]
            self._agencies[entry["key"]] = Agency(entry["key"], entry["name"], tuple(aliases))
        self._add_collectives(data.get("collective", {}))
        self._aliases: list[tuple[str, str]] | None = None
        self._names_seen: dict[str, str] = {}  # display names of unlisted agencies named in questions
        # head words by their first word, each split once ("Liên đoàn" -> ("Liên", "đoàn")), longest first
        self._heads_by_first: dict[str, list[tuple[str, ...]]] = {}
        for head in self.shape.heads:
            self._heads_by_first.setdefault(head.split()[0], []).append(tuple(head.split()))
        # what ``find`` read in a text not registered: (keys, names remembered); emptied when a plan registers
        self._found: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]] = {}

    def _add_collectives(self, collective: dict) -> None:
        """"Ủy ban nhân dân các xã", "UBND các huyện" …: every head × quantifier × level word of
        the lexicon's ``[collective]`` shape is an alias of one agency per head and level."""
        for head, head_key in collective.get("heads", {}).items():
            for level, words in collective.get("levels", {}).items():
                key = f"{head_key}-{level}"
                aliases = [" ".join(p for p in (head, q, w) if p) for q in collective.get("quantifiers", ()) for w in words]
                known = self._agencies.get(key)
                if known is None:
                    self._agencies[key] = Agency(key, f"{head} cấp {words[0]}", tuple(aliases))
                else:
                    extra = tuple(a for a in aliases if a not in known.aliases)
                    self._agencies[key] = Agency(key, known.name, (*known.aliases, *extra), known.listed)

    # --- the table ---------------------------------------------------------------------------

    def agencies(self) -> list[Agency]:
        with self._lock:
            return list(self._agencies.values())

    def name(self, key: str) -> str:
        agency = self._agencies.get(key)
        return agency.name if agency else self._names_seen.get(key, key)

    def is_known(self, key: str) -> bool:
        """Listed in the table or registered from a plan's text (not a name only seen in a question)."""
        return key in self._agencies

    def _remember(self, name: str) -> str:
        key = slug(name)
        if len(self._names_seen) >= _NAMES_SEEN_MAX:
            self._names_seen.pop(next(iter(self._names_seen)))
        self._names_seen[key] = name
        return key

    def _folded_aliases(self) -> list[tuple[str, str]]:
        """(folded alias, key), longest first so that the most specific alias wins."""
        aliases = self._aliases
        if aliases is None:
            # a copy taken under the lock: another thread may be registering a plan's agencies
            pairs = {(fold(alias), a.key) for a in self.agencies() for alias in (*a.aliases, a.name)}
            aliases = self._aliases = sorted((p for p in pairs if p[0]), key=lambda p: -len(p[0]))
        return aliases

    def aliases(self) -> list[tuple[str, str]]:
        """(folded alias, key) of every known agency, longest first."""
        return list(self._folded_aliases())

    def key_of(self, name: str) -> str | None:
        """The key of a name the table (or a registered plan) spells exactly this way."""
        folded = fold(name)
        return next((key for alias, key in self._folded_aliases() if alias == folded), None)

    def _extends_listed(self, name: str) -> bool:
        """A listed name followed by more words ("Sở Tài chính Kế hoạch …"): the listed one wins."""
        folded = fold(name)
        return any(folded.startswith(alias + " ") for alias, _ in self._folded_aliases())

    def register(self, name: str) -> str:
        """Make an agency recognised by its shape known to later questions; returns its key."""
        known = self.key_of(name)
        if known:
            return known
        key = slug(name)
        with self._lock:
            if key not in self._agencies:
                self._agencies[key] = Agency(key, name, (name,), listed=False)
                self._aliases = None
                self._found = {}
        return key

    # --- the shape ---------------------------------------------------------------------------

    def _strip_place(self, words: list[str]) -> list[str]:
        """Drop a trailing province or city name ("Hội Nông dân Lai Châu" → "Hội Nông dân")."""
        folded = fold(" ".join(words))
        for place in self._places:
            if folded.endswith(" " + place):
                return words[:len(words) - len(place.split())]
        return words

    def by_shape(self, text: str) -> list[tuple[int, str]]:
        """(character offset, name) of every agency name recognised by its shape, in order."""
        shape = self.shape
        tokens = [(m.start(), m.group()) for m in _WORD_RE.finditer(text)]
        words = [t for _, t in tokens]
        out: list[tuple[int, str]] = []
        i = 0
        while i < len(tokens):
            head_words = next((h for h in self._heads_by_first.get(words[i], ()) if tuple(words[i:i + len(h)]) == h),
                              None)
            if head_words is None:
                i += 1
                continue
            head = " ".join(head_words)
            j = i + len(head_words)
            name = words[i:j]
            taken = 0
            while j < len(tokens) and taken < shape.max_words:
                word = words[j]
                nxt = words[j + 1] if j + 1 < len(words) else ""
                if any(" ".join(words[j:j + n]).lower() in shape.stops for n in (3, 2, 1)):
                    break
                if not word[:1].isalnum() and word not in shape.joiners:
                    break  # any other punctuation ends a name
                if word in shape.joiners:
                    if not (nxt[:1].isupper() and not any(words[j + 1:j + 1 + len(h.split())] == h.split()
                                                          for h in shape.heads)):
                        break
                elif taken == 0 and not (word[:1].isupper() or word.isdigit()):
                    break
                elif any(words[j:j + len(s.split())] == s.split() for s in shape.scopes):
                    break
                elif taken and any(words[j:j + len(h.split())] == h.split() for h in shape.heads) and word[:1].isupper():
                    break  # "Sở Tư pháp Sở Y tế": the next agency begins
                name.append(word)
                taken += 1
                j += 1
            while name and name[-1] in shape.joiners:
                name.pop()
                taken -= 1
            if taken > 0:
                name = self._strip_place(name)
                if len(name) > len(head.split()):
                    out.append((tokens[i][0], _join(name)))
            i = max(j, i + 1)
        return out

    def recognise(self, heading: str) -> str | None:
        """The key of the agency a heading (or a table cell) opens with: from the table, or by its
        shape (then registered). None when the heading does not start with an agency name."""
        found = self.find(heading, register=True)
        if found:
            return found[0]
        shaped = self.by_shape(heading)
        if shaped and shaped[0][0] == 0:
            return self.register(shaped[0][1])
        return None

    # --- finding -----------------------------------------------------------------------------

    def find(self, text: str, register: bool = False) -> tuple[str, ...]:
        """Every agency named in ``text``, in order of first mention, each key once.

        A longer alias consumes its words, so 'Công an các quận, huyện, thị xã' is not also
        read as 'Công an' of the province. Names of the agency's shape that no table lists are
        keyed by their folded name; ``register`` (plan text, not questions) makes them known for
        good, otherwise only their display name is remembered (a bounded memory).
        """
        if not register:
            known = self._found.get(text)
            if known is not None:
                for key, name in known[1]:
                    if key not in self._names_seen:
                        self._remember(name)
                return known[0]
        aliases = list(self._folded_aliases())
        remembered: list[tuple[str, str]] = []
        for _, name in self.by_shape(text):
            if self.key_of(name) is None and not self._extends_listed(name):
                key = self.register(name) if register else self._remember(name)
                aliases.append((fold(name), key))
                remembered.append((key, name))
        aliases.sort(key=lambda p: -len(p[0]))
        folded = f" {fold(text)} "
        found: list[tuple[int, str]] = []
        for alias, key in aliases:
            needle = f" {alias} "
            start = folded.find(needle)
            while start != -1:
                if key not in (k for _, k in found):
                    found.append((start, key))
                # blank the match so shorter aliases inside it do not match again
                folded = folded[:start + 1] + "#" * len(alias) + folded[start + 1 + len(alias):]
                start = folded.find(needle)
        keys = tuple(key for _, key in sorted(found))
        if not register:
            if len(self._found) >= _FOUND_MAX:
                self._found = {}  # a bounded memory; cleared whole, which no other thread can trip on
            self._found[text] = (keys, tuple(remembered))
        return keys


def _join(words: list[str]) -> str:
    text = " ".join(words)
    return re.sub(r"\s+([,])", r"\1", re.sub(r"\s*([-&])\s*", r" \1 ", text)).replace(" & ", "&")


_LEXICON: AgencyLexicon | None = None
_LEXICON_LOCK = threading.Lock()


def agency_lexicon() -> AgencyLexicon:
    """The process's lexicon: the data files, plus the agencies registered from parsed plans."""
    global _LEXICON
    if _LEXICON is None:
        with _LEXICON_LOCK:
            if _LEXICON is None:
                _LEXICON = AgencyLexicon(lexicon.load("agencies"), lexicon.load("provinces")["names"])
    return _LEXICON


def find_agencies(text: str, register: bool = False) -> tuple[str, ...]:
    """Agency keys named in ``text``; ``register`` for plan text (see ``AgencyLexicon.find``)."""
    return agency_lexicon().find(text, register)


def known_agency(key: str) -> bool:
    return agency_lexicon().is_known(key)


def agency_name(key: str) -> str:
    return agency_lexicon().name(key)


def recognise_agency(heading: str) -> str | None:
    return agency_lexicon().recognise(heading)


def all_agencies() -> list[Agency]:
    return agency_lexicon().agencies()
