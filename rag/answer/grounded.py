"""The default answerer: no LLM, no network, and every sentence a user reads is a cited
clause of a plan (quoted verbatim) or a fixed frame around it ("Theo …", "Chủ trì: …").

It takes the question's analysis (``rag.retrieval.analysis``), ranks the clauses found,
lets one composer per kind of question write the answer (``rag.answer.composers``), and lets
the evidence gate (``rag.answer.gate``) refuse when the clauses do not hold what is asked.
A refusal says what the plans do say nearby.
"""
from __future__ import annotations

import logging
import re

from rag.structure.assignments import PlanIndex, involves
from rag.answer.base import Answerer, plans_listing
from rag.answer.citations import Citations, ClauseLabels
from rag.answer.composers.base import Abstention, Composed, Context
from rag.answer.composers.distress import DistressComposer
from rag.answer.composers.registry import ComposerRegistry, Stage, default_registry
from rag.answer.evidence import best_segments
from rag.answer.gate import EvidenceGate, GateSettings
from rag.answer.ranked import RankedClause
from rag.models import Answer, Clause, ClauseLevel, Corpus
from rag.retrieval.analysis import Kind, QuestionAnalysis, QuestionAnalyzer
from rag.retrieval.cues import cues
from rag.retrieval.hybrid import SearchResult
from rag.retrieval.lookup import names_decision
from rag.retrieval.scope import PlanScoper
from rag.text import fold

log = logging.getLogger(__name__)

_INJECTION_ONLY_WORDS = 3
_WHO_FLOOR = 0.75  # a "who" clause close to the best hit goes first
_ABOUT_PLAN = (ClauseLevel.PREAMBLE, ClauseLevel.FRONT)


def strip_injection(question: str) -> str:
    """The question without the sentences that try to change the assistant's instructions."""
    sentences = re.split(r"(?<=[.!?;\n])\s+", question)
    injection = cues("injection")
    return " ".join(s for s in sentences if not injection(fold(s))).strip()


