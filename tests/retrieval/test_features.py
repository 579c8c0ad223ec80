"""The ranker's features on small synthetic clauses: fast, no index, no model."""
from __future__ import annotations

import pytest

from rag.models import Clause, ClauseLevel, Passage
from rag.models import PlanInfo
from rag.retrieval.analysis import QuestionAnalyzer
from rag.retrieval.features import FEATURE_NAMES, Candidate, QuestionFacts, clause_facts, features
from rag.retrieval.scope import PlanScoper

PLAN = "tinh-thu-2026-2030"


@pytest.fixture(scope="module")
def analyzer():
    info = PlanInfo(id=PLAN, file="x.txt", title="Kế hoạch tỉnh Thử", short_name="KH Thử", province="Tỉnh Thử")
    return QuestionAnalyzer(PlanScoper([info]))


def clause(address, text, level=ClauseLevel.BULLET, agency=(), path=("III. TỔ CHỨC THỰC HIỆN",), **row):
    return Clause(PLAN, address, level, "", "", path, text, (0, len(text)), agency=agency, **row)


def candidate(c: Clause, rank: int, fused: float, bm25=None, dense=None) -> Candidate:
    p = Passage(rank, PLAN, c.address, c.path, c.text, c.text, (c.address,))
    return Candidate(p, c, fused, rank, bm25, rank if bm25 is not None else None, dense,
                     rank if dense is not None else None)


def vectors(analyzer, question, clauses_and_scores):
    a = analyzer.run(question)
    cands = [candidate(c, i, *s) for i, (c, s) in enumerate(clauses_and_scores, start=1)]
    rows = features(QuestionFacts.of(a), cands, [clause_facts(x.passage, x.clause) for x in cands])
    assert all(len(r) == len(FEATURE_NAMES) for r in rows)
    return [dict(zip(FEATURE_NAMES, r)) for r in rows]


ROW = clause("PL.I.3", "Tập huấn kỹ năng an toàn trên mạng cho giáo viên | Sở Giáo dục và Đào tạo | Sở Y tế | Quý IV/2026",
             ClauseLevel.ROW, lead="Sở Giáo dục và Đào tạo", partners="Sở Y tế", deadline="Quý IV/2026",
             lead_agencies=("so-gddt",), partner_agencies=("so-yt",))
EDU = clause("III.2-1", "Chủ trì tổ chức tập huấn kỹ năng an toàn trên mạng cho giáo viên các trường phổ thông.",
             agency=("so-gddt",), path=("III. TỔ CHỨC THỰC HIỆN", "2. Sở Giáo dục và Đào tạo"))
HEALTH = clause("III.3-1", "Phối hợp tập huấn kỹ năng an toàn trên mạng cho nhân viên y tế trường học.",
                agency=("so-yt",), path=("III. TỔ CHỨC THỰC HIỆN", "3. Sở Y tế"))
LAW = clause("II.1-1", "Rà soát, sửa đổi văn bản pháp luật về bảo vệ trẻ em.", path=("II. NHIỆM VỤ",))
GOAL = clause("I.2-1", "Phấn đấu 90% giáo viên được tập huấn kỹ năng an toàn trên mạng trong năm 2027.",
              path=("I. MỤC TIÊU",))


def test_retrieval_features_are_relative_to_the_other_candidates(analyzer):
    v = vectors(analyzer, "Ai chủ trì tập huấn kỹ năng an toàn cho giáo viên?",
                [(EDU, (0.8, 12.0, 0.9)), (HEALTH, (0.4, 6.0, None))])
    assert v[0]["fused_rel"] == 1.0 and v[1]["fused_rel"] == pytest.approx(0.5)
    assert v[1]["bm25_rel"] == pytest.approx(0.5) and v[0]["dense_gap"] == 0.0
    assert v[1]["dense_missing"] == 1.0 and v[1]["dense_gap"] == -1.0
    assert v[0]["fused_rank_inv"] == 1.0 and v[1]["fused_rank_inv"] == 0.5


