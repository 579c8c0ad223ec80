"""Deadlines as typed data: what a plan says about when a task is due, parsed without guessing.

Two entry points:

- ``parse_deadline(cell, period)`` reads a deadline column of an appendix table ("Quý III/2026",
  "Thường xuyên 2022-2025", "Năm 2022 - 2023"). The whole cell must be understood, else the result is
  ``UNPARSED`` with the cell's text; an empty cell is ``NONE``.
- ``find_deadlines(text, period)`` finds the deadlines stated in running text ("… trước ngày 30/11 hằng
  năm", "Thường xuyên kiểm tra …"). In running text a date, month, quarter or year counts only after a cue
  word ("trước", "trong", "đến" …): "Luật … năm 2025" or "Quyết định … ngày 01/6/2021" are not deadlines.

The wording (units, cue words, recurring and continuous phrases, company in which they mean something
else) is data in ``rag/lexicon/deadlines.toml``; this module only reads numbers and combines what it found.
Every ``Deadline`` keeps the original wording beside the parsed value.
"""
from __future__ import annotations

import calendar
import enum
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from rag import lexicon
from rag.text import fold, strip_diacritics


class DeadlineKind(str, enum.Enum):
    DATE = "date"  # a day: "trước ngày 15/12/2025"; "trước năm 2024" is 31/12/2023
    MONTH = "month"  # "tháng 10/2026"
    HALF = "half"  # "6 tháng đầu năm 2026"
    QUARTER = "quarter"  # "Quý III/2026"
    YEAR = "year"  # "Năm 2027", "đến năm 2025"
    RANGE = "range"  # "2022 - 2023", "từ năm 2023 đến năm 2025"
    RECURRING = "recurring"  # "hằng năm, trước ngày 30/11", "6 tháng một lần", "định kỳ"
    CONTINUOUS = "continuous"  # "thường xuyên": over the plan's period (or the years stated)
    RELATIVE = "relative"  # "trong 24 giờ kể từ khi nhận được phản ánh"
    NONE = "none"  # nothing stated
    UNPARSED = "unparsed"  # something is stated that the parser cannot read: the text is kept

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        return _lex()["labels"][self.value]


class Frequency(str, enum.Enum):
    YEARLY = "yearly"
    HALF_YEARLY = "half_yearly"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"
    PER_TERM = "per_term"
    UNSTATED = "unstated"  # "định kỳ": it recurs, how often is not said

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        return _lex()["frequency_labels"][self.value]


