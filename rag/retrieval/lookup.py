"""Clauses a question names outright go first: the clause at the address it gives ("mục II.5")
with the clauses under it, and the front matter it asks about (number, date, signer …).
Search still ranks everything else after them."""
from __future__ import annotations

from dataclasses import replace

from rag.models import Corpus, SearchHit
from rag.retrieval.address import resolve
from rag.retrieval.analysis import FrontField, QuestionAnalysis
from rag.retrieval.hybrid import SearchResult
from rag.structure.parser import FRONT_FIELDS

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
        for field in analysis.front:
            address = front_address(field)
            if address and any(c.address == address for c in plan.clauses):
                out.append((plan_id, address))
    return list(dict.fromkeys(out))


def with_addressed_clauses(result: SearchResult, analysis: QuestionAnalysis, corpus: Corpus, index) -> SearchResult:
    if analysis.address is None and not analysis.front:
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
