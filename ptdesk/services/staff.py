"""Staff members: who works at the clinic, in which role."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from ptdesk.errors import NotFound, ValidationError
from ptdesk.models import Role, Staff
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
    audit.record(
        session,
        actor,
        "create",
        "staff",
        owner.id,
        audit.diff({}, audit.snapshot(owner)),
        f"First owner {name} created",
    )
    return owner


def create_staff(
    session: Session, actor: Actor, name: str, role: str, credentials: str = ""
) -> Staff:
    require(actor, "manage_staff")
    name = validation.text(name, "name", "The name", required=True, max_len=120)
    if role not in {r.value for r in Role}:
        raise ValidationError("role", "Choose a role for this staff member.")
    row = Staff(
        name=name,
        role=role,
        credentials=validation.text(credentials, "credentials", "Credentials", max_len=60),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        "staff",
        row.id,
        audit.diff({}, audit.snapshot(row)),
        f"Staff member {name} added",
    )
    return row
