"""The schedule: booking, moving, cancelling, statuses, recurring series, conflicts, and day queries."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from dateutil import rrule
from sqlalchemy import bindparam, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from ptdesk.errors import NotFound, PtdeskError, ValidationError
from ptdesk.models import (
    Appointment,
    AppointmentKind,
    AppointmentSeries,
    AppointmentStatus,
    AppointmentStatusChange,
    Patient,
    Role,
    Room,
    Staff,
)
from ptdesk.models.common import utcnow
from ptdesk.services import audit, authorizations, validation
from ptdesk.services.audit import Actor
from ptdesk.services.clinic import ClinicProfileData, get_profile
from ptdesk.services.permissions import require

S = AppointmentStatus
INACTIVE = (S.CANCELLED.value, S.NO_SHOW.value)  # never conflict, never count as busy
OPEN = (S.SCHEDULED.value, S.CHECKED_IN.value)  # still waiting for an outcome


DEFAULT_MINUTES = {
    AppointmentKind.EVALUATION.value: 60,
    AppointmentKind.TREATMENT.value: 45,
    AppointmentKind.RE_EVALUATION.value: 45,
    AppointmentKind.DISCHARGE.value: 45,
}
STATUS_MARKS = {  # a text symbol for each status, so colour is never the only cue
    S.SCHEDULED.value: "○",
    S.CHECKED_IN.value: "◐",
    S.COMPLETED.value: "●",
    S.CANCELLED.value: "✕",
    S.NO_SHOW.value: "⊘",
}
STATUS_LABELS = {s.value: s.label for s in AppointmentStatus}
KIND_LABELS = {k.value: k.label for k in AppointmentKind}
SCOPES = ("this", "following", "all")
WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
BOOKABLE_YEARS = (1900, 2199)  # outside these a date is a typing mistake (and out of range)
MAX_PLAN_WEEKS = 104


# -- plain values ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class AppointmentInfo:
    """One appointment with the names a screen or a printout shows."""

    id: int
    patient_id: int
    patient_name: str
    chart_number: str
    precautions: tuple[str, ...]
    staff_id: int
    staff_name: str
    staff_color: str
    room_id: int | None
    room_name: str
    start: datetime
    end: datetime
    status: str
    kind: str
    notes: str = ""
    series_id: int | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str = ""
    late_cancel: bool = False
    arrived_at: datetime | None = None
    override_reason: str = ""

    @property
    def duration_min(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def status_label(self) -> str:
        if self.late_cancel and self.status == S.CANCELLED.value:
            return "Late cancel"
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def status_mark(self) -> str:
        return STATUS_MARKS.get(self.status, "?")

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def active(self) -> bool:
        return self.status not in INACTIVE

    @property
    def time_text(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


@dataclass(frozen=True)
class StaffHours:
    """A staff member who can be booked, with the hours they work by ISO weekday."""

    id: int
    name: str
    role: str
    color: str
    working_hours: dict[int, tuple[time, time]]


@dataclass(frozen=True)
class RoomInfo:
    id: int
    name: str


@dataclass(frozen=True)
class PatientHit:
    id: int
    name: str
    sort_name: str
    chart_number: str
    phone: str
    date_of_birth: date | None
    precautions: tuple[str, ...]

    @property
    def label(self) -> str:
        born = f", born {self.date_of_birth.isoformat()}" if self.date_of_birth else ""
        return f"{self.sort_name} (#{self.chart_number}{born})"


@dataclass(frozen=True)
class Conflict:
    """Something wrong with a booking. ``blocking`` ones are refused; others need a reason."""

    kind: str  # patient, staff, room, clinic_hours, working_hours, authorization
    message: str
    blocking: bool = False


class ConflictWarning(PtdeskError):
    """The booking has warnings the front desk may override by giving a reason."""

    def __init__(self, conflicts: Sequence[Conflict]) -> None:
        self.conflicts = list(conflicts)
        super().__init__(" ".join(c.message for c in self.conflicts))


@dataclass
class BookingRequest:
    patient_id: int
    staff_id: int
    start: datetime
    duration_min: int | None = None
    kind: str = AppointmentKind.TREATMENT.value
    room_id: int | None = None
    notes: str = ""


@dataclass
class Recurrence:
    """Weekly on ISO ``weekdays`` until a date, or for a number of visits.

    A plan of care (``per_week`` visits for ``weeks`` weeks) sets both: the visit count and
    the last day.
    """

    weekdays: list[int]
    until: date | None = None
    count: int | None = None
    per_week: int | None = None
    weeks: int | None = None

    def describe(self) -> str:
        days = ", ".join(WEEKDAY_NAMES[d - 1] for d in sorted(self.weekdays))
        if self.per_week and self.weeks:
            return f"{self.per_week}×/week for {self.weeks} weeks ({days})"
        if self.count:
            return f"Weekly on {days}, {self.count} visits"
        return f"Weekly on {days} until {self.until.isoformat() if self.until else '?'}"


@dataclass(frozen=True)
class StatusChangeInfo:
    at: datetime
    from_status: str
    to_status: str
    actor_name: str
    note: str
    correction: bool


@dataclass(frozen=True)
class CancelResult:
    cancelled: list[AppointmentInfo]
    late: bool


# -- reading -----------------------------------------------------------------------------------
_APPOINTMENT_FIELDS = (
    "id", "patient_id", "staff_id", "room_id", "start", "end", "status", "kind", "notes",
    "series_id", "cancelled_at", "cancel_reason", "late_cancel", "arrived_at", "override_reason",
)  # fmt: skip


def _info_query():
    """Plain columns (no ORM objects): the day view's query stays cheap."""
    return (
        sa_select(
            *(getattr(Appointment, f) for f in _APPOINTMENT_FIELDS),
            Patient.first_name,
            Patient.last_name,
            Patient.chart_number,
            Patient.precautions,
            Staff.name,
            Staff.color,
            Room.name,
        )
        .join(Patient, col(Appointment.patient_id) == col(Patient.id))
        .join(Staff, col(Appointment.staff_id) == col(Staff.id))
        .outerjoin(Room, col(Appointment.room_id) == col(Room.id))
    )


