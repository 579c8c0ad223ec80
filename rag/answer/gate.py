"""The evidence gate: answer only when what the question specifically asks about is in the
clauses that would be cited. Each check returns an ``Abstention`` (a reason) or None.

Measures, all on scales that do not move when a plan or a paraphrase is added:
  * ``relative_bm25``: the best BM25 of the question's own words (no expansion) over the score
    a passage holding all of them would get (``LexicalIndex.query_max``), in [0, 1];
  * ``coverage``: the share of the question's syllable pairs (place names aside) in the best
    passage;
  * ``cosine``: the best dense similarity (English questions: the only evidence there is);
  * ``support``: the share of the things the asked part of the question names (its nouns among
    its *key units*: content words and word pairs, without the generic vocabulary, agency and
    place names; ``naming_things``) found in the evidence clauses (or, through the paraphrase
    table, words that mean them). An action worded differently ("dự định", "lo") or a link word
    is no reason to refuse; a thing the evidence never names ("chứng chỉ", "email") is.
Thresholds live in ``Settings`` (``rag/config.py``) and are calibrated by
``eval/calibrate_gate.py`` on the dev set; the curve is in ``eval/reports/gate-curve.md``.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from functools import lru_cache

from rag import lexicon
from rag.answer.composers.base import Abstention, Context
from rag.answer.evidence import bigram_coverage
from rag.answer.ranked import RankedClause
from rag.models import ClauseLevel
from rag.index.analyzer import analyze
from rag.index.analyzer import tagged_words
from rag.index.analyzer import words as analyzer_words
from rag.retrieval.analysis import Attribute, Kind, asked_part, key_terms
from rag.retrieval.features import clause_cues
from rag.structure.agencies import agency_name, find_agencies, known_agency
from rag.structure.assignments import involves
from rag.text import fold


@dataclass(frozen=True)
class GateSettings:
    """The gate's thresholds; their values live in ``rag.config.Settings`` (``gate_*``)."""

    min_relative_bm25: float
    min_coverage: float
    min_cosine_english: float
    min_cosine_on_topic: float
    # a unit of the question counts as specific when at most this share of passages hold it
    # (0: only words no plan uses at all); the answer is refused when a specific unit is missing
    # from the evidence and the supported share of the specific units falls below ``min_support``
    max_specific_df: float
    min_support: float
    min_support_premise: float

    @classmethod
    def from_settings(cls, settings) -> "GateSettings":
        return cls(**{f.name: getattr(settings, f"gate_{f.name}") for f in fields(cls)})


@dataclass(frozen=True)
class GateMeasures:
    relative_bm25: float  # of the whole question, or of its asked part when that is higher
    coverage: float  # likewise
    cosine: float
    support: float | None  # None: the asked part has no specific units to check
    units: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # specific units the evidence lacks
    things: tuple[str, ...] = ()  # those of them that name a thing asked about (what a refusal rests on)
    thing_units: tuple[str, ...] = ()  # the units that name things, missing or not (for calibration)
    missing_df: tuple[float, ...] = ()  # their share of passages in the corpus
    lacking: tuple[str, ...] = ()  # every unit the evidence lacks, however common (for calibration)
    lacking_df: tuple[float, ...] = ()
    applies: bool = True  # the support check applies to this kind of question

    def to_dict(self) -> dict:
        d = asdict(self)
        for key in ("units", "missing", "things", "thing_units", "missing_df", "lacking", "lacking_df"):
            d[key] = list(d[key])
        return d


# kinds whose evidence is chosen by structure, not by words: the gate's support check does not apply
_STRUCTURAL = (Kind.DUTIES, Kind.ADDRESS, Kind.FRONT_MATTER, Kind.COMPARISON)


@lru_cache(maxsize=1)
def _paraphrase_meanings() -> dict[str, set[str]]:
    """Folded word or word pair of a typed phrase → the folded terms of what it means."""
    out: dict[str, set[str]] = {}
    for name in ("paraphrases", "abbreviations"):
        for phrases, means in lexicon.phrase_table(name):
            meaning = set(analyze(means, accents=False))
            for phrase in phrases:
                for term in analyze(phrase, accents=False):
                    out.setdefault(term, set()).update(meaning)
    return out


def key_units(text: str, scoper=None, agencies=()) -> tuple[str, ...]:
    """The content words of ``text``. Typed with diacritics: its words (compounds joined, as
    "chung_chi", see ``rag.index.analyzer.words``) that hold a key syllable (not generic, not an
    agency or place name). Typed without: its key syllables (pairs cannot be told from words)."""
    keys = set(key_terms(text, scoper, agencies))
    units: list[str] = []
    for piece in re.split(r"[,;:()]", text):  # a word never spans punctuation
        for token in analyzer_words(piece):
            if any(part in keys for part in token.split("_")):
                units.append(token)
    return tuple(dict.fromkeys(units))


def _pairs(unit: str) -> list[str]:
    """The index terms of a unit: itself, or the syllable pairs of a longer compound."""
    parts = unit.split("_")
    return [unit] if len(parts) <= 2 else [f"{a}_{b}" for a, b in zip(parts, parts[1:])]