@dataclass(frozen=True)
class Deadline:
    """One deadline. ``text`` is the plan's wording; ``start``/``end`` the window it names (``end`` is the
    day it is due for a date; the last day of the month, quarter or years otherwise; for recurring and
    continuous deadlines, the years over which they run). ``month``/``day`` anchor a recurring deadline
    in the year ("trước ngày 30/11 hằng năm": 11, 30; "Tháng 6 hằng năm": 6, None)."""

    kind: DeadlineKind
    text: str = ""
    start: date | None = None
    end: date | None = None
    frequency: Frequency | None = None
    month: int | None = None
    day: int | None = None
    amount: int | None = None  # relative: "trong 24 giờ …" → 24, "giờ", "kể từ khi nhận được phản ánh"
    unit: str = ""
    after: str = ""

    @property
    def parsed(self) -> bool:
        return self.kind not in (DeadlineKind.NONE, DeadlineKind.UNPARSED)

    @property
    def stated(self) -> bool:
        return self.kind is not DeadlineKind.NONE

    @property
    def recurring(self) -> bool:
        return self.kind is DeadlineKind.RECURRING

    @property
    def anchor_day(self) -> int | None:
        """The day of the month a yearly deadline falls on (the month's last day when only a month is said)."""
        if self.month is None:
            return None
        return self.day or calendar.monthrange(2001, self.month)[1]

    def due_dates(self, since: date, until: date) -> list[date]:
        """The days in [since, until] on which this deadline falls: the due day of a date, month, quarter,
        year or range; each year's anchored day of a yearly deadline within its years. Continuous,
        relative, unanchored recurring and unparsed deadlines fall on no particular day."""
        if self.kind in (DeadlineKind.DATE, DeadlineKind.MONTH, DeadlineKind.HALF, DeadlineKind.QUARTER,
                         DeadlineKind.YEAR, DeadlineKind.RANGE):
            return [self.end] if self.end and since <= self.end <= until else []
        if self.kind is DeadlineKind.RECURRING and self.frequency is Frequency.YEARLY and self.month:
            first = max(since.year, self.start.year if self.start else since.year)
            last = min(until.year, self.end.year if self.end else until.year)
            days = [date(y, self.month, min(self.day or 31, calendar.monthrange(y, self.month)[1]))
                    for y in range(first, last + 1)]
            return [d for d in days if since <= d <= until]
        return []

    def years(self) -> set[int]:
        """The years this deadline concerns (the timeline's year filter)."""
        if self.start and self.end:
            return set(range(self.start.year, self.end.year + 1))
        if self.end:
            return {self.end.year}
        return set()

    def describe(self) -> str:
        """A short Vietnamese reading of the parsed value (shown beside the original wording)."""
        k = self.kind
        if k is DeadlineKind.DATE:
            return f"hạn {self.end:%d/%m/%Y}"
        if k is DeadlineKind.MONTH:
            return f"trong tháng {self.end.month}/{self.end.year}"
        if k is DeadlineKind.HALF:
            return f"6 tháng {'đầu' if self.end.month == 6 else 'cuối'} năm {self.end.year}"
        if k is DeadlineKind.QUARTER:
            return f"trong quý {_ROMAN[(self.end.month - 1) // 3]}/{self.end.year}"
        if k is DeadlineKind.YEAR:
            return f"năm {self.end.year}"
        if k is DeadlineKind.RANGE:
            return f"{self.start.year}–{self.end.year}"
        if k is DeadlineKind.RECURRING:
            when = self.frequency.label if self.frequency else ""
            if self.month:
                when += f", hạn {self.day:02d}/{self.month:02d}" if self.day else f", trong tháng {self.month}"
            if self.start and self.end:
                when += f" ({self.start.year}–{self.end.year})"
            return when
        if k is DeadlineKind.CONTINUOUS:
            return f"thường xuyên {self.start.year}–{self.end.year}" if self.start and self.end else "thường xuyên"
        if k is DeadlineKind.RELATIVE:
            return f"trong {self.amount} {self.unit} {self.after}".strip()
        return k.label

    @property
    def reading(self) -> str:
        """The parsed value in words when it says more than the plan's wording ("" otherwise): "trước ngày 30/11
        hằng năm" → "hằng năm, hạn 30/11 (2021–2025)"; "Thường xuyên 2022-2025" needs nothing beside it."""
        if not self.parsed:
            return ""
        said = self.describe()
        return "" if fold(said) == fold(self.text) else said

    def to_dict(self) -> dict:
        return {"kind": self.kind.value, "text": self.text, "label": self.kind.label, "reading": self.describe(),
                "start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None,
                "frequency": self.frequency.value if self.frequency else None, "month": self.month, "day": self.day}


NO_DEADLINE = Deadline(DeadlineKind.NONE)

_ROMAN = ("I", "II", "III", "IV")
_YEAR = r"((?:19|20)\d\d)"
_SEP = r"[\W_]+"


@lru_cache(maxsize=1)
def _lex() -> dict:
    return lexicon.load("deadlines")


def _key(text: str) -> str:
    """Lower case without diacritics, one character for one character (so spans map back to ``text``)."""
    return "".join((strip_diacritics(ch).lower() or " ")[:1] for ch in text)


def _alt(phrases) -> str:
    """A regex alternative of folded phrases, longest first, words separated by any punctuation."""
    parts = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
    return "(?:" + "|".join(_SEP.join(re.escape(w) for w in p.split()) for p in parts) + ")"


@dataclass(frozen=True)
class _Token:
    kind: str  # date daymonth monthyear month quarter year range before_year cont rec cue relative
    start: int
    end: int
    values: tuple = ()
    spans: tuple = ()  # the (start, end) of each number or word read, in the text


