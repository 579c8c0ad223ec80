"""Small made-up plans and the ``Context`` a composer is given, built without a model or an
index: the clauses found are the ones a test names, in the order it names them."""
from __future__ import annotations

from rag.structure.assignments import PlanIndex
from rag.answer.citations import Citations, ClauseLabels
from rag.answer.composers.base import Context
from rag.answer.ranked import RankedClause
from rag.models import Clause, ClauseLevel, Corpus, Passage, PlanDocument, PlanInfo, SearchHit
from rag.retrieval.analysis import QuestionAnalyzer
from rag.retrieval.hybrid import SearchResult
from rag.retrieval.scope import PlanScoper
from rag.structure.agencies import find_agencies


def clause(plan_id: str, address: str, text: str, level: ClauseLevel = ClauseLevel.ITEM, parent: str | None = None,
           title: str = "", agency: str = "", lead: str | None = None, partners: str | None = None, deadline: str | None = None,
           ) -> Clause:
    heading = title or text
    return Clause(plan_id=plan_id, address=address, level=level, number=address.rsplit(".", 1)[-1], title=title,
                  path=(heading[:60],), text=text, span=(0, len(text)), parent=parent,
                  agency=find_agencies(agency or title) if (agency or title) else (), lead=lead, partners=partners, deadline=deadline,
                  lead_agencies=find_agencies(lead or ""), partner_agencies=find_agencies(partners or ""))


def plan(plan_id: str, clauses: list[Clause], province: str, decision: str = "830/QĐ-TTg",
         period: str = "2021-2025", number: str = "", date: str = "") -> PlanDocument:
    info = PlanInfo(id=plan_id, file=f"{plan_id}.txt", title=f"Kế hoạch bảo vệ trẻ em trên môi trường mạng {province}",
                    short_name=f"KH {province}", issuer=f"Ủy ban nhân dân tỉnh {province}", number=number, date=date,
                    decision=decision, period=period, province=province, aliases=(province,))
    return PlanDocument(info=info, clauses=tuple(clauses), source_sha256="0" * 64)


def context(question: str, plans: list[PlanDocument], found: list[tuple[str, str]]) -> Context:
    """The context of ``question`` when search found the clauses ``found`` ((plan id, address),
    best first), scoped as the question names the plans."""
    corpus = Corpus(tuple(plans))
    scoper = PlanScoper.for_corpus(corpus)
    analysis = QuestionAnalyzer(scoper).read(question)
    labels = ClauseLabels(corpus, {p.id: PlanIndex(p) for p in plans})
    hits, ranked = [], []
    for rank, (plan_id, address) in enumerate(found, start=1):
        c = labels.clause(plan_id, address)
        passage = Passage(id=rank - 1, plan_id=plan_id, clause=address, path=c.path, text=c.text, embed_text=c.text)
        hit = SearchHit(rank=rank, passage=passage, score=1.0 / rank)
        hits.append(hit)
        ranked.append(RankedClause(plan_id, c, hit))
    searched = tuple(analysis.scope.plan_ids) or tuple(corpus.plan_ids)
    result = SearchResult(hits=tuple(hits), scope=analysis.scope, plan_ids=searched,
                          dense_scores={h.passage.id: 0.9 for h in hits}, lexical_relative=1.0)
    return Context(analysis, result, ranked, Citations(corpus), labels, corpus)


# --- one made-up plan with the usual parts --------------------------------------------------

P = "binh-lam-2021-2025"


def binh_lam(**info) -> PlanDocument:
    return plan(P, [
        clause(P, "PM.1", "Thực hiện Quyết định số 830/QĐ-TTg của Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh ban "
                          "hành Kế hoạch như sau.", ClauseLevel.PREAMBLE),
        clause(P, "I", "MỤC TIÊU", ClauseLevel.PART, title="MỤC TIÊU"),
        clause(P, "I.1", "Phấn đấu 90% trẻ em được trang bị kỹ năng an toàn trên môi trường mạng.", parent="I"),
        clause(P, "II", "NHIỆM VỤ", ClauseLevel.PART, title="NHIỆM VỤ"),
        clause(P, "II.1", "Các nguồn kinh phí thực hiện gồm:", parent="II"),
        clause(P, "II.1.a", "Ngân sách nhà nước;", ClauseLevel.POINT, parent="II.1"),
        clause(P, "II.1.b", "Nguồn xã hội hóa;", ClauseLevel.POINT, parent="II.1"),
        clause(P, "II.1.c", "Các nguồn hợp pháp khác.", ClauseLevel.POINT, parent="II.1"),
        clause(P, "II.2", "Tổ chức tập huấn kỹ năng số cho giáo viên hằng năm, căn cứ Luật Trẻ em năm 2016 và "
                          "Nghị định số 56/2017/NĐ-CP.", parent="II"),
        clause(P, "III", "TỔ CHỨC THỰC HIỆN", ClauseLevel.PART, title="TỔ CHỨC THỰC HIỆN"),
        clause(P, "III.1", "Sở Giáo dục và Đào tạo", parent="III", title="Sở Giáo dục và Đào tạo"),
        clause(P, "III.1.a", "Chủ trì tổ chức giáo dục kỹ năng an toàn trên mạng cho học sinh.", ClauseLevel.POINT,
               parent="III.1", agency="Sở Giáo dục và Đào tạo"),
        clause(P, "III.2", "Sở Y tế", parent="III", title="Sở Y tế"),
        clause(P, "III.2.a", "Phối hợp tư vấn tâm lý cho trẻ em bị xâm hại trên mạng.", ClauseLevel.POINT,
               parent="III.2", agency="Sở Y tế"),
        clause(P, "PL", "PHỤ LỤC", ClauseLevel.APPENDIX, title="PHỤ LỤC"),
        clause(P, "PL.1", "Xây dựng phần mềm cảnh báo nội dung độc hại", ClauseLevel.ROW, parent="PL",
               lead="Sở Thông tin và Truyền thông", partners="Công an tỉnh", deadline="Năm 2023"),
        clause(P, "VB.số-hiệu", "Số: /KH-UBND", ClauseLevel.FRONT),
        clause(P, "VB.người-ký", "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Văn A", ClauseLevel.FRONT),
    ], "Bình Lâm", **info)
