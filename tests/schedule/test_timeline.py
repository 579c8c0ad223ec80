"""The timeline's filters, and its exports read back: the spreadsheet with openpyxl, the calendar with
icalendar and its yearly recurrence expanded by recurring-ical-events."""
from __future__ import annotations

import io
from datetime import date

import pytest

from rag.structure.assignments import LEAD, PARTNER, assignments
from rag.structure.deadlines import DeadlineKind
from rag.schedule.ical import timeline_ics
from rag.schedule.tasks import TaskSource, corpus_tasks
from rag.schedule.timeline import RoleFilter, TimelineQuery, timeline
from rag.schedule.xlsx import HEADERS, timeline_xlsx


def test_agency_rows_match_the_agency_view(corpus):
    """Every duty and row the agency view lists for an agency is in its timeline, with the same role."""
    for key in ("so-gddt", "cong-an", "so-tttt"):
        view = {(a.plan_id, a.clause.address): a.role for a in assignments(corpus, key)}
        rows = {(r.task.plan_id, r.task.address): r.role for r in timeline(corpus, TimelineQuery(agency=key))
                if r.task.source in (TaskSource.ROW, TaskSource.DUTY)}
        assert view == rows, key


def test_lead_and_partner_filters(corpus):
    lead = timeline(corpus, TimelineQuery(agency="so-gddt", role=RoleFilter.LEAD, plans=("ha-noi-2022-2025",)))
    partner = timeline(corpus, TimelineQuery(agency="so-gddt", role=RoleFilter.PARTNER, plans=("ha-noi-2022-2025",)))
    assert {r.task.address for r in lead} >= {"PL.II.3", "PL.II.4", "PL.III.2"}
    assert all(r.role != PARTNER for r in lead)
    assert {r.task.address for r in partner} >= {"PL.I.1"} and all(r.role == PARTNER for r in partner)
    assert not {r.task.address for r in lead} & {r.task.address for r in partner}


def test_year_kind_and_recurring_filters(corpus):
    rows = timeline(corpus, TimelineQuery(year=2023, kinds=(DeadlineKind.RANGE,)))
    assert {(r.task.plan_id, r.task.address) for r in rows} >= {("ha-noi-2022-2025", "PL.IV.1")}
    assert all(r.task.deadline.kind is DeadlineKind.RANGE and 2023 in r.task.deadline.years() for r in rows)
    later = timeline(corpus, TimelineQuery(year=2024, kinds=(DeadlineKind.RANGE,), plans=("ha-noi-2022-2025",)))
    assert {r.task.address for r in later} == {"II.2-2", "II.2-3"}  # the targets of 2022-2025, not the rows
    recurring = timeline(corpus, TimelineQuery(recurring_only=True))
    assert recurring and all(r.task.deadline.recurring for r in recurring)
    assert ("lai-chau-2021-2025", "V-1") in {(r.task.plan_id, r.task.address) for r in recurring}


def test_due_in_the_next_90_days(corpus):
    rows = timeline(corpus, TimelineQuery(due_within_days=90, today=date(2024, 10, 1)))
    due = {(r.task.plan_id, r.task.address): r.next_due for r in rows}
    assert due[("lai-chau-2021-2025", "V-1")] == date(2024, 11, 30)
    assert due[("lai-chau-2021-2025", "V-2")] == date(2024, 12, 15)
    assert all(date(2024, 10, 1) <= d <= date(2024, 12, 30) for d in due.values())
    # after the plan's period, its yearly reports are no longer due
    later = timeline(corpus, TimelineQuery(due_within_days=90, today=date(2026, 10, 1), plans=("lai-chau-2021-2025",)))
    assert not later


def test_overdue_for_plans_still_running(corpus):
    # Hà Nội's period runs to 2025: in mid-2024 the rows due "Năm 2022 - 2023" are overdue
    rows = timeline(corpus, TimelineQuery(overdue=True, today=date(2024, 6, 1)))
    assert {(r.task.plan_id, r.task.address) for r in rows} == {("ha-noi-2022-2025", "PL.IV.1"),
                                                                ("ha-noi-2022-2025", "PL.IV.3")}
    assert not timeline(corpus, TimelineQuery(overdue=True, today=date(2027, 6, 1), plans=("ha-noi-2022-2025",)))


