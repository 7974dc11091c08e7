"""Reading the audit trail: filter by person, patient, date and kind; export it; log record views."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TextIO

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from ptdesk.models import AuditEvent, Patient
from ptdesk.models.common import saved_id
from ptdesk.services import audit
from ptdesk.services.audit import Actor
from ptdesk.services.clock import local_to_utc, to_local
from ptdesk.services.permissions import require

# Kinds of change, as the owner thinks of them: label -> entities it covers.
KINDS: dict[str, tuple[str, ...]] = {
    "Sign-in and PINs": ("sign_in", "sign_out", "lockout", "set_pin", "reset_pin"),
    "Patients": ("patient",),
    "Records viewed": ("view",),
    "Appointments": ("appointment", "appointment_series"),
    "Authorizations": ("authorization",),
    "Home programs": ("home_program", "exercise"),
    "Equipment and cleaning": ("equipment", "cleaning_log", "water_reading", "equipment_settings"),
    "Staff and rooms": ("staff", "room"),
    "Clinic settings": ("clinic_profile", "clinic"),
}
# Kinds matched on the action rather than the entity.
_ACTION_KINDS = {"Sign-in and PINs", "Records viewed"}


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    patient_id: int | None = None
    patient_text: str = ""  # part of a patient's name or chart number
    start: date | None = None  # local calendar days, both included
    end: date | None = None
    kind: str | None = None  # a key of KINDS
    limit: int = 5000


@dataclass(frozen=True)
class AuditRow:
    """One event as the Audit page shows it."""

    id: int
    at: datetime  # UTC
    actor_name: str
    action: str
    entity: str
    entity_id: str
    patient_id: int | None
    patient_name: str
    summary: str
    changes: dict[str, Any]

    @property
    def at_local(self) -> datetime:
        return to_local(self.at)

    @property
    def changes_text(self) -> str:
        parts = []
        for field, pair in self.changes.items():
            before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            parts.append(f"{field}: {_short(before)} → {_short(after)}")
        return "; ".join(parts)


def _short(value: object) -> str:
    if value is None or value == "":
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "…"


def search(session: Session, actor: Actor, flt: AuditFilter) -> list[AuditRow]:
    """The newest events first that match the filter (owner only)."""
    require(actor, "view_audit")
    stmt = (
        select(AuditEvent, Patient)
        .join(Patient, col(Patient.id) == col(AuditEvent.patient_id), isouter=True)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .limit(flt.limit)
    )
    if flt.actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == flt.actor_id)
    if flt.patient_id is not None:
        stmt = stmt.where(AuditEvent.patient_id == flt.patient_id)
    text = flt.patient_text.strip().lower()
    if text:
        like = f"%{text}%"
        stmt = stmt.where(
            or_(
                func.lower(Patient.last_name).like(like),
                func.lower(Patient.first_name).like(like),
                func.lower(Patient.first_name + " " + Patient.last_name).like(like),
                col(Patient.chart_number).like(like),
            )
        )
    if flt.start is not None:
        stmt = stmt.where(col(AuditEvent.at) >= local_to_utc(datetime.combine(flt.start, time())))
    if flt.end is not None:
        end = local_to_utc(datetime.combine(flt.end + timedelta(days=1), time()))
        stmt = stmt.where(col(AuditEvent.at) < end)
    if flt.kind:
        names = KINDS[flt.kind]
        column = AuditEvent.action if flt.kind in _ACTION_KINDS else AuditEvent.entity
        stmt = stmt.where(col(column).in_(names))
        if flt.kind not in _ACTION_KINDS:
            stmt = stmt.where(col(AuditEvent.action) != "view")
    rows = []
    for event, patient in session.exec(stmt):
        rows.append(
            AuditRow(
                id=saved_id(event),
                at=event.at,
                actor_name=event.actor_name,
                action=event.action,
                entity=event.entity,
                entity_id=event.entity_id,
                patient_id=event.patient_id,
                patient_name=""
                if patient is None
                else f"{patient.last_name}, {patient.first_name}",
                summary=event.summary,
                changes=event.changes or {},
            )
        )
    return rows


CSV_COLUMNS = ["when", "who", "action", "entity", "entity id", "patient", "summary", "changes"]


def write_csv(session: Session, actor: Actor, flt: AuditFilter, out: TextIO) -> int:
    """Write the filtered trail as CSV (before/after kept as JSON); returns the row count."""
    rows = search(session, actor, flt)
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.at_local.strftime("%Y-%m-%d %H:%M:%S"),
                r.actor_name,
                r.action,
                r.entity,
                r.entity_id,
                r.patient_name,
                r.summary,
                json.dumps(r.changes, default=str, ensure_ascii=False),
            ]
        )
    audit.record(
        session,
        actor,
        "export",
        "audit_event",
        None,
        {},
        f"Audit trail exported ({len(rows)} rows)",
    )
    return len(rows)


def record_patient_view(
    session: Session, actor: Actor, patient_id: int, what: str = "record"
) -> None:
    """Opening a patient's record is itself written to the trail."""
    patient = session.get(Patient, patient_id)
    if patient is None or actor.id is None:
        return
    audit.record(
        session,
        actor,
        "view",
        "patient",
        patient_id,
        {},
        f"Viewed the {what} of {patient.first_name} {patient.last_name}",
    )
