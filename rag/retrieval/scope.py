"""Which plans a question is about, from every way a question names a plan: its province or
city (with or without diacritics, with "tỉnh", "UBND thành phố" …), the national decision it
carries out (830/QĐ-TTg), its own number (308/KH-UBND), its period (2026-2030), and when it was
issued ("ban hành tháng 8/2022"), and who signed it. The ways are data (``rag/lexicon/plan_mentions.toml``); what
they are compared with is each plan's manifest entry (``corpus/plans.toml``), so a plan added
later is recognised the same way.

Each recognised mention is kept with its place in the question: it is scope, not content, and
``PlanScoper.strip_mentions`` takes it out of the words searched and checked. A named place
without a plan in the corpus is reported, so the answer can say the corpus has no such plan.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from rag import lexicon
from rag.models import PlanInfo
from rag.retrieval.cues import cues
from rag.retrieval.provinces import province_names
from rag.text import fold, strip_diacritics

_PERIOD_RE = re.compile(r"(20\d\d)\s*(?:-|–|—|đến|den|to)\s*(20\d\d)")
_NUMBER_RE = re.compile(r"(?<![\d/])(\d{2,5})(?![\d%])")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
# kinds that name plans one by one (two of them make a comparison); a decision, a period or a
# date may be shared by several plans
ENUMERATING = ("place", "number", "signer")


@dataclass(frozen=True)
class PlanMention:
    """A piece of the question that names plans: ``kind`` is place, decision, number, period or
    date; ``start``/``end`` index the question it was read from."""

    kind: str
    text: str
    start: int
    end: int
    plan_ids: tuple[str, ...]


@dataclass(frozen=True)
class Scope:
    plan_ids: tuple[str, ...] = ()
    unknown_places: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    mentions: tuple[PlanMention, ...] = ()
    # every plan asked, side by side: one named against "the others" ("… khác các nơi còn lại"), or all at
    # once ("cả bốn kế hoạch", "tỉnh nào … cam kết …"), within those a shared decision or period names
    every: bool = False

    @property
    def named(self) -> bool:
        return bool(self.plan_ids)

    @property
    def elsewhere(self) -> bool:
        """The question names only places no plan covers ("TP Hồ Chí Minh … giai đoạn 2021-2025"): a period
        or decision it also names does not make another province's plan the answer."""
        return bool(self.unknown_places) and not any(m.kind == "place" for m in self.mentions)

    @property
    def enumerated(self) -> tuple[str, ...]:
        """The plans named one by one (by place or own number), not through what they share."""
        found = {p for m in self.mentions if m.kind in ENUMERATING for p in m.plan_ids}
        return tuple(p for p in self.plan_ids if p in found)

    def or_searched(self, searched) -> tuple[str, ...]:
        """The plans the question names (or carries from the conversation), else every plan searched."""
        return tuple(self.plan_ids) or tuple(searched)


def loose(text: str) -> str:
    """Lower case without diacritics, one character for each character of ``text`` (so a match
    on it is a span of ``text``)."""
    return "".join(map(_loose_char, text))


@lru_cache(maxsize=8192)
def _loose_char(c: str) -> str:
    return (strip_diacritics(c).lower() or " ")[0]


@lru_cache(maxsize=1)
def _patterns() -> dict[str, tuple[re.Pattern, ...]]:
    data = lexicon.load("plan_mentions")
    return {kind: tuple(re.compile(p) for p in data[kind])
            for kind in ("decision", "number", "period", "date", "place_prefix", "signer_before", "signer_after")}


def _leading_number(code: str) -> str:
    m = re.match(r"\s*(\d+)", code or "")
    return m.group(1) if m else ""


