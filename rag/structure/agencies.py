"""The one alias table for agencies: every spelling of an agency maps to one key.

The same table serves the parser (who is responsible for a clause), the lexical index
(abbreviations typed in questions) and the agency view of the chat.
Matching is done on folded text (see ``rag.text.fold``), so case, diacritics and
punctuation differences ("Sở LĐ-TB&XH", "Sở Lao động, Thương binh và Xã hội") do not matter.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rag.text import fold


@dataclass(frozen=True)
class Agency:
    key: str
    name: str
    aliases: tuple[str, ...]


AGENCIES: tuple[Agency, ...] = (
    Agency("so-tttt", "Sở Thông tin và Truyền thông",
           ("Sở Thông tin và Truyền thông", "Sở TT&TT", "Sở TTTT", "Sở TT-TT", "Sở Thông tin - Truyền thông")),
    Agency("so-ldtbxh", "Sở Lao động - Thương binh và Xã hội",
           ("Sở Lao động - Thương binh và Xã hội", "Sở Lao động Thương binh và Xã hội", "Sở LĐ-TB&XH",
            "Sở LĐTBXH", "Sở LĐ-TBXH", "Sở LĐTB&XH")),
    Agency("so-gddt", "Sở Giáo dục và Đào tạo",
           ("Sở Giáo dục và Đào tạo", "Sở GD&ĐT", "Sở GDĐT", "Sở GD-ĐT", "Sở Giáo dục - Đào tạo")),
    Agency("cong-an", "Công an tỉnh/thành phố",
           ("Công an tỉnh", "Công an Thành phố", "CA tỉnh", "CA thành phố", "CA TP", "Công an TP")),
    Agency("cong-an-huyen", "Công an cấp huyện",
           ("Công an các quận, huyện, thị xã", "Công an các quận, huyện", "Công an các huyện, thành phố",
            "Công an cấp huyện")),
    Agency("cong-an-xa", "Công an cấp xã",
           ("Công an các xã, phường, thị trấn", "Công an các xã, phường", "Công an cấp xã")),
    Agency("so-tai-chinh", "Sở Tài chính", ("Sở Tài chính", "Sở TC")),
    Agency("so-khdt", "Sở Kế hoạch và Đầu tư", ("Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", "Sở KHĐT", "Sở KH-ĐT")),
    Agency("so-yte", "Sở Y tế", ("Sở Y tế",)),
    Agency("so-vhttdl", "Sở Văn hóa, Thể thao và Du lịch",
           ("Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hoá, Thể thao và Du lịch", "Sở VHTTDL", "Sở VH-TT&DL",
            "Sở VHTT&DL", "Sở VH,TT&DL")),
    Agency("so-khcn", "Sở Khoa học và Công nghệ", ("Sở Khoa học và Công nghệ", "Sở KH&CN", "Sở KHCN")),
    Agency("so-tu-phap", "Sở Tư pháp", ("Sở Tư pháp",)),
    Agency("so-ngoai-vu", "Sở Ngoại vụ", ("Sở Ngoại vụ",)),
    Agency("ubnd-tinh", "UBND tỉnh/thành phố",
           ("UBND tỉnh", "Ủy ban nhân dân tỉnh", "UBND Thành phố", "Ủy ban nhân dân thành phố")),
    Agency("ubnd-huyen", "UBND cấp huyện",
           ("UBND các huyện, thành phố", "Ủy ban nhân dân các huyện, thành phố",
            "Ủy ban nhân dân các huyện và thành phố", "UBND các huyện và thành phố",
            "UBND các quận, huyện, thị xã", "Ủy ban nhân dân các quận, huyện, thị xã",
            "UBND quận, huyện, thị xã", "UBND huyện, thành phố", "UBND cấp huyện")),
    Agency("ubnd-xa", "UBND cấp xã",
           ("UBND các xã, phường", "Ủy ban nhân dân các xã, phường", "UBND các xã, phường, thị trấn",
            "Ủy ban nhân dân các xã, phường, thị trấn", "UBND cấp xã")),
    Agency("toa-an", "Tòa án nhân dân",
           ("Tòa án nhân dân tỉnh", "Toà án nhân dân tỉnh", "Tòa án nhân dân Thành phố", "Toà án nhân dân thành phố",
            "TAND tỉnh", "TAND thành phố", "TAND TP", "Tòa án nhân dân")),
    Agency("vien-kiem-sat", "Viện kiểm sát nhân dân",
           ("Viện kiểm sát nhân dân tỉnh", "Viện kiểm sát nhân dân Thành phố", "Viện KSND tỉnh", "VKSND tỉnh",
            "Viện KSND thành phố", "VKSND", "Viện kiểm sát nhân dân")),
    Agency("mttq", "Ủy ban Mặt trận Tổ quốc Việt Nam",
           ("Ủy ban Mặt trận Tổ quốc Việt Nam", "Ủy ban Mặt trận Tổ quốc", "Uỷ ban Mặt trận Tổ quốc", "UBMTTQ",
            "UBMTTQVN", "Ủy ban MTTQ", "MTTQ")),
    Agency("to-chuc-ct-xh", "Các tổ chức chính trị - xã hội",
           ("các tổ chức chính trị - xã hội", "tổ chức chính trị - xã hội", "các tổ chức thành viên",
            "các đoàn thể chính trị")),
    Agency("doan-thanh-nien", "Đoàn TNCS Hồ Chí Minh",
           ("Đoàn TNCS Hồ Chí Minh", "Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Đoàn Thanh niên", "Thành đoàn",
            "Tỉnh đoàn")),
    Agency("ban-tuyen-giao", "Ban Tuyên giáo Tỉnh ủy/Thành ủy",
           ("Ban Tuyên giáo Tỉnh ủy", "Ban Tuyên giáo Thành ủy", "Ban Tuyên giáo")),
    Agency("bao-chi", "Báo chí",
           ("Báo Lai Châu", "Báo Ninh Thuận", "Báo và phát thanh, truyền hình", "các cơ quan báo chí",
            "cơ quan báo chí", "các cơ quan thông tấn, báo chí")),
    Agency("dai-ptth", "Đài Phát thanh và Truyền hình",
           ("Đài Phát thanh và Truyền hình", "Đài PTTH", "Đài PT-TH", "Đài PT&TH")),
    Agency("cac-so-nganh", "Các sở, ban, ngành",
           ("Các sở, ban, ngành", "Các Sở, ban, ngành có liên quan", "Các sở ban ngành")),
    Agency("bo-tttt", "Bộ Thông tin và Truyền thông", ("Bộ Thông tin và Truyền thông", "Bộ TT&TT", "Bộ TTTT")),
    Agency("bo-ldtbxh", "Bộ Lao động - Thương binh và Xã hội",
           ("Bộ Lao động - Thương binh và Xã hội", "Bộ LĐ-TB&XH", "Bộ LĐTBXH")),
    Agency("bo-gddt", "Bộ Giáo dục và Đào tạo", ("Bộ Giáo dục và Đào tạo", "Bộ GD&ĐT", "Bộ GDĐT")),
    Agency("bo-cong-an", "Bộ Công an", ("Bộ Công an",)),
    Agency("bo-y-te", "Bộ Y tế", ("Bộ Y tế",)),
    Agency("doanh-nghiep", "Doanh nghiệp viễn thông, công nghệ",
           ("Các doanh nghiệp cung cấp dịch vụ viễn thông", "Các doanh nghiệp thuộc lĩnh vực viễn thông",
            "Các doanh nghiệp thuộc lĩnh vực Thông tin và Truyền thông", "doanh nghiệp viễn thông",
            "doanh nghiệp cung cấp dịch vụ", "Các doanh nghiệp")),
)

_BY_KEY = {a.key: a for a in AGENCIES}


@lru_cache(maxsize=1)
def _folded_aliases() -> list[tuple[str, str]]:
    """(folded alias, key), longest first so that the most specific alias wins."""
    pairs = {(fold(alias), a.key) for a in AGENCIES for alias in (*a.aliases, a.name)}
    return sorted(pairs, key=lambda p: -len(p[0]))


def agency_name(key: str) -> str:
    return _BY_KEY[key].name if key in _BY_KEY else key


def find_agencies(text: str) -> tuple[str, ...]:
    """Every agency named in ``text``, in order of first mention, each key once.

    A longer alias consumes its words, so 'Công an các quận, huyện, thị xã' is not also
    read as 'Công an' of the province.
    """
    folded = f" {fold(text)} "
    found: list[tuple[int, str]] = []
    for alias, key in _folded_aliases():
        needle = f" {alias} "
        start = folded.find(needle)
        while start != -1:
            if key not in (k for _, k in found):
                found.append((start, key))
            # blank the match so shorter aliases inside it do not match again
            folded = folded[:start + 1] + "#" * len(alias) + folded[start + 1 + len(alias):]
            start = folded.find(needle)
    return tuple(key for _, key in sorted(found))
