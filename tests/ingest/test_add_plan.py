"""End to end: `rag add` each fixture (DOCX, text PDF, scanned PDF, plain text) into a copy of the
corpus, then `rag outline`, `rag ask`, `rag eval` and `rag remove` on the new plans."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.ingest.conftest import add_json, copy_corpus, rag

QUESTIONS = FIXTURES / "ingest_questions.jsonl"


@pytest.fixture(scope="module")
def env(tmp_path_factory, assistant, index_root) -> dict:
    """A corpus copy; its index starts empty but shares the session's embedding cache."""
    root = tmp_path_factory.mktemp("added")
    shutil.copytree(index_root / "cache", root / "index" / "cache")
    return {"RAG_CORPUS_DIR": str(copy_corpus(root)), "RAG_INDEX_DIR": str(root / "index")}


@pytest.fixture(scope="module")
def reports(env, plan_files) -> dict[str, dict]:
    return {kind: add_json(env, plan_files[kind]) for kind in ("docx", "pdf", "scan", "txt")}


def _outline(env, plan_id: str) -> dict[str, dict]:
    out = rag(env, "outline", plan_id, "--json")
    assert out.returncode == 0, out.stderr
    return {c["address"]: c for c in json.loads(out.stdout)}


def test_docx_metadata_and_counts(reports):
    r = reports["docx"]
    assert r["id"] == "kon-tum-2021-2025"
    m = r["metadata"]
    assert (m["number"], m["date"], m["decision"], m["period"], m["province"]) == (
        "215/KH-UBND", "2022-09-12", "830/QĐ-TTg", "2021-2025", "Kon Tum")
    assert m["issuer"] == "Ủy ban nhân dân tỉnh Kon Tum" and m["title"].startswith("Kế hoạch thực hiện Chương trình")
    assert r["source"] == "docx"
    assert r["counts"]["appendix_rows"] == 3 and r["counts"]["points"] == 2 and r["counts"]["bullets"] == 8
    assert r["counts"]["agency_sections"] == 6 and "Liên đoàn Lao động" in " ".join(r["agencies"])
    assert not [w for w in r["warnings"] if w["kind"] == "unknown-agency"]


def test_docx_automatic_numbering_and_restart_under_sections(env, reports):
    tree = _outline(env, "kon-tum-2021-2025")
    # Word's numbers (not in the paragraph text) are recovered; parts restart under A., B., C.
    for address in ("A", "A.I", "A.I.1", "A.I.2", "A.II.1", "B.I.1.a", "B.I.1.b", "B.II.2", "C.I-2", "C.VI-1"):
        assert address in tree, address
    assert tree["B.II.2"]["text"].startswith("Duy trì đường dây nóng 0260.3862.111")
    assert tree["C.II"]["title"] == "Sở Công Thương" and tree["C.II-2"]["agency"] == ["so-cong-thuong"]
    assert tree["C.V-1"]["agency"] == ["bo-chi-huy-quan-su"]  # agencies no table lists, recognised by pattern
    assert tree["C.VI-1"]["agency"] == ["cong-an"]
    # the merged group rows of the task table
    assert tree["PL.I"]["level"] == "group" and tree["PL.II.1"]["lead"] == "Sở Công Thương"
    assert tree["PL.I.2"]["deadline"] == "Quý I/2023"