def _to_info(row) -> AppointmentInfo:
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
    _info_query()
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
        return [_to_info(r) for r in session.execute(_RANGE, {"lo": lo, "hi": hi})]
    stmt = _info_query().where(col(Appointment.start) >= lo, col(Appointment.start) < hi)
    if staff_id is not None:
        stmt = stmt.where(Appointment.staff_id == staff_id)
    if room_id is not None:
        stmt = stmt.where(Appointment.room_id == room_id)
    stmt = stmt.order_by(col(Appointment.start), col(Appointment.id))
    return [_to_info(r) for r in session.execute(stmt)]


def day_appointments(session: Session, day: date) -> list[AppointmentInfo]:
    """Every appointment of the day (all staff, all statuses): the day view's one query."""
    lo = datetime.combine(day, time.min)
    return appointments_between(session, lo, lo + timedelta(days=1))


def week_appointments(session: Session, staff_id: int, monday: date) -> list[AppointmentInfo]:
    lo = datetime.combine(monday, time.min)
    return appointments_between(session, lo, lo + timedelta(days=7), staff_id=staff_id)


def get_appointment(session: Session, appointment_id: int) -> AppointmentInfo:
    row = session.execute(_info_query().where(Appointment.id == appointment_id)).first()
    if row is None:
        raise NotFound("That appointment no longer exists.")
    return _to_info(row)


def unresolved_query(now: datetime):
    """Past appointments still 'scheduled' or 'checked in', oldest first."""
    return (
        _info_query()
        .where(col(Appointment.end) <= now, col(Appointment.status).in_(OPEN))
        .order_by(col(Appointment.start), col(Appointment.id))
    )


def unresolved_visits(session: Session, *, now: datetime | None = None) -> list[AppointmentInfo]:
    """Past appointments still 'scheduled' or 'checked in': nothing is silently counted wrong."""
    stmt = unresolved_query(now or datetime.now())
    return [_to_info(r) for r in session.execute(stmt)]


def _parse_hours(raw: dict) -> dict[int, tuple[time, time]]:
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
        StaffHours(s.id, s.name, s.role, s.color, _parse_hours(s.working_hours))
        for s in session.exec(stmt)
    ]


def rooms(session: Session) -> list[RoomInfo]:
    stmt = select(Room).where(col(Room.active).is_(True)).order_by(col(Room.name))
    return [RoomInfo(r.id, r.name) for r in session.exec(stmt)]


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
            p.id,
            p.full_name,
            p.sort_name,
            p.chart_number,
            p.phone,
            p.date_of_birth,
            tuple(p.precaution_list),
        )
        for p in session.exec(stmt)
    ]


