"""Staff members: who works at the clinic, in which role, on which hours, in which colour."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from ptdesk.errors import NotFound, PtdeskError, ValidationError
from ptdesk.models import Appointment, AuditEvent, Role, Staff
from ptdesk.models.common import utcnow
from ptdesk.services import audit, validation
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import require


def list_staff(session: Session, *, include_inactive: bool = False) -> list[Staff]:
    stmt = select(Staff).order_by(col(Staff.name))
    if not include_inactive:
        stmt = stmt.where(col(Staff.active).is_(True))
    return list(session.exec(stmt))


def get_staff(session: Session, staff_id: int) -> Staff:
    row = session.get(Staff, staff_id)
    if row is None:
        raise NotFound("That staff member no longer exists.")
    return row


def has_any_staff(session: Session) -> bool:
    return bool(session.exec(select(func.count()).select_from(Staff)).one())


def default_actor(session: Session) -> Staff | None:
    """The first active owner, for the 'who is working' prompt's default."""
    stmt = (
        select(Staff)
        .where(col(Staff.active).is_(True))
        .order_by((col(Staff.role) != Role.OWNER.value), col(Staff.id))
    )
    return session.exec(stmt).first()


def create_first_owner(session: Session, name: str, credentials: str = "") -> Staff:
    """A new clinic file has nobody in it: its first person is the owner."""
    if has_any_staff(session):
        raise ValidationError(
            "name", "This clinic already has staff; the owner adds others in Settings."
        )
    name = validation.text(name, "name", "The owner's name", required=True, max_len=120)
    owner = Staff(name=name, role=Role.OWNER.value, credentials=credentials.strip())
    session.add(owner)
    session.flush()
    actor = Actor.from_staff(owner)
    audit.record_new(
        session,
        actor,
        "create",
        "staff",
        owner,
        f"First owner {name} created",
    )
    return owner


COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
HOUR_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
WEEKDAY_NAMES = {
    1: "Monday",
    2: "Tuesday",
    3: "Wednesday",
    4: "Thursday",
    5: "Friday",
    6: "Saturday",
    7: "Sunday",
}
# Distinct colours offered to new staff, readable behind black text.
PALETTE = [
    "#4a90d9",
    "#e08a3c",
    "#5fb36b",
    "#c9626e",
    "#8e72c7",
    "#3fb0ad",
    "#c7a93b",
    "#b5739d",
    "#7f9c4a",
    "#6d8fb3",
]
CREDENTIAL_SUGGESTIONS = ["PT, DPT", "PT", "PTA", "PT Tech", "PT Aide", "ATC", "OTR/L"]
AUDIT_FIELDS = ["name", "role", "credentials", "color", "working_hours", "active"]


@dataclass
class StaffData:
    """What the staff form edits, as plain values."""

    name: str = ""
    role: str = Role.FRONT_DESK.value
    credentials: str = ""
    color: str = ""
    # ISO weekday (1 = Monday) -> (start, end) as "HH:MM"; a missing day is a day off.
    working_hours: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_staff(cls, row: Staff) -> StaffData:
        return cls(
            name=row.name,
            role=row.role,
            credentials=row.credentials,
            color=row.color,
            working_hours={k: list(v) for k, v in (row.working_hours or {}).items()},
        )


# -- working hours -------------------------------------------------------------------------

# By ISO weekday as text ("1" = Monday): the start and end as "HH:MM"; a missing day is off.
WorkingHours = Mapping[str, Sequence[str]]


def clean_working_hours(hours: WorkingHours | None) -> dict[str, list[str]]:
    """Check ``{"1": ["08:00", "16:30"], ...}``: known weekdays, HH:MM times, end after start."""
    cleaned: dict[str, list[str]] = {}
    for key, value in (hours or {}).items():
        try:
            day = int(key)
        except (TypeError, ValueError):
            day = 0
        if day not in WEEKDAY_NAMES:
            raise ValidationError("working_hours", f"{key!r} is not a day of the week.")
        name = WEEKDAY_NAMES[day]
        if not isinstance(value, list | tuple) or len(value) != 2:
            raise ValidationError("working_hours", f"Give a start and an end time for {name}.")
        start, end = (str(v).strip() for v in value)
        if not HOUR_RE.match(start) or not HOUR_RE.match(end):
            raise ValidationError(
                "working_hours", f"Write {name}'s hours as 24-hour times, e.g. 08:00 and 16:30."
            )
        if end <= start:
            raise ValidationError("working_hours", f"On {name} the day must end after it starts.")
        cleaned[str(day)] = [start, end]
    return dict(sorted(cleaned.items()))


