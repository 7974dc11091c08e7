"""What a booking names, checked: the patient, staff member, room, times and kind of visit."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from ptdesk.errors import NotFound, ValidationError
from ptdesk.models import Appointment, AppointmentKind, Patient, Room, Staff
from ptdesk.services.scheduling.values import BOOKABLE_YEARS, DEFAULT_MINUTES


def check_patient(session: Session, patient_id: int) -> Patient:
    row = session.get(Patient, patient_id) if patient_id else None
    if row is None:
        raise ValidationError("patient", "Choose the patient for this appointment.")
    return row


def check_staff(session: Session, staff_id: int) -> Staff:
    row = session.get(Staff, staff_id) if staff_id else None
    if row is None or not row.active:
        raise ValidationError("staff", "Choose who will see the patient.")
    return row


def check_room(session: Session, room_id: int | None) -> Room | None:
    if room_id is None:
        return None
    row = session.get(Room, room_id)
    if row is None or not row.active:
        raise ValidationError("room", "That room is not available; choose another.")
    return row


def check_times(start: datetime, duration_min: int | None, kind: str) -> tuple[datetime, datetime]:
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


def check_kind(kind: str) -> str:
    if kind not in {k.value for k in AppointmentKind}:
        raise ValidationError("kind", "Choose the kind of visit.")
    return kind


def load_appointment(session: Session, appointment_id: int) -> Appointment:
    row = session.get(Appointment, appointment_id)
    if row is None:
        raise NotFound("That appointment no longer exists.")
    return row


def describe(appt: Appointment, patient_name: str = "") -> str:
    who = f" for {patient_name}" if patient_name else ""
    return f"appointment{who} on {appt.start:%Y-%m-%d %H:%M}"
