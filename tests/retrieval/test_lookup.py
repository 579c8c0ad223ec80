"""Clauses found by the plan's structure, not by search (rag/retrieval/lookup.py)."""
from rag.models import ClauseLevel
from rag.retrieval.lookup import decision_opening, plan_lead_clause
from tests.answer.synthetic import P, binh_lam, clause, plan


def _with_lead(lead_text: str):
    return plan(P, [clause(P, "III", "TỔ CHỨC THỰC HIỆN", ClauseLevel.PART, title="TỔ CHỨC THỰC HIỆN"),
                    clause(P, "III.1", "Sở Tài chính", parent="III", title="Sở Tài chính"),
                    clause(P, "III.1.a", "Chủ trì bố trí kinh phí thực hiện Kế hoạch.", ClauseLevel.POINT,
                           parent="III.1", agency="Sở Tài chính"),
                    clause(P, "III.2", "Công an tỉnh", parent="III", title="Công an tỉnh"),
                    clause(P, "III.2.a", lead_text, ClauseLevel.POINT, parent="III.2", agency="Công an tỉnh")],
                "Bình Lâm")


def test_the_clause_giving_an_agency_the_whole_plan_to_lead():
    found = plan_lead_clause(_with_lead("Chủ trì, phối hợp với các sở, ngành triển khai thực hiện có hiệu quả "
                                        "Kế hoạch này."))
    assert found is not None and found.address == "III.2.a"  # not the lead of one task (the budget)


def test_no_clause_leads_the_plan_when_none_says_so():
    assert plan_lead_clause(_with_lead("Phối hợp với Sở Tài chính triển khai thực hiện Kế hoạch này.")) is None
    assert plan_lead_clause(binh_lam()) is None


def test_the_opening_paragraph_that_names_the_decision():
    assert decision_opening(binh_lam()).address == "PM.1"
