"""The demo clinic's transfer checklists: realistic, a few near misses, today's page not empty."""

from __future__ import annotations

from collections import Counter
from datetime import date

from ptdesk.services import reporting
from ptdesk.services import transfers as tr
from ptdesk.services.audit import SYSTEM

DEMO_TODAY = date(2026, 3, 11)  # the demo fixture's pinned day


def test_demo_has_realistic_checklists(demo_db):
    with demo_db.session() as s:
        rows = tr.list_checklists(s, first=date(2025, 1, 1), last=DEMO_TODAY)
        today = tr.todays_checklists(s, DEMO_TODAY)
        months = [
            reporting.monthly_report(s, SYSTEM, date(2026, m, 1), with_history=False).transfers
            for m in (1, 2, 3)
        ]
        sample = tr.get_checklist(s, next(r.id for r in rows if r.status == "completed"))
    assert len(rows) >= 40
    statuses = Counter(r.status for r in rows)
    assert statuses["completed"] > statuses["aborted"] >= 1
    incidents = Counter(r.incident for r in rows)
    assert 1 <= incidents["near_miss"] <= len(rows) // 8  # a few near misses
    assert (
        sum(m.near_misses + m.falls for m in months) == incidents["near_miss"] + incidents["fall"]
    )
    assert {r.status for r in today} >= {"started", "completed"}
    # Every completed checklist has its required checks ticked and is for a patient
    # whose assessment shows limited mobility somewhere.
    assert not sample.open_required and sample.items
    limited = [
        r
        for r in rows
        if r.assessment.weight_bearing != "full"
        or r.assessment.upper_limbs != "both"
        or r.assessment.cooperation != "cooperative"
    ]
    assert len(limited) > len(rows) // 2
    for r in rows:
        if r.less_support_reason:
            assert tr.is_less_supported(r.chosen_method, r.recommended_method)
        if r.incident != "none":
            assert r.incident_description and r.therapist_informed is not None
