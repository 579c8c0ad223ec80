"""Plain data passed between the stages: corpus → structure → index → retrieval → answer.

Every stage takes and returns these small frozen dataclasses, never loose dicts.
"""
from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rag.structure.coverage import Coverage


class ClauseLevel(str, enum.Enum):
    """What kind of node a clause is (a ``str`` enum: ``ClauseLevel.ROW == "row"``)."""

    FRONT = "front"  # the plan's number, date, issuer, signer, recipients
    PREAMBLE = "preamble"  # an opening paragraph, before part I
    PART = "part"
    ITEM = "item"
    SUBITEM = "subitem"
    POINT = "point"
    BULLET = "bullet"
    PARAGRAPH = "paragraph"  # an un-numbered paragraph under a numbered clause
    CLOSING = "closing"
    APPENDIX = "appendix"
    GROUP = "group"  # a group of appendix rows ("I.", "II." …)
    ROW = "row"  # one task of the appendix table: content, lead, partners, deadline

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class PlanInfo:
    """One entry of ``corpus/plans.toml``: what the plan is, not what it says."""

    id: str
    file: str
    title: str
    short_name: str
    issuer: str = ""
    number: str = ""
    date: str = ""
    decision: str = ""
    period: str = ""
    province: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Clause:
    """One addressable node of a plan's clause tree.

    ``text`` is the clause's own text (not its children's), whitespace-normalised but
    otherwise verbatim, so that a quote from the plan is a substring of it.
    ``span`` is the (start, end) character range in the NFC-normalised source file.
    """

    plan_id: str
    address: str
    level: ClauseLevel
    number: str
    title: str
    path: tuple[str, ...]
    text: str
    span: tuple[int, int]
    parent: str | None = None
    agency: tuple[str, ...] = ()
    lead: str | None = None
    partners: str | None = None
    deadline: str | None = None
    lead_agencies: tuple[str, ...] = ()
    partner_agencies: tuple[str, ...] = ()

    @property
    def is_row(self) -> bool:
        return self.level is ClauseLevel.ROW

    def to_dict(self) -> dict:
        d = asdict(self)
        d["level"] = self.level.value
        d["path"] = list(self.path)
        d["span"] = list(self.span)
        for key in ("agency", "lead_agencies", "partner_agencies"):
            d[key] = list(d[key])
        if not self.is_row:
            for key in ("lead", "partners", "deadline", "lead_agencies", "partner_agencies"):
                d.pop(key)
        return d


@dataclass(frozen=True)
class PlanDocument:
    """A parsed plan: its manifest entry, its clauses in document order, and the
    metadata read from its front matter and signature block (not clauses to answer from)."""

    info: PlanInfo
    clauses: tuple[Clause, ...]
    source_sha256: str
    front_matter: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    signer: str = ""
    signer_title: str = ""
    number: str = ""
    date: str = ""
    coverage: "Coverage | None" = field(default=None, compare=False, repr=False)  # which clause took each line

    @property
    def id(self) -> str:
        return self.info.id

    def clause(self, address: str) -> Clause:
        for c in self.clauses:
            if c.address == address:
                return c
        raise KeyError(address)

    @property
    def opening(self) -> Clause | None:
        """The opening paragraph ("Thực hiện Quyết định số …"): the basis and period of the plan."""
        return next((c for c in self.clauses if c.level is ClauseLevel.PREAMBLE), None)

    def children(self, address: str | None) -> list[Clause]:
        return [c for c in self.clauses if c.parent == address]

    def descendants(self, address: str) -> list[Clause]:
        prefix_parents = {address}
        out = []
        for c in self.clauses:
            if c.parent in prefix_parents:
                out.append(c)
                prefix_parents.add(c.address)
        return out


@dataclass(frozen=True)
class PlanLoadError:
    """Why one plan could not be loaded; the others still load."""

    plan_id: str
    file: str
    message: str
    info: PlanInfo | None = None  # its manifest entry, so a question about its province is told it failed

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


@dataclass(frozen=True)
class Corpus:
    """All plans that loaded, and the errors of those that did not."""

    plans: tuple[PlanDocument, ...]
    errors: tuple[PlanLoadError, ...] = ()
    content_hash: str = ""

    def plan(self, plan_id: str) -> PlanDocument:
        for p in self.plans:
            if p.id == plan_id:
                return p
        raise KeyError(plan_id)

    @property
    def plan_ids(self) -> list[str]:
        return [p.id for p in self.plans]

    def clauses(self):
        for p in self.plans:
            yield from p.clauses


@dataclass(frozen=True)
class Passage:
    """What is indexed: one clause (or a few short sibling bullets) with its context.

    ``text`` is verbatim clause text for citation; ``embed_text`` adds the plan short name
    and heading path for the embedder and the lexical index.
    """

    id: int
    plan_id: str
    clause: str
    path: tuple[str, ...]
    text: str
    embed_text: str
    addresses: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class SearchHit:
    rank: int
    passage: Passage
    score: float

    def to_dict(self) -> dict:
        return {
            "rank": self.rank,
            "plan_id": self.passage.plan_id,
            "clause": self.passage.clause,
            "path": " › ".join(self.passage.path),
            "text": self.passage.text,
            "score": round(float(self.score), 6),
        }


@dataclass(frozen=True)
class Citation:
    plan_id: str
    clause: str
    path: str
    text: str
    short_name: str = ""

    def to_dict(self) -> dict:
        return {"plan_id": self.plan_id, "clause": self.clause, "path": self.path, "text": self.text}


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    abstained: bool
    citations: tuple[Citation, ...]
    retrieved: tuple[SearchHit, ...]
    latency_ms: float
    answerer: str = "default"
    notes: tuple[str, ...] = ()
    evidence: dict = field(default_factory=dict)  # what the evidence gate measured, and why it refused

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "retrieved": [h.to_dict() for h in self.retrieved],
            "latency_ms": round(self.latency_ms, 2),
            "evidence": self.evidence,
        }