def status_history(session: Session, appointment_id: int) -> list[StatusChangeInfo]:
    stmt = (
        select(AppointmentStatusChange)
        .where(AppointmentStatusChange.appointment_id == appointment_id)
        .order_by(col(AppointmentStatusChange.id))
    )
    return [
        StatusChangeInfo(c.at, c.from_status, c.to_status, c.actor_name, c.note, c.correction)
        for c in session.exec(stmt)
    ]


# -- conflicts ---------------------------------------------------------------------------------
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
    who = [Appointment.patient_id == patient_id, Appointment.staff_id == staff_id]
    if room_id is not None:
        who.append(Appointment.room_id == room_id)
    stmt = _info_query().where(
        col(Appointment.start) < end,
        col(Appointment.end) > start,
        col(Appointment.status).not_in(INACTIVE),
        or_(*who),
    )
    if ignore:
        stmt = stmt.where(col(Appointment.id).not_in(ignore))
    for other in (_to_info(r) for r in session.execute(stmt.order_by(col(Appointment.start)))):
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
            staff_row.id, staff_row.name, staff_row.role, staff_row.color,
            _parse_hours(staff_row.working_hours),
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


def _settle(conflicts: list[Conflict], override_reason: str) -> str:
    """Refuse blocking conflicts; demand a reason for warnings. Returns the cleaned reason."""
    blocking = [c for c in conflicts if c.blocking]
    if blocking:
        raise ValidationError("start", " ".join(c.message for c in blocking))
    reason = validation.text(override_reason, "override_reason", "The reason", max_len=200)
    if conflicts and not reason:
        raise ConflictWarning(conflicts)
    return reason if conflicts else ""


# -- validation helpers -----------------------------------------------------------------------
def _patient(session: Session, patient_id: int) -> Patient:
    row = session.get(Patient, patient_id) if patient_id else None
    if row is None:
        raise ValidationError("patient", "Choose the patient for this appointment.")
    return row


def _staff(session: Session, staff_id: int) -> Staff:
    row = session.get(Staff, staff_id) if staff_id else None
    if row is None or not row.active:
        raise ValidationError("staff", "Choose who will see the patient.")
    return row


def _room(session: Session, room_id: int | None) -> Room | None:
    if room_id is None:
        return None
    row = session.get(Room, room_id)
    if row is None or not row.active:
        raise ValidationError("room", "That room is not available; choose another.")
    return row


def _times(start: datetime, duration_min: int | None, kind: str) -> tuple[datetime, datetime]:
    if not isinstance(start, datetime):
        raise ValidationError("start", "Choose the date and time of the appointment.")
    if start.tzinfo is not None:
        raise ValidationError("start", "Appointment times are clinic clock times, without a zone.")
    if not BOOKABLE_YEARS[0] <= start.year <= BOOKABLE_YEARS[1]:
        raise ValidationError(
            "start",
            f"Check the year: appointments can be booked from {BOOKABLE_YEARS[0]} "
            f"to {BOOKABLE_YEARS[1]}.",
        )
    minutes = duration_min or DEFAULT_MINUTES.get(kind, 45)
    if not 5 <= minutes <= 480:
        raise ValidationError("duration", "An appointment lasts between 5 minutes and 8 hours.")
    start = start.replace(second=0, microsecond=0)
    return start, start + timedelta(minutes=minutes)


def _kind(kind: str) -> str:
    if kind not in {k.value for k in AppointmentKind}:
        raise ValidationError("kind", "Choose the kind of visit.")
    return kind


def _load(session: Session, appointment_id: int) -> Appointment:
    row = session.get(Appointment, appointment_id)
    if row is None:
        raise NotFound("That appointment no longer exists.")
    return row


def _history(
    session: Session,
    actor: Actor,
    appt: Appointment,
    old: str,
    new: str,
    note: str = "",
    correction: bool = False,
) -> None:
    session.add(
        AppointmentStatusChange(
            appointment_id=appt.id,
            from_status=old,
            to_status=new,
            actor_id=actor.id,
            actor_name=actor.name,
            note=note[:200],
            correction=correction,
        )
    )


def _describe(appt: Appointment, patient_name: str = "") -> str:
    who = f" for {patient_name}" if patient_name else ""
    return f"appointment{who} on {appt.start:%Y-%m-%d %H:%M}"


