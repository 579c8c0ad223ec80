"""The plan itself: its number, date, issuer, signer and recipients, quoted from its front
matter (the ``VB.*`` clauses). A field the plan leaves blank is said to be blank."""
from __future__ import annotations

import re

from rag.answer.composers.base import Abstention, Composed, Context
from rag.answer.evidence import best_segments
from rag.retrieval.analysis import FrontField
from rag.retrieval.lookup import decision_opening, front_address
from rag.models import ClauseLevel
from rag.structure.agencies import find_agencies
from rag.text import fold

_LABEL = {FrontField.NUMBER: "số hiệu", FrontField.DATE: "ngày ban hành", FrontField.ISSUER: "cơ quan ban hành",
          FrontField.SIGNER: "người ký", FrontField.RECIPIENTS: "nơi nhận", FrontField.PERIOD: "giai đoạn",
          FrontField.BASIS: "căn cứ", FrontField.TITLE: "tên kế hoạch"}


def _blank(field: FrontField, text: str) -> bool:
    """The field is printed but not filled in ("Số: /KH-UBND", "ngày tháng năm 2026")."""
    if field is FrontField.NUMBER:
        return not re.search(r"\d", text.split("/")[0])
    if field is FrontField.DATE:
        return not re.search(r"\d", text.replace(text.split(",")[0], "", 1))
    return False


def _partial_date(text: str) -> str:
    """What a date line leaves blank ("ngày tháng 8 năm 2022": the day)."""
    missing = [part for part, pattern in (("ngày", r"ngày\s+\d"), ("tháng", r"tháng\s+\d")) if not re.search(pattern, text)]
    return f" (kế hoạch để trống {' và '.join(missing)})" if missing else ""


def _naming(plan, name: str):
    """The first opening paragraph that names ``name``, in full or by an alias ("UBND tỉnh …" for
    "Ủy ban nhân dân tỉnh …"; None when none does)."""
    if not name:
        return None
    want, keys = fold(name), set(find_agencies(name))
    opening = [c for c in plan.clauses if c.level is ClauseLevel.PREAMBLE]
    return (next((c for c in opening if want in fold(c.text)), None)
            or next((c for c in opening if keys and keys <= set(find_agencies(c.text))), None))


class FrontMatterComposer:
    def compose(self, ctx: Context):
        fields = [f for f in ctx.analysis.front if f in _LABEL]
        if not fields:
            return None
        plan_ids = ctx.plans_asked()
        lines: list[str] = []
        gaps: list[str] = []
        related = []
        for plan_id in plan_ids:
            plan = ctx.labels.indexes[plan_id].plan
            have = ctx.labels.indexes[plan_id].by_address
            said = []
            quoted: set[str] = set()
            for field in fields:
                clause = have.get(front_address(field) or "")
                if field in (FrontField.PERIOD, FrontField.BASIS, FrontField.TITLE):  # the opening paragraph
                    clause = decision_opening(plan)  # states them; the one search is given first (rag.retrieval.lookup)
                if field is FrontField.ISSUER and clause is None:  # "UBND … ban hành Kế hoạch" in the opening
                    clause = _naming(plan, plan.info.issuer)
                label = _LABEL[field]
                if clause is None:
                    gaps.append(f"{ctx.short(plan_id)} không ghi {label}")
                    continue
                if _blank(field, clause.text):
                    gaps.append(f"{ctx.short(plan_id)} để trống {label} («{clause.text}»)")
                    related.append(clause)
                    continue
                mark = ctx.cited.mark(plan_id, clause)
                value = ""
                if field is FrontField.SIGNER and plan.signer:
                    value = f"{plan.signer}" + (f" ({plan.signer_title.capitalize()})" if plan.signer_title else "") + " — "
                if field is FrontField.TITLE:  # the name the plan is listed under, beside the paragraph that issues it
                    title = f"{plan.info.title} — " if plan.info.title else ""
                    said.append(f"- {label.capitalize()}: {title}«{best_segments(ctx.question, clause.text, keep=1)}» {mark}")
                    continue
                if field in (FrontField.PERIOD, FrontField.BASIS):
                    value = f"{plan.info.period}" if plan.info.period and field is FrontField.PERIOD else ""
                    quote = best_segments(ctx.question, clause.text, keep=1)
                    if quote in quoted and value:  # the basis quoted just above states the period too
                        said.append(f"- {label.capitalize()}: {value} {mark}")
                    else:
                        said.append(f"- {label.capitalize()}: {value + ' — ' if value else ''}«{quote}» {mark}")
                    quoted.add(quote)
                    continue
                note = _partial_date(clause.text) if field is FrontField.DATE else ""
                said.append(f"- {label.capitalize()}: {value}«{clause.text}» {mark}{note}")
            if said:
                lines.append(f"Theo {ctx.short(plan_id)}:")
                lines += said
        if lines:
            if gaps:
                lines.append(f"({'; '.join(gaps)}.)")
            return Composed(lines)
        return Abstention("Kế hoạch không nêu thông tin này: " + "; ".join(gaps) + ".", (), "front-matter-blank")