def test_asked_attribute_meets_what_the_clause_says(analyzer):
    lead, partners, deadline = (vectors(analyzer, q, [(ROW, (1.0, 1.0, 0.9)), (GOAL, (0.9, 1.0, 0.9))]) for q in (
        "Ai chủ trì tập huấn kỹ năng an toàn trên mạng cho giáo viên?",
        "Cơ quan nào phối hợp tập huấn kỹ năng an toàn cho giáo viên?",
        "Thời hạn tập huấn kỹ năng an toàn cho giáo viên là khi nào?"))
    assert lead[0]["q_lead"] == 1.0 and lead[0]["lead_x_said"] == 1.0 and lead[1]["lead_x_said"] == 0.0
    assert partners[0]["partners_x_said"] == 1.0 and partners[1]["partners_x_said"] == 0.0
    assert deadline[0]["deadline_x_said"] == 1.0 and deadline[0]["row_has_deadline"] == 1.0
    assert deadline[1]["says_deadline"] == 1.0  # "trong năm 2027" is a time too
    assert lead[0]["level_row"] == 1.0 and lead[1]["level_bullet"] == 1.0


def test_the_agency_asked_about_heads_the_clause_or_only_appears(analyzer):
    v = vectors(analyzer, "Sở Giáo dục và Đào tạo phải làm gì về tập huấn giáo viên?",
                [(EDU, (1.0, 1.0, 0.9)), (HEALTH, (0.9, 1.0, 0.9)), (ROW, (0.8, 1.0, 0.9))])
    edu, health, row = v
    assert edu["subj_assigned"] == 1.0 and edu["other_assigned"] == 0.0
    assert health["subj_assigned"] == 0.0 and health["other_assigned"] == 1.0  # a neighbouring duty of another agency
    assert row["subj_leads"] == 1.0 and row["subj_partner"] == 0.0
    assert edu["q_duties"] == 1.0 and edu["duties_x_assigned"] == 1.0


def test_key_terms_cover_without_diacritics(analyzer):
    accented = vectors(analyzer, "Kế hoạch đặt mục tiêu bao nhiêu phần trăm giáo viên được tập huấn?",
                       [(GOAL, (1.0, 1.0, 0.9)), (LAW, (0.5, 1.0, 0.9))])
    plain = vectors(analyzer, "ke hoach dat muc tieu bao nhieu phan tram giao vien duoc tap huan?",
                    [(GOAL, (1.0, 1.0, 0.9)), (LAW, (0.5, 1.0, 0.9))])
    assert accented[0]["key_cover"] > accented[1]["key_cover"]
    assert plain[0]["key_cover"] > plain[1]["key_cover"]  # folded syllables match the clause's folded words
    assert plain[0]["q_unaccented"] == 1.0 and accented[0]["q_unaccented"] == 0.0
    assert accented[0]["q_number"] == 1.0 and accented[0]["number_x_said"] == 1.0


def test_no_feature_names_a_plan_or_an_address():
    from rag.retrieval import features

    source = open(features.__file__, encoding="utf-8").read().lower()
    for word in ("ha-noi", "hà nội", "lai châu", "đồng nai", "ninh thuận", "pl.", '"iv.'):
        assert word not in source


# --- the agency asked about inside another agency's duty; the value asked; a list opening -----

LEAD_WITH = clause("III.4-1", "Chủ trì, phối hợp với Sở Y tế, Công an tỉnh tổ chức kiểm tra các điểm truy cập "
                   "Internet gần trường học.", agency=("so-gddt",),
                   path=("III. TỔ CHỨC THỰC HIỆN", "2. Sở Giáo dục và Đào tạo"))


ORGANISE = clause("III.2-2", "Tổ chức hội thảo về kỹ năng an toàn trên mạng cho cha mẹ học sinh.",
                  agency=("so-gddt",), path=("III. TỔ CHỨC THỰC HIỆN", "2. Sở Giáo dục và Đào tạo"))
TAKE_PART = clause("III.3-2", "Tham gia hội thảo về kỹ năng an toàn trên mạng cho cha mẹ học sinh.",
                   agency=("so-yt",), path=("III. TỔ CHỨC THỰC HIỆN", "3. Sở Y tế"))