def hours_on(working_hours: WorkingHours | None, weekday: int) -> tuple[time, time] | None:
    """The (start, end) a person works on an ISO weekday, or None on a day off."""
    value = (working_hours or {}).get(str(weekday))
    if not value:
        return None
    start, end = (time.fromisoformat(v) for v in value)
    return start, end


def works_during(working_hours: WorkingHours | None, start: datetime, end: datetime) -> bool:
    """Whether an appointment from ``start`` to ``end`` (same day) lies within working hours."""
    hours = hours_on(working_hours, start.isoweekday())
    if hours is None or end.date() != start.date():
        return False
    return hours[0] <= start.time() and end.time() <= hours[1]


def describe_hours(working_hours: WorkingHours | None) -> str:
    """Short text like "Mon–Fri 07:00–16:00" or "Mon, Wed 08:00–12:00; Fri 09:00–13:00"."""
    if not working_hours:
        return "No working hours"
    by_span: dict[tuple[str, ...], list[int]] = {}
    for key in sorted(working_hours, key=int):
        by_span.setdefault(tuple(working_hours[key]), []).append(int(key))
    parts = []
    for (start, end), days in by_span.items():
        runs: list[list[int]] = []
        for day in days:
            if runs and runs[-1][-1] == day - 1:
                runs[-1].append(day)
            else:
                runs.append([day])
        labels = []
        for run in runs:
            short = [WEEKDAY_NAMES[d][:3] for d in run]
            labels.append(f"{short[0]}–{short[-1]}" if len(run) > 2 else ", ".join(short))
        parts.append(f"{', '.join(labels)} {start}–{end}")
    return "; ".join(parts)


# -- validation and writing ------------------------------------------------------------------


def validate(data: StaffData) -> StaffData:
    data.name = validation.text(data.name, "name", "The name", required=True, max_len=120)
    if data.role not in {r.value for r in Role}:
        raise ValidationError("role", "Choose a role for this staff member.")
    data.credentials = validation.text(data.credentials, "credentials", "Credentials", max_len=60)
    data.color = (data.color or "").strip().lower()
    if data.color and not COLOR_RE.match(data.color):
        raise ValidationError("color", "Choose a colour (written like #4a90d9).")
    data.working_hours = clean_working_hours(data.working_hours)
    return data


def unused_color(session: Session) -> str:
    """The first palette colour no active staff member has yet."""
    taken = {c.lower() for c in session.exec(select(Staff.color).where(col(Staff.active)))}
    return next((c for c in PALETTE if c not in taken), PALETTE[0])


def _name_taken(session: Session, name: str, exclude_id: int | None) -> bool:
    stmt = select(Staff.id).where(func.lower(Staff.name) == name.lower(), col(Staff.active))
    if exclude_id is not None:
        stmt = stmt.where(col(Staff.id) != exclude_id)
    return session.exec(stmt).first() is not None


def _active_owner_count(session: Session) -> int:
    stmt = (
        select(func.count())
        .select_from(Staff)
        .where(Staff.role == Role.OWNER.value, col(Staff.active).is_(True))
    )
    return int(session.exec(stmt).one())


def create_staff(
    session: Session,
    actor: Actor,
    name: str | StaffData,
    role: str = Role.FRONT_DESK.value,
    credentials: str = "",
    *,
    color: str = "",
    working_hours: dict[str, list[str]] | None = None,
) -> Staff:
    """Add a staff member (give a StaffData, or the name and role)."""
    require(actor, "manage_staff")
    if isinstance(name, StaffData):
        data = name
    else:
        data = StaffData(
            name=name,
            role=role,
            credentials=credentials,
            color=color,
            working_hours=working_hours or {},
        )
    data = validate(data)
    if _name_taken(session, data.name, None):
        raise ValidationError("name", f"{data.name} is already on the staff list.")
    row = Staff(
        name=data.name,
        role=data.role,
        credentials=data.credentials,
        color=data.color or unused_color(session),
        working_hours=data.working_hours,
    )
    session.add(row)
    session.flush()
    audit.record_new(
        session,
        actor,
        "create",
        "staff",
        row,
        f"Staff member {data.name} added",
        fields=AUDIT_FIELDS,
    )
    return row


