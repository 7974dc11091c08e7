"""Insurance authorizations: visits used and left, expiry, and warnings for a booking."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, func, select

from ptdesk.models import Appointment, AppointmentStatus, Authorization

LOW_VISITS = 2  # warn when fewer than this many visits remain
EXPIRY_WARNING_DAYS = 14


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

    @property
    def remaining(self) -> int:
        return self.visits_authorized - self.visits_used

    @property
    def text(self) -> str:
        return f"{self.visits_used} of {self.visits_authorized} used, expires {self.end_date.isoformat()}"


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
    session: Session, auth: Authorization, *, today: date | None = None
) -> AuthorizationStatus:
    today = today or date.today()
    used = visits_used(session, auth)
    warnings: list[str] = []
    remaining = auth.visits_authorized - used
    if remaining <= 0:
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
        warnings=warnings,
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
    today = today or date.today()
    auth = covering(session, patient_id, today)
    if auth is None:
        auths = list_for_patient(session, patient_id)
        auth = auths[0] if auths else None
    return None if auth is None else status_of(session, auth, today=today)


def booking_warnings(
    session: Session, patient_id: int, start: datetime, *, today: date | None = None
) -> list[str]:
    """Warnings for booking the patient at ``start``: past the visit count or the date range.

    Counts the visits already booked (scheduled or checked in) in the range as well as the
    completed ones, since those will use visits too. Returns [] when nothing is wrong or
    the patient has no authorizations on file.
    """
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
    planned = session.exec(
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
    ).one()
    if planned + 1 > auth.visits_authorized:
        return [
            f"This would be visit {planned + 1} of {auth.visits_authorized} authorized by "
            f"{auth.payer}: more than the authorization allows."
        ]
    return [w for w in status_of(session, auth, today=today).warnings if "left" in w or "ends" in w]
