"""The next free time for a staff member (and room) on the days and hours they work."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import or_
from sqlmodel import Session, col, select

from ptdesk.models import Appointment
from ptdesk.services.clinic import get_profile
from ptdesk.services.scheduling.checks import check_staff
from ptdesk.services.scheduling.queries import hours_on, parse_hours
from ptdesk.services.scheduling.values import INACTIVE, StaffHours


def find_next_free_slot(
    session: Session,
    staff_id: int,
    after: datetime,
    duration_min: int,
    *,
    room_id: int | None = None,
    days: int = 60,
) -> datetime | None:
    """The first start from ``after`` when the staff member works and is free (and the room too)."""
    profile = get_profile(session)
    staff_row = check_staff(session, staff_id)
    sh = StaffHours(
        staff_id, staff_row.name, staff_row.role, staff_row.color,
        parse_hours(staff_row.working_hours),
    )  # fmt: skip
    length = timedelta(minutes=duration_min)
    step = timedelta(minutes=profile.slot_minutes)
    lo = after.replace(second=0, microsecond=0)
    hi = datetime.combine(lo.date() + timedelta(days=days), time.min)
    who = [col(Appointment.staff_id) == staff_id]
    if room_id is not None:
        who.append(col(Appointment.room_id) == room_id)
    busy_rows = session.exec(
        select(Appointment.start, Appointment.end)
        .where(
            col(Appointment.end) > lo,
            col(Appointment.start) < hi,
            col(Appointment.status).not_in(INACTIVE),
            or_(*who),
        )
        .order_by(col(Appointment.start))
    ).all()
    busy = [(s, e) for s, e in busy_rows]
    for offset in range(days):
        day = lo.date() + timedelta(days=offset)
        if day.isoweekday() not in profile.clinic_weekdays:
            continue
        hours = hours_on(sh, day, profile)
        if hours is None:
            continue
        t = datetime.combine(day, hours[0])
        closing = datetime.combine(day, min(hours[1], profile.closes_at))
        while t < lo:
            t += step
        while t + length <= closing:
            clash = next((e for s, e in busy if s < t + length and e > t), None)
            if clash is None:
                return t
            while t < clash:
                t += step
    return None
