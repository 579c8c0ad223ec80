"""Explainable, plan-independent features of one candidate clause for one question: what the
learned ranker (``rag.retrieval.rerank``) orders the hybrid search's top candidates by.

Every feature is a number a reviewer can read off the question and the clause: how the two
retrievers scored it *relative to the other candidates* (never a raw score, whose scale moves
when plans are added), how much of the question's specific content it holds, what kind of
clause it is (``ClauseLevel``, appendix fields), whether it says what the question asks
(lead, partners, deadline, number … ; cue phrases in ``rag/lexicon/clauses.toml``), and
whether the agency asked about heads it or merely appears in it. No feature names a plan,
a province or an address, so a model trained on four plans applies to a fifth.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from rag import lexicon
from rag.index.analyzer import syllables
from rag.models import Clause, ClauseLevel, Passage
from rag.retrieval.analysis import Attribute, Kind, Language, QuestionAnalysis
from rag.retrieval.cues import CueSet, compile_cues
from rag.retrieval.scope import loose
from rag.structure.agencies import find_agencies
from rag.text import fold

FEATURES_VERSION = "2"  # bump when a feature changes meaning: models trained before are refused

_DIGITS = re.compile(r"\d")
_YEAR_OR_DATE = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b")
_PERCENT = re.compile(r"\d\s*(?:%|phần trăm|phan tram)", re.IGNORECASE)  # on the clause as written
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:%|phan tram)|\b\d+\b")
_OPENING_WORDS = 8
_ROLE_OPENING_WORDS = 4  # "Chủ trì, phối hợp …": the role a clause gives its agency is in its first words
ROLES = ("lead", "partner", "take_part", "organise")  # the [roles] lists of rag/lexicon/clauses.toml

_LEVELS = (ClauseLevel.ROW, ClauseLevel.BULLET, ClauseLevel.POINT, ClauseLevel.ITEM, ClauseLevel.SUBITEM,
           ClauseLevel.PARAGRAPH, ClauseLevel.PART, ClauseLevel.PREAMBLE, ClauseLevel.FRONT, ClauseLevel.CLOSING)
_HEADINGS = (ClauseLevel.PART, ClauseLevel.GROUP, ClauseLevel.APPENDIX)

# the feature names, in the order of a feature vector (the shipped model records them)
FEATURE_NAMES: tuple[str, ...] = (
    # retrieval, relative to the other candidates of the same question
    "fused_rel", "fused_rank_inv", "bm25_rel", "bm25_rank_inv", "bm25_missing", "dense_gap", "dense_rank_inv",
    "dense_missing",
    # the question's specific content in the clause
    "key_cover", "key_cover_heading", "key_pairs_cover", "key_count",
    # what kind of clause
    *(f"level_{lv.value}" for lv in _LEVELS), "level_heading", "depth", "log_chars", "assigned",
    "row_has_partners", "row_has_deadline",
    # what the clause says
    "says_lead", "says_partners", "says_deadline", "says_number", "says_funding", "says_target", "says_school",
    "says_definition", "agencies_named",
    # what the question asks
    "q_lead", "q_partners", "q_deadline", "q_number", "q_funding", "q_duties", "q_who", "q_school", "q_plan_itself",
    "q_content", "q_has_subject", "q_unaccented", "q_english",
    # asked × said
    "lead_x_said", "partners_x_said", "deadline_x_said", "number_x_said", "funding_x_said", "school_x_said",
    "who_x_names", "duties_x_assigned", "plan_x_opening",
    # the agency asked about
    "subj_leads", "subj_partner", "subj_assigned", "subj_opens", "subj_named", "other_assigned", "other_leads",
    "named_agency_in_text",
    # the agency asked about is named in another agency's duty, or as a partner in the text
    "subj_named_not_assigned", "subj_partner_in_text",
    # the value asked for: its unit or a percentage in the clause; a clause that opens a list
    "unit_x_said", "percent_x_said", "opens_list",
    # the role the clause gives its agency (its first words) and the role the question asks about
    *(f"opens_{r}" for r in ROLES), *(f"q_role_{r}" for r in ROLES), "role_match", "role_clash",
)


@lru_cache(maxsize=None)
def clause_cues(name: str) -> CueSet:
    table = lexicon.load("clauses")["cues"]
    return CueSet(compile_cues(table[name]))


@lru_cache(maxsize=None)
def role_cues(name: str) -> CueSet:
    return CueSet(compile_cues(lexicon.load("clauses")["roles"][name]))


def roles_in(folded: str) -> frozenset[str]:
    """The roles (``ROLES``) whose cue phrases occur in ``folded``."""
    return frozenset(r for r in ROLES if role_cues(r)(folded))


def agencies_named(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(agencies named anywhere in ``text``, those named after its first partner cue: "… phối hợp
    với Sở Y tế, Công an …"). No agency name holds a partner cue, so the text is read once, in two
    pieces, not twice."""
    m = role_cues("partner").search(loose(text))
    if m is None:
        return frozenset(find_agencies(text)), frozenset()
    after = frozenset(find_agencies(text[m.start():]))
    return frozenset(find_agencies(text[:m.start()])) | after, after