def update_staff(session: Session, actor: Actor, staff_id: int, data: StaffData) -> Staff:
    require(actor, "manage_staff")
    row = get_staff(session, staff_id)
    data = validate(data)
    if _name_taken(session, data.name, row.id):
        raise ValidationError("name", f"{data.name} is already on the staff list.")
    if (
        row.role == Role.OWNER.value
        and data.role != Role.OWNER.value
        and row.active
        and _active_owner_count(session) <= 1
    ):
        raise ValidationError(
            "role", "The clinic needs at least one owner; make someone else owner first."
        )
    before = audit.snapshot(row, AUDIT_FIELDS)
    row.name = data.name
    row.role = data.role
    row.credentials = data.credentials
    row.color = data.color or row.color
    row.working_hours = data.working_hours
    changes = audit.diff(before, audit.snapshot(row, AUDIT_FIELDS))
    if changes:
        row.updated_at = utcnow()
        audit.record(
            session, actor, "update", "staff", row.id, changes, f"Staff member {row.name} changed"
        )
    session.flush()
    return row


def set_staff_active(session: Session, actor: Actor, staff_id: int, active: bool) -> Staff:
    """Deactivate someone who left (their history stays), or bring them back."""
    require(actor, "manage_staff")
    row = get_staff(session, staff_id)
    if row.active == active:
        raise PtdeskError(f"{row.name} is already {'active' if active else 'inactive'}.")
    if not active:
        if row.id == actor.id:
            raise PtdeskError("You cannot deactivate yourself while you are signed in.")
        if row.role == Role.OWNER.value and _active_owner_count(session) <= 1:
            raise PtdeskError("The clinic needs at least one active owner.")
    before = audit.snapshot(row, AUDIT_FIELDS)
    row.active = active
    row.updated_at = utcnow()
    audit.record(
        session,
        actor,
        "reactivate" if active else "deactivate",
        "staff",
        row.id,
        audit.diff(before, audit.snapshot(row, AUDIT_FIELDS)),
        f"Staff member {row.name} {'active again' if active else 'deactivated'}",
    )
    session.flush()
    return row


def has_history(session: Session, staff_id: int) -> bool:
    """Whether anything on file points at this person (appointments, recorded changes)."""
    appointments = session.exec(
        select(func.count()).select_from(Appointment).where(Appointment.staff_id == staff_id)
    ).one()
    events = session.exec(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.actor_id == staff_id)
    ).one()
    return bool(appointments or events)


def delete_staff(session: Session, actor: Actor, staff_id: int) -> None:
    """Remove someone entered by mistake; anyone with history is refused (deactivate instead)."""
    require(actor, "manage_staff")
    row = get_staff(session, staff_id)
    refusal = (
        f"{row.name} has appointments or recorded work on file, so they cannot be deleted. "
        "Deactivate them instead: their history stays and they leave the lists."
    )
    if row.id == actor.id:
        raise PtdeskError("You cannot delete yourself while you are signed in.")
    if has_history(session, staff_id):
        raise PtdeskError(refusal)
    if row.role == Role.OWNER.value and row.active and _active_owner_count(session) <= 1:
        raise PtdeskError("The clinic needs at least one active owner.")
    before = audit.snapshot(row, AUDIT_FIELDS)
    try:
        session.delete(row)
        session.flush()
    except IntegrityError as exc:  # something else on file points at this person
        session.rollback()
        raise PtdeskError(refusal) from exc
    audit.record(
        session,
        actor,
        "delete",
        "staff",
        staff_id,
        audit.diff(before, {}),
        f"Staff member {before['name']} deleted (no history)",
    )
    session.flush()
