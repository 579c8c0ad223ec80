"""Deadlines as data and the timeline across plans: after structure and answer in the flow.

| module | job |
|---|---|
| ``deadlines.py`` | ``Deadline`` (kind, original wording, parsed dates) and the parser, worded by ``rag/lexicon/deadlines.toml`` |
| ``tasks.py`` | every appendix row, duty, target and task of a plan that states a deadline, as a ``Task`` with its clause address and agencies |
| ``timeline.py`` | filters over tasks: agency (lead / partner), plan, year, kind, due soon, overdue, recurring |
| ``xlsx.py`` / ``ical.py`` | the timeline as a spreadsheet and as an iCalendar file |
"""