@dataclass(frozen=True)
class ClauseFacts:
    """What does not depend on the question: computed once per passage, then cached."""

    level: ClauseLevel
    depth: int
    log_chars: float
    syllables: frozenset[str]
    pairs: frozenset[tuple[str, str]]
    heading: frozenset[str]
    assigned: frozenset[str]  # the agencies the clause is assigned to (its heading)
    leads: frozenset[str]  # an appendix row's lead agencies
    partners: frozenset[str]
    opens: frozenset[str]  # agencies named as the subject of its first words
    named: frozenset[str]  # agencies named anywhere in it
    row_partners: bool
    row_deadline: bool
    says: dict
    opens_roles: frozenset[str] = frozenset()  # the roles its first words give its agency
    partners_in_text: frozenset[str] = frozenset()  # agencies named after "phối hợp với …"
    percent: bool = False
    opens_list: bool = False  # it ends with ":" (its items follow)


def clause_facts(passage: Passage, clause: Clause | None) -> ClauseFacts:
    folded = fold(passage.text)
    words = folded.split()
    level = clause.level if clause is not None else ClauseLevel.PARAGRAPH
    opening = " ".join(passage.text.split()[:_OPENING_WORDS])
    opens = frozenset(find_agencies(opening)) if not folded.startswith(("chu tri", "phoi hop")) else frozenset()
    heading = fold(" ".join((*passage.path, clause.title if clause is not None else "")))
    says = {name: clause_cues(name)(folded) for name in
            ("lead", "partners", "deadline", "funding", "target", "school", "definition")}
    says["deadline"] = says["deadline"] or bool(_YEAR_OR_DATE.search(passage.text))
    says["number"] = bool(_NUMBER.search(folded))
    named, partners_in_text = agencies_named(passage.text)
    return ClauseFacts(
        level=level, depth=len(passage.path), log_chars=math.log1p(len(passage.text)),
        syllables=frozenset(words), pairs=frozenset(zip(words, words[1:])), heading=frozenset(heading.split()),
        assigned=frozenset(clause.agency if clause is not None else ()),
        leads=frozenset(clause.lead_agencies if clause is not None else ()),
        partners=frozenset(clause.partner_agencies if clause is not None else ()),
        opens=opens, named=named,
        row_partners=bool(clause is not None and clause.partners),
        row_deadline=bool(clause is not None and clause.deadline), says=says,
        opens_roles=roles_in(" ".join(words[:_ROLE_OPENING_WORDS])),
        partners_in_text=partners_in_text, percent=bool(_PERCENT.search(passage.text)),
        opens_list=passage.text.rstrip().endswith(":"))


@dataclass(frozen=True)
class Candidate:
    """One candidate of the hybrid search, with the retrievers' evidence for it."""

    passage: Passage
    clause: Clause | None
    fused: float
    fused_rank: int  # 1-based
    bm25: float | None  # raw BM25, None when not among the lexical candidates
    bm25_rank: int | None
    dense: float | None  # cosine, None when not among the dense candidates
    dense_rank: int | None


@dataclass(frozen=True)
class QuestionFacts:
    """What the features read from the question's analysis."""

    key_terms: tuple[str, ...]
    key_pairs: tuple[tuple[str, str], ...]
    lead: bool
    partners: bool
    deadline: bool
    number: bool
    funding: bool
    duties: bool
    who: bool
    school: bool
    plan_itself: bool
    content: bool
    subjects: frozenset[str]
    agencies: frozenset[str]
    unaccented: bool
    english: bool
    roles: frozenset[str] = frozenset()  # the roles the question's words ask about (``ROLES``)
    unit: str = ""  # the folded unit of a count asked ("buoi", "lop"), "%" for a percentage

    @classmethod
    def of(cls, a: QuestionAnalysis) -> "QuestionFacts":
        words = [fold(s) for s in syllables(a.text)]
        keys = set(a.key_terms)
        pairs = tuple((x, y) for x, y in zip(words, words[1:]) if x in keys and y in keys)
        return cls(
            key_terms=a.key_terms, key_pairs=pairs,
            lead=a.attribute is Attribute.LEAD or (a.asks_lead and not a.asks_partners),
            partners=a.attribute is Attribute.PARTNERS or a.asks_partners,
            deadline=a.attribute is Attribute.DEADLINE or a.asks_deadline,
            number=a.kind is Kind.VALUE, funding=a.attribute is Attribute.FUNDING,
            duties=a.kind is Kind.DUTIES, who=a.asks_who or a.kind is Kind.AGENCY, school=a.school,
            plan_itself=bool(a.front), content=a.attribute is Attribute.CONTENT,
            subjects=frozenset(a.subjects), agencies=frozenset(a.agencies),
            unaccented=a.language is Language.UNACCENTED, english=a.language is Language.ENGLISH,
            roles=roles_in(fold(a.text)), unit=_unit(a.value))