def _present(unit: str, have: set[str]) -> bool:
    """Is ``unit`` in the evidence terms? A compound of four or more syllables is two words glued
    by the segmenter ("làm chủ công nghệ"): the plan may put a word between them ("làm chủ các
    công nghệ"), so one of its pairs may be missing."""
    pairs = _pairs(unit)
    found = sum(p in have for p in pairs)
    return found == len(pairs) or (len(pairs) >= 3 and found >= len(pairs) - 1)


_NOUN_TAGS = ("N", "Nc", "Nu", "Ny", "Nb")


def naming_things(text: str, units) -> tuple[str, ...]:
    """The ``units`` of ``text`` that name a thing (a noun: "chứng chỉ", "email"), not an action,
    a link word or a manner ("dự định", "mà", "hay"): a plan that lacks the thing asked about does
    not answer, one that words the action differently may. Typed without diacritics, word classes
    cannot be told: two syllables side by side count, a lone one does not."""
    tagged = tagged_words(text)
    if not any(tag for _, tag in tagged):  # syllables: a thing is two of them side by side
        order = [w for w, _ in tagged]
        near = {w for a, b in zip(order, order[1:]) if a in units and b in units for w in (a, b)}
        return tuple(u for u in units if "_" in u or u in near)
    tags = {}
    for word, tag in tagged:
        tags.setdefault(word, tag)
        for part in word.split("_"):
            tags.setdefault(part, tag)
    return tuple(u for u in units if tags.get(u, "") in _NOUN_TAGS
                 or (u not in tags and any(tags.get(p, "") in _NOUN_TAGS for p in u.split("_"))))


def evidence_terms(ctx: Context, clauses: list[RankedClause]) -> set[str]:
    text = " ".join(" ".join((*r.clause.path, r.clause.text, r.clause.lead or "", r.clause.partners or ""))
                    for r in clauses)
    return set(analyze(text, accents=False))


def refuses(missing, support: float | None, floor: float) -> bool:
    """The support rule: a specific word pair the evidence lacks, or two specific words, and the
    supported share below ``floor``. A lone missing syllable (a typo, a rare synonym) is too
    little to refuse on."""
    if support is None or not missing:
        return False
    if not any("_" in u for u in missing) and len(missing) < 2:
        return False
    return support < floor


def as_typed(text: str, unit: str) -> str:
    """The words of ``text`` that fold to ``unit`` ("tap_huan" → "tập huấn"), as the user typed them."""
    want = unit.split("_")
    words = re.findall(r"[^\W_]+", text)
    folded = [fold(w) for w in words]
    for i in range(len(words) - len(want) + 1):
        if folded[i:i + len(want)] == want:
            return " ".join(words[i:i + len(want)])
    return unit.replace("_", " ")


