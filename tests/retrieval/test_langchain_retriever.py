from rag.retrieval.langchain_retriever import PlanRetriever


def test_retriever_interface_returns_clause_documents(assistant):
    retriever = PlanRetriever(assistant=assistant, k=3)
    docs = retriever.invoke("Sở Tư pháp Đồng Nai tham gia hội thảo khoa học")
    assert len(docs) == 3
    assert docs[0].metadata["plan_id"] == "dong-nai-2026-2030" and docs[0].metadata["clause"] == "V.6-1"
    assert docs[0].page_content.startswith("Tham gia các hội thảo khoa học")
    scoped = PlanRetriever(assistant=assistant, plan_ids=["lai-chau-2021-2025"], k=5).invoke("Sở Tư pháp")
    assert {d.metadata["plan_id"] for d in scoped} == {"lai-chau-2021-2025"}
