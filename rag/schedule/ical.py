"""The timeline as an iCalendar file an official imports into their calendar (``icalendar``).

One all-day event per task that falls on a day: a date on that day; a month, quarter, year or range on its
last day (the day it is due); a yearly deadline with a day or month ("trước ngày 30/11 hằng năm", "Tháng 6
hằng năm") as a recurring event (``RRULE:FREQ=YEARLY``) from the first year of its period to the last.
"Thường xuyên", "định kỳ" with no day, and deadlines relative to an event fall on no day and are left out
(they stay in the spreadsheet). Each event names the plan, the clause address and the plan's wording.
"""
from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone

from rag.structure.deadlines import DeadlineKind, Frequency
from rag.schedule.timeline import TimelineRow

PRODID = "-//rag-kehoach//Lich thuc hien//VI"


def _uid(row: TimelineRow) -> str:
    t = row.task
    key = f"{t.plan_id}|{t.address}|{t.deadline.text}|{t.deadline.kind.value}"
    return hashlib.sha1(key.encode()).hexdigest()[:20] + "@rag-kehoach"


def in_calendar(row: TimelineRow) -> bool:
    d = row.task.deadline
    if d.kind in (DeadlineKind.DATE, DeadlineKind.MONTH, DeadlineKind.HALF, DeadlineKind.QUARTER, DeadlineKind.YEAR,
                  DeadlineKind.RANGE):
        return d.end is not None
    return d.kind is DeadlineKind.RECURRING and d.frequency is Frequency.YEARLY and d.month is not None


def timeline_ics(rows: list[TimelineRow], name: str = "Lịch thực hiện kế hoạch") -> bytes:
    from icalendar import Calendar, Event, vRecur

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    seen: set[str] = set()
    for row in rows:
        if not in_calendar(row):
            continue
        uid = _uid(row)
        if uid in seen:
            continue
        seen.add(uid)
        t, d = row.task, row.task.deadline
        ev = Event()
        ev.add("uid", uid)
        ev.add("dtstamp", stamp)
        summary = t.text if len(t.text) <= 120 else t.text[:117].rstrip() + "…"
        ev.add("summary", f"[{t.plan_name}, {t.address}] {summary}")
        lines = [t.text, "", f"Kế hoạch: {t.plan_name}, điều khoản {t.address}",
                 f"Thời hạn (nguyên văn): {d.text}", f"Thời hạn (đã đọc): {d.describe()}"]
        if t.lead_names:
            lines.append(f"Chủ trì / thực hiện: {t.lead_names}")
        if t.partner_names:
            lines.append(f"Phối hợp: {t.partner_names}")
        ev.add("description", "\n".join(lines))
        ev.add("categories", [d.kind.label])
        if d.kind is DeadlineKind.RECURRING:
            first_year = d.start.year if d.start else date.today().year
            first = d.due_dates(date(first_year, 1, 1), date(first_year, 12, 31))[0]
            ev.add("dtstart", first)
            ev.add("dtend", first + timedelta(days=1))
            rule = {"freq": "yearly"}
            if d.end:
                rule["until"] = d.end
            ev.add("rrule", vRecur(rule))
        else:
            ev.add("dtstart", d.end)
            ev.add("dtend", d.end + timedelta(days=1))
        cal.add_component(ev)
    return cal.to_ical()