# -- booking -----------------------------------------------------------------------------------
def book(
    session: Session, actor: Actor, request: BookingRequest, *, override_reason: str = ""
) -> AppointmentInfo:
    """Book one appointment after checking conflicts (warnings need ``override_reason``)."""
    require(actor, "book")
    patient = _patient(session, request.patient_id)
    staff = _staff(session, request.staff_id)
    _room(session, request.room_id)
    kind = _kind(request.kind)
    start, end = _times(request.start, request.duration_min, kind)
    notes = validation.text(request.notes, "notes", "Notes", max_len=2000)
    conflicts = check_conflicts(
        session,
        patient_id=patient.id,
        staff_id=staff.id,
        room_id=request.room_id,
        start=start,
        end=end,
    )
    reason = _settle(conflicts, override_reason)
    appt = Appointment(
        patient_id=patient.id,
        staff_id=staff.id,
        room_id=request.room_id,
        start=start,
        end=end,
        kind=kind,
        notes=notes,
        override_reason=reason,
    )
    session.add(appt)
    session.flush()
    _history(session, actor, appt, "", S.SCHEDULED.value, reason)
    summary = f"Booked {_describe(appt, patient.full_name)} with {staff.name}"
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
    return get_appointment(session, appt.id)


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
    patient = _patient(session, request.patient_id)
    staff = _staff(session, request.staff_id)
    _room(session, request.room_id)
    kind = _kind(request.kind)
    start, end = _times(request.start, request.duration_min, kind)
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
            patient_id=patient.id,
            staff_id=staff.id,
            room_id=request.room_id,
            start=s,
            end=s + length,
            check_authorization=False,
            profile=profile,
        )
        conflicts.extend(found)
    conflicts.extend(_series_authorization(session, patient.id, starts))
    reason = _settle(conflicts, override_reason)
    series = AppointmentSeries(
        patient_id=patient.id,
        staff_id=staff.id,
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
            patient_id=patient.id,
            staff_id=staff.id,
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
        _history(session, actor, appt, "", S.SCHEDULED.value, reason)
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
    return [get_appointment(session, a.id) for a in rows]


def _series_authorization(
    session: Session, patient_id: int, starts: list[datetime]
) -> list[Conflict]:
    """Visits of a new series outside any authorization, or beyond its visit count."""
    if not authorizations.list_for_patient(session, patient_id):
        return []
    uncovered: list[date] = []
    per_auth: dict[int, list[datetime]] = {}
    auths = {}
    for s in starts:
        auth = authorizations.covering(session, patient_id, s.date())
        if auth is None:
            uncovered.append(s.date())
        else:
            auths[auth.id] = auth
            per_auth.setdefault(auth.id, []).append(s)
    found = []
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


# -- changing ----------------------------------------------------------------------------------
@dataclass
class AppointmentChanges:
    """What an edit changes; None leaves a field as it is."""

    start: datetime | None = None
    duration_min: int | None = None
    staff_id: int | None = None
    room_id: int | None = None
    clear_room: bool = False
    kind: str | None = None
    notes: str | None = None


def _series_members(session: Session, appt: Appointment, scope: str) -> list[Appointment]:
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
    appt = _load(session, appointment_id)
    members = _series_members(session, appt, scope)
    if changes.staff_id is not None:
        _staff(session, changes.staff_id)
    if changes.room_id is not None:
        _room(session, changes.room_id)
    kind = _kind(changes.kind) if changes.kind is not None else None
    notes = (
        validation.text(changes.notes, "notes", "Notes", max_len=2000)
        if changes.notes is not None
        else None
    )
    profile = get_profile(session)
    ids = [m.id for m in members]
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
        start, end = _times(start, minutes, kind or m.kind)
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
    reason = _settle(conflicts, override_reason)
    for m, start, end, staff_id, room_id in plans:
        before = audit.snapshot(m)
        m.start, m.end, m.staff_id, m.room_id = start, end, staff_id, room_id
        if kind is not None:
            m.kind = kind
        if notes is not None:
            m.notes = notes
        if reason:
            m.override_reason = reason
        m.updated_at = utcnow()
        change = audit.diff(before, audit.snapshot(m))
        if change:
            audit.record(
                session,
                actor,
                "update",
                "appointment",
                m.id,
                change,
                f"Changed {_describe(m)}" + (f" (warnings overridden: {reason})" if reason else ""),
            )
    session.flush()
    return [get_appointment(session, m.id) for m, *_ in plans]


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
    appt = _load(session, appointment_id)
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
    appt = _load(session, appointment_id)
    if appt.status not in OPEN:
        raise ValidationError(
            "reason",
            f"This appointment is already {AppointmentStatus(appt.status).label.lower()}; "
            "correct its status instead.",
        )
    now = (now or datetime.now()).replace(microsecond=0)
    profile = get_profile(session)
    notice = timedelta(hours=profile.late_cancel_hours)
    members = _series_members(session, appt, scope)
    late_first = False
    for m in members:
        if m.status not in OPEN:
            continue
        before = audit.snapshot(m)
        old = m.status
        m.status = S.CANCELLED.value
        m.cancel_reason = reason
        m.cancelled_at = now.astimezone(UTC)
        m.late_cancel = m.start - now < notice
        if m is appt:
            late_first = m.late_cancel
        m.updated_at = utcnow()
        note = reason + (" (late cancellation)" if m.late_cancel else "")
        _history(session, actor, m, old, m.status, note)
        audit.record(
            session,
            actor,
            "cancel",
            "appointment",
            m.id,
            audit.diff(before, audit.snapshot(m)),
            f"Cancelled {_describe(m)}: {note}",
        )
    session.flush()
    return CancelResult([get_appointment(session, m.id) for m in members], late_first)


def future_visits(
    session: Session, patient_id: int, *, now: datetime | None = None
) -> list[AppointmentInfo]:
    """The patient's visits still open from ``now`` (wall clock) on, e.g. before a discharge."""
    now = now or datetime.now()
    rows = session.exec(
        select(Appointment.id)
        .where(Appointment.patient_id == patient_id, col(Appointment.status).in_(OPEN))
        .where(col(Appointment.start) >= now)
        .order_by(col(Appointment.start))
    )
    return [get_appointment(session, i) for i in rows]


def cancel_future_visits(
    session: Session, actor: Actor, patient_id: int, reason: str, *, now: datetime | None = None
) -> int:
    """Cancel every visit still open from ``now`` on, with one reason; returns how many."""
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
    appt = _load(session, appointment_id)
    old = appt.status
    now = (now or datetime.now()).replace(microsecond=0)
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
    appt.updated_at = utcnow()
    _history(session, actor, appt, old, new, note, correction)
    label = AppointmentStatus(new).label.lower()
    what = "Corrected status of" if correction else f"Marked {label}:"
    audit.record(
        session,
        actor,
        "correct_status" if correction else new,
        "appointment",
        appt.id,
        audit.diff(before, audit.snapshot(appt)),
        f"{what} {_describe(appt)}" + (f" to {label} ({note})" if correction else ""),
    )
    session.flush()
    return get_appointment(session, appt.id)


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
    appt = _load(session, appointment_id)
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
            ignore_ids=[appt.id],
            check_authorization=False,
        )
        blocking = [c for c in others if c.blocking]
        if blocking:
            raise ValidationError("status", blocking[0].message)
    return _set_status(
        session, actor, appointment_id, new_status, now=now, note=note, correction=True
    )


