"""What a composer is given (``Context``), what it gives back (``Composed`` lines, an
``Abstention``, or None when it has nothing to say), and the ``Composer`` protocol itself."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from rag.answer.citations import Citations, ClauseLabels
from rag.answer.evidence import best_segments, has_value
from rag.answer.ranked import RankedClause
from rag.models import Clause, ClauseLevel, Corpus
from rag.retrieval.analysis import QuestionAnalysis
from rag.retrieval.hybrid import SearchResult


@dataclass
class Context:
    analysis: QuestionAnalysis
    result: SearchResult
    ranked: list[RankedClause]
    cited: Citations
    labels: ClauseLabels
    corpus: Corpus
    measures: dict = field(default_factory=dict)  # what the evidence gate measured (for reports)
    ignored_injection: bool = False

    @property
    def question(self) -> str:
        """The words to match clauses against: the question, completed from the conversation,
        without the words that name plans (scope, not content)."""
        return self.analysis.search_text

    def short(self, plan_id: str) -> str:
        return self.corpus.plan(plan_id).info.short_name

    def plans_asked(self) -> list[str]:
        """The plans the question names (or carries), else every plan searched."""
        return list(self.result.scope.or_searched(self.result.plan_ids))

    def scoped_plans(self) -> list[str]:
        """The plans the question is about: named (or carried), else those the best hits are from."""
        scope = self.result.scope
        plan_ids = list(scope.plan_ids) or list(dict.fromkeys(r.plan_id for r in self.ranked[:3]))
        if set(self.result.plan_ids) != set(self.corpus.plan_ids):
            plan_ids = [p for p in plan_ids if p in self.result.plan_ids] or list(self.result.plan_ids)
        return plan_ids

    def line(self, plan_id: str, clause: Clause, whole: bool = False) -> str:
        """One cited line: who (when known) and the verbatim words of the clause (the pieces
        that match the question when the clause is long, unless ``whole``)."""
        short = 100_000 if whole else 420
        mark = self.cited.mark(plan_id, clause)
        value = self.analysis.value
        prefer = (lambda piece: has_value(piece, value)) if value else None  # the piece that states the value asked
        if clause.level is ClauseLevel.ROW:
            return (f"{self.labels.row_roles(clause)} — nhiệm vụ "
                    f"«{best_segments(self.question, self.labels.content(clause), short=short, prefer=prefer)}» {mark}")
        label = self.labels.agency_label(plan_id, clause)
        quote = best_segments(self.question, clause.text, short=short, prefer=prefer)
        return f"{label}: «{quote}» {mark}" if label else f"«{quote}» {mark}"


@dataclass(frozen=True)
class Abstention:
    """Why the plans do not answer, and the clauses nearby to show (not answering)."""

    message: str
    related: tuple[RankedClause, ...] = ()
    reason: str = ""  # a short English tag for logs and reports


@dataclass
class Composed:
    lines: list[str] = field(default_factory=list)


class Composer(Protocol):
    """Writes the answer to the questions it is registered for (``rag.answer.composers.registry``)."""

    def compose(self, ctx: Context) -> Composed | Abstention | None:
        """The answer's lines, why the plans do not answer, or None: nothing to say (the next
        composer tries)."""