def _unit(value: str | None) -> str:
    if value == "percent":
        return "%"
    return value.split(":", 1)[1] if value and value.startswith("unit:") else ""


def _inv(rank: int | None) -> float:
    return 0.0 if rank is None else 1.0 / rank


def features(q: QuestionFacts, candidates: list[Candidate], facts: list[ClauseFacts]) -> list[list[float]]:
    """One feature vector (in ``FEATURE_NAMES`` order) per candidate."""
    top_fused = max((c.fused for c in candidates), default=0.0) or 1.0
    top_bm25 = max((c.bm25 for c in candidates if c.bm25 is not None), default=0.0) or 1.0
    top_dense = max((c.dense for c in candidates if c.dense is not None), default=0.0)
    n_keys = len(q.key_terms)
    rows = []
    for c, f in zip(candidates, facts):
        says = f.says
        names = bool(f.leads or f.partners or f.assigned or says["lead"] or says["partners"])
        other_assigned = bool(q.subjects and f.assigned and not (f.assigned & q.subjects))
        other_leads = bool(q.subjects and f.leads and not (f.leads & q.subjects))
        plan_itself_opening = f.level in (ClauseLevel.PREAMBLE, ClauseLevel.FRONT)
        gives = set(f.opens_roles)
        if f.leads:
            gives.add("lead")
        if f.row_partners:
            gives.add("partner")
        asks_lead, asks_partner = bool(q.roles & {"lead", "organise"}), bool(q.roles & {"partner", "take_part"})
        gives_lead, gives_partner = bool(gives & {"lead", "organise"}), bool(gives & {"partner", "take_part"})
        role_match = (asks_lead and gives_lead) or (asks_partner and gives_partner)
        role_clash = (asks_lead and not asks_partner and gives_partner and not gives_lead) or \
                     (asks_partner and not asks_lead and gives_lead and not gives_partner)
        subj_not_assigned = bool(q.subjects & f.named) and bool(f.assigned) and not (q.subjects & (f.assigned | f.leads))
        row = [
            c.fused / top_fused, 1.0 / c.fused_rank,
            (c.bm25 or 0.0) / top_bm25, _inv(c.bm25_rank), float(c.bm25 is None),
            (c.dense - top_dense) if c.dense is not None else -1.0, _inv(c.dense_rank), float(c.dense is None),
            (sum(t in f.syllables for t in q.key_terms) / n_keys) if n_keys else 0.0,
            (sum(t in f.heading for t in q.key_terms) / n_keys) if n_keys else 0.0,
            (sum(p in f.pairs for p in q.key_pairs) / len(q.key_pairs)) if q.key_pairs else 0.0,
            math.log1p(n_keys),
            *(float(f.level is lv) for lv in _LEVELS), float(f.level in _HEADINGS), float(f.depth), f.log_chars,
            float(bool(f.assigned)), float(f.row_partners), float(f.row_deadline),
            float(says["lead"]), float(says["partners"]), float(says["deadline"]), float(says["number"]),
            float(says["funding"]), float(says["target"]), float(says["school"]), float(says["definition"]),
            math.log1p(len(f.named)),
            float(q.lead), float(q.partners), float(q.deadline), float(q.number), float(q.funding), float(q.duties),
            float(q.who), float(q.school), float(q.plan_itself), float(q.content), float(bool(q.subjects)),
            float(q.unaccented), float(q.english),
            float(q.lead and (bool(f.leads) or says["lead"])),
            float(q.partners and (f.row_partners or says["partners"])),
            float(q.deadline and (f.row_deadline or says["deadline"])),
            float(q.number and (says["number"] or says["target"])),
            float(q.funding and says["funding"]),
            float(q.school and says["school"]),
            float(q.who and names),
            float(q.duties and bool(f.assigned or f.opens)),
            float(q.plan_itself and plan_itself_opening),
            float(bool(q.subjects & f.leads)), float(bool(q.subjects & f.partners)), float(bool(q.subjects & f.assigned)),
            float(bool(q.subjects & f.opens)), float(bool(q.subjects & f.named)), float(other_assigned),
            float(other_leads), float(bool(q.agencies & (f.named | f.leads | f.partners | f.assigned))),
            float(subj_not_assigned),
            float(bool(q.subjects & (f.partners_in_text | f.partners))),
            float(bool(q.unit) and q.unit != "%" and all(w in f.syllables for w in q.unit.split()) and says["number"]),
            float(q.unit == "%" and f.percent), float(f.opens_list),
            *(float(r in f.opens_roles) for r in ROLES), *(float(r in q.roles) for r in ROLES),
            float(role_match), float(role_clash),
        ]
        rows.append(row)
    return rows