def test_role_the_clause_gives_meets_the_role_asked(analyzer):
    organise = vectors(analyzer, "Cơ quan nào tổ chức hội thảo về an toàn trên mạng cho cha mẹ học sinh?",
                       [(TAKE_PART, (1.0, 1.0, 0.9)), (ORGANISE, (0.9, 1.0, 0.9))])
    take_part = vectors(analyzer, "Cơ quan nào tham gia hội thảo về an toàn trên mạng cho cha mẹ học sinh?",
                        [(TAKE_PART, (1.0, 1.0, 0.9)), (ORGANISE, (0.9, 1.0, 0.9))])
    assert organise[0]["opens_take_part"] == 1.0 and organise[1]["opens_organise"] == 1.0
    assert organise[0]["q_role_organise"] == 1.0 and organise[0]["q_role_take_part"] == 0.0
    # who organises: the participant's clause clashes, the organiser's matches; and the other way round
    assert organise[0]["role_clash"] == 1.0 and organise[0]["role_match"] == 0.0
    assert organise[1]["role_match"] == 1.0 and organise[1]["role_clash"] == 0.0
    assert take_part[0]["role_match"] == 1.0 and take_part[1]["role_clash"] == 1.0


def test_a_lead_that_names_partners_gives_both_roles(analyzer):
    v = vectors(analyzer, "Ai phối hợp kiểm tra các điểm truy cập Internet gần trường học?",
                [(LEAD_WITH, (1.0, 1.0, 0.9)), (ROW, (0.9, 1.0, 0.9))])
    assert v[0]["opens_lead"] == 1.0 and v[0]["opens_partner"] == 1.0  # "Chủ trì, phối hợp với …"
    assert v[0]["role_match"] == 1.0 and v[0]["role_clash"] == 0.0
    assert v[1]["role_match"] == 1.0  # an appendix row with partners answers who cooperates
    # "who is responsible" asks for the lead: a clause where the agency only takes part clashes
    who = vectors(analyzer, "Ai chịu trách nhiệm tổ chức hội thảo an toàn trên mạng cho cha mẹ học sinh?",
                  [(TAKE_PART, (1.0, 1.0, 0.9))])
    assert who[0]["q_role_lead"] == 1.0 and who[0]["role_clash"] == 1.0


def test_the_agency_asked_about_as_a_partner_inside_another_agencys_duty(analyzer):
    v = vectors(analyzer, "Sở Y tế phối hợp kiểm tra điểm truy cập Internet gần trường học thế nào?",
                [(LEAD_WITH, (1.0, 1.0, 0.9)), (HEALTH, (0.9, 1.0, 0.9)), (EDU, (0.8, 1.0, 0.9))])
    lead_with, health, edu = v
    assert lead_with["subj_partner_in_text"] == 1.0 and lead_with["subj_named_not_assigned"] == 1.0
    assert lead_with["subj_assigned"] == 0.0
    assert health["subj_named_not_assigned"] == 0.0 and health["subj_partner_in_text"] == 0.0
    assert edu["subj_partner_in_text"] == 0.0 and edu["subj_named_not_assigned"] == 0.0


def test_the_value_asked_is_in_the_clause(analyzer):
    percent = vectors(analyzer, "Bao nhiêu phần trăm giáo viên được tập huấn an toàn trên mạng?",
                      [(GOAL, (1.0, 1.0, 0.9)), (EDU, (0.9, 1.0, 0.9))])
    assert percent[0]["percent_x_said"] == 1.0 and percent[1]["percent_x_said"] == 0.0
    opens = clause("II.2", "Các nhiệm vụ về tập huấn gồm:", level=ClauseLevel.ITEM)
    v = vectors(analyzer, "Tập huấn gồm những nhiệm vụ gì?", [(opens, (1.0, 1.0, 0.9)), (EDU, (0.9, 1.0, 0.9))])
    assert v[0]["opens_list"] == 1.0 and v[1]["opens_list"] == 0.0
