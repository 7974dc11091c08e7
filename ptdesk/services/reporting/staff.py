"""The monthly report's staff table: visits, booked hours and utilization per person."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from ptdesk.models import Staff
from ptdesk.services.clinic import ClinicProfileData
from ptdesk.services.reporting.appointments import _COMPLETED, _rows, _Visit
from ptdesk.services.reporting.figures import StaffFigures
from ptdesk.services.reporting.months import next_month
from ptdesk.services.staff import WorkingHours


def _working_hours(raw: WorkingHours | None, first: date, profile: ClinicProfileData) -> float:
    hours: dict[int, tuple[time, time]] = {}
    for key, value in (raw or {}).items():
        try:
            opens, closes = value
            hours[int(key)] = (time.fromisoformat(opens), time.fromisoformat(closes))
        except (TypeError, ValueError):
            continue
    if not hours:  # the schedule's rule: clinic hours on clinic days
        hours = {d: (profile.opens_at, profile.closes_at) for d in profile.clinic_weekdays}
    total = 0.0
    day = first
    end = next_month(first)
    while day < end:
        span = hours.get(day.isoweekday())
        if span is not None:
            lo = datetime.combine(day, span[0])
            hi = datetime.combine(day, span[1])
            total += max(0.0, (hi - lo).total_seconds() / 3600)
        day += timedelta(days=1)
    return total


def _hours(v: _Visit) -> float:
    return (v.end - v.start).total_seconds() / 3600


def _by_staff(
    session: Session,
    visits: list[_Visit],
    outcomes: list[str],
    first: date,
    profile: ClinicProfileData,
) -> list[StaffFigures]:
    # One pass over the visits, each staff member's figures summed in visit order.
    buckets: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    booked: dict[int, float] = defaultdict(float)
    completed_hours: dict[int, float] = defaultdict(float)
    for v, bucket in zip(visits, outcomes, strict=True):
        buckets[v.staff_id][bucket] += 1
        if bucket not in ("cancelled", "late_cancelled"):
            booked[v.staff_id] += _hours(v)
        if bucket == _COMPLETED:
            completed_hours[v.staff_id] += _hours(v)
    staff = sa_select(
        col(Staff.id), col(Staff.name), col(Staff.role), col(Staff.active), col(Staff.working_hours)
    ).order_by(col(Staff.name))
    out = []
    for staff_id, name, role, active, working_hours in _rows(session, staff):
        assert staff_id is not None  # a key read from the table (only a row never saved has none)
        if staff_id not in buckets and not (active and role != "front_desk"):
            continue
        mine = buckets.get(staff_id, {})
        out.append(
            StaffFigures(
                name=name,
                role=role,
                completed=mine.get("completed", 0),
                no_show=mine.get("no_show", 0),
                cancelled=mine.get("cancelled", 0),
                late_cancelled=mine.get("late_cancelled", 0),
                booked_hours=booked.get(staff_id, 0.0),
                completed_hours=completed_hours.get(staff_id, 0.0),
                working_hours=_working_hours(working_hours, first, profile),
            )
        )
    return out
