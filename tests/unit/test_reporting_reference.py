"""The monthly figures the database counts (index-only counts, a few columns through Core,
time-zone offsets looked up once a day) are exactly those of a plain computation over every row
of the demo clinic, in time zones with and without a daylight-saving switch in the months."""

from __future__ import annotations

import time as time_module
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from ptdesk.models import (
    Appointment,
    Authorization,
    Patient,
    SessionIntervention,
    SessionRecord,
    Staff,
)
from ptdesk.services import reporting
from ptdesk.services.audit import SYSTEM
from ptdesk.services.clinic import get_profile
from ptdesk.services.clock import LocalTimes, exact_local
from tests.conftest import DEMO_NOW

OPEN = ("scheduled", "checked_in")
# The demo's months (it ends a few weeks after DEMO_NOW); Lord Howe Island moves its clocks by
# half an hour on 2026-04-05, New York by an hour on 2026-03-08.
MONTHS = [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)]
NOWS = [DEMO_NOW, datetime(2026, 3, 28, 12, 0)]


@pytest.fixture(params=["UTC", "America/New_York", "Australia/Lord_Howe"])
def zone(request, monkeypatch):
    monkeypatch.setenv("TZ", request.param)
    time_module.tzset()
    yield request.param
    monkeypatch.undo()
    time_module.tzset()


class Clinic:
    """Every row the figures come from, loaded whole, and the figures counted one by one."""

    def __init__(self, db) -> None:
        with db.session() as s:
            self.notice = timedelta(hours=get_profile(s).late_cancel_hours)
            self.profile = get_profile(s)
            self.appointments = sorted(
                s.exec(select(Appointment)).all(), key=lambda a: (a.start, a.id)
            )
            self.records = s.exec(select(SessionRecord)).all()
            self.interventions = s.exec(select(SessionIntervention)).all()
            self.authorizations = s.exec(select(Authorization)).all()
            self.patients = {p.id: p for p in s.exec(select(Patient)).all()}
            self.staff = s.exec(select(Staff).order_by(Staff.name)).all()

    def bucket(self, a: Appointment) -> str:
        if a.status != "cancelled":
            return a.status
        if a.cancelled_at is None:
            return "late_cancelled" if a.late_cancel else "cancelled"
        local = a.cancelled_at.astimezone().replace(tzinfo=None)
        return "cancelled" if a.start - local >= self.notice else "late_cancelled"

    def of_month(self, first: date) -> list[Appointment]:
        return [a for a in self.appointments if reporting.month_start(a.start.date()) == first]

    def counts(self, first: date, now: datetime) -> dict[str, int]:
        n = dict.fromkeys(reporting.APPOINTMENT_KEYS, 0)
        for a in self.of_month(first):
            n["scheduled"] += 1
            bucket = self.bucket(a)
            if bucket in OPEN:
                n["unresolved"] += a.start < now
            else:
                n[bucket] += 1
        return n

    def patients_figures(self, first: date) -> tuple[int, int, int]:
        done = [a for a in self.of_month(first) if a.status == "completed"]
        seen = {a.patient_id for a in done}
        firsts: dict[int, datetime] = {}
        for a in self.appointments:
            if a.status == "completed":
                firsts[a.patient_id] = min(firsts.get(a.patient_id, a.start), a.start)
        new = sum(1 for p in seen if reporting.month_start(firsts[p].date()) == first)
        evaluations = sum(1 for a in done if a.kind == "evaluation")
        return len(seen), new, evaluations

    def units(self, first: date) -> tuple[dict[str, int], int]:
        in_month = {a.id for a in self.of_month(first)}
        records = {r.id for r in self.records if r.appointment_id in in_month}
        totals: dict[str, int] = defaultdict(int)
        for i in self.interventions:
            if i.record_id in records:
                totals[i.code] += i.units
        return {code: totals[code] for code in sorted(totals) if totals[code]}, len(records)

    def by_staff(self, first: date) -> list[reporting.StaffFigures]:
        visits = self.of_month(first)
        out = []
        for s in self.staff:
            mine = [a for a in visits if a.staff_id == s.id]
            if not mine and not (s.active and s.role != "front_desk"):
                continue
            buckets = [self.bucket(a) for a in mine]
            booked = done = 0.0
            for a, b in zip(mine, buckets, strict=True):
                hours = (a.end - a.start).total_seconds() / 3600
                if b not in ("cancelled", "late_cancelled"):
                    booked += hours
                if b == "completed":
                    done += hours
            out.append(
                reporting.StaffFigures(
                    name=s.name,
                    role=s.role,
                    completed=buckets.count("completed"),
                    no_show=buckets.count("no_show"),
                    cancelled=buckets.count("cancelled"),
                    late_cancelled=buckets.count("late_cancelled"),
                    booked_hours=booked,
                    completed_hours=done,
                    working_hours=reporting._working_hours(s.working_hours, first, self.profile),
                )
            )
        return out

    def per_day(self, first: date) -> list[tuple[date, int]]:
        days = []
        day = first
        while day < reporting.next_month(first):
            days.append(
                (
                    day,
                    sum(
                        1
                        for a in self.of_month(first)
                        if a.start.date() == day and a.status == "completed"
                    ),
                )
            )
            day += timedelta(days=1)
        return days

    def expiring(self, first: date) -> list[reporting.ExpiringAuthorization]:
        window_lo = reporting.month_end(first) + timedelta(days=1)
        window_hi = reporting.month_end(first) + timedelta(days=reporting.EXPIRY_WINDOW_DAYS)
        out = []
        for auth in self.authorizations:
            if not auth.active or auth.end_date < window_lo or auth.start_date > window_hi:
                continue
            visits = [a for a in self.appointments if a.patient_id == auth.patient_id]
            used = sum(
                1
                for a in visits
                if a.status == "completed" and auth.start_date <= a.start.date() <= auth.end_date
            )
            booked = sum(
                1
                for a in visits
                if a.status in OPEN
                and max(auth.start_date, window_lo)
                <= a.start.date()
                <= min(auth.end_date, window_hi)
            )
            reasons = []
            if auth.end_date <= window_hi:
                reasons.append("ends")
            if auth.visits_authorized - used - booked <= 0:
                reasons.append("runs out")
            if reasons:
                p = self.patients[auth.patient_id]
                out.append(
                    reporting.ExpiringAuthorization(
                        chart_number=p.chart_number,
                        patient=f"{p.first_name} {p.last_name}".strip(),
                        payer=auth.payer,
                        end_date=auth.end_date,
                        visits_authorized=auth.visits_authorized,
                        visits_used=used,
                        visits_booked=booked,
                        reason=", ".join(reasons),
                    )
                )
        return out


