"""Clauses a question names outright go first: the clause at the address it gives ("mục II.5")
with the clauses under it, and the front matter it asks about (number, date, signer …).
Search still ranks everything else after them."""
from __future__ import annotations

from dataclasses import replace

from rag import lexicon
from rag.models import ClauseLevel, Corpus, SearchHit
from rag.retrieval.address import resolve
from rag.retrieval.analysis import FrontField, QuestionAnalysis
from rag.retrieval.cues import cues
from rag.retrieval.hybrid import SearchResult
from rag.structure.parser import FRONT_FIELDS
from rag.text import fold

_FRONT_ADDRESS = {FrontField.NUMBER: FRONT_FIELDS["number"][0], FrontField.DATE: FRONT_FIELDS["date"][0],
                  FrontField.ISSUER: FRONT_FIELDS["issuer"][0], FrontField.SIGNER: FRONT_FIELDS["signer"][0],
                  FrontField.RECIPIENTS: FRONT_FIELDS["recipients"][0]}


def front_address(field: FrontField) -> str | None:
    return _FRONT_ADDRESS.get(field)


_BY_CLAUSE: dict[int, tuple[object, dict]] = {}  # id(index) -> (index, map): built once per loaded index


def _passages_by_clause(index) -> dict[tuple[str, str], list]:
    cached = _BY_CLAUSE.get(id(index))
    if cached is not None and cached[0] is index:
        return cached[1]
    out: dict[tuple[str, str], list] = {}
    for p in index.passages:
        for address in p.addresses or (p.clause,):
            out.setdefault((p.plan_id, address), []).append(p)
    if len(_BY_CLAUSE) > 8:
        _BY_CLAUSE.clear()
    _BY_CLAUSE[id(index)] = (index, out)
    return out


def named_clauses(analysis: QuestionAnalysis, corpus: Corpus, plan_ids) -> list[tuple[str, str]]:
    """(plan id, address) of the clauses the question names, best first."""
    out: list[tuple[str, str]] = []
    for plan_id in plan_ids:
        plan = corpus.plan(plan_id)
        if analysis.address is not None:
            for clause in resolve(analysis.address, plan)[:1]:
                out.append((plan_id, clause.address))
                out += [(plan_id, c.address) for c in plan.descendants(clause.address)]
        # English questions carry no key terms to tell "the aim" from "the dual goal": search decides
        if analysis.asks_goal and not analysis.english and analysis.scope.plan_ids and not aim_free_terms(analysis):
            out += _aim_section(plan, analysis.question)
        if analysis.asks_plan_lead:
            lead = plan_lead_clause(plan)
            if lead is not None:
                out.append((plan_id, lead.address))
        for field in analysis.front:
            address = front_address(field)
            if address and any(c.address == address for c in plan.clauses):
                out.append((plan_id, address))
            elif field in (FrontField.BASIS, FrontField.PERIOD, FrontField.TITLE) and analysis.scope.plan_ids:
                opening = decision_opening(plan)
                if opening is not None:
                    out.append((plan_id, opening.address))
    return list(dict.fromkeys(out))


def names_decision(text: str) -> bool:
    """The paragraph names a decision ("Thực hiện Quyết định số …"; ``[front] decision`` in questions.toml)."""
    return cues("decision", "front")(fold(text))


def decision_opening(plan):
    """The opening paragraph that names the decision the plan carries out ("Thực hiện Quyết định số …"),
    where the plan states its basis and period; the first opening paragraph when none names one."""
    opening = [c for c in plan.clauses if c.level is ClauseLevel.PREAMBLE]
    return next((c for c in opening if names_decision(c.text)), opening[0] if opening else None)


def plan_lead_clause(plan):
    """The clause that gives one agency the whole plan to lead: a lead role at its head ("Chủ trì …")
    and the plan as its object (``plan_lead`` in clauses.toml); None when no clause does."""
    from rag.retrieval.features import clause_cues, role_cues

    leads_plan = clause_cues("plan_lead")
    for clause in plan.clauses:
        folded = fold(clause.text)
        if clause.agency and leads_plan(folded) and role_cues("lead")(folded[:40]):
            return clause
    return None


def with_addressed_clauses(result: SearchResult, analysis: QuestionAnalysis, corpus: Corpus, index) -> SearchResult:
    if analysis.address is None and not analysis.front and not analysis.asks_goal and not analysis.asks_plan_lead:
        return result
    plan_ids = [p for p in analysis.scope.or_searched(result.plan_ids) if p in result.plan_ids] or list(result.plan_ids)
    wanted = named_clauses(analysis, corpus, plan_ids)
    if not wanted:
        return result
    by_clause = _passages_by_clause(index)
    first = [p for key in wanted for p in by_clause.get(key, [])]
    if not first:
        return result
    seen = {p.id for p in first}
    top = result.hits[0].score if result.hits else 1.0
    hits = [SearchHit(0, p, top) for p in first] + [h for h in result.hits if h.passage.id not in seen]
    hits = tuple(SearchHit(i, h.passage, h.score) for i, h in enumerate(hits[:max(len(result.hits), len(first))], start=1))
    return replace(result, hits=hits)


def aim_free_terms(analysis: QuestionAnalysis) -> list[str]:
    """The question's content words besides those that ask the plan's aim ("mục đích chính")."""
    table = lexicon.load("questions")["goal"]
    words = set(" ".join([*table["asked"], *table["sections"]]).split())
    return [t for t in analysis.key_terms if t not in words]


def _aim_section(plan, question: str) -> list[tuple[str, str]]:
    """"Kế hoạch nhằm mục đích gì?" asks nothing but the aim: the first clause under the plan's aim
    heading (the one the question names, "mục đích" or "mục tiêu", else any), with the clauses under it."""
    sections = cues("sections", "goal")
    asked = [m.group() for m in sections.pattern.finditer(fold(question))] if sections.pattern else []
    parts = [c for c in plan.clauses if c.level is ClauseLevel.PART and sections(fold(c.title or c.text))]
    named = [c for c in parts if any(w in fold(c.title or c.text) for w in asked)]
    for part in named or parts:
        children = plan.children(part.address)
        if children:
            first = children[0]
            return [(plan.id, first.address), *((plan.id, c.address) for c in plan.descendants(first.address))]
    return []