def test_text_pdf_headers_dropped_breaks_reflowed_table_joined(env, reports):
    r = reports["pdf"]
    assert r["id"] == "quang-tri-2026-2030" and r["pages"] == 3 and not r["ocr"]
    assert r["metadata"]["decision"] == "468/QĐ-TTg" and r["metadata"]["number"] == "88/KH-UBND"
    tree = _outline(env, "quang-tri-2026-2030")
    for address in ("P1", "P1.1.1", "P1.1.2", "P1.2.a", "P1.2.c", "P2.1-2", "P2.2-1", "P3.1", "P3.5-1"):
        assert address in tree, address
    assert tree["P3.1-1"]["agency"] == ["so-cong-thuong"] and tree["P3.4"]["agency"] == ["bo-chi-huy-quan-su"]
    assert tree["P1.1.1"]["text"].endswith("khi các em tham gia môi trường mạng.")  # one paragraph, not lines
    texts = " ".join(c["text"] for c in tree.values())
    assert "Kế hoạch số 88/KH-UBND" not in texts.replace("88/KH-UBND của", "")  # the running header
    assert "Trang 2" not in texts and "STT" not in texts
    rows = [a for a, c in tree.items() if c["level"] == "row"]
    assert len(rows) == 12 == r["counts"]["appendix_rows"]  # the table goes on after the page break
    assert tree["PL.III.5"]["deadline"] == "Quý IV/2030" and tree["PL.III.3"]["lead"] == "Sở Công Thương"


def test_scanned_pdf_is_read_by_ocr(env, reports):
    r = reports["scan"]
    assert r["ocr"] and r["id"] == "bac-kan-2022-2025"
    assert any(w["kind"] == "ocr" for w in r["warnings"])
    tree = _outline(env, "bac-kan-2022-2025")
    for address in ("I", "I.1", "I.2", "II.2", "III.1", "III.1.a", "III.2.a"):
        assert address in tree, address
    assert "mỗi học kỳ một lần" in tree["III.1.a"]["text"]


def test_plain_text_styles(env, reports):
    tree = _outline(env, "ha-giang-2021-2025")
    for address in ("A", "A.I.1", "A.II.2", "B.I.1", "B.I.1-1", "B.I.2-1", "B.II.1"):
        assert address in tree, address
    assert tree["B.II.1"]["agency"] == ["ubnd-huyen"]
    assert tree["B.I.1-1"]["agency"] == ["so-cong-thuong"]  # "1) Sở Công Thương" under "I. Các sở, ngành"


def test_ask_about_a_new_plan_right_away(env, reports):
    out = rag(env, "ask", "Ở Kon Tum, đường dây nóng tiếp nhận phản ánh trẻ em bị xâm hại trên mạng là số nào?",
              "--json")
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert not answer["abstained"] and "0260.3862.111" in answer["answer"]
    assert answer["citations"][0]["plan_id"] == "kon-tum-2021-2025" and answer["citations"][0]["clause"] == "B.II.2"


def test_eval_on_questions_about_the_new_plans(env, reports, tmp_path):
    out = rag(env, "eval", str(QUESTIONS), "--out", str(tmp_path / "results.jsonl"))
    assert out.returncode == 0, out.stderr
    results = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(results) == 8
    line = out.stdout
    recall = float(line.split("recall@5 ")[1].split(",")[0])
    facts = float(line.split("dữ kiện ")[1].split(",")[0])
    assert recall >= 0.85 and facts >= 0.85, line


def test_plans_lists_counts_and_remove_takes_a_plan_out(env, reports):
    out = rag(env, "plans", "--json")
    listed = {p["id"]: p for p in json.loads(out.stdout)["plans"]}
    assert {"kon-tum-2021-2025", "quang-tri-2026-2030", "bac-kan-2022-2025", "ha-giang-2021-2025"} <= set(listed)
    assert listed["quang-tri-2026-2030"]["appendix_rows"] == 12
    corpus = Path(env["RAG_CORPUS_DIR"])
    assert (corpus / "originals" / "ha-giang-2021-2025.txt").exists()
    out = rag(env, "remove", "ha-giang-2021-2025")
    assert out.returncode == 0, out.stderr
    assert "ha-giang-2021-2025" not in rag(env, "plans").stdout
    assert not (corpus / "ha-giang-2021-2025.txt").exists() and not (corpus / "originals" / "ha-giang-2021-2025.txt").exists()
    out = rag(env, "ask", "Hà Giang mỗi năm tổ chức mấy phiên chợ vùng cao?", "--json")
    assert all(c["plan_id"] != "ha-giang-2021-2025" for c in json.loads(out.stdout)["citations"])
