"""The monthly figures, worked out by hand for a made-up March 2026."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import pytest

from ptdesk.errors import PermissionDenied, ValidationError
from ptdesk.services import reporting
from ptdesk.services.audit import Actor
from tests.report_helpers import MARCH, NOW, build_march


@pytest.fixture
def march(db, owner):
    build_march(db)
    with db.session() as s:
        return reporting.monthly_report(s, owner, MARCH, now=NOW)


def test_appointment_counts(march):
    a = march.appointments
    # a1..a9: every status counts as scheduled; April and February do not.
    assert a.scheduled == 9
    assert a.completed == 3
    assert a.no_show == 1
    # a4 was cancelled exactly 24 hours ahead: on time. a5 (23 h 59 min) and a6 (after the
    # start) are late.
    assert a.cancelled == 1
    assert a.late_cancelled == 2
    # a9 checked in and never completed; a8 (31st, 23:30) is still ahead on the 25th.
    assert a.unresolved == 1


def test_rates_over_visits_with_an_outcome(march):
    # completed 3 + cancelled 1 + late 2 + no-show 1 = 7
    assert march.arrival_rate == pytest.approx(3 / 7)
    assert march.no_show_rate == pytest.approx(1 / 7)
    assert march.cancellation_rate == pytest.approx(3 / 7)


def test_patients(march):
    assert march.patients_seen == 2  # Paul and Petra
    assert march.new_patients == 1  # Petra; Paul's first visit was in February
    assert march.evaluations == 1


def test_late_visit_on_the_last_day_is_unresolved_once_past(db, owner):
    build_march(db)
    with db.session() as s:
        report = reporting.monthly_report(s, owner, MARCH, now=datetime(2026, 4, 2, 8, 0))
    assert report.appointments.unresolved == 2
    assert report.appointments.scheduled == 9


def test_by_staff(march):
    staff = {s.name: s for s in march.by_staff}
    # The front desk does not see patients; the owner (no hours on file) works clinic hours.
    assert set(staff) == {"Ann Avery", "Ben Brooks", "Olivia Owner"}
    ann = staff["Ann Avery"]
    assert (ann.completed, ann.no_show, ann.cancelled, ann.late_cancelled) == (2, 1, 1, 1)
    # Not cancelled: a1 1 h, a2 1 h, a7 0.75 h, a8 0.5 h.
    assert ann.booked_hours == pytest.approx(3.25)
    # 22 weekdays x 8 h = 176 h; completed a1 + a2 = 2 h.
    assert ann.working_hours == pytest.approx(176)
    assert ann.utilization == pytest.approx(2 / 176)
    ben = staff["Ben Brooks"]
    assert (ben.completed, ben.no_show, ben.cancelled, ben.late_cancelled) == (1, 0, 0, 1)
    assert ben.booked_hours == pytest.approx(1.5)  # a3 and a9
    # 5 Tuesdays + 4 Thursdays, 4 h each.
    assert ben.working_hours == pytest.approx(36)
    assert ben.utilization == pytest.approx(0.75 / 36)
    olivia = staff["Olivia Owner"]
    assert olivia.working_hours == pytest.approx(22 * 12)  # clinic 07:00-19:00
    assert olivia.utilization == 0


def test_units(march):
    assert march.units_by_code == {"97110": 5, "97140": 1, "97161": 1}
    assert march.total_units == 7
    assert march.units_per_visit == pytest.approx(7 / 3)


def test_cleaning(march):
    c = march.cleaning
    # Weeks of Mar 2, 9 and 16 are due (the week of the 23rd is still open on the 25th);
    # cleanings on the 4th and the 10th.
    assert (c.due_periods, c.done_on_time, c.missed) == (3, 2, 1)
    assert c.compliance == pytest.approx(2 / 3)
    assert [item for item, _ in c.missed_items] == ["Recumbent bike"]
    assert c.overdue_safety_checks == 1


def test_transfers(march):
    t = march.transfers
    assert (t.completed, t.aborted, t.near_misses, t.falls) == (3, 1, 1, 1)
    assert [i.incident for i in t.incidents] == ["near_miss", "fall"]


def test_authorizations_expiring(march):
    found = [(a.payer, a.reason) for a in march.authorizations_expiring]
    assert found == [("Acme Health", "ends"), ("Blue Plan", "runs out")]
    blue = march.authorizations_expiring[1]
    assert (blue.visits_used, blue.visits_booked) == (2, 1)


def test_month_without_visits_has_null_rates(db, owner):
    build_march(db)
    with db.session() as s:
        report = reporting.monthly_report(s, owner, date(2025, 11, 1), now=NOW)
    assert report.appointments.scheduled == 0
    assert report.arrival_rate is None
    assert report.no_show_rate is None
    assert report.cancellation_rate is None
    assert report.units_per_visit is None
    data = report.to_dict()
    assert data["arrival_rate"] is None
    assert data["by_staff"]["Ann Avery"]["completed"] == 0


def test_month_with_only_open_visits_has_null_rates(db, owner):
    build_march(db)
    with db.session() as s:
        report = reporting.monthly_report(s, owner, date(2026, 4, 1), now=NOW)
    # Two April visits: one completed (so the denominator is 1), checked by a later month.
    assert report.appointments.scheduled == 2
    with db.session() as s:
        may = reporting.monthly_report(s, owner, date(2026, 5, 1), now=NOW)
    assert may.appointments.outcomes == 0 and may.arrival_rate is None


def test_previous_month_and_history(march):
    assert march.previous is not None
    assert march.previous.appointments.completed == 1  # the February visit
    assert march.previous.new_patients == 1
    assert len(march.trend) == 12
    assert march.trend[-1].month == MARCH
    assert march.trend[0].month == date(2025, 4, 1)
    assert dict(march.completed_by_day)[date(2026, 3, 3)] == 1
    assert sum(n for _, n in march.completed_by_day) == 3
    assert len(march.completed_by_day) == 31


def test_json_keys(march):
    data = json.loads(reporting.report_json(march))
    assert list(data) == [
        "month",
        "appointments",
        "arrival_rate",
        "no_show_rate",
        "cancellation_rate",
        "patients_seen",
        "new_patients",
        "evaluations",
        "by_staff",
        "units_by_code",
        "total_units",
        "units_per_visit",
        "cleaning",
        "transfers",
        "authorizations_expiring",
    ]
    assert data["month"] == "2026-03"
    assert list(data["appointments"]) == list(reporting.APPOINTMENT_KEYS)
    assert data["appointments"]["late_cancelled"] == 2
    assert set(data["by_staff"]["Ben Brooks"]) == {
        "completed",
        "no_show",
        "cancelled",
        "late_cancelled",
        "booked_hours",
        "utilization",
    }
    assert data["cleaning"] == {
        "due_periods": 3,
        "done_on_time": 2,
        "missed": 1,
        "compliance": 0.6667,
        "overdue_safety_checks": 1,
    }
    assert data["transfers"] == {"completed": 3, "aborted": 1, "near_misses": 1, "falls": 1}
    assert data["authorizations_expiring"][0]["chart_number"] == "C001"


def test_csv_rows(march):
    rows = list(csv.DictReader(io.StringIO(reporting.report_csv(march))))
    values = {(r["section"], r["item"], r["figure"]): r["value"] for r in rows}
    assert values[("appointments", "", "scheduled")] == "9"
    assert values[("by_staff", "Ann Avery", "completed")] == "2"
    assert values[("units_by_code", "97110", "units")] == "5"
    assert values[("transfers", "", "falls")] == "1"


def test_month_parsing():
    assert reporting.parse_month("2026-03") == MARCH
    with pytest.raises(ValidationError):
        reporting.parse_month("March")
    with pytest.raises(ValidationError):
        reporting.parse_month("2026-13")


def test_only_the_owner_makes_the_report(db, owner):
    desk = Actor(id=99, name="Dana Desk", role="front_desk")
    with db.session() as s, pytest.raises(PermissionDenied):
        reporting.monthly_report(s, desk, MARCH, now=NOW)


@pytest.fixture
def new_york(monkeypatch):
    """The clinic's computer set to New York time (UTC-4 in March 2026 after the 8th)."""
    import time as time_module

    monkeypatch.setenv("TZ", "America/New_York")
    time_module.tzset()
    yield
    monkeypatch.undo()
    time_module.tzset()


def test_threshold_and_month_use_clinic_time_not_utc(db, owner, new_york):
    """Cancellation times are stored in UTC; the notice is measured in clinic time."""
    build_march(db)
    with db.session() as s:
        report = reporting.monthly_report(s, owner, MARCH, now=NOW)
    assert (report.appointments.cancelled, report.appointments.late_cancelled) == (1, 2)
    # Read as UTC wall-clock, the on-time cancellation (exactly 24 h) would look 20 h late.
    assert report.by_staff[0].cancelled == 1
    assert (report.transfers.completed, report.transfers.falls) == (3, 1)
