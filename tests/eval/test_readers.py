"""Question sets from spreadsheets: XLSX (formulas read as saved values), CSV in UTF-8, UTF-16 and
Windows-1258, Vietnamese or English headers, bad rows listed by number, bad files refused clearly."""
from __future__ import annotations

import pytest

from rag.eval.dataset import DEFAULT_MAX_ROWS, QuestionFileError, TooManyRows, load_questions, parse_questions
from tests.eval.sheets import to_cp1258, with_cached_formula_values, xlsx_bytes

PLANS = ["lai-chau-2021-2025", "dong-nai-2026-2030", "ha-noi-2022-2025"]
HEADER = ["Mã câu hỏi", "Câu hỏi", "Kế hoạch", "Câu hỏi trước", "Trích dẫn đúng", "Kế hoạch của trích dẫn",
          "Phải nêu", "Ghi chú"]
ROWS = [
    ["Q1", "Sở Tài chính Hà Nội có nhiệm vụ gì?", "Hà Nội", "", "bố trí kinh phí", "", "Sở Tài chính | STC; kinh phí",
     "x"],
    ["Q2", "", "ha-noi", "", "", "", "", ""],  # no question
    ["Q1", "trùng id", "", "", "", "", "", ""],  # duplicate id
    ["Q4", "Lâm Đồng có kế hoạch gì?", "lam-dong", "", "", "", "", ""],  # unknown plan
    ["Q5", "Còn Đồng Nai thì sao?", "dong-nai, ha-noi", "Hà Nội giao ai?\nSở nào chủ trì?", "Sở Tư pháp", "dong-nai",
     "", ""],
]
CSV_TEXT = ("\n".join(",".join(f'"{c}"' for c in row) for row in [HEADER, *ROWS]) + "\n")


def _check(qs):
    assert [q.id for q in qs.questions] == ["Q1", "Q5"]
    assert [str(p) for p in qs.problems] == [
        "dòng 3: thiếu câu hỏi",
        "dòng 4: trùng id «Q1» (đã có ở dòng 2)",
        "dòng 5: kế hoạch «lam-dong» (cột kế hoạch) không khớp kế hoạch nào",
    ]
    q1, q5 = qs.questions
    assert q1.plans == ("ha-noi",) and q1.gold[0].plan == "ha-noi" and q1.gold[0].quote == "bố trí kinh phí"
    assert q1.must_mention == (("Sở Tài chính", "STC"), ("kinh phí",))
    assert q5.plans == ("dong-nai", "ha-noi") and q5.history == ("Hà Nội giao ai?", "Sở nào chủ trì?")
    assert q5.gold[0].plan == "dong-nai" and q5.answerable
    assert any("Ghi chú" in n for n in qs.notes)  # the unknown column is named, not an error


def test_xlsx_with_vietnamese_headers_and_bad_rows():
    _check(parse_questions(xlsx_bytes([HEADER, *ROWS]), PLANS, "bo-cau-hoi.xlsx"))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
def test_csv_in_the_encodings_excel_writes(encoding):
    data = to_cp1258(CSV_TEXT) if encoding == "cp1258" else CSV_TEXT.encode(encoding)
    if encoding == "utf-16":  # Excel's "Unicode text": UTF-16 with a BOM, tab-separated
        data = CSV_TEXT.replace('","', '"\t"').encode("utf-16")
    qs = parse_questions(data, PLANS, "bo-cau-hoi.csv")
    _check(qs)
    assert qs.questions[0].question == "Sở Tài chính Hà Nội có nhiệm vụ gì?"  # NFC again after cp1258's marks