def _key(a: reporting.ExpiringAuthorization) -> tuple:
    return (a.end_date, a.patient, a.chart_number, a.payer, a.visits_authorized, a.visits_used)


def test_every_figure_matches_counting_every_row(demo_db, zone):
    clinic = Clinic(demo_db)
    cancelled = [a for a in clinic.appointments if a.status == "cancelled" and a.cancelled_at]
    # The demo has cancellations on both sides of the notice, and near it (the zone decides).
    gaps = [a.start - a.cancelled_at.replace(tzinfo=None) for a in cancelled]
    assert any(g < timedelta(hours=8) for g in gaps)
    assert any(timedelta(hours=8) <= g < timedelta(hours=40) for g in gaps)
    assert any(g >= timedelta(hours=40) for g in gaps)
    checked = 0
    for now in NOWS:
        for first in MONTHS:
            with demo_db.session() as s:
                report = reporting.monthly_report(s, SYSTEM, first, now=now)
            before = reporting.previous_month(first)
            assert report.appointments.as_dict() == clinic.counts(first, now), (first, now)
            assert (report.patients_seen, report.new_patients, report.evaluations) == (
                clinic.patients_figures(first)
            )
            assert (report.units_by_code, report.records) == clinic.units(first)
            assert report.by_staff == clinic.by_staff(first)
            assert report.completed_by_day == clinic.per_day(first)
            assert sorted(report.authorizations_expiring, key=_key) == sorted(
                clinic.expiring(first), key=_key
            )
            assert report.previous is not None
            assert report.previous.appointments.as_dict() == clinic.counts(before, now)
            p_seen, p_new, p_eval = clinic.patients_figures(before)
            assert (
                report.previous.patients_seen,
                report.previous.new_patients,
                report.previous.evaluations,
            ) == (p_seen, p_new, p_eval)
            assert report.previous.total_units == sum(clinic.units(before)[0].values())
            for point in report.trend:
                assert point.counts.as_dict() == clinic.counts(point.month, now), point.month
            checked += report.appointments.scheduled
    assert checked > 500  # the months are not empty


def test_local_times_agree_with_converting_each_time(zone):
    """Across the zone's clock changes of 2026, at minutes that miss the hour, naive and aware."""
    local = LocalTimes()
    start = datetime(2026, 3, 1)
    moments = [start + timedelta(minutes=7 * i, seconds=i % 60) for i in range(60 * 24 * 45 // 7)]
    moments += [datetime(2026, 4, 4) + timedelta(minutes=i) for i in range(60 * 24 * 2)]
    moments += [datetime(2026, 11, 1) + timedelta(minutes=i) for i in range(0, 60 * 24, 3)]
    for moment in moments:
        expected = moment.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
        assert local(moment) == expected == exact_local(moment), moment
        assert local(moment.replace(tzinfo=UTC)) == expected, moment
