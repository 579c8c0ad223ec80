"""Item 3 of issue 16 (and the UTF-32 CSV of item 10): what a question file unpacks to is checked
before it is parsed. The probe's files, built as real XLSX zips: one 1.5 GB shared string in 1.5 MB,
1 M columns, 1 M blank rows; each is refused with a Vietnamese message, without the memory."""
from __future__ import annotations

import resource
from pathlib import Path

import pytest

from rag.eval.dataset import QuestionFileError, parse_questions
from tests.security import bad_files

PLANS = ["lai-chau-2021-2025"]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sheets")
    return {"shared-string": bad_files.xlsx_huge_shared_string(folder / "chuoi.xlsx"),
            "columns": bad_files.xlsx_million_columns(folder / "cot.xlsx"),
            "blank-rows": bad_files.xlsx_million_blank_rows(folder / "dong.xlsx")}


@pytest.mark.parametrize("case, expected", [
    ("shared-string", "giải nén ra 1.536 MB, vượt giới hạn 50 MB"),
    ("columns", "cột thứ 101 (tối đa 100 cột"),
    ("blank-rows", "dòng số 20.001 (tối đa 20.000 dòng, kể cả dòng trống)"),
])
def test_the_probes_xlsx_files_are_refused_before_parsing(files, case, expected):
    path = files[case]
    assert path.stat().st_size < 3_000_000  # small files…
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(QuestionFileError) as refused:
        parse_questions(path.read_bytes(), PLANS, path.name)
    assert expected in str(refused.value)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 50  # …that never unpack here


def test_a_dimension_claiming_the_whole_grid_is_read_to_its_real_cells(tmp_path):
    path = bad_files.xlsx_claimed_dimension(tmp_path / "kich-thuoc.xlsx")
    qset = parse_questions(path.read_bytes(), PLANS, path.name)
    assert [q.question for q in qset.questions] == ["Sở Tư pháp có nhiệm vụ gì?"]


def test_limits_come_from_the_settings(files, tmp_path):
    from rag.eval.sheet_limits import SheetLimits

    path = bad_files.xlsx_million_blank_rows(tmp_path / "it-dong.xlsx", rows=50)
    assert len(parse_questions(path.read_bytes(), PLANS, path.name).questions) == 1
    with pytest.raises(QuestionFileError, match="dòng số 11"):
        parse_questions(path.read_bytes(), PLANS, path.name, limits=SheetLimits(max_row_number=10))


def test_csv_with_a_million_columns_or_a_huge_cell_is_refused():
    wide = ("câu hỏi" + "," * 1_000_000 + "\n").encode()
    with pytest.raises(QuestionFileError, match="cột thứ 1.000.001"):
        parse_questions(wide, PLANS, "rong.csv")
    long_cell = ("câu hỏi\n" + "a" * 40_000 + "\n").encode()
    with pytest.raises(QuestionFileError, match="dài 40.000 ký tự"):
        parse_questions(long_cell, PLANS, "dai.csv")
    huge_cell = ("câu hỏi\n\"" + "a" * 200_000 + "\"\n").encode()
    with pytest.raises(QuestionFileError, match="dài hơn 32767 ký tự"):
        parse_questions(huge_cell, PLANS, "rat-dai.csv")
    blank = ("câu hỏi\n" + "\n" * 30_000 + "Sở Tư pháp có nhiệm vụ gì?\n").encode()
    with pytest.raises(QuestionFileError, match="dòng số 20.001"):
        parse_questions(blank, PLANS, "trong.csv")


def test_utf32_csv_is_read_and_one_without_a_bom_is_named():
    text = "câu hỏi,kế hoạch\nSở Tư pháp có nhiệm vụ gì?,lai-chau-2021-2025\n"
    for encoding in ("utf-32", "utf-32-be"):
        data = text.encode(encoding) if encoding == "utf-32" else b"\x00\x00\xfe\xff" + text.encode(encoding)
        qset = parse_questions(data, PLANS, "utf32.csv")
        assert [q.question for q in qset.questions] == ["Sở Tư pháp có nhiệm vụ gì?"]
    with pytest.raises(QuestionFileError, match="UTF-16 hoặc UTF-32 nhưng thiếu dấu BOM"):
        parse_questions(text.encode("utf-32-le"), PLANS, "utf32.csv")


def test_an_uploaded_question_file_is_read_in_a_child_process(files, tmp_path):
    from rag.eval.dataset import load_uploaded_questions

    good = tmp_path / "cau-hoi.csv"
    good.write_text("câu hỏi,kế hoạch\nSở Tư pháp có nhiệm vụ gì?,lai-chau-2021-2025\n", encoding="utf-8")
    assert [q.question for q in load_uploaded_questions(good, PLANS).questions] == ["Sở Tư pháp có nhiệm vụ gì?"]
    with pytest.raises(QuestionFileError, match="vượt giới hạn 50 MB"):
        load_uploaded_questions(files["shared-string"], PLANS)
    with pytest.raises(QuestionFileError, match="cần quá 16 MB bộ nhớ|bị dừng bất thường"):
        load_uploaded_questions(good, PLANS, memory_mb=16)  # too little to even start: the child ends, we do not
