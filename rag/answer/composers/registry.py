"""Which composers answer which questions: a question kind (and the attribute asked) → the
composers to try, in order. The answerer (``rag.answer.grounded``) runs three stages:

  * ``Stage.STRUCTURE``: answered from the plan's structure (a clause address, the front matter,
    an agency's duties); the evidence gate does not apply. None: the next stages answer.
  * ``Stage.FOCUS``: after the off-topic check, narrows or reorders the evidence (``ctx.ranked``),
    or finds that none of it holds what is asked (an ``Abstention``).
  * ``Stage.PREMISE``: a correction of what the question wrongly assumes; it leads the answer,
    and then neither the fallback nor the support check applies (the correction is the answer).
  * ``Stage.ANSWER``: writes the answer; the first composer that returns something wins, the
    fallback (plain content) last. The evidence gate's support check follows.

A new kind of answer is a new composer registered here, not a branch in the answerer.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

from rag.answer.composers.base import Composer
from rag.retrieval.analysis import Attribute, Kind, QuestionAnalysis


class Stage(enum.Enum):
    STRUCTURE = "structure"
    FOCUS = "focus"
    PREMISE = "premise"
    ANSWER = "answer"


@dataclass
class ComposerRegistry:
    fallback: Composer | None = None
    _by_kind: dict[tuple[Stage, Kind], list[Composer]] = field(default_factory=dict)
    _by_attribute: dict[tuple[Stage, Attribute], list[Composer]] = field(default_factory=dict)

    def register(self, composer: Composer, stage: Stage = Stage.ANSWER, kinds: tuple[Kind, ...] = (),
                 attributes: tuple[Attribute, ...] = ()) -> Composer:
        """``composer`` answers, at ``stage``, the questions of any of ``kinds`` or asking any of
        ``attributes``."""
        for kind in kinds:
            self._by_kind.setdefault((stage, kind), []).append(composer)
        for attribute in attributes:
            self._by_attribute.setdefault((stage, attribute), []).append(composer)
        return composer

    def composers(self, stage: Stage, analysis: QuestionAnalysis, fallback: bool = False) -> list[Composer]:
        """The composers for ``analysis`` at ``stage``, in order: those of its kind, then those of
        its attribute, then (``fallback``) the plain content composer; each once."""
        found = [*self._by_kind.get((stage, analysis.kind), ()), *self._by_attribute.get((stage, analysis.attribute), ())]
        if fallback and self.fallback is not None:
            found.append(self.fallback)
        return list({id(c): c for c in found}.values())


def default_registry() -> ComposerRegistry:
    from rag.answer.composers.address import AddressComposer
    from rag.answer.composers.comparison import ComparisonComposer
    from rag.answer.composers.content import ContentComposer
    from rag.answer.composers.deadline import DeadlineFocusComposer
    from rag.answer.composers.documents import DocumentsComposer
    from rag.answer.composers.duties import DutiesComposer
    from rag.answer.composers.front_matter import FrontMatterComposer
    from rag.answer.composers.goal import GoalComposer
    from rag.answer.composers.plans import PlansComposer
    from rag.answer.composers.premise import RolePremiseComposer
    from rag.answer.composers.section import SectionComposer
    from rag.answer.composers.value import ValueComposer
    from rag.answer.composers.who import WhoComposer

    registry = ComposerRegistry(fallback=ContentComposer())
    registry.register(AddressComposer(), Stage.STRUCTURE, kinds=(Kind.ADDRESS,))
    registry.register(FrontMatterComposer(), Stage.STRUCTURE, kinds=(Kind.FRONT_MATTER,))
    registry.register(PlansComposer(), Stage.STRUCTURE, kinds=(Kind.PLANS,))
    registry.register(DutiesComposer(), Stage.STRUCTURE, kinds=(Kind.DUTIES,))
    registry.register(ValueComposer(), Stage.FOCUS, kinds=(Kind.VALUE,))
    registry.register(GoalComposer(), Stage.FOCUS, kinds=(Kind.CONTENT,))
    registry.register(SectionComposer(), Stage.FOCUS, kinds=(Kind.CONTENT,))
    registry.register(DeadlineFocusComposer(), Stage.FOCUS, attributes=(Attribute.DEADLINE,))
    registry.register(RolePremiseComposer(), Stage.PREMISE, kinds=tuple(Kind))
    registry.register(ComparisonComposer(), Stage.ANSWER, kinds=(Kind.COMPARISON,))
    registry.register(WhoComposer(), Stage.ANSWER, kinds=(Kind.AGENCY,),
                      attributes=(Attribute.PARTNERS, Attribute.DEADLINE))
    registry.register(DocumentsComposer(), Stage.ANSWER, attributes=(Attribute.DOCUMENTS,))
    return registry
