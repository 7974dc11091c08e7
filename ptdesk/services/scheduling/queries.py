"""Reading the schedule: a day's or week's appointments, one appointment, who and where can be
booked, patient search, and visits still waiting for an outcome."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Row, Select, bindparam, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from ptdesk.errors import NotFound
from ptdesk.models import Appointment, Patient, Role, Room, Staff
from ptdesk.models.common import saved_id
from ptdesk.services import clock
from ptdesk.services.clinic import ClinicProfileData
from ptdesk.services.scheduling.values import (
    OPEN,
    AppointmentInfo,
    PatientHit,
    RoomInfo,
    StaffHours,
)

_APPOINTMENT_FIELDS = (
    "id", "patient_id", "staff_id", "room_id", "start", "end", "status", "kind", "notes",
    "series_id", "cancelled_at", "cancel_reason", "late_cancel", "arrived_at", "override_reason",
)  # fmt: skip


# An appointment with its patient's, staff member's and room's names, as ``info_query`` lists
# them: more columns than SQLAlchemy types one by one.
InfoSelect = Select[*tuple[Any, ...]]
InfoRow = Row[*tuple[Any, ...]]


def info_query() -> InfoSelect:
    """Plain columns (no ORM objects): the day view's query stays cheap."""
    return (
        sa_select(
            *(getattr(Appointment, f) for f in _APPOINTMENT_FIELDS),
            col(Patient.first_name),
            col(Patient.last_name),
            col(Patient.chart_number),
            col(Patient.precautions),
            col(Staff.name),
            col(Staff.color),
            col(Room.name),
        )
        .join(Patient, col(Appointment.patient_id) == col(Patient.id))
        .join(Staff, col(Appointment.staff_id) == col(Staff.id))
        .outerjoin(Room, col(Appointment.room_id) == col(Room.id))
    )


def to_info(row: InfoRow) -> AppointmentInfo:
    (
        id_, patient_id, staff_id, room_id, start, end, status, kind, notes, series_id,
        cancelled_at, cancel_reason, late_cancel, arrived_at, override_reason,
        first, last, chart, precautions, staff_name, color, room_name,
    ) = row  # fmt: skip
    return AppointmentInfo(
        id=id_,
        patient_id=patient_id,
        patient_name=f"{first} {last}".strip(),
        chart_number=chart,
        precautions=tuple(p.strip() for p in precautions.splitlines() if p.strip())
        if precautions
        else (),
        staff_id=staff_id,
        staff_name=staff_name,
        staff_color=color,
        room_id=room_id,
        room_name=room_name or "",
        start=start,
        end=end,
        status=status,
        kind=kind,
        notes=notes,
        series_id=series_id,
        cancelled_at=cancelled_at,
        cancel_reason=cancel_reason,
        late_cancel=bool(late_cancel),
        arrived_at=arrived_at,
        override_reason=override_reason,
    )


_RANGE = (
    info_query()
    .where(col(Appointment.start) >= bindparam("lo"), col(Appointment.start) < bindparam("hi"))
    .order_by(col(Appointment.start), col(Appointment.id))
)


def appointments_between(
    session: Session,
    lo: datetime,
    hi: datetime,
    *,
    staff_id: int | None = None,
    room_id: int | None = None,
) -> list[AppointmentInfo]:
    """Appointments starting in [lo, hi), in time order: one query."""
    if staff_id is None and room_id is None:
        return [to_info(r) for r in session.execute(_RANGE, {"lo": lo, "hi": hi})]
    stmt = info_query().where(col(Appointment.start) >= lo, col(Appointment.start) < hi)
    if staff_id is not None:
        stmt = stmt.where(col(Appointment.staff_id) == staff_id)
    if room_id is not None:
        stmt = stmt.where(col(Appointment.room_id) == room_id)
    stmt = stmt.order_by(col(Appointment.start), col(Appointment.id))
    return [to_info(r) for r in session.execute(stmt)]


def day_appointments(session: Session, day: date) -> list[AppointmentInfo]:
    """Every appointment of the day (all staff, all statuses): the day view's one query."""
    lo = datetime.combine(day, time.min)
    return appointments_between(session, lo, lo + timedelta(days=1))


def week_appointments(session: Session, staff_id: int, monday: date) -> list[AppointmentInfo]:
    lo = datetime.combine(monday, time.min)
    return appointments_between(session, lo, lo + timedelta(days=7), staff_id=staff_id)


