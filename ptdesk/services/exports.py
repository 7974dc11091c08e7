"""Data out as CSV: appointments, patients, staff, equipment (the columns the import reads
back), and the cleaning log and session records for a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import TextIO

from sqlmodel import Session, col, select

from ptdesk.errors import ValidationError
from ptdesk.models import Appointment, Patient, Room, Staff
from ptdesk.services.clock import exact_local

APPOINTMENT_COLUMNS = [
    "chart_number",
    "patient",
    "staff",
    "room",
    "start",
    "duration_min",
    "status",
    "kind",
    "cancelled_at",
    "cancel_reason",
]
WALL_CLOCK = "%Y-%m-%d %H:%M"


def appointment_rows(session: Session, start: date, end: date) -> Iterator[dict[str, str]]:
    """Appointments starting on ``start`` .. ``end`` (both days included), in time order."""
    if end < start:
        raise ValidationError("to", "The end date is before the start date.")
    lo = datetime.combine(start, time.min)
    hi = datetime.combine(end + timedelta(days=1), time.min)
    stmt = (
        select(Appointment, Patient, Staff, Room)
        .join(Patient, col(Appointment.patient_id) == col(Patient.id))
        .join(Staff, col(Appointment.staff_id) == col(Staff.id))
        .outerjoin(Room, col(Appointment.room_id) == col(Room.id))
        .where(col(Appointment.start) >= lo, col(Appointment.start) < hi)
        .order_by(col(Appointment.start), col(Appointment.id))
    )
    for appt, patient, staff, room in session.exec(stmt):
        cancelled = ""
        if appt.cancelled_at is not None:
            cancelled = exact_local(appt.cancelled_at).strftime(WALL_CLOCK)
        yield {
            "chart_number": patient.chart_number,
            "patient": patient.sort_name,
            "staff": staff.name,
            "room": room.name if room else "",
            "start": appt.start.strftime(WALL_CLOCK),
            "duration_min": str(appt.duration_min),
            "status": appt.status,
            "kind": appt.kind,
            "cancelled_at": cancelled,
            "cancel_reason": appt.cancel_reason,
        }


def write_appointments_csv(session: Session, start: date, end: date, out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=APPOINTMENT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in appointment_rows(session, start, end):
        writer.writerow(row)
        n += 1
    return n


# -- the other kinds ---------------------------------------------------------------------------

PATIENT_COLUMNS = [
    "chart_number",
    "first_name",
    "last_name",
    "date_of_birth",
    "phone",
    "email",
    "weight_kg",
    "precautions",
]
STAFF_COLUMNS = ["name", "role", "credentials"]
EQUIPMENT_COLUMNS = [
    "name",
    "category",
    "cleaning_interval",
    "room",
    "product",
    "contact_time_min",
]
CLEANING_COLUMNS = [
    "cleaned_at",
    "equipment",
    "room",
    "staff",
    "method",
    "product",
    "contact_time_min",
    "notes",
    "status",
]
SESSION_COLUMNS = [
    "start",
    "chart_number",
    "patient",
    "provider",
    "record_status",
    "code",
    "description",
    "minutes",
    "units",
]
# Precautions are one per line in ptdesk; in a CSV cell they are separated by semicolons.
PRECAUTION_SEPARATOR = "; "


def _range(start: date, end: date) -> tuple[datetime, datetime]:
    if end < start:
        raise ValidationError("to", "The end date is before the start date.")
    return datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


def patient_rows(session: Session, start: date, end: date) -> Iterator[dict[str, str]]:
    """Patients added on ``start``..``end`` or with an appointment then, by chart number."""
    lo, hi = _range(start, end)
    booked = select(Appointment.patient_id).where(
        col(Appointment.start) >= lo, col(Appointment.start) < hi
    )
    added_lo = lo.astimezone(UTC)
    added_hi = hi.astimezone(UTC)
    stmt = (
        select(Patient)
        .where(
            col(Patient.id).in_(booked)
            | ((col(Patient.created_at) >= added_lo) & (col(Patient.created_at) < added_hi))
        )
        .order_by(col(Patient.chart_number))
    )
    for p in session.exec(stmt):
        yield {
            "chart_number": p.chart_number,
            "first_name": p.first_name,
            "last_name": p.last_name,
            "date_of_birth": p.date_of_birth.isoformat() if p.date_of_birth else "",
            "phone": p.phone,
            "email": p.email,
            "weight_kg": _number(p.weight_kg),
            "precautions": PRECAUTION_SEPARATOR.join(p.precaution_list),
        }


def staff_rows(session: Session) -> Iterator[dict[str, str]]:
    """Everyone on the staff list who is active, by name."""
    stmt = select(Staff).where(col(Staff.active).is_(True)).order_by(col(Staff.name))
    for s in session.exec(stmt):
        yield {"name": s.name, "role": s.role, "credentials": s.credentials}


def equipment_rows(session: Session) -> Iterator[dict[str, str]]:
    """The inventory (retired items left out), by name."""
    from ptdesk.models import Equipment

    rooms = {r.id: r.name for r in session.exec(select(Room))}
    stmt = select(Equipment).where(col(Equipment.active).is_(True)).order_by(col(Equipment.name))
    for e in session.exec(stmt):
        yield {
            "name": e.name,
            "category": e.category,
            "cleaning_interval": e.cleaning_interval,
            "room": rooms.get(e.room_id, "") if e.room_id else "",
            "product": e.product,
            "contact_time_min": str(e.contact_minutes) if e.contact_minutes else "",
        }


def cleaning_rows(session: Session, start: date, end: date) -> Iterator[dict[str, str]]:
    """The cleaning log of ``start``..``end`` (clinic days), oldest first."""
    from ptdesk.services.cleaning import history

    _range(start, end)
    entries = history(session, start=start, end=end)
    entries.sort(key=lambda e: (e.cleaned_at, e.id))
    for e in entries:
        yield {
            "cleaned_at": exact_local(e.cleaned_at).strftime(WALL_CLOCK),
            "equipment": e.item_name,
            "room": e.room_name,
            "staff": e.staff_name,
            "method": e.method,
            "product": e.product,
            "contact_time_min": str(e.contact_minutes),
            "notes": e.notes,
            "status": e.status,
        }


def session_rows(session: Session, start: date, end: date) -> Iterator[dict[str, str]]:
    """Session records of visits on ``start``..``end``: one line per billed intervention."""
    from ptdesk.models import SessionIntervention, SessionRecord

    lo, hi = _range(start, end)
    stmt = (
        select(SessionRecord, Appointment.start, Patient)
        .join(Appointment, col(Appointment.id) == col(SessionRecord.appointment_id))
        .join(Patient, col(Patient.id) == col(SessionRecord.patient_id))
        .where(col(Appointment.start) >= lo, col(Appointment.start) < hi)
        .order_by(col(Appointment.start), col(SessionRecord.id))
    )
    for record, when, patient in session.exec(stmt).all():
        base = {
            "start": when.strftime(WALL_CLOCK),
            "chart_number": patient.chart_number,
            "patient": patient.sort_name,
            "provider": record.provider_name,
            "record_status": record.status,
        }
        lines = session.exec(
            select(SessionIntervention)
            .where(SessionIntervention.record_id == record.id)
            .order_by(col(SessionIntervention.position))
        ).all()
        if not lines:
            yield {**base, "code": "", "description": "", "minutes": "", "units": ""}
        for line in lines:
            yield {
                **base,
                "code": line.code,
                "description": line.description,
                "minutes": str(line.minutes),
                "units": str(line.units),
            }


# kind -> (columns, needs a date range, rows): rows take the session, then the first and the
# last day when the kind needs a date range.
KINDS: dict[str, tuple[list[str], bool, Callable[..., Iterator[dict[str, str]]]]] = {
    "appointments": (APPOINTMENT_COLUMNS, True, appointment_rows),
    "patients": (PATIENT_COLUMNS, True, patient_rows),
    "cleaning": (CLEANING_COLUMNS, True, cleaning_rows),
    "sessions": (SESSION_COLUMNS, True, session_rows),
    "staff": (STAFF_COLUMNS, False, staff_rows),
    "equipment": (EQUIPMENT_COLUMNS, False, equipment_rows),
}


def write_csv(
    session: Session,
    kind: str,
    out: TextIO,
    start: date | None = None,
    end: date | None = None,
) -> int:
    """Write ``kind`` as CSV to ``out``; returns the number of rows."""
    if kind not in KINDS:
        raise ValidationError("kind", f"'{kind}' cannot be exported.")
    columns, ranged, rows = KINDS[kind]
    if ranged and (start is None or end is None):
        raise ValidationError("from", "Give the first and the last day to export.")
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows(session, start, end) if ranged else rows(session):
        writer.writerow(row)
        n += 1
    return n