class _Grammar:
    """The token patterns, built once from the lexicon."""

    def __init__(self) -> None:
        lex = _lex()
        u = {k: _alt(v) for k, v in lex["units"].items()}
        cues = lex["cues"]
        month, quarter, year = u["month"], u["quarter"], u["year"]
        self.patterns: list[tuple[str, re.Pattern, bool]] = []  # kind, regex, allowed in running text

        def add(kind: str, pattern: str, in_text: bool = True) -> None:
            self.patterns.append((kind, re.compile(pattern), in_text))

        add("date", rf"\b(\d{{1,2}})\s*[/.\-]\s*(\d{{1,2}})\s*[/.\-]\s*{_YEAR}\b")
        add("date", rf"\b(\d{{1,2}}){_SEP}{month}{_SEP}(\d{{1,2}}){_SEP}{year}{_SEP}{_YEAR}\b")
        add("daymonth", r"\b(\d{1,2})\s*/\s*(\d{1,2})\b(?!\s*[/.\-]\s*\d)")
        add("daymonth", rf"\b(\d{{1,2}}){_SEP}{month}{_SEP}(\d{{1,2}})\b(?!{_SEP}{year}{_SEP}\d)")
        add("monthyear", rf"\b{month}{_SEP}(\d{{1,2}})\s*(?:/|{_SEP}{year}{_SEP}|-)\s*{_YEAR}\b")
        add("month", rf"\b{month}{_SEP}(\d{{1,2}})\b(?!\s*[/\-]\s*\d)(?!{_SEP}{year}{_SEP}\d)")
        halves = lex["halves"]
        add("half", rf"\b(?:({_alt(halves['first'])})|{_alt(halves['second'])}){_SEP}{_YEAR}\b")
        add("quarter", rf"\b{quarter}{_SEP}(iv|iii|ii|i|[1-4])\b(?:\s*(?:/|-|{_SEP}{year}{_SEP}|{_SEP})\s*{_YEAR}\b)?")
        add("range", rf"\b{_YEAR}\s*[-–—]\s*(?:{year}{_SEP})?{_YEAR}\b", in_text=False)
        add("range", rf"\b{_alt(cues['range_from'])}{_SEP}{_YEAR}{_SEP}{_alt(cues['range_to'])}{_SEP}{_YEAR}\b")
        add("period_range", rf"\b{_alt(cues['period'])}{_SEP}{_YEAR}\s*[-–—]\s*{_YEAR}\b", in_text=False)
        add("before_year", rf"\b{_alt(cues['before_year'])}{_SEP}{_YEAR}\b")
        add("year", rf"\b{year}{_SEP}{_YEAR}\b")
        add("year", rf"\b{_YEAR}\b", in_text=False)
        add("cont", rf"\b{_alt(lex['continuous']['phrases'])}\b")
        for freq, phrases in lex["recurring"].items():
            add(f"rec:{freq}", rf"\b{_alt(phrases)}\b")
        add("cue", rf"\b{_alt(cues['by'])}\b")
        units = cues["relative_units"]
        add("relative", rf"\b{_alt(cues['relative_within'])}{_SEP}(\d+){_SEP}({_alt(units)}){_SEP}"
                        rf"({_alt(cues['relative_after'])}\b[^.;]*)")
        self.relative_units = {re.sub(_SEP, " ", k): v for k, v in units.items()}
        self.not_deadline = re.compile(rf"\b{_alt(lex['not_deadline']['phrases'])}\b")
        # words a deadline column may hold around what was read: "giai đoạn", "ngày", "năm"
        self.cell_words = re.compile(rf"\b{_alt([*cues['period'], *lex['units']['day'], *lex['units']['year']])}\b")

    def tokens(self, key: str, cell: bool) -> list[_Token]:
        found: list[_Token] = []
        for kind, rx, in_text in self.patterns:
            if not (cell or in_text):
                continue
            for m in rx.finditer(key):
                found.append(_Token(kind, m.start(), m.end(), m.groups(),
                                    tuple(m.span(i) for i in range(1, len(m.groups()) + 1))))
        blocked = [(m.start(), m.end()) for m in self.not_deadline.finditer(key)]
        found = [t for t in found if not any(s < t.end and t.start < e for s, e in blocked)]
        # the longest token wins where tokens overlap; ties go to the pattern listed first
        order = sorted(range(len(found)), key=lambda i: (-(found[i].end - found[i].start), i))
        taken: list[_Token] = []
        for i in order:
            t = found[i]
            if all(t.end <= o.start or o.end <= t.start for o in taken):
                taken.append(t)
        return sorted(taken, key=lambda t: t.start)


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    return _Grammar()


