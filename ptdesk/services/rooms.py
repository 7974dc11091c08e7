"""Treatment rooms: add, rename, deactivate; a room with history is never deleted."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from ptdesk.errors import NotFound, PtdeskError, ValidationError
from ptdesk.models import Appointment, Equipment, Room
from ptdesk.models.common import utcnow
from ptdesk.services import audit, validation
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import require

ROOM_KINDS = {
    "treatment": "Treatment room",
    "gym": "Gym",
    "private": "Private room",
    "pool": "Pool",
    "other": "Other",
}
AUDIT_FIELDS = ["name", "kind", "active"]


@dataclass
class RoomData:
    name: str = ""
    kind: str = "treatment"


def list_rooms(session: Session, *, include_inactive: bool = False) -> list[Room]:
    stmt = select(Room).order_by(col(Room.name))
    if not include_inactive:
        stmt = stmt.where(col(Room.active).is_(True))
    return list(session.exec(stmt))


def get_room(session: Session, room_id: int) -> Room:
    row = session.get(Room, room_id)
    if row is None:
        raise NotFound("That room no longer exists.")
    return row


def validate(session: Session, data: RoomData, exclude_id: int | None = None) -> RoomData:
    data.name = validation.text(data.name, "name", "The room name", required=True, max_len=80)
    data.kind = (data.kind or "").strip()
    if data.kind not in ROOM_KINDS:
        raise ValidationError("kind", "Choose what kind of room this is.")
    stmt = select(Room).where(func.lower(Room.name) == data.name.lower())
    if exclude_id is not None:
        stmt = stmt.where(col(Room.id) != exclude_id)
    clash = session.exec(stmt).first()
    if clash is not None:
        extra = "" if clash.active else " (inactive: reactivate it instead)"
        raise ValidationError("name", f"There is already a room called {clash.name}{extra}.")
    return data


def create_room(session: Session, actor: Actor, data: RoomData) -> Room:
    require(actor, "manage_rooms")
    data = validate(session, data)
    row = Room(name=data.name, kind=data.kind)
    session.add(row)
    session.flush()
    audit.record_new(
        session,
        actor,
        "create",
        "room",
        row,
        f"Room {row.name} added",
        fields=AUDIT_FIELDS,
    )
    return row


def update_room(session: Session, actor: Actor, room_id: int, data: RoomData) -> Room:
    require(actor, "manage_rooms")
    row = get_room(session, room_id)
    data = validate(session, data, exclude_id=row.id)
    before = audit.snapshot(row, AUDIT_FIELDS)
    row.name = data.name
    row.kind = data.kind
    changes = audit.diff(before, audit.snapshot(row, AUDIT_FIELDS))
    if changes:
        row.updated_at = utcnow()
        audit.record(session, actor, "update", "room", row.id, changes, f"Room {row.name} changed")
    session.flush()
    return row


def set_room_active(session: Session, actor: Actor, room_id: int, active: bool) -> Room:
    """Take a room out of use (its appointments stay on file), or bring it back."""
    require(actor, "manage_rooms")
    row = get_room(session, room_id)
    if row.active == active:
        raise PtdeskError(f"{row.name} is already {'in use' if active else 'out of use'}.")
    before = audit.snapshot(row, AUDIT_FIELDS)
    row.active = active
    row.updated_at = utcnow()
    audit.record(
        session,
        actor,
        "reactivate" if active else "deactivate",
        "room",
        row.id,
        audit.diff(before, audit.snapshot(row, AUDIT_FIELDS)),
        f"Room {row.name} {'back in use' if active else 'taken out of use'}",
    )
    session.flush()
    return row


def has_history(session: Session, room_id: int) -> bool:
    stmt = select(func.count()).select_from(Appointment).where(Appointment.room_id == room_id)
    return bool(session.exec(stmt).one())


def delete_room(session: Session, actor: Actor, room_id: int) -> None:
    """Remove a room added by mistake; a room with appointments is refused (deactivate it)."""
    require(actor, "manage_rooms")
    row = get_room(session, room_id)
    refusal = (
        f"{row.name} has appointments on file, so it cannot be deleted. "
        "Take it out of use instead: its history stays and it leaves the booking lists."
    )
    if has_history(session, room_id):
        raise PtdeskError(refusal)
    items = session.exec(
        select(func.count()).select_from(Equipment).where(Equipment.room_id == room_id)
    ).one()
    if items:
        raise PtdeskError(
            f"{row.name} has {items} equipment item{'s' if items != 1 else ''} in it, so it "
            "cannot be deleted. Move the equipment to another room first, or take the room "
            "out of use instead."
        )
    before = audit.snapshot(row, AUDIT_FIELDS)
    try:
        session.delete(row)
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise PtdeskError(refusal) from exc
    audit.record(
        session,
        actor,
        "delete",
        "room",
        room_id,
        audit.diff(before, {}),
        f"Room {before['name']} deleted (no history)",
    )
    session.flush()