def test_semicolon_separated_csv_and_english_headers(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text("ID;Question;Plans;gold_quote;gold_plan;gold_quote 2;gold_plan 2\n"
                    "E1;Who leads?;ha-noi;Sở Tài chính;ha-noi;Sở Tư pháp;dong-nai\n", encoding="utf-8")
    (q,) = load_questions(path, PLANS).questions
    assert [(g.plan, g.quote) for g in q.gold] == [("ha-noi", "Sở Tài chính"), ("dong-nai", "Sở Tư pháp")]


def test_formula_cells_read_as_saved_values_never_computed():
    data = xlsx_bytes([["id", "câu hỏi", "phải nêu"],
                       ["F1", '=CONCATENATE("Sở Tài chính"," Hà Nội làm gì?")', "=1+1"],
                       ["F2", '=WEBSERVICE("http://example.invalid/")', ""]])
    data = with_cached_formula_values(data, {"B2": "Sở Tài chính Hà Nội làm gì?", "C2": "kinh phí"})
    qs = parse_questions(data, PLANS, "f.xlsx")
    (q,) = qs.questions
    assert q.question == "Sở Tài chính Hà Nội làm gì?" and q.must_mention == (("kinh phí",),)
    # a formula no spreadsheet program ever calculated has no value: the row has no question
    assert [str(p) for p in qs.problems] == ["dòng 3: thiếu câu hỏi"]


def test_instructions_sheet_first_then_questions():
    data = xlsx_bytes([["Hướng dẫn"], ["Điền câu hỏi ở trang sau"]], {"Bộ câu hỏi": [["id", "question"], ["A", "?"]]})
    assert [q.id for q in parse_questions(data, PLANS, "x.xlsx").questions] == ["A"]


def test_empty_sheet_and_missing_question_column():
    with pytest.raises(QuestionFileError, match="bảng tính trống"):
        parse_questions(xlsx_bytes([]), PLANS, "empty.xlsx")
    with pytest.raises(QuestionFileError, match="Không tìm thấy cột «câu hỏi».*«tên», «tuổi»"):
        parse_questions(xlsx_bytes([["tên", "tuổi"], ["a", 1]]), PLANS, "x.xlsx")


@pytest.mark.parametrize("data, message", [
    (b"%PDF-1.7\n1 0 obj\n", "không phải bảng tính"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "không phải bảng tính"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "Excel 97-2003"),
    (b"PK\x03\x04 truncated", "bị hỏng"),
    (b"\x00\x01\x02\x03 binary", "nhị phân"),
    ("question\nабв где жзи\n".encode("cp1251"), "bảng mã"),
    (b"", "trống"),
])
def test_files_that_are_not_question_sets_get_a_clear_message(data, message):
    with pytest.raises(QuestionFileError, match=message):
        parse_questions(data, PLANS, "cau-hoi.xlsx")


def test_docx_renamed_xlsx_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "bo-cau-hoi.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(QuestionFileError, match="không phải bảng tính"):
        load_questions(path, PLANS)


def test_ten_thousand_rows_are_refused_above_the_limit():
    rows = [["id", "câu hỏi"]] + [[f"Q{i}", f"Câu hỏi số {i}?"] for i in range(10_000)]
    with pytest.raises(TooManyRows, match="hơn 2.000 câu hỏi"):
        parse_questions(xlsx_bytes(rows), PLANS, "big.xlsx")
    csv_data = "\n".join(",".join(r) for r in rows).encode("utf-8")
    with pytest.raises(TooManyRows):
        parse_questions(csv_data, PLANS, "big.csv")
    jsonl = "\n".join(f'{{"id": "Q{i}", "question": "?"}}' for i in range(10_000)).encode()
    with pytest.raises(TooManyRows):
        parse_questions(jsonl, PLANS, "big.jsonl")
    at_limit = parse_questions("\n".join(",".join(r) for r in rows[:DEFAULT_MAX_ROWS + 1]).encode(), PLANS, "ok.csv")
    assert len(at_limit.questions) == DEFAULT_MAX_ROWS


def test_unanswerable_type_marks_a_question_to_abstain_on():
    qs = parse_questions(xlsx_bytes([["id", "câu hỏi", "loại"], ["U1", "Lâm Đồng giao ai?", "Không có đáp án"],
                                     ["U2", "Hà Nội giao ai?", "agency"]]), PLANS, "x.xlsx")
    u1, u2 = qs.questions
    assert u1.unanswerable and not u2.unanswerable and not u2.answerable
