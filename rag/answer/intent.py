"""What a question asks for: who does it, everything an agency or schools must do, a
specific value (a number with its unit, an amount of money, a date, a name), a comparison,
or plain content. Rules on the folded question; no model."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rag.structure.agencies import find_agencies
from rag.text import fold, looks_english

_WHO_RE = re.compile(r"\b(co quan nao|don vi nao|so nao|luc luong nao|ai (?:chu tri|phoi hop|thuc hien|phu trach|chiu trach nhiem|lam)"
                     r"|ai la|giao cho ai|cua ai|nhung co quan|nhung don vi|nhung ai|co quan chu tri|chu tri la|which|who)\b")
_PARTNER_RE = re.compile(r"\b(phoi hop|ai phoi hop|co quan phoi hop)\b")
_DEADLINE_RE = re.compile(r"\b(thoi han|khi nao|bao gio|han chot|deadline|truoc ngay|ngay nao|nam nao|thang nao|dinh ky|thoi gian thuc hien)\b")
_DUTIES_RE = re.compile(r"\b(phai lam gi|can lam gi|lam gi|nhiem vu gi|nhung nhiem vu|nhiem vu nao|trach nhiem gi|duoc giao gi"
                        r"|duoc giao nhung gi|giao nhung gi|giao nhiem vu gi|co nhiem vu|nhung viec gi|viec gi|ky vong gi"
                        r"|duoc yeu cau gi|what .* (?:do|must))\b")
_SCHOOL_RE = re.compile(r"\b(nha truong|truong hoc|(?<!moi )truong|giao vien|thay co|hieu truong|hoc sinh|co so giao duc|nganh giao duc"
                        r"|mam non|tieu hoc|trung hoc|school|teacher)\b")
_COMPARE_RE = re.compile(r"\b(khac nhau|khac biet|so sanh|giong nhau|diem khac|diem chung|lan luot|ca hai|compare|differ)\b")
_ABOUT_PLAN_RE = re.compile(r"\b(quyet dinh nao|can cu (?:vao )?(?:quyet dinh|van ban) nao|trien khai quyet dinh|thuc hien quyet dinh"
                            r"|ke hoach (?:nay )?(?:cho |thuoc )?giai doan nao|ai ky|nguoi ky ke hoach|so hieu|ke hoach so may|co quan ban hanh ke hoach)\b")
_INJECTION_RE = re.compile(r"(bo qua (?:cac |moi |tat ca )?(?:huong dan|chi dan|lenh|yeu cau)|ignore (?:all |the |previous |prior )*instructions"
                           r"|system prompt|prompt he thong|in ra (?:prompt|huong dan)|print your|you are now|dong vai|jailbreak"
                           r"|developer mode|quen (?:het|moi) (?:huong dan|chi dan))")

# "bao nhiêu / mấy / tối đa … <unit>": units that a plan would state with a number
_COUNT_UNITS = ("gio", "tieng", "phut", "ngay", "tuan", "thang", "lop", "buoi", "lan", "luot", "khoa", "cuoc", "nguoi",
                "hoc sinh", "giao vien", "tiet", "bai", "truong", "xa", "nam")
_MONEY_RE = re.compile(r"\b(muc phat|phat tien|so tien|bao nhieu tien|bao nhieu dong|kinh phi bao nhieu|tong kinh phi"
                       r"|bao nhieu ty|bao nhieu trieu|muc chi|dinh muc)\b")
_PERCENT_RE = re.compile(r"\b(bao nhieu phan tram|ty le|phan tram|bao nhieu %)")
_NAME_RE = re.compile(r"\b(ten (?:phan mem|ung dung|chuong trinh|nen tang|cong cu|trang web|website)|(?:phan mem|ung dung|nen tang|cong cu)"
                      r" [\w ]{0,30}cu the|ten cu the)\b")
_HOW_MANY_RE = re.compile(r"\b(bao nhieu|may|toi da|toi thieu|it nhat)\s+((?:\w+\s+){0,2}\w+)")


@dataclass(frozen=True)
class Intent:
    kind: str  # agency | duties | value | comparison | content
    agencies: tuple[str, ...] = ()  # every agency the question names
    subjects: tuple[str, ...] = ()  # those it asks about (named before "cơ quan nào …", or all)
    asks_who: bool = False
    asks_partners: bool = False
    asks_deadline: bool = False
    school: bool = False
    value: str | None = None  # "unit:<folded unit>" | "money" | "percent" | "name" | "date"
    claimed_role: str | None = None  # "partner" | "lead": the role the question says an agency has
    english: bool = False
    injection: bool = False
    about_plan: bool = False  # asks what the plan itself is: its basis (decision), period, issuer


def _value_asked(folded: str) -> str | None:
    if _MONEY_RE.search(folded):
        return "money"
    if _PERCENT_RE.search(folded):
        return "percent"
    if _NAME_RE.search(folded):
        return "name"
    for m in _HOW_MANY_RE.finditer(folded):
        words = m.group(2)
        for unit in sorted(_COUNT_UNITS, key=len, reverse=True):
            if re.search(rf"\b{unit}\b", words):
                return f"unit:{unit}"
    return None


def _claimed_role(folded: str) -> str | None:
    if re.search(r"\b(chi (?:la (?:don vi|co quan) )?phoi hop|chi tham gia phoi hop|khong chu tri|chi ho tro)\b", folded):
        return "partner"
    if re.search(r"\b(chi (?:la (?:don vi|co quan) )?chu tri|khong phoi hop)\b", folded):
        return "lead"
    return None


# words every question about these plans may use without narrowing it to one task
_GENERIC = set("""ke hoach theo cua trong tinh thanh pho nhung gi nao co duoc giao nhiem vu trach nhiem phai lam can ve
cac la va o tai gi nhe cho voi nguoi de nghi thuc hien bao tre em moi truong mang khong gian tren so
nha truong truong hoc giao vien hoc sinh nganh giao duc cac co quan don vi the thi ra sao""".split())


@lru_cache(maxsize=1)
def _agency_names_re() -> re.Pattern:
    """Every folded agency alias, longest first, as one pattern."""
    from rag.structure.agencies import all_agencies

    aliases = sorted({fold(a) for ag in all_agencies() for a in (*ag.aliases, ag.name)}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(a) for a in aliases) + r")\b")


def _specific_words(question: str, folded: str, duty: re.Match) -> int:
    """Content words of the question besides the agency, the plan and the duty phrase."""
    text = _agency_names_re().sub(" ", folded[:duty.start()] + " " + folded[duty.end():])
    words = [w for w in text.split() if w not in _GENERIC and not w.isdigit() and len(w) > 1]
    return len(words)


def question_prefix_agencies(question: str, folded_prefix: str) -> tuple[str, ...]:
    """Agencies named in the part of the question before the position of ``folded_prefix``'s end."""
    return find_agencies(folded_prefix) if folded_prefix.strip() else ()