def _last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _quarter(q: str) -> int:
    return _ROMAN.index(q.upper()) + 1 if not q.isdigit() else int(q)


def _valid_day(d: int, m: int, y: int = 2000) -> bool:
    return 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]


_DATED = {"date", "monthyear", "half", "year", "range", "period_range", "before_year"}
_ANCHORS = {"daymonth", "month", "quarter"}


def _interpret(group: list[_Token], text: str, period: tuple[int, int] | None) -> Deadline | None:
    """What one run of adjacent tokens says; None when it says nothing about a deadline."""
    wording = text[group[0].start:group[-1].end].strip(" ,;:.")
    unparsed = Deadline(DeadlineKind.UNPARSED, wording)
    kinds = [t.kind for t in group if t.kind != "cue"]
    if not kinds:
        return None
    if kinds == ["relative"]:
        t = next(x for x in group if x.kind == "relative")
        unit = _grammar().relative_units.get(re.sub(_SEP, " ", t.values[1]), t.values[1])
        after = text[t.spans[2][0]:t.spans[2][1]].strip(" ,;:.")
        return Deadline(DeadlineKind.RELATIVE, text[t.start:t.end].strip(" ,;:."), amount=int(t.values[0]),
                        unit=unit, after=after)
    try:
        dated = [t for t in group if t.kind in _DATED or (t.kind == "quarter" and t.values[1])]
        anchors = [t for t in group if t.kind in _ANCHORS and not (t.kind == "quarter" and t.values[1])]
        recs = [t.kind.split(":", 1)[1] for t in group if t.kind.startswith("rec:")]
        cont = any(t.kind == "cont" for t in group)
        if "relative" in kinds:
            return unparsed
        bounds = None
        explicit = [t for t in dated if t.kind in ("range", "period_range", "year")]
        if (cont or recs) and len(explicit) == 1 and len(dated) == 1:
            t = explicit[0]
            y1, y2 = (int(t.values[0]), int(t.values[1])) if t.kind != "year" else (int(t.values[0]),) * 2
            if y1 > y2:
                return unparsed
            bounds = (date(y1, 1, 1), date(y2, 12, 31))
            dated = []
        elif period:
            bounds = (date(period[0], 1, 1), date(period[1], 12, 31))
        if cont:
            if recs or anchors or dated:
                return unparsed
            return Deadline(DeadlineKind.CONTINUOUS, wording, *(bounds or (None, None)))
        if recs:
            specific = sorted({r for r in recs if r != Frequency.UNSTATED.value})
            if len(specific) > 1 or dated or len(anchors) > 1:
                return unparsed
            freq = Frequency(specific[0] if specific else Frequency.UNSTATED.value)
            month = day = None
            if anchors:
                if freq is not Frequency.YEARLY:
                    return unparsed
                a = anchors[0]
                if a.kind == "daymonth":
                    day, month = int(a.values[0]), int(a.values[1])
                    if not _valid_day(day, month):
                        return unparsed
                elif a.kind == "month":
                    month = int(a.values[0])
                else:  # "quý IV hằng năm": due by the quarter's last day
                    month = _quarter(a.values[0]) * 3
                if not 1 <= month <= 12:
                    return unparsed
            return Deadline(DeadlineKind.RECURRING, wording, *(bounds or (None, None)), frequency=freq,
                            month=month, day=day)
        if anchors or len(dated) != 1:
            return unparsed  # a day or month without a year, or two dates in one phrase: not guessed
        t = dated[0]
        v = t.values
        if t.kind == "date":
            d, m, y = int(v[0]), int(v[1]), int(v[2])
            if not _valid_day(d, m, y):
                return unparsed
            return Deadline(DeadlineKind.DATE, wording, None, date(y, m, d))
        if t.kind == "before_year":
            return Deadline(DeadlineKind.DATE, wording, None, date(int(v[0]) - 1, 12, 31))
        if t.kind == "monthyear":
            m, y = int(v[0]), int(v[1])
            if not 1 <= m <= 12:
                return unparsed
            return Deadline(DeadlineKind.MONTH, wording, date(y, m, 1), _last_day(y, m))
        if t.kind == "half":
            y = int(v[1])
            return Deadline(DeadlineKind.HALF, wording, *((date(y, 1, 1), date(y, 6, 30)) if v[0] else
                                                          (date(y, 7, 1), date(y, 12, 31))))
        if t.kind == "quarter":
            q, y = _quarter(v[0]), int(v[1])
            return Deadline(DeadlineKind.QUARTER, wording, date(y, 3 * q - 2, 1), _last_day(y, 3 * q))
        if t.kind == "year":
            y = int(v[0])
            return Deadline(DeadlineKind.YEAR, wording, date(y, 1, 1), date(y, 12, 31))
        y1, y2 = int(v[0]), int(v[1])
        if y1 > y2:
            return unparsed
        if y1 == y2:
            return Deadline(DeadlineKind.YEAR, wording, date(y1, 1, 1), date(y1, 12, 31))
        return Deadline(DeadlineKind.RANGE, wording, date(y1, 1, 1), date(y2, 12, 31))
    except ValueError:
        return unparsed


