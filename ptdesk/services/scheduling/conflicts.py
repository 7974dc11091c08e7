"""Booking conflicts: the patient, staff member or room already taken, hours outside the
clinic's or the staff member's, and visits beyond an insurance authorization."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from ptdesk.errors import ValidationError
from ptdesk.models import Appointment, Authorization, Staff
from ptdesk.models.common import saved_id
from ptdesk.services import authorizations, validation
from ptdesk.services.clinic import ClinicProfileData, get_profile
from ptdesk.services.scheduling.queries import hours_on, info_query, parse_hours, to_info
from ptdesk.services.scheduling.values import (
    INACTIVE,
    OPEN,
    Conflict,
    ConflictWarning,
    StaffHours,
)


def check_conflicts(
    session: Session,
    *,
    patient_id: int,
    staff_id: int,
    room_id: int | None,
    start: datetime,
    end: datetime,
    ignore_ids: Iterable[int] = (),
    check_authorization: bool = True,
    profile: ClinicProfileData | None = None,
) -> list[Conflict]:
    """Everything wrong with holding [start, end) for this patient, staff member and room."""
    profile = profile or get_profile(session)
    conflicts: list[Conflict] = []
    ignore = [i for i in ignore_ids if i is not None]
    who = [col(Appointment.patient_id) == patient_id, col(Appointment.staff_id) == staff_id]
    if room_id is not None:
        who.append(col(Appointment.room_id) == room_id)
    stmt = info_query().where(
        col(Appointment.start) < end,
        col(Appointment.end) > start,
        col(Appointment.status).not_in(INACTIVE),
        or_(*who),
    )
    if ignore:
        stmt = stmt.where(col(Appointment.id).not_in(ignore))
    for other in (to_info(r) for r in session.execute(stmt.order_by(col(Appointment.start)))):
        when = f"{other.start:%a %Y-%m-%d} {other.time_text}"
        if other.patient_id == patient_id:
            conflicts.append(
                Conflict(
                    "patient",
                    f"{other.patient_name} already has an appointment with "
                    f"{other.staff_name} on {when}.",
                    blocking=True,
                )
            )
        elif other.staff_id == staff_id:
            conflicts.append(
                Conflict(
                    "staff", f"{other.staff_name} is already seeing {other.patient_name} {when}."
                )
            )
        if room_id is not None and other.room_id == room_id and other.patient_id != patient_id:
            conflicts.append(
                Conflict(
                    "room", f"{other.room_name} is already in use {when} ({other.patient_name})."
                )
            )
    day = start.date()
    if (
        day.isoweekday() not in profile.clinic_weekdays
        or start.time() < profile.opens_at
        or end.date() != day
        or end.time() > profile.closes_at
    ):
        conflicts.append(
            Conflict(
                "clinic_hours",
                f"{start:%a %Y-%m-%d %H:%M} is outside clinic hours "
                f"({profile.opens_at:%H:%M}–{profile.closes_at:%H:%M} on clinic days).",
            )
        )
    staff_row = session.get(Staff, staff_id)
    if staff_row is not None:
        sh = StaffHours(
            staff_id, staff_row.name, staff_row.role, staff_row.color,
            parse_hours(staff_row.working_hours),
        )  # fmt: skip
        hours = hours_on(sh, day, profile)
        if hours is None:
            conflicts.append(
                Conflict("working_hours", f"{sh.name} does not work on {start:%A %Y-%m-%d}.")
            )
        elif start.time() < hours[0] or end.date() != day or end.time() > hours[1]:
            conflicts.append(
                Conflict(
                    "working_hours",
                    f"{sh.name} works {hours[0]:%H:%M}–{hours[1]:%H:%M} on {start:%A}s; "
                    f"{start:%H:%M}–{end:%H:%M} is outside those hours.",
                )
            )
    if check_authorization:
        for message in authorizations.booking_warnings(session, patient_id, start):
            conflicts.append(Conflict("authorization", message))
    return conflicts


def settle(conflicts: list[Conflict], override_reason: str) -> str:
    """Refuse blocking conflicts; demand a reason for warnings. Returns the cleaned reason."""
    blocking = [c for c in conflicts if c.blocking]
    if blocking:
        raise ValidationError("start", " ".join(c.message for c in blocking))
    reason = validation.text(override_reason, "override_reason", "The reason", max_len=200)
    if conflicts and not reason:
        raise ConflictWarning(conflicts)
    return reason if conflicts else ""


def series_authorization(
    session: Session, patient_id: int, starts: list[datetime]
) -> list[Conflict]:
    """Visits of a new series outside any authorization, or beyond its visit count."""
    if not authorizations.list_for_patient(session, patient_id):
        return []
    uncovered: list[date] = []
    per_auth: dict[int, list[datetime]] = {}
    auths: dict[int, Authorization] = {}
    for s in starts:
        auth = authorizations.covering(session, patient_id, s.date())
        if auth is None:
            uncovered.append(s.date())
        else:
            auth_id = saved_id(auth)
            auths[auth_id] = auth
            per_auth.setdefault(auth_id, []).append(s)
    found: list[Conflict] = []
    if uncovered:
        found.append(
            Conflict(
                "authorization",
                f"{len(uncovered)} visit(s) fall outside any authorization "
                f"(first {uncovered[0].isoformat()}).",
            )
        )
    for auth_id, visits in per_auth.items():
        auth = auths[auth_id]
        used = authorizations.visits_used(session, auth)
        booked = _open_in_range(session, patient_id, auth.start_date, auth.end_date)
        total = used + booked + len(visits)
        if total > auth.visits_authorized:
            found.append(
                Conflict(
                    "authorization",
                    f"With this series the patient would have {total} visits; {auth.payer} "
                    f"authorized {auth.visits_authorized}.",
                )
            )
    return found


def _open_in_range(session: Session, patient_id: int, lo: date, hi: date) -> int:
    stmt = (
        select(func.count())
        .select_from(Appointment)
        .where(
            Appointment.patient_id == patient_id,
            col(Appointment.status).in_(OPEN),
            col(Appointment.start) >= datetime.combine(lo, time.min),
            col(Appointment.start) < datetime.combine(hi + timedelta(days=1), time.min),
        )
    )
    return int(session.exec(stmt).one())
