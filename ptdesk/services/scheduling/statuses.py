"""Status changes: check-in, completion, no-show, cancellation (late or not) and corrections."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from ptdesk.errors import ValidationError
from ptdesk.models import AppointmentStatus
from ptdesk.models.common import saved_id
from ptdesk.services import audit, clock, validation
from ptdesk.services.audit import Actor
from ptdesk.services.clinic import get_profile
from ptdesk.services.permissions import require
from ptdesk.services.scheduling.checks import describe, load_appointment
from ptdesk.services.scheduling.conflicts import check_conflicts
from ptdesk.services.scheduling.history import record_status_change
from ptdesk.services.scheduling.queries import future_visits, get_appointment
from ptdesk.services.scheduling.recurrence import series_members
from ptdesk.services.scheduling.values import INACTIVE, OPEN, AppointmentInfo, CancelResult, S


def is_late_cancellation(start: datetime, cancelled_at: datetime, notice: timedelta) -> bool:
    """Whether a cancellation is late: it gave less ``notice`` than the clinic asks for, or
    came after the start. ``start`` and ``cancelled_at`` are clinic wall-clock times.

    The one definition: cancelling marks a visit with it, and the monthly report sorts its
    cancellations by it.
    """
    return start - cancelled_at < notice


def cancel(
    session: Session,
    actor: Actor,
    appointment_id: int,
    reason: str,
    *,
    scope: str = "this",
    now: datetime | None = None,
) -> CancelResult:
    """Cancel with a reason. Less notice than the clinic's setting makes it a late cancellation.

    ``now`` is the clinic's wall-clock time (naive); the record keeps it in UTC.
    """
    require(actor, "cancel_appointment")
    reason = validation.text(reason, "reason", "The reason", required=True, max_len=200)
    appt = load_appointment(session, appointment_id)
    if appt.status not in OPEN:
        raise ValidationError(
            "reason",
            f"This appointment is already {AppointmentStatus(appt.status).label.lower()}; "
            "correct its status instead.",
        )
    now = (clock.now() if now is None else now).replace(microsecond=0)
    profile = get_profile(session)
    notice = timedelta(hours=profile.late_cancel_hours)
    members = series_members(session, appt, scope)
    late_first = False
    for m in members:
        if m.status not in OPEN:
            continue
        before = audit.snapshot(m)
        old = m.status
        m.status = S.CANCELLED.value
        m.cancel_reason = reason
        m.cancelled_at = now.astimezone(UTC)
        m.late_cancel = is_late_cancellation(m.start, now, notice)
        if m is appt:
            late_first = m.late_cancel
        m.updated_at = clock.utc_now()
        note = reason + (" (late cancellation)" if m.late_cancel else "")
        record_status_change(session, actor, m, old, m.status, note)
        audit.record(
            session,
            actor,
            "cancel",
            "appointment",
            m.id,
            audit.diff(before, audit.snapshot(m)),
            f"Cancelled {describe(m)}: {note}",
        )
    session.flush()
    return CancelResult([get_appointment(session, saved_id(m)) for m in members], late_first)


def cancel_future_visits(
    session: Session, actor: Actor, patient_id: int, reason: str, *, now: datetime | None = None
) -> int:
    """Cancel every visit still open from ``now`` on, with one reason; returns how many."""
    now = clock.now() if now is None else now
    visits = future_visits(session, patient_id, now=now)
    for visit in visits:
        cancel(session, actor, visit.id, reason, now=now)
    return len(visits)


ALLOWED = {
    S.CHECKED_IN.value: (S.SCHEDULED.value,),
    S.COMPLETED.value: (S.SCHEDULED.value, S.CHECKED_IN.value),
    S.NO_SHOW.value: (S.SCHEDULED.value,),
}


def _set_status(
    session: Session,
    actor: Actor,
    appointment_id: int,
    new: str,
    *,
    now: datetime | None,
    note: str = "",
    correction: bool = False,
) -> AppointmentInfo:
    appt = load_appointment(session, appointment_id)
    old = appt.status
    now = (clock.now() if now is None else now).replace(microsecond=0)
    if not correction and old not in ALLOWED[new]:
        raise ValidationError(
            "status",
            f"This appointment is {AppointmentStatus(old).label.lower()}; it cannot be marked "
            f"{AppointmentStatus(new).label.lower()}. Use Correct status if it was recorded wrongly.",
        )
    if new == S.NO_SHOW.value and not correction and now < appt.start:
        raise ValidationError(
            "status", "A patient can only be a no-show once the visit has started."
        )
    before = audit.snapshot(appt)
    appt.status = new
    if new == S.CHECKED_IN.value and appt.arrived_at is None:
        appt.arrived_at = now.astimezone(UTC)
    if new != S.CANCELLED.value and old == S.CANCELLED.value:
        appt.cancelled_at = None
        appt.cancel_reason = ""
        appt.late_cancel = False
    appt.updated_at = clock.utc_now()
    record_status_change(session, actor, appt, old, new, note, correction)
    label = AppointmentStatus(new).label.lower()
    what = "Corrected status of" if correction else f"Marked {label}:"
    audit.record(
        session,
        actor,
        "correct_status" if correction else new,
        "appointment",
        appt.id,
        audit.diff(before, audit.snapshot(appt)),
        f"{what} {describe(appt)}" + (f" to {label} ({note})" if correction else ""),
    )
    session.flush()
    return get_appointment(session, appointment_id)


def check_in(
    session: Session, actor: Actor, appointment_id: int, *, now: datetime | None = None
) -> AppointmentInfo:
    """The patient arrived: the arrival time is recorded."""
    require(actor, "update_appointment_status")
    return _set_status(session, actor, appointment_id, S.CHECKED_IN.value, now=now)


def complete(
    session: Session, actor: Actor, appointment_id: int, *, now: datetime | None = None
) -> AppointmentInfo:
    require(actor, "update_appointment_status")
    return _set_status(session, actor, appointment_id, S.COMPLETED.value, now=now)


def no_show(
    session: Session, actor: Actor, appointment_id: int, *, now: datetime | None = None
) -> AppointmentInfo:
    require(actor, "update_appointment_status")
    return _set_status(session, actor, appointment_id, S.NO_SHOW.value, now=now)


def correct_status(
    session: Session,
    actor: Actor,
    appointment_id: int,
    new_status: str,
    note: str,
    *,
    now: datetime | None = None,
) -> AppointmentInfo:
    """Put a wrongly recorded status right (e.g. no-show back to checked in); kept in history."""
    require(actor, "correct_appointment_status")
    if new_status not in {s.value for s in AppointmentStatus}:
        raise ValidationError("status", "Choose the status the appointment should have.")
    note = validation.text(note, "note", "The reason for the correction", required=True)
    appt = load_appointment(session, appointment_id)
    if appt.status == new_status:
        raise ValidationError("status", "The appointment already has that status.")
    if new_status == S.CANCELLED.value:
        raise ValidationError(
            "status", "Use Cancel to cancel an appointment (it asks for a reason)."
        )
    if new_status in OPEN and appt.status in INACTIVE:
        others = check_conflicts(
            session,
            patient_id=appt.patient_id,
            staff_id=appt.staff_id,
            room_id=appt.room_id,
            start=appt.start,
            end=appt.end,
            ignore_ids=[appointment_id],
            check_authorization=False,
        )
        blocking = [c for c in others if c.blocking]
        if blocking:
            raise ValidationError("status", blocking[0].message)
    return _set_status(
        session, actor, appointment_id, new_status, now=now, note=note, correction=True
    )
