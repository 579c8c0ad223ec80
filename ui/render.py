"""HTML and table rendering for the page. Everything shown from a plan or a user is escaped;
only the markup built here is HTML."""
from __future__ import annotations

import html
import re

from rag.structure.assignments import Assignment, PlanIndex
from rag.models import Answer, Corpus
from rag.sheets import csv_text

_QUOTE_RE = re.compile(r"«([^»]*)»\s*\[(\d+)\]")


def quoted_spans(answer: Answer) -> dict[int, list[str]]:
    """For each citation number, the verbatim pieces the answer quotes from it."""
    spans: dict[int, list[str]] = {}
    for quote, mark in _QUOTE_RE.findall(answer.answer):
        for piece in quote.split("…"):
            piece = piece.strip()
            if len(piece) > 3:
                spans.setdefault(int(mark), []).append(piece)
    return spans


def highlight(text: str, pieces: list[str]) -> str:
    """Escaped ``text`` with each quoted piece wrapped in <mark>."""
    marks: list[tuple[int, int]] = []
    for piece in pieces:
        start = text.find(piece)
        if start >= 0:
            marks.append((start, start + len(piece)))
    out, pos = [], 0
    for start, end in sorted(marks):
        if start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def low_evidence(answer: Answer) -> bool:
    """Abstained, or the cited clauses were not among the best-ranked passages."""
    if answer.abstained or not answer.citations:
        return True
    top = {(h.passage.plan_id, h.passage.clause) for h in answer.retrieved[:5]}
    return not any((c.plan_id, c.clause) in top for c in answer.citations)


def _context(corpus: Corpus, indexes: dict[str, PlanIndex], plan_id: str, address: str) -> str:
    """The clause in its place: its headings, then its siblings, the cited one highlighted."""
    idx = indexes[plan_id]
    clause = idx.by_address.get(address)
    if clause is None:
        return ""
    rows = [f"<div class='ctx-head'>{html.escape(h)}</div>" for h in clause.path]
    siblings = [c for c in idx.plan.clauses if c.parent == clause.parent and c.level == clause.level] or [clause]
    for s in siblings:
        text = s.text if len(s.text) <= 220 or s.address == address else s.text[:220].rsplit(" ", 1)[0] + "…"
        cls = "ctx-item ctx-current" if s.address == address else "ctx-item"
        rows.append(f"<div class='{cls}'><b>{html.escape(s.address)}</b> {html.escape(text)}</div>")
    return "".join(rows)


def sources_html(answer: Answer | None, corpus: Corpus, indexes: dict[str, PlanIndex]) -> str:
    if answer is None:
        return "<div class='sources-empty'>Nguồn trích dẫn sẽ hiện ở đây sau khi bạn đặt câu hỏi.</div>"
    parts = []
    if low_evidence(answer):
        parts.append("<div class='low-evidence'>⚠ Bằng chứng yếu: các kế hoạch không trả lời trực tiếp câu hỏi này. "
                     "Hãy đọc kỹ các điều khoản bên dưới (nếu có).</div>")
    spans = quoted_spans(answer)
    ranks = {(h.passage.plan_id, h.passage.clause): h.rank for h in answer.retrieved}
    for i, c in enumerate(answer.citations, start=1):
        rank = ranks.get((c.plan_id, c.clause))
        relevance = f"hạng tìm kiếm {rank}" if rank else "ngoài 10 đoạn đầu"
        parts.append(
            f"<div class='source' id='source-{i}'>"
            f"<div class='source-title'>[{i}] {html.escape(c.short_name)} — <b>{html.escape(c.clause)}</b>"
            f" <span class='relevance'>({relevance})</span></div>"
            f"<div class='source-path'>{html.escape(c.path)}</div>"
            f"<div class='source-text'>{highlight(c.text, spans.get(i, [c.text]))}</div>"
            f"<details><summary>Xem trong kế hoạch</summary>"
            f"<div class='context'>{_context(corpus, indexes, c.plan_id, c.clause)}</div></details>"
            f"</div>")
    if not answer.citations:
        parts.append("<div class='sources-empty'>Không có điều khoản nào được trích dẫn.</div>")
    return "".join(parts)


def _distress_card(text: str) -> str | None:
    """A distress answer (``rag/answer/composers/distress.py``) as its card, in a box, then what the
    plans say folded under a ``<details>`` (so 111 is on the first screen of a phone); None for any
    other answer. ``text`` is already escaped."""
    from rag.answer.composers.distress import card_headings

    card_title, plans_title = (html.escape(h) for h in card_headings())
    lines = text.split("\n")
    if not lines or lines[0].strip() != card_title or plans_title not in lines:
        return None
    cut = lines.index(plans_title)
    card = "  \n".join(line for line in lines[:cut] if line.strip())
    rest = "  \n".join(line for line in lines[cut + 1:] if line.strip())
    summary = plans_title.strip("*:")
    return (f"<div class=\"distress-card\">\n\n{card}\n\n</div>\n\n"
            f"<details class=\"distress-plans\"><summary>{summary} (bấm để xem)</summary>\n\n{rest}\n\n</details>")


def answer_markdown(answer: Answer) -> str:
    """The answer as chat markdown: the text (escaped), then a compact list of sources."""
    escaped = html.escape(answer.answer)
    card = _distress_card(escaped)
    body = card if card is not None else escaped.replace("\n", "  \n")
    if answer.abstained and card is None:  # a card leads with what to do; its refusal is folded under it
        body = f"⚠️ {body}"
    if len(answer.citations) > 5:
        body += f"\n\n**Nguồn:** {len(answer.citations)} điều khoản — xem khung «Nguồn trích dẫn» bên cạnh."
    elif answer.citations:
        refs = "  \n".join(f"[{i}] {html.escape(c.short_name)}, {html.escape(c.clause)}"
                           for i, c in enumerate(answer.citations, start=1))
        body += f"\n\n**Nguồn:**  \n{refs}"
    return body


TABLE_HEADERS = ["Kế hoạch", "Điều khoản", "Vai trò", "Nhiệm vụ", "Thời hạn"]


def agency_rows(found: list[Assignment], corpus: Corpus) -> list[list[str]]:
    return [[corpus.plan(a.plan_id).info.short_name, a.clause.address, a.role, a.task, a.deadline or "—"]
            for a in found]


def rows_to_csv(rows: list[list[str]]) -> str:
    """The agency table as CSV, through the product's one spreadsheet writer (plan text that starts
    with ``=``, ``+``, ``-`` or ``@`` stays text)."""
    return csv_text(TABLE_HEADERS, rows)


def find_agencies(typed: str, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (name, key) choices whose name holds every word typed, compared without diacritics or case
    ("giao duc" finds «Sở Giáo dục và Đào tạo»), best first: a name that starts with the words, then
    the shorter name."""
    from rag.text import fold

    words = fold(typed or "").split()
    if not words:
        return []
    found = []
    for name, key in choices:
        folded = fold(name)
        padded = f" {folded} "
        if all(f" {w}" in padded for w in words):
            found.append((not padded.startswith(f" {words[0]}") and f" {' '.join(words)} " not in padded, len(folded),
                          name, key))
    return [(name, key) for *_, name, key in sorted(found)]