def test_from_to_window(corpus):
    rows = timeline(corpus, TimelineQuery(since=date(2025, 12, 1), until=date(2025, 12, 31), with_deadline_only=True))
    keys = {(r.task.plan_id, r.task.address) for r in rows}
    assert ("lai-chau-2021-2025", "V-2") in keys  # due 15/12/2025
    assert ("dong-nai-2026-2030", "V.2-2") not in keys  # its period starts in 2026


def test_order_is_by_next_due_day(corpus):
    rows = timeline(corpus, TimelineQuery(today=date(2024, 1, 1)))
    firsts = [r.next_due for r in rows if r.next_due]
    assert firsts == sorted(firsts)
    assert rows[-1].task.deadline.kind is DeadlineKind.NONE


def test_xlsx_lists_the_rows_with_wording_and_value(corpus):
    from openpyxl import load_workbook

    rows = timeline(corpus, TimelineQuery(agency="so-gddt"))
    book = load_workbook(io.BytesIO(timeline_xlsx(rows)))
    sheet = book.active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == HEADERS and len(values) == len(rows) + 1
    body = {(v[0], v[1]): v for v in values[1:]}
    row = body[("KH Hà Nội 308/KH-UBND", "PL.II.3")]
    assert row[6] == LEAD and row[7] == "Thường xuyên 2022-2025" and row[8] == "thường xuyên"
    assert row[10].date() == date(2022, 1, 1) and row[11].date() == date(2025, 12, 31)


def test_ics_reads_back_and_yearly_deadlines_recur(corpus):
    import icalendar
    import recurring_ical_events

    rows = timeline(corpus, TimelineQuery())
    cal = icalendar.Calendar.from_ical(timeline_ics(rows))
    events = list(cal.walk("VEVENT"))
    summaries = {str(e["summary"]) for e in events}
    assert any("[KH Lai Châu 2022, V-1]" in s for s in summaries)
    assert not any(", PL.I.1]" in s and "Hà Nội" in s for s in summaries)  # "thường xuyên": on no day
    v1 = next(e for e in events if "[KH Lai Châu 2022, V-1]" in str(e["summary"]))
    assert "RRULE" in v1 and v1["RRULE"]["FREQ"] == ["YEARLY"]
    assert "trước ngày 30/11 hằng năm" in str(v1["description"])
    expanded = recurring_ical_events.of(cal).between(date(2020, 1, 1), date(2031, 1, 1))
    days = sorted(e["DTSTART"].dt for e in expanded if "[KH Lai Châu 2022, V-1]" in str(e["summary"]))
    assert days == [date(y, 11, 30) for y in range(2021, 2026)]
    # a range is due on its last day
    iv1 = next(e for e in events if "[KH Hà Nội 308/KH-UBND, PL.IV.1]" in str(e["summary"]))
    assert iv1["DTSTART"].dt == date(2023, 12, 31) and "RRULE" not in iv1


def test_ics_of_an_added_plan(added_plans):
    import icalendar
    import recurring_ical_events

    from rag.models import Corpus

    corpus = Corpus(plans=tuple(added_plans.values()))
    cal = icalendar.Calendar.from_ical(timeline_ics(timeline(corpus, TimelineQuery())))
    expanded = recurring_ical_events.of(cal).between(date(2026, 1, 1), date(2031, 1, 1))
    june = sorted(e["DTSTART"].dt for e in expanded if "PL.II.1]" in str(e["summary"]) and "Kon" in str(e["summary"]))
    assert june == []  # Kon Tum's plan ends in 2025
    expanded = recurring_ical_events.of(cal).between(date(2021, 1, 1), date(2026, 1, 1))
    june = sorted(e["DTSTART"].dt for e in expanded if "PL.II.1]" in str(e["summary"]) and "Kon" in str(e["summary"]))
    assert june == [date(y, 6, 30) for y in range(2021, 2026)]  # "Tháng 6 hằng năm": by the end of June
    q = [e for e in cal.walk("VEVENT") if "P2.1-1]" in str(e["summary"])]
    assert q and q[0]["DTSTART"].dt == date(2026, 6, 30)  # "trong quý II năm 2026"


@pytest.mark.parametrize("kind", list(DeadlineKind))
def test_every_kind_has_a_vietnamese_label(kind):
    assert kind.label


def test_tasks_of_all_seeds_cite_existing_clauses(corpus):
    for t in corpus_tasks(corpus):
        assert corpus.plan(t.plan_id).clause(t.address)
