"""The acting staff member and the audit events every write records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlmodel import Session, SQLModel

from ptdesk.models import AuditEvent, Staff
from ptdesk.services import changes as changed_topics


@dataclass(frozen=True)
class Actor:
    """Who is doing the action: a plain value, safe to keep in the UI."""

    id: int | None
    name: str
    role: str

    @classmethod
    def from_staff(cls, staff: Staff) -> Actor:
        return cls(id=staff.id, name=staff.name, role=staff.role)


# Used for work ptdesk does by itself (demo data, imports it was asked to run).
SYSTEM = Actor(id=None, name="ptdesk", role="system")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def snapshot(row: SQLModel, fields: list[str] | None = None) -> dict[str, Any]:
    """The row's column values as JSON-friendly data (for before/after comparison)."""
    names = fields or [c.name for c in row.__table__.columns]  # type: ignore[attr-defined]  # SQLModel tables gain __table__ when the class is made
    return {n: _plain(getattr(row, n)) for n in names if n not in ("created_at", "updated_at")}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose values differ, as ``{field: [before, after]}``."""
    keys = list(dict.fromkeys([*before, *after]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


# Entities whose audit name differs from their table name.
_ENTITY_TABLES = {"authorization": "insurance_authorization"}


def _patient_of(
    session: Session, entity: str, entity_id: int | str | None, changes: dict[str, list[Any]]
) -> int | None:
    """The patient an event concerns, worked out from the entity or its changed fields."""
    if entity == "patient" and entity_id not in (None, ""):
        return int(entity_id)
    if "patient_id" in changes:
        before, after = changes["patient_id"]
        found: int | None = after if after is not None else before  # a row's patient_id
        return found
    if entity_id in (None, "") or not str(entity_id).isdigit():
        return None
    table = _ENTITY_TABLES.get(entity, entity)
    for mapper in SQLModel._sa_registry.mappers:
        cls = mapper.class_
        if getattr(cls, "__tablename__", None) == table and hasattr(cls, "patient_id"):
            with session.no_autoflush:
                row = session.get(cls, int(entity_id))
            return None if row is None else row.patient_id
    return None


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | str | None,
    changes: dict[str, list[Any]] | None = None,
    summary: str = "",
    *,
    patient_id: int | None = None,
) -> AuditEvent:
    """Add an audit event to the same transaction as the change it describes."""
    changes = changes or {}
    if patient_id is None:
        patient_id = _patient_of(session, entity, entity_id, changes)
    event = AuditEvent(
        actor_id=actor.id,
        actor_name=actor.name,
        action=action,
        entity=entity,
        entity_id="" if entity_id is None else str(entity_id),
        changes=changes,
        summary=summary,
        patient_id=patient_id,
    )
    session.add(event)
    changed_topics.mark_entity(session, entity)
    return event


def record_new(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    row: SQLModel,
    summary: str,
    *,
    fields: list[str] | None = None,
) -> AuditEvent:
    """``record`` for a row just added (and flushed): each field from nothing to its value."""
    entity_id = getattr(row, "id", None)
    return record(
        session, actor, action, entity, entity_id, diff({}, snapshot(row, fields)), summary
    )
