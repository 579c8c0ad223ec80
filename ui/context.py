"""What every tab of the page is built with: one small typed context instead of state hung on the
Gradio object. ``PlanView`` is the corpus the page shows, refreshed after a plan is added."""
from __future__ import annotations

from dataclasses import dataclass, field

from rag.answer.assignments import PlanIndex
from rag.config import Settings
from rag.models import Corpus
from rag.storage import Database
from ui.access import Access, Wiring
from ui.exports import CsvExports
from ui.feedback import ChatFeedback
from ui.gate import AnswerGate
from ui.loader import AssistantLoader


def plan_choices(corpus: Corpus) -> list[tuple[str, str]]:
    """The label a plan has in every plan list of the page, with its id as the value."""
    return [(f"{p.info.short_name} ({p.info.province}, {p.info.period})", p.id) for p in corpus.plans]


def agencies_named(corpus: Corpus) -> set[str]:
    """The keys of every agency some clause of the corpus names."""
    return {k for c in corpus.clauses() for k in (*c.agency, *c.lead_agencies, *c.partner_agencies)}


@dataclass
class PlanView:
    """The corpus the page lists and the clause indexes its sources panels use. ``indexes`` is
    one dict, updated in place, so every tab that holds it sees a reload."""

    corpus: Corpus
    indexes: dict[str, PlanIndex] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.indexes:
            self.indexes.update({p.id: PlanIndex(p) for p in self.corpus.plans})

    def reload(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.indexes.clear()
        self.indexes.update({p.id: PlanIndex(p) for p in corpus.plans})


@dataclass
class PageContext:
    settings: Settings
    loader: AssistantLoader
    access: Access
    gate: AnswerGate
    db: Database
    feedback: ChatFeedback
    exports: CsvExports
    plans: PlanView
    wire: Wiring
    llm_ok: bool
    llm_why: str
