"""Insurance authorizations: visits used and left, expiry, and warnings for a booking."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, func, select

from ptdesk.errors import NotFound, PtdeskError, ValidationError
from ptdesk.models import Appointment, AppointmentStatus, Authorization, Patient
from ptdesk.services import audit, clock, validation
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import require

LOW_VISITS = 2  # warn when fewer than this many visits remain
EXPIRY_WARNING_DAYS = 14
MAX_VISITS = 999
MAX_RANGE_DAYS = 3 * 366


@dataclass
class AuthorizationData:
    """What the authorization form edits, as plain values."""

    payer: str = ""
    member_number: str = ""
    visits_authorized: int = 0
    start_date: date | None = None
    end_date: date | None = None
    notes: str = ""

    @classmethod
    def from_row(cls, auth: Authorization) -> AuthorizationData:
        return cls(**{f: getattr(auth, f) for f in DATA_FIELDS})


DATA_FIELDS = ["payer", "member_number", "visits_authorized", "start_date", "end_date", "notes"]
AUDIT_FIELDS = [*DATA_FIELDS, "patient_id", "active"]


@dataclass(frozen=True)
class AuthorizationStatus:
    """One authorization as the front desk sees it."""

    authorization_id: int
    payer: str
    member_number: str
    visits_authorized: int
    visits_used: int
    start_date: date
    end_date: date
    warnings: list[str] = field(default_factory=list)
    expired: bool = False
    active: bool = True
    notes: str = ""

    @property
    def remaining(self) -> int:
        return self.visits_authorized - self.visits_used

    @property
    def text(self) -> str:
        verb = "expired" if self.expired else "expires"
        return f"{self.visits_used} of {self.visits_authorized} used, {verb} {self.end_date.isoformat()}"

    @property
    def remaining_text(self) -> str:
        if self.remaining < 0:
            return f"{-self.remaining} over"
        return f"{self.remaining} left"


def visits_used(session: Session, auth: Authorization) -> int:
    """Completed appointments of the patient whose day falls in the range (both ends count)."""
    lo = datetime.combine(auth.start_date, time.min)
    hi = datetime.combine(auth.end_date + timedelta(days=1), time.min)
    stmt = (
        select(func.count())
        .select_from(Appointment)
        .where(
            Appointment.patient_id == auth.patient_id,
            Appointment.status == AppointmentStatus.COMPLETED.value,
            col(Appointment.start) >= lo,
            col(Appointment.start) < hi,
        )
    )
    return int(session.exec(stmt).one())


def status_of(
    session: Session,
    auth: Authorization,
    *,
    today: date | None = None,
    used: int | None = None,
) -> AuthorizationStatus:
    """The authorization as the front desk sees it (``used`` when already counted)."""
    today = clock.today() if today is None else today
    if used is None:
        used = visits_used(session, auth)
    warnings: list[str] = []
    remaining = auth.visits_authorized - used
    if remaining < 0:
        warnings.append(
            f"{used} visits were used: {-remaining} more than the {auth.visits_authorized} authorized."
        )
    elif remaining == 0:
        warnings.append(f"All {auth.visits_authorized} authorized visits are used.")
    elif remaining < LOW_VISITS:
        warnings.append(f"Only {remaining} authorized visit left.")
    if auth.end_date < today:
        warnings.append(f"The authorization expired on {auth.end_date.isoformat()}.")
    elif (auth.end_date - today).days <= EXPIRY_WARNING_DAYS:
        warnings.append(
            f"The authorization ends on {auth.end_date.isoformat()} (within {EXPIRY_WARNING_DAYS} days)."
        )
    return AuthorizationStatus(
        authorization_id=auth.id or 0,
        payer=auth.payer,
        member_number=auth.member_number,
        visits_authorized=auth.visits_authorized,
        visits_used=used,
        start_date=auth.start_date,
        end_date=auth.end_date,
        warnings=warnings if auth.active else [],
        expired=auth.end_date < today,
        active=auth.active,
        notes=auth.notes,
    )


def list_for_patient(
    session: Session, patient_id: int, *, include_inactive: bool = False
) -> list[Authorization]:
    stmt = select(Authorization).where(Authorization.patient_id == patient_id)
    if not include_inactive:
        stmt = stmt.where(col(Authorization.active).is_(True))
    return list(session.exec(stmt.order_by(col(Authorization.start_date).desc())))


def covering(session: Session, patient_id: int, day: date) -> Authorization | None:
    """The active authorization whose range includes ``day`` (the latest-starting one)."""
    stmt = (
        select(Authorization)
        .where(
            Authorization.patient_id == patient_id,
            col(Authorization.active).is_(True),
            col(Authorization.start_date) <= day,
            col(Authorization.end_date) >= day,
        )
        .order_by(col(Authorization.start_date).desc())
    )
    return session.exec(stmt).first()


def current_status(
    session: Session, patient_id: int, *, today: date | None = None
) -> AuthorizationStatus | None:
    """Status of the authorization covering today, else the most recent one, else None."""
    today = clock.today() if today is None else today
    auth = covering(session, patient_id, today)
    if auth is None:
        auths = list_for_patient(session, patient_id)
        auth = auths[0] if auths else None
    return None if auth is None else status_of(session, auth, today=today)


def current_statuses(
    session: Session, patient_ids: list[int], *, today: date | None = None
) -> dict[int, AuthorizationStatus]:
    """``current_status`` for many patients in two queries (lists that refresh on their own).

    The same choice per patient: the active authorization covering today (latest start),
    else the most recent one.
    """
    today = clock.today() if today is None else today
    if not patient_ids:
        return {}
    chosen: dict[int, Authorization] = {}
    stmt = (
        select(Authorization)
        .where(col(Authorization.patient_id).in_(patient_ids), col(Authorization.active).is_(True))
        .order_by(col(Authorization.start_date).desc(), col(Authorization.id))
    )
    for auth in session.exec(stmt):
        have = chosen.get(auth.patient_id)
        covers = auth.start_date <= today <= auth.end_date
        if have is None or (covers and not have.start_date <= today <= have.end_date):
            chosen[auth.patient_id] = auth
    if not chosen:
        return {}
    lo = datetime.combine(min(a.start_date for a in chosen.values()), time.min)
    hi = datetime.combine(max(a.end_date for a in chosen.values()) + timedelta(days=1), time.min)
    completed = session.exec(
        select(Appointment.patient_id, Appointment.start).where(
            col(Appointment.patient_id).in_(list(chosen)),
            Appointment.status == AppointmentStatus.COMPLETED.value,
            col(Appointment.start) >= lo,
            col(Appointment.start) < hi,
        )
    )
    used: dict[int, int] = dict.fromkeys(chosen, 0)
    for patient_id, start in completed:
        auth = chosen[patient_id]
        if auth.start_date <= start.date() <= auth.end_date:
            used[patient_id] += 1
    return {
        pid: status_of(session, auth, today=today, used=used[pid]) for pid, auth in chosen.items()
    }


def booking_warnings(
    session: Session,
    patient_id: int,
    start: datetime,
    *,
    today: date | None = None,
    exclude_appointment_id: int | None = None,
) -> list[str]:
    """Warnings for booking the patient at ``start``: past the visit count or the date range.

    Counts the visits already booked (scheduled or checked in) in the range as well as the
    completed ones, since those will use visits too. ``exclude_appointment_id`` leaves out
    the appointment being moved. Returns [] when nothing is wrong or the patient has no
    authorizations on file.
    """
    today = clock.today() if today is None else today
    auths = list_for_patient(session, patient_id)
    if not auths:
        return []
    auth = covering(session, patient_id, start.date())
    if auth is None:
        latest = max(auths, key=lambda a: a.end_date)
        if start.date() > latest.end_date:
            return [
                f"This visit is after the authorization from {latest.payer} ended "
                f"({latest.end_date.isoformat()})."
            ]
        return [f"No authorization covers {start.date().isoformat()}."]
    lo = datetime.combine(auth.start_date, time.min)
    hi = datetime.combine(auth.end_date + timedelta(days=1), time.min)
    stmt = (
        select(func.count())
        .select_from(Appointment)
        .where(
            Appointment.patient_id == patient_id,
            col(Appointment.status).in_(
                [
                    AppointmentStatus.COMPLETED.value,
                    AppointmentStatus.SCHEDULED.value,
                    AppointmentStatus.CHECKED_IN.value,
                ]
            ),
            col(Appointment.start) >= lo,
            col(Appointment.start) < hi,
        )
    )
    if exclude_appointment_id is not None:
        stmt = stmt.where(col(Appointment.id) != exclude_appointment_id)
    planned = int(session.exec(stmt).one())
    if planned + 1 > auth.visits_authorized:
        return [
            f"This would be visit {planned + 1} of {auth.visits_authorized} authorized by "
            f"{auth.payer}: more than the authorization allows."
        ]
    warnings: list[str] = []
    left_after = auth.visits_authorized - planned - 1
    if left_after < LOW_VISITS:
        warnings.append(
            "This is the last visit the authorization allows."
            if left_after == 0
            else f"Only {left_after} authorized visit will be left after this one."
        )
    if 0 <= (auth.end_date - today).days <= EXPIRY_WARNING_DAYS:
        warnings.append(
            f"The authorization ends on {auth.end_date.isoformat()} (within {EXPIRY_WARNING_DAYS} days)."
        )
    return warnings


# -- adding and changing authorizations -------------------------------------------------------


def validate(data: AuthorizationData) -> AuthorizationData:
    data.payer = validation.text(
        data.payer, "payer", "The payer (insurance)", required=True, max_len=120
    )
    data.member_number = validation.text(
        data.member_number, "member_number", "The member number", max_len=60
    )
    if data.visits_authorized is None or not 1 <= data.visits_authorized <= MAX_VISITS:
        raise ValidationError(
            "visits_authorized", f"Visits authorized must be between 1 and {MAX_VISITS}."
        )
    if data.start_date is None:
        raise ValidationError("start_date", "Enter the first day the authorization covers.")
    if data.end_date is None:
        raise ValidationError("end_date", "Enter the last day the authorization covers.")
    if data.end_date < data.start_date:
        raise ValidationError("end_date", "The last day is before the first day.")
    if (data.end_date - data.start_date).days > MAX_RANGE_DAYS:
        raise ValidationError("end_date", "An authorization cannot cover more than three years.")
    data.notes = validation.text(data.notes, "notes", "The notes", max_len=2000)
    return data


def get_authorization(session: Session, authorization_id: int) -> Authorization:
    row = session.get(Authorization, authorization_id)
    if row is None:
        raise NotFound("That authorization is no longer on file.")
    return row


def add_authorization(
    session: Session, actor: Actor, patient_id: int, data: AuthorizationData
) -> Authorization:
    require(actor, "manage_authorizations")
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise NotFound("That patient is no longer on file.")
    data = validate(data)
    row = Authorization(patient_id=patient_id, **{f: getattr(data, f) for f in DATA_FIELDS})
    session.add(row)
    session.flush()
    audit.record_new(
        session,
        actor,
        "create",
        "authorization",
        row,
        f"Authorization from {row.payer} for {patient.full_name} added "
        f"({row.visits_authorized} visits, {row.start_date} to {row.end_date})",
        fields=AUDIT_FIELDS,
    )
    return row


def update_authorization(
    session: Session, actor: Actor, authorization_id: int, data: AuthorizationData
) -> Authorization:
    require(actor, "manage_authorizations")
    row = get_authorization(session, authorization_id)
    data = validate(data)
    before = audit.snapshot(row, AUDIT_FIELDS)
    for f in DATA_FIELDS:
        setattr(row, f, getattr(data, f))
    changes = audit.diff(before, audit.snapshot(row, AUDIT_FIELDS))
    if changes:
        row.updated_at = clock.utc_now()
        audit.record(
            session,
            actor,
            "update",
            "authorization",
            row.id,
            changes,
            f"Authorization from {row.payer} changed",
        )
    session.flush()
    return row


def set_authorization_active(
    session: Session, actor: Actor, authorization_id: int, active: bool
) -> Authorization:
    """Deactivate (or bring back) an authorization; it is never deleted, its history stays."""
    require(actor, "manage_authorizations")
    row = get_authorization(session, authorization_id)
    if row.active == active:
        state = "active" if active else "inactive"
        raise PtdeskError(f"That authorization is already {state}.")
    before = audit.snapshot(row, AUDIT_FIELDS)
    row.active = active
    row.updated_at = clock.utc_now()
    audit.record(
        session,
        actor,
        "reactivate" if active else "deactivate",
        "authorization",
        row.id,
        audit.diff(before, audit.snapshot(row, AUDIT_FIELDS)),
        f"Authorization from {row.payer} {'active again' if active else 'deactivated'}",
    )
    session.flush()
    return row


def deactivate_authorization(
    session: Session, actor: Actor, authorization_id: int
) -> Authorization:
    return set_authorization_active(session, actor, authorization_id, False)


def statuses_for_patient(
    session: Session, patient_id: int, *, today: date | None = None, include_inactive: bool = True
) -> list[AuthorizationStatus]:
    """Every authorization of the patient with its count and warnings, newest first."""
    today = clock.today() if today is None else today
    auths = list_for_patient(session, patient_id, include_inactive=include_inactive)
    return [status_of(session, a, today=today) for a in auths]
