"""The monthly report: every figure of a month, and what the PDF compares it with."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlmodel import Session

from ptdesk.services import clock
from ptdesk.services.audit import Actor
from ptdesk.services.clinic import get_profile
from ptdesk.services.clock import LocalTimes
from ptdesk.services.permissions import require
from ptdesk.services.reporting.appointments import (
    _COMPLETED,
    _bounds,
    _count,
    _month_counts,
    _patients,
    _units,
    _visits,
    outcome,
)
from ptdesk.services.reporting.cleaning_and_transfers import _cleaning, _transfers
from ptdesk.services.reporting.expiring import _expiring
from ptdesk.services.reporting.figures import Headline, MonthlyReport, MonthPoint
from ptdesk.services.reporting.months import month_start, previous_month
from ptdesk.services.reporting.staff import _by_staff

TREND_MONTHS = 12


def monthly_report(
    session: Session,
    actor: Actor,
    month: date,
    *,
    now: datetime | None = None,
    with_history: bool = True,
) -> MonthlyReport:
    """Every figure of ``month`` (any day in it); ``now`` is the clinic's wall-clock time.

    ``with_history`` adds what the PDF compares with: the month before, the completed visits
    per day, and the last 12 months' rates.
    """
    require(actor, "export_report")
    first = month_start(month)
    now = (clock.now() if now is None else now).replace(microsecond=0)
    profile = get_profile(session)
    notice = timedelta(hours=profile.late_cancel_hours)
    lo, hi = _bounds(first)
    # Rows only for the month itself (the staff table and the visits per day need them); the
    # month before and the year's trend are counted by the database.
    visits = _visits(session, lo, hi)
    local = LocalTimes()
    outcomes = [outcome(v, notice, local) for v in visits]
    before = previous_month(first)
    headline_months = [before, first] if with_history else [first]
    patients = _patients(session, headline_months)
    units = _units(session, headline_months)
    seen, new, evaluations = patients[first]
    units_by_code, records = units[first]
    report = MonthlyReport(
        month=first,
        clinic_name=profile.name,
        appointments=_count(visits, outcomes, now),
        patients_seen=seen,
        new_patients=new,
        evaluations=evaluations,
        by_staff=_by_staff(session, visits, outcomes, first, profile),
        units_by_code=units_by_code,
        total_units=sum(units_by_code.values()),
        records=records,
        cleaning=_cleaning(session, first, now),
        transfers=_transfers(session, first),
        authorizations_expiring=_expiring(session, first),
        late_cancel_hours=profile.late_cancel_hours,
        generated_at=now,
    )
    if not with_history:
        return report
    months = [first]
    for _ in range(TREND_MONTHS - 1):
        months.append(previous_month(months[-1]))
    months.reverse()
    counted = _month_counts(session, months[:-1], notice, now)
    counted[first] = report.appointments
    trend = [MonthPoint(m, counted[m]) for m in months]
    p_seen, p_new, p_eval = patients[before]
    p_units, _ = units[before]
    previous = Headline(counted[before], p_seen, p_new, p_eval, sum(p_units.values()))
    per_day: dict[date, int] = defaultdict(int)
    for v in visits:
        if v.status == _COMPLETED:
            per_day[v.start.date()] += 1
    days = []
    day = first
    while day < hi.date():
        days.append((day, per_day[day]))
        day += timedelta(days=1)
    return replace(report, previous=previous, completed_by_day=days, trend=trend)
