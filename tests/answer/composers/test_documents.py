from rag.answer.composers.documents import DocumentsComposer, documents
from tests.answer.synthetic import P, binh_lam, context


def test_every_document_named_is_listed():
    found = documents("căn cứ Luật Trẻ em năm 2016 và Nghị định số 56/2017/NĐ-CP.")
    assert any(d.startswith("Luật Trẻ em") for d in found)
    assert any("56/2017/NĐ-CP" in d for d in found)


def test_the_clause_naming_most_documents_answers():
    ctx = context("Việc tập huấn căn cứ những văn bản nào?", [binh_lam()], [(P, "II.2"), (P, "I.1")])
    out = DocumentsComposer().compose(ctx)
    text = "\n".join(out.lines)
    assert "56/2017/NĐ-CP" in text and "Luật Trẻ em" in text


def test_a_document_kind_written_short_before_its_number_is_read():
    from rag.answer.composers.documents import documents

    assert documents("Chương trình (KH số 1601/KH-UBND ngày 08/6/2021) và (Quyết định số 377/QĐ-UBND).") == [
        "KH số 1601/KH-UBND ngày 08/6/2021", "Quyết định số 377/QĐ-UBND"]
