"""Builders for the session-record tests: a clinic with a therapist, a technician and a visit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ptdesk.db import Database
from ptdesk.models import Appointment, AppointmentStatus
from ptdesk.services.audit import Actor
from tests.exercise_helpers import make_patient, make_staff, set_program

DAY = date(2026, 3, 11)


@dataclass
class Clinic:
    owner: Actor
    therapist: Actor
    assistant: Actor
    technician: Actor
    front_desk: Actor
    patient_id: int
    appointment_id: int


def add_visit(
    db: Database,
    patient_id: int,
    staff_id: int,
    *,
    day: date = DAY,
    hour: int = 9,
    status: str = AppointmentStatus.CHECKED_IN.value,
) -> int:
    start = datetime.combine(day, time(hour))
    with db.session() as s:
        appt = Appointment(
            patient_id=patient_id,
            staff_id=staff_id,
            start=start,
            end=start + timedelta(minutes=45),
            status=status,
        )
        s.add(appt)
        s.flush()
        assert appt.id is not None
        return appt.id


def make_clinic(db: Database, owner: Actor, *, program: bool = True) -> Clinic:
    therapist = make_staff(db, owner, "Tara Therapist", "therapist", "PT, DPT")
    assistant = make_staff(db, owner, "Amos Assistant", "assistant", "PTA")
    technician = make_staff(db, owner, "Ted Tech", "technician", "PT Tech")
    front = make_staff(db, owner, "Fran Desk", "front_desk")
    pid = make_patient(db, "C-100", "Maria", "Lopez", "No lifting over 10 lb\nWatch BP")
    if program:
        set_program(
            db,
            therapist,
            pid,
            ["bridge", "clamshell", "heel_slide"],
            start=date(2026, 3, 1),
        )
    appt = add_visit(db, pid, therapist.id)  # type: ignore[arg-type]
    return Clinic(owner, therapist, assistant, technician, front, pid, appt)