# -- free slots --------------------------------------------------------------------------------
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
    staff_row = _staff(session, staff_id)
    sh = StaffHours(
        staff_row.id, staff_row.name, staff_row.role, staff_row.color,
        _parse_hours(staff_row.working_hours),
    )  # fmt: skip
    length = timedelta(minutes=duration_min)
    step = timedelta(minutes=profile.slot_minutes)
    lo = after.replace(second=0, microsecond=0)
    hi = datetime.combine(lo.date() + timedelta(days=days), time.min)
    who = [Appointment.staff_id == staff_id]
    if room_id is not None:
        who.append(Appointment.room_id == room_id)
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


# -- day sheet ---------------------------------------------------------------------------------
@dataclass
class DaySheetGroup:
    staff_name: str
    appointments: list[AppointmentInfo] = field(default_factory=list)


def day_sheet(session: Session, day: date) -> list[DaySheetGroup]:
    """The day's appointments per staff member (cancelled ones left off), in time order."""
    groups: dict[int, DaySheetGroup] = {}
    for a in day_appointments(session, day):
        if a.status == S.CANCELLED.value:
            continue
        groups.setdefault(a.staff_id, DaySheetGroup(a.staff_name)).appointments.append(a)
    return sorted(groups.values(), key=lambda g: g.staff_name)


def day_sheet_pdf(session: Session, day: date, *, out=None) -> bytes:
    """The day sheet as PDF bytes (also written to ``out`` when given)."""
    from ptdesk.reports.common import Letterhead
    from ptdesk.reports.day_sheet import build_day_sheet

    profile = get_profile(session)
    return build_day_sheet(day, day_sheet(session, day), Letterhead.from_profile(profile), out=out)
