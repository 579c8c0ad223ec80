"""Roles in the agency view: a "Phối hợp với …" duty is the agency's partnership, not its own work
(issue 19 item 6.8: the agency CSV said "thực hiện"). Checked on the computation and on the CSV the page offers."""
from __future__ import annotations

from rag.structure.assignments import DOER, LEAD, PARTNER, assignments
from ui.render import agency_rows, rows_to_csv


def _roles(corpus, key, plan):
    return {a.clause.address: a.role for a in assignments(corpus, key, [plan])}


def test_cooperate_duty_is_partner(corpus):
    roles = _roles(corpus, "so-gddt", "lai-chau-2021-2025")
    assert corpus.plan("lai-chau-2021-2025").clause("IV.3-5").text.startswith("Phối hợp với Sở Thông tin")
    assert roles["IV.3-5"] == PARTNER
    assert DOER in roles.values()  # its own duties stay "thực hiện"
    assert _roles(corpus, "cong-an", "lai-chau-2021-2025")["IV.4-3"] == PARTNER
    # "Chủ trì, phối hợp với …" is still the lead
    assert _roles(corpus, "so-ldtbxh", "lai-chau-2021-2025")["IV.2-2"] == LEAD


def test_agency_csv_says_phoi_hop(corpus):
    found = assignments(corpus, "so-gddt", ["lai-chau-2021-2025"])
    csv = rows_to_csv(agency_rows(found, corpus))
    line = next(x for x in csv.splitlines() if ",IV.3-5," in x)
    assert ",phối hợp," in line and ",thực hiện," not in line
