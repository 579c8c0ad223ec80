"""Query expansion: abbreviations and everyday paraphrases people type, mapped to the
words the plans use. Agency abbreviations come from the one alias table
(``rag.structure.agencies``); the rest is the general vocabulary below."""
from __future__ import annotations

import re
from functools import lru_cache

from rag.structure.agencies import AGENCIES
from rag.text import fold

# (phrases as typed, folded matching) -> words of the plans
ABBREVIATIONS: dict[tuple[str, ...], str] = {
    ("GD&ĐT", "GDĐT", "GD-ĐT", "GD ĐT"): "giáo dục và đào tạo",
    ("TT&TT", "TTTT", "TT-TT"): "thông tin và truyền thông",
    ("LĐTBXH", "LĐ-TB&XH", "LĐ-TBXH", "LĐTB&XH", "LĐ TB XH"): "lao động thương binh và xã hội",
    ("UBND",): "ủy ban nhân dân",
    ("HĐND",): "hội đồng nhân dân",
    ("MTTQ", "UBMTTQ"): "mặt trận tổ quốc",
    ("TNCS",): "thanh niên cộng sản",
    ("PTTH", "PT-TH", "PT&TH"): "phát thanh và truyền hình",
    ("VHTTDL", "VH-TT&DL", "VHTT&DL"): "văn hóa thể thao và du lịch",
    ("KH&CN", "KHCN"): "khoa học và công nghệ",
    ("KH&ĐT", "KHĐT"): "kế hoạch và đầu tư",
    ("THCS",): "trung học cơ sở",
    ("THPT",): "trung học phổ thông",
    ("CNTT",): "công nghệ thông tin",
    ("ATTT",): "an toàn thông tin",
    ("TAND",): "tòa án nhân dân",
    ("VKSND", "VKS"): "viện kiểm sát nhân dân",
    ("QĐ-TTg", "QĐ"): "quyết định",
    ("TP",): "thành phố",
    ("AI",): "trí tuệ nhân tạo",
}
# abbreviations that are also ordinary words are matched case-sensitively as typed
_CASE_SENSITIVE = {"CA": "công an", "AI": "trí tuệ nhân tạo", "TP": "thành phố"}

PARAPHRASES: dict[tuple[str, ...], str] = {
    ("học online", "học trực tuyến", "dạy online", "học qua mạng", "lớp học online", "học từ xa"): "dạy học trực tuyến",
    ("online",): "trực tuyến",
    ("đường dây nóng", "hotline", "số điện thoại khẩn", "gọi điện báo"): "đường dây nóng Tổng đài điện thoại quốc gia bảo vệ trẻ em 111",
    ("111",): "Tổng đài điện thoại quốc gia bảo vệ trẻ em",
    ("game", "chơi game", "trò chơi trực tuyến", "game online"): "trò chơi điện tử",
    ("facebook", "tiktok", "zalo", "youtube", "mxh"): "mạng xã hội",
    ("internet", "trên mạng", "không gian mạng"): "môi trường mạng",
    ("tiền", "ngân sách", "chi phí", "nguồn vốn", "kinh phí"): "kinh phí ngân sách nguồn",
    ("phụ huynh", "bố mẹ", "ba mẹ"): "cha mẹ gia đình",
    ("thầy cô", "giáo viên"): "giáo viên nhà trường",
    ("trường học", "nhà trường", "trường", "học sinh"): "cơ sở giáo dục nhà trường học sinh",
    ("hạn chót", "deadline", "khi nào", "bao giờ", "thời hạn", "đến bao giờ"): "thời hạn thực hiện thường xuyên",
    ("báo cáo",): "chế độ báo cáo",
    ("bắt nạt", "quấy rối", "lạm dụng", "dụ dỗ", "lừa đảo"): "xâm hại trẻ em",
    ("tố cáo", "báo tin", "trình báo", "phản ánh"): "tố giác tin báo tiếp nhận phản ánh",
    ("chỉ tiêu", "mục tiêu", "bao nhiêu phần trăm", "phần trăm", "tỷ lệ"): "mục tiêu cụ thể 100%",
    ("ai chủ trì", "ai phụ trách", "ai chịu trách nhiệm", "đơn vị nào", "cơ quan nào"): "chủ trì",
    ("ai phối hợp",): "phối hợp",
    ("nước ngoài", "quốc tế"): "hợp tác quốc tế",
    ("tư vấn tâm lý",): "tư vấn hỗ trợ tâm lý",
}


@lru_cache(maxsize=1)
def _table() -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for agency in AGENCIES:
        for alias in agency.aliases:
            if fold(alias) != fold(agency.name):
                pairs.append((fold(alias), agency.name))
    for table in (ABBREVIATIONS, PARAPHRASES):
        for phrases, expansion in table.items():
            for phrase in phrases:
                if phrase not in _CASE_SENSITIVE:
                    pairs.append((fold(phrase), expansion))
    return sorted(set(pairs), key=lambda p: -len(p[0]))


def expand_query(question: str) -> str:
    """The words to add to ``question`` for lexical matching ('' when nothing applies)."""
    folded = f" {fold(question)} "
    extra: list[str] = []
    for phrase, expansion in _table():
        if f" {phrase} " in folded and expansion not in extra:
            extra.append(expansion)
    for token, expansion in _CASE_SENSITIVE.items():
        if re.search(rf"(?<![\w&]){token}(?![\w&])", question) and expansion not in extra:
            extra.append(expansion)
    return " ".join(extra)
