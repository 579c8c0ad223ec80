"""An answer to keep, for official correspondence: the question, the answer, and every cited clause in full
(its plan, address, place in the plan and words, with the clauses under it), as a DOCX."""
from __future__ import annotations

from datetime import datetime

from docx.enum.text import WD_ALIGN_PARAGRAPH

from rag.documents import style
from rag.models import Answer, Corpus


def _clause_in_full(corpus: Corpus | None, plan_id: str, address: str, fallback: str) -> list[str]:
    """The clause's own words and those of every clause under it (a heading is answered by what is under it)."""
    if corpus is None:
        return [fallback]
    try:
        plan = corpus.plan(plan_id)
        clause = plan.clause(address)
    except KeyError:
        return [fallback]
    lines = [clause.text]
    for c in plan.descendants(address):
        lines.append(f"{c.number} {c.text}".strip() if c.number and not c.text.startswith(c.number) else c.text)
    return lines


def answer_docx(answer: Answer, corpus: Corpus | None = None, when: datetime | None = None) -> bytes:
    doc = style.new_document()
    style.title(doc, "Trích lục câu trả lời", "về các kế hoạch bảo vệ trẻ em trên môi trường mạng")
    stamp = (when or datetime.now()).strftime("%H:%M ngày %d/%m/%Y")
    style.paragraph(doc, f"Lập lúc {stamp}.", italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    style.heading(doc, "I. Câu hỏi")
    style.paragraph(doc, answer.question, indent_first=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    style.heading(doc, "II. Câu trả lời")
    if answer.abstained:
        style.paragraph(doc, "Các kế hoạch không nêu nội dung được hỏi:", italic=True, indent_first=True)
    for line in answer.answer.splitlines() or [""]:
        if line.strip():
            style.paragraph(doc, line, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    style.heading(doc, f"III. Điều khoản được trích dẫn ({len(answer.citations)})")
    if not answer.citations:
        style.paragraph(doc, "Không có điều khoản nào được trích dẫn.", indent_first=True)
    for i, c in enumerate(answer.citations, start=1):
        name = c.short_name or c.plan_id
        style.paragraph(doc, f"[{i}] {name}, điều khoản {c.clause}", bold=True, space_after=0)
        if c.path:
            style.paragraph(doc, c.path, italic=True, size=12, space_after=2)
        for line in _clause_in_full(corpus, c.plan_id, c.clause, c.text):
            style.paragraph(doc, line, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_first=True)
    style.paragraph(doc, "Câu trả lời do trợ lý tự động lập từ nguyên văn các kế hoạch; khi dùng trong văn bản chính "
                         "thức, đối chiếu với bản kế hoạch đã ban hành.", italic=True, size=11)
    return style.to_bytes(doc)
