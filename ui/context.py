"""What every tab of the page is built with: one small typed context instead of state hung on the
Gradio object. ``PlanView`` is the corpus the page shows, refreshed after a plan is added."""
from __future__ import annotations

import threading
from dataclasses import dataclass

from rag.structure.assignments import PlanIndex
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


class PlanView:
    """The plans the page shows: always the loader's current plan list (``AssistantLoader.current``,
    which reloads after a plan is added or removed anywhere), with the clause indexes of the sources
    panels rebuilt when that list changes. ``indexes`` is one dict, updated in place, so every tab that
    holds it sees a reload."""

    def __init__(self, loader: AssistantLoader) -> None:
        self.loader = loader
        self._indexes: dict[str, PlanIndex] = {}
        self._version: int | None = None
        self._lock = threading.Lock()

    def _sync(self) -> Corpus:
        corpus = self.loader.current()
        with self._lock:
            if self._version != self.loader.version or set(self._indexes) != set(corpus.plan_ids):
                self._indexes.clear()
                self._indexes.update({p.id: PlanIndex(p) for p in corpus.plans})
                self._version = self.loader.version
        return corpus

    @property
    def corpus(self) -> Corpus:
        return self._sync()

    @property
    def indexes(self) -> dict[str, PlanIndex]:
        self._sync()
        return self._indexes

    @property
    def version(self) -> int:
        """One more each time the plan list changed (a session compares it with the one it shows)."""
        self._sync()
        return self.loader.version


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
