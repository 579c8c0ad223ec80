"""Checklists by audience: what the plans ask of schools (by level) and of families, every line cited.

A line is a clause (or an appendix row) that names the audience, with its plan, clause address and the
deadline it states. The audience wording is data: ``rag/lexicon/audiences.toml``. Used by ``rag checklist``
and by the checklist DOCX (``rag/documents/checklist.py``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rag import lexicon
from rag.structure.assignments import PlanIndex, row_content
from rag.models import ClauseLevel, Corpus
from rag.structure.deadlines import NO_DEADLINE, Deadline
from rag.schedule.tasks import plan_tasks
from rag.text import fold

SCHOOL, FAMILY = "school", "family"
_SKIP = {ClauseLevel.FRONT, ClauseLevel.PREAMBLE, ClauseLevel.CLOSING, ClauseLevel.PART, ClauseLevel.GROUP,
         ClauseLevel.APPENDIX}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class ChecklistLine:
    section: str  # a Section key
    plan_id: str
    plan_name: str
    address: str
    text: str
    deadline: Deadline = NO_DEADLINE

    @property
    def citation(self) -> str:
        return f"{self.plan_name}, {self.address}"

    def to_dict(self) -> dict:
        return {"section": self.section, "plan_id": self.plan_id, "plan": self.plan_name, "clause": self.address,
                "text": self.text, "deadline": self.deadline.to_dict() if self.deadline.stated else None}


@dataclass(frozen=True)
class Checklist:
    audience: str  # school | family
    title: str
    sections: tuple[Section, ...]
    lines: tuple[ChecklistLine, ...]

    def in_section(self, key: str) -> list[ChecklistLine]:
        return [x for x in self.lines if x.section == key]

    def to_dict(self) -> dict:
        return {"audience": self.audience, "title": self.title,
                "sections": [{"key": s.key, "title": s.title, "lines": [x.to_dict() for x in self.in_section(s.key)]}
                             for s in self.sections]}


def _rx(phrases) -> re.Pattern:
    alts = sorted({p for p in phrases if p}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in alts) + r")\b")


@lru_cache(maxsize=1)
def _lex() -> dict:
    return lexicon.load("audiences")


def school_sections() -> tuple[Section, ...]:
    lex = _lex()
    levels = [Section(x["key"], x["title"], tuple(x["phrases"])) for x in lex["level"]]
    a = lex["all_schools"]
    return (Section(a["key"], a["title"], tuple(a["phrases"])), *levels)


def family_sections() -> tuple[Section, ...]:
    f = _lex()["family"]
    return (Section(f"{f['key']}-asked", "Các kế hoạch yêu cầu, khuyến khích gia đình", tuple(f["phrases"])),
            Section(f"{f['key']}-with", "Các cơ quan làm cùng hoặc cho gia đình", tuple(f["phrases"])))


def _units(corpus: Corpus, plan_ids):
    """(plan, clause address, words, deadline) for every leaf clause and appendix row."""
    for plan in corpus.plans:
        if plan_ids and plan.id not in plan_ids:
            continue
        idx = PlanIndex(plan)
        deadlines: dict[str, Deadline] = {}
        for t in plan_tasks(plan, idx):
            if t.deadline.stated and t.address not in deadlines:
                deadlines[t.address] = t.deadline
        for c in plan.clauses:
            if c.level in _SKIP or not idx.is_leaf(c):
                continue
            text = row_content(c) if c.level == ClauseLevel.ROW else c.text
            yield plan, c.address, text, deadlines.get(c.address, NO_DEADLINE)


def school_checklist(corpus: Corpus, plan_ids: list[str] | None = None) -> Checklist:
    lex = _lex()
    sections = school_sections()
    not_school = _rx(lex["all_schools"]["not_school"])
    patterns = [(s, _rx(s.phrases)) for s in sections]
    lines = []
    for plan, address, text, deadline in _units(corpus, plan_ids):
        key = not_school.sub(" ", fold(text))
        hits = [s for s, rx in patterns if rx.search(key)]
        levels = [s for s in hits if s.key != sections[0].key]
        for s in levels or hits[:1]:  # a named level wins over "nhà trường" in general
            lines.append(ChecklistLine(s.key, plan.id, plan.info.short_name, address, text, deadline))
    return Checklist(SCHOOL, "Việc nhà trường cần làm theo các kế hoạch", sections, tuple(lines))


def family_checklist(corpus: Corpus, plan_ids: list[str] | None = None) -> Checklist:
    f = _lex()["family"]
    asked, done_with = family_sections()
    family = _rx(f["phrases"])
    asks = _rx(f["asks"])
    lines = []
    for plan, address, text, deadline in _units(corpus, plan_ids):
        key = fold(text)
        m = family.search(key)
        if not m:
            continue
        # asked of families when an asking word comes before the family is named ("Khuyến khích các gia đình …")
        section = asked if asks.search(key[:m.start()]) else done_with
        lines.append(ChecklistLine(section.key, plan.id, plan.info.short_name, address, text, deadline))
    return Checklist(FAMILY, "Các kế hoạch đề nghị gia đình", (asked, done_with), tuple(lines))


def checklist(corpus: Corpus, audience: str, plan_ids: list[str] | None = None) -> Checklist:
    if audience == SCHOOL:
        return school_checklist(corpus, plan_ids)
    if audience == FAMILY:
        return family_checklist(corpus, plan_ids)
    raise ValueError(f"unknown audience {audience!r} (school | family)")