class GroundedAnswerer(Answerer):
    name = "default"

    def __init__(self, corpus: Corpus, gate: GateSettings | None = None, lexical=None,
                 composers: ComposerRegistry | None = None) -> None:
        self.corpus = corpus
        self.labels = ClauseLabels(corpus, {p.id: PlanIndex(p) for p in corpus.plans})
        self.scoper = PlanScoper.for_corpus(corpus)
        self.analyzer = QuestionAnalyzer(self.scoper)
        places = {s for p in corpus.plans for name in (p.info.province, *p.info.aliases) for s in fold(name).split()}
        self.gate = EvidenceGate(gate, places, lexical)
        self.composers = composers or default_registry()
        self.distress = DistressComposer()

    # kept for the LLM answerer and the page: one place says who a clause is for
    def clause(self, plan_id: str, address: str) -> Clause:
        return self.labels.clause(plan_id, address)

    def who_line(self, plan_id: str, clause: Clause) -> str:
        return self.labels.who_line(plan_id, clause)

    # --- ranking ---------------------------------------------------------------------------

    def _ranked(self, result: SearchResult, a: QuestionAnalysis) -> list[RankedClause]:
        ranked = [RankedClause(h.passage.plan_id, self.clause(h.passage.plan_id, h.passage.clause), h)
                  for h in result.hits]
        if a.front and a.kind is not Kind.FRONT_MATTER:  # the basis and period are in the opening paragraph
            # of the opening paragraphs, the one naming the decision carried out ("Thực hiện Quyết định …")
            # before the one that only says the plan is issued
            ranked.sort(key=lambda r: (r.clause.level is not ClauseLevel.PREAMBLE, not names_decision(r.clause.text)))
            return ranked
        if not a.front:  # the opening paragraph and the front matter answer only about the plan itself
            ranked.sort(key=lambda r: r.clause.level in _ABOUT_PLAN)
        if a.subjects:
            # the asked agency's own clauses first, and those naming it at work beside another ("Chủ trì,
            # phối hợp với Đoàn TNCS …" answers "có phải Đoàn chủ trì …?"); stable, so the ranker's order holds
            # within each group
            asked = set(a.subjects)
            ranked.sort(key=lambda r: not (involves(r.clause, asked)
                                           or asked & self.labels.indexes[r.plan_id].named_in(r.clause)))
            if a.partners_named:  # "Công an … phối hợp với Viện kiểm sát để làm gì": its own work naming them
                partners = set(a.partners_named)
                ranked.sort(key=lambda r: not (involves(r.clause, asked)
                                               and partners & self.labels.indexes[r.plan_id].named_in(r.clause)))
        elif a.kind is Kind.AGENCY and ranked:
            # "who does it" is answered by a clause that names who: a "Tổ chức thực hiện" clause or an
            # appendix row, when it scores close to the best hit
            floor = _WHO_FLOOR * ranked[0].score
            head = [r for r in ranked[:3] if r.score >= floor]
            head.sort(key=lambda r: not self.labels.has_who(r.plan_id, r.clause))
            ranked = head + ranked[len(head):]
        return ranked

    # --- answers ---------------------------------------------------------------------------

    def _abstain(self, ctx: Context, why: Abstention, preface: list[str] = ()) -> Answer:
        """``preface``: lines that stand before the refusal (what to do at once)."""
        cited = ctx.cited
        cited.items.clear()
        lines = [*preface, why.message]
        if why.reason == "off-topic":
            lines[-1] += f" Tôi chỉ trả lời theo các kế hoạch hiện có: {plans_listing(self.corpus)}."
        if why.related:
            lines.append("Các điều khoản liên quan (không trả lời trực tiếp câu hỏi):")
            for r in why.related:
                lines.append(f"- {self.corpus.plan(r.plan_id).info.short_name}, {r.clause.address}: "
                             f"«{best_segments(ctx.question, r.clause.text, keep=1, short=260)}» "
                             f"{cited.mark(r.plan_id, r.clause)}")
        lines += self._notes(ctx.analysis, abstained=True)
        log.info("abstained (%s)", why.reason or "no reason")
        return Answer(ctx.analysis.question, "\n".join(lines), True, tuple(cited.items), ctx.result.hits, 0.0,
                      self.name, evidence={**ctx.measures, "reason": why.reason})

    def _notes(self, a: QuestionAnalysis, abstained: bool = False, cited=()) -> list[str]:
        notes = []
        if a.understood:
            notes.append(f"(Hiểu là: {a.understood}.)")
        if a.english:
            plans = ", ".join(dict.fromkeys(c.short_name for c in cited))
            gloss = ("The plans do not state this." if abstained else
                     f"Answered from {plans}, clauses {', '.join(c.clause for c in cited)}; quotes are the plan's own "
                     f"Vietnamese words.")
            notes.append(f"(English: {gloss})")
        return notes

    def answer(self, question: str, result: SearchResult, analysis: QuestionAnalysis | None = None) -> Answer:
        a = analysis or self.analyzer.read(question)
        ctx = Context(a, result, [], Citations(self.corpus), self.labels, self.corpus)
        if a.injection:
            rest = strip_injection(a.text)
            if len(rest.split()) < _INJECTION_ONLY_WORDS:
                text = ("Tôi chỉ trả lời câu hỏi về nội dung các kế hoạch bảo vệ trẻ em trên môi trường mạng, "
                        "kèm trích dẫn điều khoản; tôi không thay đổi cách làm việc theo yêu cầu trong câu hỏi. "
                        "Hãy hỏi về kế hoạch, ví dụ: «Sở Giáo dục và Đào tạo phải làm gì?»")
                return Answer(a.question, text, True, (), result.hits, 0.0, self.name, evidence={"reason": "injection"})
            from dataclasses import replace

            a = replace(self.analyzer.read(rest), question=a.question, understood=a.understood, carried=a.carried)
            ctx.analysis = a
            ctx.ignored_injection = True
        scope = result.scope
        if scope.elsewhere:
            places = ", ".join(scope.unknown_places)
            return self._abstain(ctx, Abstention(
                f"Kho tài liệu không có kế hoạch của {places}, nên không thể trả lời theo kế hoạch đó (không suy ra "
                f"từ kế hoạch của tỉnh khác). Các kế hoạch hiện có: {plans_listing(self.corpus)}.", (), "no-plan"))
        if not result.hits:
            return self._abstain(ctx, Abstention("Các kế hoạch không có nội dung liên quan đến câu hỏi này. "
                                                 f"Các kế hoạch hiện có: {plans_listing(self.corpus)}.", (), "no-hits"))
        ctx.ranked = self._ranked(result, a)
        preface = self.distress.compose(ctx)
        outcome = self._compose(ctx)
        if isinstance(outcome, Abstention):
            return self._abstain(ctx, outcome, preface)
        lines = [*preface, *outcome.lines]
        if not ctx.cited.items:
            return self._abstain(ctx, Abstention("Các kế hoạch không có điều khoản trả lời câu hỏi này.", (), "no-cite"))
        notes = []
        if ctx.ignored_injection:
            notes.append("(Phần yêu cầu thay đổi cách trả lời trong câu hỏi đã được bỏ qua.)")
        notes += self._notes(a, cited=ctx.cited.items)
        return Answer(a.question, "\n".join([*lines, *notes]), False, tuple(ctx.cited.items), result.hits, 0.0,
                      self.name, tuple(notes), evidence=ctx.measures)

    def _compose(self, ctx: Context) -> Composed | Abstention:
        a = ctx.analysis
        for composer in self.composers.composers(Stage.STRUCTURE, a):
            outcome = composer.compose(ctx)
            if outcome is not None:
                return outcome
        measures = self.gate.measure(ctx, ctx.ranked[:1], self.scoper, support=False)
        ctx.measures = measures.to_dict()
        off = self.gate.agency_absent(ctx) or self.gate.off_topic(ctx, measures)
        if off is not None:
            return off
        for composer in self.composers.composers(Stage.FOCUS, a):
            outcome = composer.compose(ctx)
            if outcome is not None:
                return outcome
        lines: list[str] = []
        premise = None
        for composer in self.composers.composers(Stage.PREMISE, a):
            premise = composer.compose(ctx)
            if premise is not None:
                lines += premise.lines
                break
        for composer in self.composers.composers(Stage.ANSWER, a, fallback=premise is None):
            outcome = composer.compose(ctx)
            if isinstance(outcome, Abstention):
                return outcome
            if outcome is not None:
                lines += outcome.lines
                break
        cited = [r for r in ctx.ranked if any(c.plan_id == r.plan_id and c.clause == r.clause.address
                                              for c in ctx.cited.items)]
        measures = self.gate.measure(ctx, cited or ctx.ranked[:1], self.scoper)
        ctx.measures = measures.to_dict()
        refused = self.gate.unsupported(ctx, measures, cited or ctx.ranked[:2])
        if refused is not None and premise is None:
            return refused
        return Composed(lines)