def _groups(tokens: list[_Token], key: str) -> list[list[_Token]]:
    """Runs of tokens with nothing but spaces, punctuation or a unit word ("ngày", "năm") between them."""
    groups: list[list[_Token]] = []
    for t in tokens:
        gap = _grammar().cell_words.sub(" ", key[groups[-1][-1].end:t.start]) if groups else ""
        if groups and not re.search(r"\w", gap):
            groups[-1].append(t)
        else:
            groups.append([t])
    return groups


def parse_period(period: str) -> tuple[int, int] | None:
    """A plan's period as written in its manifest ("2021-2025") → (2021, 2025); None when it is not one."""
    years = [int(y) for y in re.findall(r"(?:19|20)\d\d", period or "")]
    if len(years) == 2 and years[0] <= years[1]:
        return years[0], years[1]
    if len(years) == 1:
        return years[0], years[0]
    return None


def parse_deadline(cell: str | None, period: tuple[int, int] | None = None) -> Deadline:
    """A deadline column's text, read whole; anything left over makes it ``UNPARSED`` (text kept)."""
    text = " ".join((cell or "").split())
    if not text or not re.search(r"\w", text) or _key(text).strip() in ("", "-"):
        return NO_DEADLINE
    key = _key(text)
    g = _grammar()
    tokens = g.tokens(key, cell=True)
    rest = list(key)
    for t in tokens:
        rest[t.start:t.end] = " " * (t.end - t.start)
    leftover = g.cell_words.sub(" ", "".join(rest))
    groups = _groups(tokens, key)
    if re.search(r"\w", leftover) or len(groups) != 1:
        return Deadline(DeadlineKind.UNPARSED, text)
    found = _interpret(groups[0], text, period)
    if found is None or found.kind is DeadlineKind.UNPARSED:
        return Deadline(DeadlineKind.UNPARSED, text)
    return Deadline(**{**found.__dict__, "text": text})


def find_deadlines(text: str, period: tuple[int, int] | None = None, heading: bool = False) -> list[Deadline]:
    """The deadlines stated in running text, in order; ``heading=True`` also reads "giai đoạn 2022 - 2025"
    (a heading over targets names their period that way)."""
    if not text:
        return []
    key = _key(text)
    g = _grammar()
    tokens = g.tokens(key, cell=False)
    if heading:
        extra = [t for t in g.tokens(key, cell=True) if t.kind == "period_range"]
        tokens = sorted([t for t in tokens if all(t.end <= e.start or e.end <= t.start for e in extra)] + extra,
                        key=lambda t: t.start)
    out: list[Deadline] = []
    for group in _groups(tokens, key):
        kinds = {t.kind for t in group}
        led = "cue" in kinds or "before_year" in kinds or "period_range" in kinds or any(
            k == "cont" or k.startswith("rec:") or k == "relative" for k in kinds)
        if not led:
            continue  # a bare date in running text (a decision's date, a law's year) is not a deadline
        found = _interpret(group, text, period)
        if found is not None:
            out.append(found)
    return out