def _period(text: str) -> tuple[int, int] | None:
    m = _PERIOD_RE.search(text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def _date_parts(text: str) -> tuple[int | None, int | None, int | None]:
    """(day, month, year) a manifest date states ("2022-08-15", "15/8/2022", "tháng 8/2022", "2026")."""
    text = loose(text or "")
    if m := re.search(r"(20\d\d)-(\d{1,2})-(\d{1,2})", text):
        return int(m.group(3)), int(m.group(2)), int(m.group(1))
    if m := re.search(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(20\d\d)", text):
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    if m := re.search(r"thang\s+(\d{1,2})\s*(?:/|nam)\s*(20\d\d)", text):
        return None, int(m.group(1)), int(m.group(2))
    years = _YEAR_RE.findall(text)
    return None, None, (int(years[-1]) if years else None)


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in taken)


class PlanScoper:
    """Recognises plan mentions; configured with the manifest entries of the loaded plans."""

    def __init__(self, plans: list[PlanInfo], signers: dict[str, str] | None = None) -> None:
        """``signers``: plan id → the name its signature block gives (read from the document)."""
        self.plans = plans
        self._signers = [(re.compile(r"(?<![a-z0-9])" + r"\W+".join(map(re.escape, loose(name).split()))
                                     + r"(?![a-z0-9])"), plan_id)
                         for plan_id, name in (signers or {}).items() if len(name.split()) >= 2]
        self._places = {}
        for p in plans:
            for name in (p.province, *p.aliases):
                if name:
                    self._places.setdefault(fold(name), set()).add(p.id)
        known = {fold(p.province) for p in plans if p.province}
        self._unknown = {fold(name): name for name in province_names() if fold(name) not in known
                         and not any(fold(name) in k or k in fold(name) for k in known)}
        self._place_res = [(re.compile(r"(?<![a-z0-9])" + r"\W+".join(map(re.escape, place.split()))
                                       + r"(?![a-z0-9])"), place)
                           for place in sorted(self._places, key=len, reverse=True)]

    @classmethod
    def for_corpus(cls, corpus) -> "PlanScoper":
        """The recogniser for the loaded plans: their manifest entries and their signers."""
        return cls([p.info for p in corpus.plans], {p.id: p.signer for p in corpus.plans if p.signer})

    def place_names(self) -> list[str]:
        """Folded names of the places that have plans."""
        return list(self._places)

    def plan_place(self, plan_id: str) -> str:
        """The place a plan is about, as the manifest writes it."""
        return next((p.province for p in self.plans if p.id == plan_id and p.province), "")

    def strip_places(self, text: str) -> str:
        """``text`` without the names of places that have plans (folded matching; the rest of
        the text is kept as typed)."""
        return self._without(text, [m for m in self.mentions(text) if m.kind == "place"])

    def strip_mentions(self, text: str, keep: tuple[str, ...] = ()) -> str:
        """``text`` without any words that name plans (place, decision, number, period, date):
        what is left is what the question asks about their content. ``keep``: kinds of mention
        left in (see ``QuestionAnalyzer.read``)."""
        return self._without(text, [m for m in self.mentions(text) if m.kind not in keep])

    @staticmethod
    def _without(text: str, mentions: list[PlanMention]) -> str:
        if not mentions:
            return text
        out, at = [], 0
        for m in sorted(mentions, key=lambda m: m.start):
            out.append(text[at:m.start])
            at = max(at, m.end)
        out.append(text[at:])
        kept = re.sub(r"\s+([,.;:?!])", r"\1", re.sub(r"\s+", " ", " ".join(out))).strip()
        return re.sub(r"^[,.;:\s]+", "", kept)

    # --- recognition -----------------------------------------------------------------------

    def mentions(self, question: str) -> list[PlanMention]:
        text = loose(question)
        found: list[PlanMention] = []
        taken: list[tuple[int, int]] = []

        def add(kind: str, start: int, end: int, plan_ids) -> None:
            ids = tuple(sorted(set(plan_ids), key=[p.id for p in self.plans].index))
            if ids and not _overlaps((start, end), taken):
                found.append(PlanMention(kind, question[start:end], start, end, ids))
                taken.append((start, end))

        pats = _patterns()
        for rx in pats["decision"]:
            for m in rx.finditer(text):
                add("decision", *m.span(), [p.id for p in self.plans if _leading_number(p.decision) == m.group("n")])
        for rx in pats["number"]:
            for m in rx.finditer(text):
                add("number", *m.span(), [p.id for p in self.plans if _leading_number(p.number) == m.group("n")])
        for rx in pats["period"]:
            for m in rx.finditer(text):
                asked = (int(m.group("start")), int(m.group("end")))
                add("period", *m.span(), [p.id for p in self.plans if _period(p.period) == asked])
        for rx in pats["date"]:
            for m in rx.finditer(text):
                add("date", *m.span(), self._issued(m))
        for rx, plan_id in self._signers:  # "kế hoạch do ông … ký"
            for m in rx.finditer(text):
                start, end = m.span()
                if p := pats["signer_before"][0].search(text[:start]):
                    start = p.start()
                if p := pats["signer_after"][0].match(text[end:]):
                    end += p.end()
                add("signer", start, end, [plan_id])
        for rx, place in self._place_res:
            for m in rx.finditer(text):
                start, grew = m.start(), True
                while grew:
                    grew = False
                    for prefix in pats["place_prefix"]:
                        if p := prefix.search(text[:start]):
                            start, grew = p.start(), True
                add("place", start, m.end(), self._places[place])
        # a bare number that is a plan's own number or decision ("KH 308 …", "… thực hiện 830")
        for m in _NUMBER_RE.finditer(question):
            ids = [p.id for p in self.plans if m.group(1) in (_leading_number(p.decision), _leading_number(p.number))]
            kind = "number" if any(_leading_number(p.number) == m.group(1) for p in self.plans) else "decision"
            add(kind, *m.span(), ids)
        return sorted(found, key=lambda m: m.start)

    def _issued(self, m: re.Match) -> list[str]:
        """The plans issued on the date ``m`` reads: those whose manifest date states every part
        asked, else those whose date does not contradict it (a plan dated only "2026")."""
        groups = m.groupdict()
        asked = (groups.get("d"), groups.get("m") or groups.get("m2"), groups["y"])
        asked = tuple(int(x) if x else None for x in asked)
        exact, compatible = [], []
        for p in self.plans:
            have = _date_parts(p.date)
            if any(a is not None and h is not None and a != h for a, h in zip(asked, have)) or have[2] is None:
                continue
            (exact if all(a is None or h == a for a, h in zip(asked, have)) else compatible).append(p.id)
        return exact or compatible

    def scope(self, question: str) -> Scope:
        mentions = self.mentions(question)
        reasons = [f"{m.kind}:{fold(m.text)}" for m in mentions]
        by_place = [p for m in mentions if m.kind == "place" for p in m.plan_ids]
        if by_place:  # a place named narrows: "QĐ 830 ở Lai Châu" is Lai Châu's plan, not every 830 plan
            ids = set(by_place)
        else:
            # what the question says of one plan holds together: "ban hành tháng 8/2022, thực hiện QĐ 830"
            # is the plan that is both; two plans named by number are both
            kinds: dict[str, set[str]] = {}
            for m in mentions:
                kinds.setdefault(m.kind, set()).update(m.plan_ids)
            sets = list(kinds.values())
            ids = set.intersection(*sets) if sets else set()
            if sets and not ids:
                ids = set.union(*sets)
        folded = f" {fold(question)} "
        unknown = tuple(name for f, name in self._unknown.items() if f" {f} " in folded)
        order = [p.id for p in self.plans]
        every = len(order) > 1 and (cues("other_plans")(folded) if len(ids) == 1 else cues("all_plans")(folded))
        if every:
            ids, reasons = (ids if len(ids) > 1 else set(order)), [*reasons, "every"]
        return Scope(tuple(sorted(ids, key=order.index)), unknown, tuple(reasons), tuple(mentions), every)

    def every_plan(self, scope: Scope) -> Scope:
        """``scope`` widened to every plan it leaves open (all of them when it names none)."""
        if scope.every or len(self.plans) < 2 or len(scope.plan_ids) == 1:
            return scope
        ids = scope.plan_ids or tuple(p.id for p in self.plans)
        return replace(scope, plan_ids=ids, reasons=(*scope.reasons, "every"), every=True)
