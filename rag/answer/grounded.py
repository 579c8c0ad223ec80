"""The default answerer: no LLM, no network, and every sentence a user reads is a cited
clause of a plan (quoted verbatim) or a fixed frame around it ("Theo …", "Chủ trì: …").

It reads what the question asks (``intent``), checks the evidence it can measure
(``evidence``), and answers in the shape that fits:
  * who does it → the agency from the "Tổ chức thực hiện" heading or the appendix row
    (lead, partners, deadline), each cited; one line per plan when plans differ;
  * everything an agency / schools must do → every such clause of the plan(s), grouped;
  * a value (number with unit, money, percent, date, name) → the clause that states it,
    or "the plan does not state it" with the related clauses labelled as such;
  * comparison → one part per plan, then what only one of them says;
  * a wrong premise ("X only cooperates") → the correction, cited.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rag.answer.assignments import PARTNER, PlanIndex, assignments, names_as_subject, row_content
from rag.answer.base import plans_listing
from rag.answer.evidence import (best_segments, bigram_coverage, distinct_phrases, has_value, off_topic,
                                 value_match)
from rag.answer.intent import Intent, read_intent, strip_injection
from rag.models import Answer, Citation, Clause, Corpus, SearchHit
from rag.retrieval.hybrid import SearchResult
from rag.structure.agencies import agency_name
from rag.text import fold

_SCHOOL_TASK_RE = re.compile(r"\b(nha truong|truong hoc|truong pho thong|truong tieu hoc|cac truong|co so giao duc"
                             r"|giao vien|hoc sinh|mam non|hoc duong)\b")
_VALUE_LABEL = {"money": "số tiền hay mức phạt cụ thể", "percent": "tỷ lệ phần trăm cụ thể",
                "name": "tên cụ thể", "date": "thời điểm cụ thể"}


@dataclass
class _Cited:
    """Citations in the order their markers appear in the answer."""

    corpus: Corpus
    items: list[Citation]

    def mark(self, plan_id: str, clause: Clause) -> str:
        for i, c in enumerate(self.items, start=1):
            if c.plan_id == plan_id and c.clause == clause.address:
                return f"[{i}]"
        plan = self.corpus.plan(plan_id)
        self.items.append(Citation(plan_id=plan_id, clause=clause.address, path=" › ".join((plan.info.short_name, *clause.path)),
                                   text=clause.text, short_name=plan.info.short_name))
        return f"[{len(self.items)}]"


class GroundedAnswerer:
    name = "default"

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self._plans = {p.id: PlanIndex(p) for p in corpus.plans}
        self._place_syllables = {s for p in corpus.plans for name in (p.info.province, *p.info.aliases)
                                 for s in fold(name).split()}

    # --- clause helpers --------------------------------------------------------------------

    def clause(self, plan_id: str, address: str) -> Clause:
        return self._plans[plan_id].by_address[address]

    def agency_label(self, plan_id: str, clause: Clause) -> str:
        item = self._plans[plan_id].owner_item(clause)
        if item is None:
            return ""
        title = re.sub(r"^Đề nghị\s+", "", item.title).strip()
        if len(title) > 160:  # an item whose heading runs into its duty (Ninh Thuận IV.8)
            title = ", ".join(agency_name(k) for k in item.agency) or title[:160]
        return title

    @staticmethod
    def row_roles(clause: Clause, lead: str = "Chủ trì", partners: str = "phối hợp") -> str:
        """'Chủ trì: …; phối hợp: …; thời hạn: …' of an appendix row (the parts it states)."""
        parts = [f"{lead}: {clause.lead}" if clause.lead else "",
                 f"{partners}: {clause.partners}" if clause.partners else "",
                 f"thời hạn: {clause.deadline}" if clause.deadline else ""]
        return "; ".join(p for p in parts if p)

    def who_line(self, plan_id: str, clause: Clause) -> str:
        """'Cơ quan chủ trì: …; cơ quan phối hợp: …; thời hạn: …' or 'Cơ quan thực hiện: …' ('' if unknown)."""
        if clause.level == "row":
            return self.row_roles(clause, "Cơ quan chủ trì", "cơ quan phối hợp")
        label = self.agency_label(plan_id, clause)
        return f"Cơ quan thực hiện: {label}" if label else ""

    def _line(self, question: str, hit_plan: str, clause: Clause, cited: _Cited, whole: bool = False) -> str:
        """One cited line: who (when known) and the verbatim words of the clause (the pieces
        that match the question when the clause is long, unless ``whole``)."""
        short = 100_000 if whole else 420
        mark = cited.mark(hit_plan, clause)
        if clause.level == "row":
            return (f"{self.row_roles(clause)} — nhiệm vụ "
                    f"«{best_segments(question, row_content(clause), short=short)}» {mark}")
        label = self.agency_label(hit_plan, clause)
        quote = best_segments(question, clause.text, short=short)
        return f"{label}: «{quote}» {mark}" if label else f"«{quote}» {mark}"

    # --- choosing evidence -----------------------------------------------------------------

    @staticmethod
    def _matches_agency(clause: Clause, keys: tuple[str, ...]) -> bool:
        keys = set(keys)
        return bool(keys & set(clause.agency) or keys & set(clause.lead_agencies) or keys & set(clause.partner_agencies)
                    or names_as_subject(clause, keys))

    def _ranked(self, result: SearchResult, intent: Intent) -> list[tuple[str, Clause, SearchHit]]:
        hits = [(h.passage.plan_id, self.clause(h.passage.plan_id, h.passage.clause), h) for h in result.hits]
        if intent.about_plan:  # the plan's basis and period are stated in its opening paragraph
            hits.sort(key=lambda t: t[1].level != "preamble")
        elif intent.subjects:
            hits.sort(key=lambda t: not self._matches_agency(t[1], intent.subjects))  # stable
        elif intent.kind == "agency" and hits:
            # "who does it" is answered by a clause that names who: a "Tổ chức thực hiện" clause or an
            # appendix row, when it scores close to the best hit
            floor = 0.75 * hits[0][2].score
            head = [t for t in hits[:3] if t[2].score >= floor]
            head.sort(key=lambda t: not (t[1].level == "row" or self.agency_label(t[0], t[1])))
            hits = head + hits[len(head):]
        return hits

    # --- answer shapes ---------------------------------------------------------------------

    def _abstain(self, question: str, result: SearchResult, text: str, related=()) -> Answer:
        cited = _Cited(self.corpus, [])
        lines = [text]
        if related:
            lines.append("Các điều khoản liên quan (không trả lời trực tiếp câu hỏi):")
            for plan_id, clause, _ in related:
                lines.append(f"- {self.corpus.plan(plan_id).info.short_name}, {clause.address}: "
                             f"«{best_segments(question, clause.text, keep=1, short=260)}» {cited.mark(plan_id, clause)}")
        return Answer(question, "\n".join(lines), True, tuple(cited.items), result.hits, 0.0, self.name)

    def _duties(self, question: str, result: SearchResult, intent: Intent, cited: _Cited) -> list[str]:
        """Everything the named agency (or schools) must do, per plan, each clause cited in full."""
        plan_ids = list(result.scope.plan_ids) or list(dict.fromkeys(h.passage.plan_id for h in result.hits[:3]))
        if set(result.plan_ids) != set(self.corpus.plan_ids):
            plan_ids = [p for p in plan_ids if p in result.plan_ids] or list(result.plan_ids)
        keys = intent.subjects or (("so-gddt",) if intent.school else ())
        lines: list[str] = []
        for plan_id in plan_ids:
            found = [a for k in keys for a in assignments(self.corpus, k, [plan_id], self._plans)]
            seen = {a.clause.address for a in found}
            school = []
            if intent.school:
                idx = self._plans[plan_id]
                school = [c for c in idx.plan.clauses if idx.is_leaf(c) and c.address not in seen
                          and c.level not in ("part", "group", "appendix") and _SCHOOL_TASK_RE.search(fold(c.text))]
            if not (found or school):
                continue
            lines.append(f"Theo {self.corpus.plan(plan_id).info.short_name}:")
            doing = [a for a in found if a.role != PARTNER]
            helping = [a for a in found if a.role == PARTNER]
            lines += [f"- {self._line(question, plan_id, a.clause, cited, whole=True)}" for a in doing]
            if helping:
                lines.append("  Phối hợp thực hiện:")
                lines += [f"- {self._line(question, plan_id, a.clause, cited, whole=True)}" for a in helping]
            if school:
                lines.append("  Các nhiệm vụ khác có giao cho nhà trường, giáo viên, học sinh:")
                lines += [f"- {self._line(question, plan_id, c, cited, whole=True)}" for c in school]
        return lines

    @staticmethod
    def _per_plan(ranked, plan_ids, per_plan: int) -> dict[str, list]:
        """The best ``per_plan`` clauses of each plan, in ranking order."""
        chosen: dict[str, list] = {p: [] for p in plan_ids}
        for plan_id, clause, hit in ranked:
            if plan_id in chosen and len(chosen[plan_id]) < per_plan:
                chosen[plan_id].append(clause)
        return {p: cs for p, cs in chosen.items() if cs}

    def _comparison(self, question: str, ranked, plan_ids, intent: Intent, cited: _Cited) -> list[str]:
        chosen = self._per_plan(ranked, plan_ids, per_plan=2)
        lines = []
        for plan_id, clauses in chosen.items():
            top = clauses[:1]
            # comparing duties of an agency: its second clause in the same "Tổ chức thực hiện" item
            second = clauses[1] if len(clauses) > 1 else None
            if (second is not None and intent.subjects and second.level != "row" and second.parent == clauses[0].parent
                    and self._matches_agency(second, intent.subjects)):
                top = clauses[:2]
            lines.append(f"Theo {self.corpus.plan(plan_id).info.short_name}:")
            lines += [f"- {self._line(question, plan_id, c, cited)}" for c in top]
            chosen[plan_id] = top
        if len(chosen) >= 2:
            texts = {p: [row_content(c) for c in cs] for p, cs in chosen.items()}
            diffs = []
            for plan_id, own in texts.items():
                others = " ".join(t for p, ts in texts.items() if p != plan_id for t in ts)
                only = [phrase for text in own for phrase in distinct_phrases(text, others)][:3]
                if only:
                    quoted = "; ".join(f"«{o}»" for o in only)
                    diffs.append(f"- Chỉ {self.corpus.plan(plan_id).info.short_name} nêu: {quoted}.")
            if diffs:
                lines.append("Điểm khác nhau:")
                lines += diffs
        return lines

    def _premise(self, ranked, intent: Intent, cited: _Cited) -> str | None:
        """'X chỉ phối hợp' when the plan makes X lead (or the reverse): the correction."""
        if not intent.claimed_role or not intent.subjects:
            return None
        keys = set(intent.subjects)
        for plan_id, clause, _ in ranked[:5]:
            is_lead = bool(set(clause.lead_agencies) & keys) or (
                bool(set(clause.agency) & keys) and clause.level != "row" and fold(clause.text).startswith("chu tri"))
            is_partner = bool(set(clause.partner_agencies) & keys)
            names = ", ".join(agency_name(k) for k in intent.subjects)
            short = self.corpus.plan(plan_id).info.short_name
            if intent.claimed_role == "partner" and is_lead:
                return (f"Không đúng như câu hỏi nêu: theo {short}, {names} là cơ quan chủ trì, không chỉ phối hợp "
                        f"{cited.mark(plan_id, clause)}.")
            if intent.claimed_role == "lead" and is_partner and not is_lead:
                return (f"Không đúng như câu hỏi nêu: theo {short}, {names} là cơ quan phối hợp; "
                        f"cơ quan chủ trì là {clause.lead} {cited.mark(plan_id, clause)}.")
        return None

    # --- entry point -----------------------------------------------------------------------

    def answer(self, question: str, result: SearchResult) -> Answer:
        scope = result.scope
        intent = read_intent(question, len(scope.plan_ids))
        notes: list[str] = []
        if intent.injection:
            rest = strip_injection(question)
            if len(rest.split()) < 3:
                text = ("Tôi chỉ trả lời câu hỏi về nội dung các kế hoạch bảo vệ trẻ em trên môi trường mạng, "
                        "kèm trích dẫn điều khoản; tôi không thay đổi cách làm việc theo yêu cầu trong câu hỏi. "
                        "Hãy hỏi về kế hoạch, ví dụ: «Sở Giáo dục và Đào tạo Hà Nội phải làm gì?»")
                return Answer(question, text, True, (), result.hits, 0.0, self.name)
            notes.append("Phần yêu cầu thay đổi cách trả lời trong câu hỏi đã được bỏ qua.")
            intent = read_intent(rest, len(scope.plan_ids))
        if intent.english:
            notes.append("Câu hỏi bằng tiếng Anh; trợ lý trả lời bằng tiếng Việt theo nguyên văn kế hoạch.")

        if scope.unknown_places and not scope.plan_ids:
            places = ", ".join(scope.unknown_places)
            return self._abstain(question, result, f"Kho tài liệu không có kế hoạch của {places}, nên không thể trả lời "
                                 f"theo kế hoạch đó (không suy ra từ kế hoạch của tỉnh khác). Các kế hoạch hiện có: "
                                 f"{plans_listing(self.corpus)}.")
        if not result.hits:
            return self._abstain(question, result, "Các kế hoạch không có nội dung liên quan đến câu hỏi này. "
                                 f"Các kế hoạch hiện có: {plans_listing(self.corpus)}.")
        ranked = self._ranked(result, intent)
        cited = _Cited(self.corpus, [])
        lines: list[str] = []
        if intent.kind == "duties":
            lines += self._duties(question, result, intent, cited)
            if not lines and intent.subjects and scope.plan_ids:
                names = ", ".join(agency_name(k) for k in intent.subjects)
                plans = ", ".join(self.corpus.plan(p).info.short_name for p in scope.plan_ids)
                return self._abstain(question, result, f"{plans} không giao nhiệm vụ nào cho {names}.",
                                     related=ranked[:2])

        top_bm25 = max(result.lexical_scores.values(), default=0.0)
        top_cos = max(result.dense_scores.values(), default=0.0)
        coverage = bigram_coverage(question, result.hits[0].passage.embed_text, self._place_syllables)
        if off_topic(top_bm25, top_cos, coverage, intent.english):
            return self._abstain(question, result, "Các kế hoạch không đề cập nội dung này. Tôi chỉ trả lời theo các "
                                 f"kế hoạch hiện có: {plans_listing(self.corpus)}.")

        if intent.value:
            evidence = ranked[:3]
            if not any(has_value(c.text, intent.value) for _, c, _ in evidence):
                label = _VALUE_LABEL.get(intent.value, f"con số cụ thể ({intent.value.split(':', 1)[-1]})")
                plans = ", ".join(dict.fromkeys(self.corpus.plan(p).info.short_name for p, _, _ in evidence))
                return self._abstain(question, result, f"Kế hoạch ({plans}) không nêu {label} cho nội dung này.",
                                     related=evidence[:2])
            # the clause whose value-stating sentence best matches the question (ties: retrieval order)
            head = sorted(ranked[:3], key=lambda t: -value_match(question, t[1].text, intent.value))
            ranked = head + ranked[3:]

        premise = self._premise(ranked, intent, cited)
        if premise:
            lines.insert(0, premise)
        if not lines or (premise and len(lines) == 1):
            if intent.kind == "comparison" and len(scope.plan_ids) >= 2:
                lines += self._comparison(question, ranked, list(scope.plan_ids), intent, cited)
            else:
                lines += self._direct(question, ranked, intent, cited, result)

        if not cited.items:
            return self._abstain(question, result, "Các kế hoạch không có điều khoản trả lời câu hỏi này.")
        text = "\n".join([*lines, *(f"({n})" for n in notes)])
        return Answer(question, text, False, tuple(cited.items), result.hits, 0.0, self.name, tuple(notes))

    def _direct(self, question: str, ranked, intent: Intent, cited: _Cited, result: SearchResult) -> list[str]:
        """The best clause, plus (at most two more): the responsible agency's clause when the best
        one only states the task, and another plan's close clause when no plan was named."""
        plan_id, clause, hit = ranked[0]
        short = self.corpus.plan(plan_id).info.short_name
        lines = [f"Theo {short}, {clause.address}: {self._line(question, plan_id, clause, cited)}"]
        wants_who = intent.asks_who or intent.kind == "agency"
        has_who = clause.level == "row" or bool(self.agency_label(plan_id, clause))
        extra = 0
        for other_plan, other, other_hit in ranked[1:6]:
            if extra >= 2:
                break
            if wants_who and not has_who and other_plan == plan_id and (
                    other.level == "row" or self.agency_label(other_plan, other)):
                lines.append(f"Cơ quan thực hiện ({other.address}): {self._line(question, other_plan, other, cited)}")
                has_who, extra = True, extra + 1
            elif not result.scope.plan_ids and other_plan != plan_id and other_hit.score >= 0.85 * hit.score:
                other_short = self.corpus.plan(other_plan).info.short_name
                lines.append(f"Theo {other_short}, {other.address}: {self._line(question, other_plan, other, cited)}")
                extra += 1
        return lines
