"""Plan metadata detected from the front matter and the opening paragraph: number, date,
issuer, province or city, the national decision carried out, and the period. The patterns
are data (``rag/lexicon/plan_metadata.toml``); what the user types overrides them."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path

from rag.models import PlanDocument, PlanInfo
from rag.text import fold, squash

_PATTERNS_FILE = Path(__file__).resolve().parent.parent / "lexicon" / "plan_metadata.toml"
_QUOC_HIEU_RE = re.compile(r"^(CỘNG H(OÀ|ÒA) XÃ HỘI|Độc lập)", re.I)
_OPENING_CHARS = 3000  # the opening paragraph: decision and period are looked for here first


@lru_cache(maxsize=1)
def _patterns() -> dict[str, list[re.Pattern] | str]:
    with _PATTERNS_FILE.open("rb") as fh:
        data = tomllib.load(fh)
    return {k: [re.compile(p, re.M) for p in v] if isinstance(v, list) else v for k, v in data.items()}


def _first(name: str, text: str) -> re.Match | None:
    for pattern in _patterns()[name]:
        m = pattern.search(text)
        if m:
            return m
    return None


def _title_case(words: str) -> str:
    """'BÌNH MINH' → 'Bình Minh' (Vietnamese letters keep their marks)."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in words.split())


@dataclass(frozen=True)
class Overrides:
    """Metadata given by the user (``--title`` … or the page's form); empty means 'detect'."""

    id: str = ""
    title: str = ""
    short_name: str = ""
    issuer: str = ""
    number: str = ""
    date: str = ""
    decision: str = ""
    period: str = ""
    province: str = ""

    def apply(self, info: PlanInfo) -> PlanInfo:
        changes = {f.name: getattr(self, f.name).strip() for f in fields(self) if getattr(self, f.name).strip()}
        if "province" in changes and "aliases" not in changes:
            place = changes["province"]
            changes["aliases"] = tuple(dict.fromkeys([place, *(a.replace(info.province, place)
                                                             for a in info.aliases if info.province)]))
        return replace(info, **changes)


def slug(text: str) -> str:
    return re.sub(r"-+", "-", fold(text).replace(" ", "-")).strip("-")


def detect(plan: PlanDocument, text: str, fallback_name: str) -> PlanInfo:
    """A complete manifest entry for ``plan`` from what the text says (file name left blank)."""
    front = [squash(t) for t in plan.front_matter]
    head_lines = [t for t in front if not _QUOC_HIEU_RE.match(t)]
    issuer_lines: list[str] = []
    for line in head_lines:
        if line.startswith("Số") or line == "KẾ HOẠCH" or "ngày" in line:
            break
        issuer_lines.append(line)
    issuer_raw = squash(" ".join(issuer_lines))
    kind, place = "", ""
    m = _first("issuer", issuer_raw)
    if m:
        kind, place = m.group("kind").lower(), _title_case(m.group("place"))
        issuer = f"Ủy ban nhân dân {kind} {place}"
    else:
        issuer = issuer_raw[:1] + issuer_raw[1:].lower() if issuer_raw.isupper() else issuer_raw
    opening = text[:_OPENING_CHARS]
    if not place:
        m = _first("place_in_text", text)
        if m:
            kind, place = m.group("kind").lower(), squash(m.group("place"))
    subtitle = ""
    if "KẾ HOẠCH" in front:
        at = front.index("KẾ HOẠCH")
        subtitle = front[at + 1] if at + 1 < len(front) else ""
    prefix = str(_patterns()["title_prefix"])
    if subtitle:
        title = subtitle if fold(subtitle).startswith(fold(prefix)) else f"{prefix} {subtitle[:1].lower()}{subtitle[1:]}"
    else:
        title = f"{prefix} {place or fallback_name}"
    m = _first("decision", opening) or _first("decision", text)
    decision = re.sub(r"\s+", "", m.group("decision")) if m else ""
    m = _first("period", title) or _first("period", opening)
    if m:
        period = f"{m.group('start')}-{m.group('end')}"
    else:
        year = re.search(r"(?:19|20)\d\d", plan.date or "")
        period = year.group(0) if year else ""
    province = place
    name = province or fallback_name
    short_name = f"KH {name} {plan.number}" if plan.number else f"KH {name} {period}".strip()
    aliases = tuple(dict.fromkeys([province, f"{kind} {province}"])) if province and kind else \
        ((province,) if province else ())
    plan_id = slug("-".join(x for x in (name, period) if x)) or slug(fallback_name) or "ke-hoach"
    return PlanInfo(id=plan_id, file="", title=title, short_name=short_name, issuer=issuer, number=plan.number,
                    date=plan.date, decision=decision, period=period, province=province, aliases=aliases)