def read_intent(question: str, plans_named: int = 0) -> Intent:
    folded = fold(question)
    english = looks_english(question)
    agencies = find_agencies(question)
    school = bool(_SCHOOL_RE.search(folded))
    value = _value_asked(folded)
    who = _WHO_RE.search(folded)
    asks_who = bool(who)
    subjects = agencies
    if who and agencies:
        before = question_prefix_agencies(question, folded[:who.start()])
        subjects = tuple(a for a in agencies if a in before)
    duty = _DUTIES_RE.search(folded)
    # "X phải làm gì?" asks for everything; "X phải làm gì để đảm bảo an toàn khi học trực tuyến?" does not
    duties = bool(duty) and not asks_who and value is None and _specific_words(question, folded, duty) < 3
    comparison = plans_named >= 2 or bool(_COMPARE_RE.search(folded))
    if comparison and plans_named >= 2:
        kind = "comparison"
    elif value:
        kind = "value"
    elif duties and (agencies or school):
        kind = "duties"
    elif asks_who:
        kind = "agency"
    else:
        kind = "content"
    return Intent(
        kind=kind, agencies=agencies, subjects=subjects, asks_who=asks_who, asks_partners=bool(_PARTNER_RE.search(folded)),
        asks_deadline=bool(_DEADLINE_RE.search(folded)), school=school, value=value,
        claimed_role=_claimed_role(folded) if agencies else None, english=english,
        injection=bool(_INJECTION_RE.search(folded)), about_plan=bool(_ABOUT_PLAN_RE.search(folded)),
    )


def strip_injection(question: str) -> str:
    """The question without the sentences that try to change the assistant's instructions."""
    sentences = re.split(r"(?<=[.!?;\n])\s+", question)
    kept = [s for s in sentences if not _INJECTION_RE.search(fold(s))]
    return " ".join(kept).strip()
