"""Appointments out as CSV: the columns the import reads back."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import TextIO

from sqlmodel import Session, col, select

from ptdesk.errors import ValidationError
from ptdesk.models import Appointment, Patient, Room, Staff

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
            cancelled = appt.cancelled_at.astimezone().replace(tzinfo=None).strftime(WALL_CLOCK)
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
