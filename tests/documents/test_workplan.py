"""An agency's work plan DOCX: opened with python-docx (duties lead first, then partner, partners, deadline,
clause address, an empty «Kết quả thực hiện» column, administrative look), and rendered by LibreOffice."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from rag.structure.assignments import PARTNER, assignments
from rag.documents.workplan import RESULT_COLUMN, work_plan, workplan_docx
from tests.documents.conftest import all_text, fonts, read_docx


@pytest.fixture(scope="module")
def gddt(corpus):
    return work_plan(corpus, "so-gddt")


def test_content_is_the_agency_duties_lead_first(corpus, gddt):
    view = {(a.plan_id, a.clause.address): a.role for a in assignments(corpus, "so-gddt")}
    got = {(d.plan_id, d.address): d.role for d in gddt.duties}
    assert got == view  # the same duties, with the same roles, as the agency view
    for p in gddt.plans:
        assert all(d.role != PARTNER for d in p.lead) and all(d.role == PARTNER for d in p.partner)
    hanoi = next(p for p in gddt.plans if p.plan_id == "ha-noi-2022-2025")
    row = next(d for d in hanoi.lead if d.address == "PL.II.4")
    assert row.others == "UBND các quận, huyện, thị xã" and row.deadline.startswith("Thường xuyên")
    partner = next(d for d in hanoi.partner if d.address == "PL.I.1")
    assert partner.others == "Sở Thông tin và Truyền thông"
    laichau = next(p for p in gddt.plans if p.plan_id == "lai-chau-2021-2025")
    assert [d.address for d in laichau.partner] == ["IV.3-5"]  # "Phối hợp với Sở Thông tin …"


def test_docx_opens_with_every_duty_and_an_empty_result_column(gddt):
    doc = read_docx(workplan_docx(gddt))
    text = all_text(doc)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "SỞ GIÁO DỤC VÀ ĐÀO TẠO" in text and "KẾ HOẠCH" in text
    tables = [t for t in doc.tables if t.rows[0].cells[-1].text == RESULT_COLUMN]
    assert sum(len(t.rows) - 1 for t in tables) == len(gddt.duties)
    addresses = {row.cells[4].text for t in tables for row in t.rows[1:]}
    assert addresses == {d.address for d in gddt.duties}
    assert all(row.cells[-1].text == "" for t in tables for row in t.rows[1:])
    # lead before partner within each plan
    headings = [p.text for p in doc.paragraphs if p.text.startswith(("1. Nhiệm vụ", "2. Nhiệm vụ"))]
    assert headings and all("chủ trì" in h for h in headings if h.startswith("1.") and "phối hợp (" not in h)
    assert fonts(doc) == {"Times New Roman"}
    assert doc.sections[0].page_width > doc.sections[0].page_height  # landscape: the table is wide


def test_agency_with_no_duty_in_the_chosen_plans(corpus):
    plan = work_plan(corpus, "so-gddt", ["dong-nai-2026-2030"])
    assert plan.plans and all(p.plan_id == "dong-nai-2026-2030" for p in plan.plans)
    empty = work_plan(corpus, "toa-an", ["dong-nai-2026-2030"])
    if not empty.plans:
        assert "không giao nhiệm vụ nào" in all_text(read_docx(workplan_docx(empty)))


def test_work_plan_of_an_added_plan(added_plans):
    from rag.models import Corpus

    corpus = Corpus(plans=tuple(added_plans.values()))
    plan = work_plan(corpus, "so-yte")
    quang_tri = next(p for p in plan.plans if p.plan_id == "quang-tri-2026-2030")
    assert {d.address for d in quang_tri.lead} >= {"PL.II.1", "PL.III.4", "PL.III.5"}
    assert {d.address for d in quang_tri.partner} >= {"PL.I.2", "PL.II.2"}
    text = all_text(read_docx(workplan_docx(plan)))
    assert "Quý IV/2028" in text and "Sơ kết giữa kỳ" in text


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice (Debian libreoffice-writer-nogui) not installed; "
                                                        "scripts/test.sh installs it")
def test_libreoffice_renders_the_work_plan(gddt, tmp_path):
    source = tmp_path / "ke-hoach-so-gddt.docx"
    source.write_bytes(workplan_docx(gddt))
    out = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
                          "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                         capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "ke-hoach-so-gddt.pdf"
    assert pdf.exists(), out.stderr
    # read the rendered pages back with poppler (pdftotext keeps LibreOffice's Vietnamese glyphs together)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    first = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first and "KẾ HOẠCH" in first
    assert "Kết quả thực hiện" in text and "PL.II.4" in text and "THỦ TRƯỞNG CƠ QUAN" in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = (float(x) for x in info.split("Page size:")[1].split("pts")[0].split(" x "))
    assert width > height and int(info.split("Pages:")[1].split()[0]) >= 2  # landscape, several pages