def get_appointment(session: Session, appointment_id: int) -> AppointmentInfo:
    row = session.execute(info_query().where(col(Appointment.id) == appointment_id)).first()
    if row is None:
        raise NotFound("That appointment no longer exists.")
    return to_info(row)


def unresolved_query(now: datetime) -> InfoSelect:
    """Past appointments still 'scheduled' or 'checked in', oldest first."""
    return (
        info_query()
        .where(col(Appointment.end) <= now, col(Appointment.status).in_(OPEN))
        .order_by(col(Appointment.start), col(Appointment.id))
    )


def unresolved_visits(session: Session, *, now: datetime | None = None) -> list[AppointmentInfo]:
    """Past appointments still 'scheduled' or 'checked in': nothing is silently counted wrong."""
    stmt = unresolved_query(clock.now() if now is None else now)
    return [to_info(r) for r in session.execute(stmt)]


def parse_hours(raw: Mapping[str, Sequence[str]] | None) -> dict[int, tuple[time, time]]:
    hours: dict[int, tuple[time, time]] = {}
    for key, value in (raw or {}).items():
        try:
            lo, hi = value
            hours[int(key)] = (time.fromisoformat(lo), time.fromisoformat(hi))
        except (TypeError, ValueError):
            continue
    return hours


def bookable_staff(session: Session) -> list[StaffHours]:
    """Active staff who see patients (everyone but the front desk), by name."""
    stmt = (
        select(Staff)
        .where(col(Staff.active).is_(True), Staff.role != Role.FRONT_DESK.value)
        .order_by(col(Staff.name))
    )
    return [
        StaffHours(saved_id(s), s.name, s.role, s.color, parse_hours(s.working_hours))
        for s in session.exec(stmt)
    ]


def rooms(session: Session) -> list[RoomInfo]:
    stmt = select(Room).where(col(Room.active).is_(True)).order_by(col(Room.name))
    return [RoomInfo(saved_id(r), r.name) for r in session.exec(stmt)]


def hours_on(staff: StaffHours, day: date, profile: ClinicProfileData) -> tuple[time, time] | None:
    """The staff member's working hours that day; None when they do not work.

    Someone with no working hours on file works the clinic hours on clinic days.
    """
    if not staff.working_hours:
        if day.isoweekday() not in profile.clinic_weekdays:
            return None
        return profile.opens_at, profile.closes_at
    return staff.working_hours.get(day.isoweekday())


def working_staff(
    staff: Sequence[StaffHours],
    day: date,
    profile: ClinicProfileData,
    appointments: Iterable[AppointmentInfo] = (),
) -> list[StaffHours]:
    """Who gets a column on ``day``: those who work that day, and anyone booked that day."""
    booked = {a.staff_id for a in appointments}
    return [s for s in staff if hours_on(s, day, profile) is not None or s.id in booked]


def search_patients(session: Session, text: str, *, limit: int = 30) -> list[PatientHit]:
    """Active patients matching every word by last or first name, chart number or phone."""
    words = [w for w in text.split() if w]
    stmt = select(Patient).where(col(Patient.active).is_(True))
    digits_only = func.replace(func.replace(func.replace(Patient.phone, "-", ""), " ", ""), ".", "")
    for word in words:
        like = f"%{word}%"
        conditions = [
            col(Patient.last_name).ilike(f"{word}%"),
            col(Patient.first_name).ilike(f"{word}%"),
            col(Patient.chart_number).ilike(like),
        ]
        digits = re.sub(r"\D", "", word)
        if len(digits) >= 3:
            conditions.append(digits_only.ilike(f"%{digits}%"))
        stmt = stmt.where(or_(*conditions))
    stmt = stmt.order_by(col(Patient.last_name), col(Patient.first_name)).limit(limit)
    return [
        PatientHit(
            saved_id(p),
            p.full_name,
            p.sort_name,
            p.chart_number,
            p.phone,
            p.date_of_birth,
            tuple(p.precaution_list),
        )
        for p in session.exec(stmt)
    ]


def future_visits(
    session: Session, patient_id: int, *, now: datetime | None = None
) -> list[AppointmentInfo]:
    """The patient's visits still open from ``now`` (wall clock) on, e.g. before a discharge."""
    now = clock.now() if now is None else now
    rows = session.exec(
        select(Appointment.id)
        .where(Appointment.patient_id == patient_id, col(Appointment.status).in_(OPEN))
        .where(col(Appointment.start) >= now)
        .order_by(col(Appointment.start))
    )
    # a key read back from the table is never None; the check only tells the checker so
    return [get_appointment(session, i) for i in rows if i is not None]
