"""Booking one appointment, and changing or moving booked visits (one, the following, or all)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from ptdesk.errors import ValidationError
from ptdesk.models import Appointment, AppointmentStatus
from ptdesk.models.common import saved_id
from ptdesk.services import audit, clock, validation
from ptdesk.services.audit import Actor
from ptdesk.services.clinic import get_profile
from ptdesk.services.permissions import require
from ptdesk.services.scheduling.checks import (
    check_kind,
    check_patient,
    check_room,
    check_staff,
    check_times,
    describe,
    load_appointment,
)
from ptdesk.services.scheduling.conflicts import check_conflicts, settle
from ptdesk.services.scheduling.history import record_status_change
from ptdesk.services.scheduling.queries import get_appointment
from ptdesk.services.scheduling.recurrence import series_members
from ptdesk.services.scheduling.values import (
    INACTIVE,
    OPEN,
    AppointmentChanges,
    AppointmentInfo,
    BookingRequest,
    Conflict,
    S,
)


def book(
    session: Session, actor: Actor, request: BookingRequest, *, override_reason: str = ""
) -> AppointmentInfo:
    """Book one appointment after checking conflicts (warnings need ``override_reason``)."""
    require(actor, "book")
    patient = check_patient(session, request.patient_id)
    staff = check_staff(session, request.staff_id)
    check_room(session, request.room_id)
    kind = check_kind(request.kind)
    start, end = check_times(request.start, request.duration_min, kind)
    notes = validation.text(request.notes, "notes", "Notes", max_len=2000)
    conflicts = check_conflicts(
        session,
        patient_id=request.patient_id,
        staff_id=request.staff_id,
        room_id=request.room_id,
        start=start,
        end=end,
    )
    reason = settle(conflicts, override_reason)
    appt = Appointment(
        patient_id=request.patient_id,
        staff_id=request.staff_id,
        room_id=request.room_id,
        start=start,
        end=end,
        kind=kind,
        notes=notes,
        override_reason=reason,
    )
    session.add(appt)
    session.flush()
    record_status_change(session, actor, appt, "", S.SCHEDULED.value, reason)
    summary = f"Booked {describe(appt, patient.full_name)} with {staff.name}"
    if reason:
        summary += f" (warnings overridden: {reason})"
    audit.record_new(
        session,
        actor,
        "book",
        "appointment",
        appt,
        summary,
    )
    session.flush()
    return get_appointment(session, saved_id(appt))


def update_appointment(
    session: Session,
    actor: Actor,
    appointment_id: int,
    changes: AppointmentChanges,
    *,
    scope: str = "this",
    override_reason: str = "",
) -> list[AppointmentInfo]:
    """Change one visit, this and the following visits of its series, or the whole series.

    For several visits a new start keeps each visit's own day and takes the new time of day.
    """
    require(actor, "book")
    appt = load_appointment(session, appointment_id)
    members = series_members(session, appt, scope)
    if changes.staff_id is not None:
        check_staff(session, changes.staff_id)
    if changes.room_id is not None:
        check_room(session, changes.room_id)
    kind = check_kind(changes.kind) if changes.kind is not None else None
    notes = (
        validation.text(changes.notes, "notes", "Notes", max_len=2000)
        if changes.notes is not None
        else None
    )
    profile = get_profile(session)
    ids = [saved_id(m) for m in members]
    plans = []
    conflicts: list[Conflict] = []
    for m in members:
        start = m.start
        if changes.start is not None:
            start = (
                changes.start
                if m is appt
                else datetime.combine(m.start.date(), changes.start.time())
            )
        minutes = changes.duration_min or m.duration_min
        start, end = check_times(start, minutes, kind or m.kind)
        staff_id = changes.staff_id or m.staff_id
        room_id = None if changes.clear_room else (changes.room_id or m.room_id)
        moved = (start, end, staff_id, room_id) != (m.start, m.end, m.staff_id, m.room_id)
        if moved and m.status not in OPEN:
            raise ValidationError(
                "start",
                f"This visit is {S(m.status).label.lower()}, so it can no longer be moved. "
                "Book a new visit instead.",
            )
        if moved and m.status not in INACTIVE:
            found = check_conflicts(
                session,
                patient_id=m.patient_id,
                staff_id=staff_id,
                room_id=room_id,
                start=start,
                end=end,
                ignore_ids=ids,
                check_authorization=start.date() != m.start.date(),
                profile=profile,
            )
            conflicts.extend(c for c in found if not c.message.startswith("This would be visit"))
        plans.append((m, start, end, staff_id, room_id))
    reason = settle(conflicts, override_reason)
    for m, start, end, staff_id, room_id in plans:
        before = audit.snapshot(m)
        m.start, m.end, m.staff_id, m.room_id = start, end, staff_id, room_id
        if kind is not None:
            m.kind = kind
        if notes is not None:
            m.notes = notes
        if reason:
            m.override_reason = reason
        m.updated_at = clock.utc_now()
        change = audit.diff(before, audit.snapshot(m))
        if change:
            audit.record(
                session,
                actor,
                "update",
                "appointment",
                m.id,
                change,
                f"Changed {describe(m)}" + (f" (warnings overridden: {reason})" if reason else ""),
            )
    session.flush()
    return [get_appointment(session, saved_id(m)) for m, *_ in plans]


def move(
    session: Session,
    actor: Actor,
    appointment_id: int,
    start: datetime,
    *,
    staff_id: int | None = None,
    room_id: int | None = None,
    override_reason: str = "",
) -> AppointmentInfo:
    """Move one visit to a new start (and staff member or room), keeping its length."""
    appt = load_appointment(session, appointment_id)
    if appt.status in (S.COMPLETED.value, S.CANCELLED.value, S.NO_SHOW.value):
        raise ValidationError(
            "start",
            f"A {AppointmentStatus(appt.status).label.lower()} appointment cannot be moved.",
        )
    changed = update_appointment(
        session,
        actor,
        appointment_id,
        AppointmentChanges(start=start, staff_id=staff_id, room_id=room_id),
        override_reason=override_reason,
    )
    return changed[0]
