"""Repeating visits: a weekly rule or a plan of care expanded to dates, booked as one series."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from dateutil import rrule
from sqlmodel import Session, col, select

from ptdesk.errors import ValidationError
from ptdesk.models import Appointment, AppointmentSeries
from ptdesk.models.common import saved_id
from ptdesk.services import audit, validation
from ptdesk.services.audit import Actor
from ptdesk.services.clinic import get_profile
from ptdesk.services.permissions import require
from ptdesk.services.scheduling.checks import (
    check_kind,
    check_patient,
    check_room,
    check_staff,
    check_times,
)
from ptdesk.services.scheduling.conflicts import (
    check_conflicts,
    series_authorization,
    settle,
)
from ptdesk.services.scheduling.history import record_status_change
from ptdesk.services.scheduling.queries import get_appointment
from ptdesk.services.scheduling.values import (
    MAX_PLAN_WEEKS,
    SCOPES,
    AppointmentInfo,
    BookingRequest,
    Conflict,
    Recurrence,
    S,
)


def expand_recurrence(start: datetime, rule: Recurrence) -> list[datetime]:
    """The visit start times of a weekly rule; each keeps ``start``'s wall-clock time."""
    weekdays = sorted(set(rule.weekdays))
    if not weekdays or any(not 1 <= d <= 7 for d in weekdays):
        raise ValidationError("weekdays", "Choose at least one weekday for the repeating visits.")
    count = rule.count
    until = rule.until
    if rule.per_week or rule.weeks:
        if not rule.per_week or not rule.weeks or rule.per_week < 1 or rule.weeks < 1:
            raise ValidationError(
                "plan", "A plan of care needs visits per week and a number of weeks."
            )
        if rule.weeks > MAX_PLAN_WEEKS:
            raise ValidationError(
                "plan", f"A plan of care runs for at most {MAX_PLAN_WEEKS} weeks (two years)."
            )
        if rule.per_week > len(weekdays):
            raise ValidationError(
                "weekdays", f"Choose {rule.per_week} weekdays for {rule.per_week} visits a week."
            )
        count = rule.per_week * rule.weeks
        monday = start.date() - timedelta(days=start.weekday())
        # at most per_week visits each calendar week (Monday to Sunday) on the ticked days;
        # visits a partial first week cannot hold are made up in one extra week at the end
        until = monday + timedelta(weeks=rule.weeks + 1) - timedelta(days=1)
    if count is None and until is None:
        raise ValidationError("until", "Say until when, or for how many visits, the visits repeat.")
    if count is not None and not 1 <= count <= 200:
        raise ValidationError("count", "A series has between 1 and 200 visits.")
    if until is not None and until < start.date():
        raise ValidationError("until", "The last day is before the first visit.")
    if until is not None and (until - start.date()).days > 366 * 2:
        raise ValidationError("until", "A series can run for at most two years.")
    rr = rrule.rrule(
        rrule.WEEKLY,
        dtstart=start,
        byweekday=[d - 1 for d in weekdays],
        count=count if until is None else None,
        until=datetime.combine(until, time.max) if until is not None else None,
    )
    starts = list(rr)
    if rule.per_week:
        taken: dict[int, int] = {}  # visits kept per week, by the week's Monday ordinal
        kept = []
        for s in starts:
            week = s.date().toordinal() - s.weekday()
            if taken.get(week, 0) < rule.per_week:
                taken[week] = taken.get(week, 0) + 1
                kept.append(s)
        starts = kept
    if count is not None:
        starts = starts[:count]
    return starts


def book_series(
    session: Session,
    actor: Actor,
    request: BookingRequest,
    rule: Recurrence,
    *,
    override_reason: str = "",
) -> list[AppointmentInfo]:
    """Book a weekly series; each visit is checked like a single booking, all or nothing."""
    require(actor, "book")
    patient = check_patient(session, request.patient_id)
    staff = check_staff(session, request.staff_id)
    check_room(session, request.room_id)
    kind = check_kind(request.kind)
    start, end = check_times(request.start, request.duration_min, kind)
    length = end - start
    notes = validation.text(request.notes, "notes", "Notes", max_len=2000)
    starts = expand_recurrence(start, rule)
    if not starts:
        raise ValidationError("weekdays", "No visit falls on the chosen weekdays in that range.")
    profile = get_profile(session)
    conflicts: list[Conflict] = []
    for s in starts:
        found = check_conflicts(
            session,
            patient_id=request.patient_id,
            staff_id=request.staff_id,
            room_id=request.room_id,
            start=s,
            end=s + length,
            check_authorization=False,
            profile=profile,
        )
        conflicts.extend(found)
    conflicts.extend(series_authorization(session, request.patient_id, starts))
    reason = settle(conflicts, override_reason)
    series = AppointmentSeries(
        patient_id=request.patient_id,
        staff_id=request.staff_id,
        room_id=request.room_id,
        weekdays=",".join(str(d) for d in sorted(set(rule.weekdays))),
        first_day=starts[0].date(),
        until=rule.until,
        visits=len(starts),
        description=rule.describe(),
    )
    session.add(series)
    session.flush()
    rows = []
    for s in starts:
        appt = Appointment(
            patient_id=request.patient_id,
            staff_id=request.staff_id,
            room_id=request.room_id,
            start=s,
            end=s + length,
            kind=kind,
            notes=notes,
            series_id=series.id,
            override_reason=reason,
        )
        session.add(appt)
        rows.append(appt)
    session.flush()
    for appt in rows:
        record_status_change(session, actor, appt, "", S.SCHEDULED.value, reason)
    audit.record(
        session,
        actor,
        "book_series",
        "appointment_series",
        series.id,
        {"visits": [None, len(rows)], "rule": [None, series.description]},
        f"Booked {len(rows)} visits for {patient.full_name} with {staff.name}: {series.description}"
        + (f" (warnings overridden: {reason})" if reason else ""),
    )
    session.flush()
    return [get_appointment(session, saved_id(a)) for a in rows]


def series_members(session: Session, appt: Appointment, scope: str) -> list[Appointment]:
    if scope not in SCOPES:
        raise ValidationError(
            "scope", "Choose this visit, this and following, or the whole series."
        )
    if scope == "this" or appt.series_id is None:
        return [appt]
    stmt = select(Appointment).where(
        Appointment.series_id == appt.series_id, col(Appointment.status) == S.SCHEDULED.value
    )
    if scope == "following":
        stmt = stmt.where(col(Appointment.start) >= appt.start)
    members = list(session.exec(stmt.order_by(col(Appointment.start))))
    if appt not in members:
        members.insert(0, appt)
    return members