class EvidenceGate:
    def __init__(self, settings: GateSettings | None = None, place_syllables: set[str] | None = None,
                 lexical=None) -> None:
        if settings is None:
            from rag.config import Settings

            settings = GateSettings.from_settings(Settings())
        self.settings = settings
        self.place_syllables = place_syllables or set()
        self.lexical = lexical  # the index's BM25 vocabulary: how common each unit is across the plans

    def _df(self, unit: str) -> float:
        """How common a unit is across the plans (a compound of three or more syllables: its
        rarest syllable pair, since the index holds pairs)."""
        if self.lexical is None:
            return 0.0
        return min(self.lexical.df_share(pair) for pair in _pairs(unit))

    def _asked_relative(self, ctx: Context, asked: str, scoper) -> float:
        """Relative BM25 of the asked part alone, over the passages found."""
        if self.lexical is None or not ctx.result.hits:
            return 0.0
        text = scoper.strip_places(asked) if scoper is not None else asked
        top = self.lexical.query_max(text)
        if top <= 0:
            return 0.0
        scores = self.lexical.score(text)
        return float(max(scores[h.passage.id] for h in ctx.result.hits)) / top

    def measure(self, ctx: Context, evidence: list[RankedClause], scoper=None, support: bool = True) -> GateMeasures:
        """The measures; ``support=False`` leaves out the support of the key units (the off-topic
        check, before any evidence is chosen, needs only the scale measures)."""
        result = ctx.result
        cosine = max(result.dense_scores.values(), default=0.0)
        relative = result.lexical_relative
        coverage = 0.0
        if result.hits:
            best = result.hits[0].passage.embed_text
            coverage = bigram_coverage(ctx.question, best, self.place_syllables)
            asked = asked_part(ctx.question)
            if asked != ctx.question:  # a long question: what it asks may stand out of its story
                coverage = max(coverage, bigram_coverage(asked, best, self.place_syllables))
                relative = max(relative, self._asked_relative(ctx, asked, scoper))
        a = ctx.analysis
        own = a.question if a.understood and key_units(a.question, scoper, a.agencies) else a.text
        if scoper is not None:  # the words that name plans are scope, not what is asked
            own = scoper.strip_mentions(own)
        units = () if a.english or not support else key_units(asked_part(own), scoper, a.agencies)
        support, missing, things, thing_units, missing_df, lacking, dfs = None, (), (), (), (), [], {}
        if units and evidence:
            have = evidence_terms(ctx, evidence)
            meanings = _paraphrase_meanings()
            lacking = [u for u in units if not _present(u, have) and not (meanings.get(u, set()) & have)]
            dfs = {u: self._df(u) for u in lacking}
            missing = tuple(u for u in lacking if dfs[u] <= self.settings.max_specific_df)
            missing_df = tuple(round(dfs[u], 4) for u in missing)
            thing_units = naming_things(asked_part(own), units)
            things = tuple(u for u in missing if u in thing_units)
            support = 1 - len(things) / len(units)
        return GateMeasures(relative, coverage, cosine, support, units, missing, things, thing_units, missing_df,
                            tuple(lacking),
                            tuple(round(dfs[u], 4) for u in lacking), a.kind not in _STRUCTURAL)

    def agency_absent(self, ctx: Context) -> Abstention | None:
        """The agencies the question is about are nowhere in the plans it names: nothing a clause
        says of another agency answers it ("Sở Y tế … phối hợp với ai?" of a plan that never names
        Sở Y tế). An agency the plan names only in passing (a directive's issuer, the body reports go
        to) may still be what the answer is about."""
        a, plan_ids = ctx.analysis, list(ctx.result.scope.plan_ids)
        # the agencies of the part that asks ("Tôi đã ra công an phường trình báo. … ai tiếp nhận?" asks
        # no ward police), and only those the table or a plan names: a name read from a question's shape
        # alone may be a misreading ("Công an tỉnh A và tỉnh B hợp tác …" read as one agency)
        asked = set(find_agencies(asked_part(a.text)))
        keys = [k for k in a.subjects if k in asked]
        if not keys or not plan_ids or not all(known_agency(k) for k in keys):
            return None
        if any(set(keys) & ctx.labels.indexes[p].agencies_named for p in plan_ids):
            return None
        names = ", ".join(agency_name(k) for k in keys)
        plans = ", ".join(ctx.short(p) for p in plan_ids)
        return Abstention(f"{plans} không nhắc đến {names}, nên không giao việc nào cho cơ quan này.", (),
                          "agency-absent")

    def off_topic(self, ctx: Context, m: GateMeasures) -> Abstention | None:
        s = self.settings
        a = ctx.analysis
        if a.distress:
            return None  # a child harmed online now: the plans' topic, however the story is told
        if (not a.english and not a.key_terms and not a.agencies and a.address is None and not a.front
                and not a.understood and not a.school and a.kind is Kind.CONTENT):
            return Abstention("Câu hỏi chưa nêu điều cần tìm (chỉ có những từ chung). Hãy hỏi cụ thể, ví dụ: "
                              "«Sở Giáo dục và Đào tạo phải làm gì?»", (), "nothing-asked")
        if a.understood and a.carried:
            # a follow-up ("Thế còn bên tổng hợp thì hạn chót là bao giờ?") leans on the earlier turn's topic,
            # which the scale measures of its own few words do not see; the support check still applies
            return None
        if a.subjects and any(involves(r.clause, a.subjects) for r in ctx.ranked[:3]):
            return None  # the agency asked about is at work in the best clauses: the question is on topic
        if (a.attribute is Attribute.FRONT_MATTER and a.scope.plan_ids and ctx.ranked
                and ctx.ranked[0].clause.level is ClauseLevel.PREAMBLE):
            return None  # what a named plan carries out, however worded: its opening paragraph says it
        if (a.attribute is Attribute.FUNDING and ctx.ranked
                and clause_cues("funding")(fold(" ".join((*ctx.ranked[0].clause.path, ctx.ranked[0].clause.text))))):
            return None  # the plan's money asked in everyday words ("lấy tiền ở đâu"): its funding clause answers
        if ctx.analysis.english:
            off = m.cosine < s.min_cosine_english
        else:
            off = (m.relative_bm25 < s.min_relative_bm25 and m.coverage < s.min_coverage
                   and m.cosine < s.min_cosine_on_topic)
        if off:
            return Abstention("Các kế hoạch không đề cập nội dung này.", (), "off-topic")
        return None

    def unsupported(self, ctx: Context, m: GateMeasures, evidence: list[RankedClause]) -> Abstention | None:
        a = ctx.analysis
        if a.kind in _STRUCTURAL or m.support is None:
            return None
        premise = a.attribute is Attribute.PREMISE
        floor = self.settings.min_support_premise if premise else self.settings.min_support
        if refuses(m.things, m.support, floor):
            missing = ", ".join(f"«{as_typed(a.question + ' ' + a.text, u)}»" for u in m.things[:4])
            if premise:
                text = (f"Các kế hoạch không nêu điều câu hỏi giả định: {missing} không có trong các điều khoản "
                        f"liên quan.")
            else:
                text = f"Các kế hoạch không đề cập đến {missing}: không điều khoản nào gần với câu hỏi nêu điều này."
            return Abstention(text, tuple(evidence[:2]), "unsupported")
        return None
