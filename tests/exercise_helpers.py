"""Small builders shared by the exercise-program tests: staff, patients, appointments, programs."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ptdesk.db import Database
from ptdesk.models import Appointment, AppointmentStatus, Patient
from ptdesk.services import exercises, programs
from ptdesk.services import staff as staff_service
from ptdesk.services.audit import Actor
from ptdesk.services.programs import ProgramData, ProgramItem


def make_staff(db: Database, owner: Actor, name: str, role: str, creds: str = "") -> Actor:
    with db.session() as s:
        row = staff_service.create_staff(s, owner, name, role, creds)
    return Actor.from_staff(row)


def make_patient(db: Database, chart: str, first: str, last: str, precautions: str = "") -> int:
    with db.session() as s:
        p = Patient(chart_number=chart, first_name=first, last_name=last, precautions=precautions)
        s.add(p)
        s.flush()
        return p.id


def book(
    db: Database,
    patient_id: int,
    staff_id: int,
    day: date,
    hour: int = 9,
    status: str = AppointmentStatus.SCHEDULED.value,
) -> None:
    start = datetime.combine(day, time(hour))
    with db.session() as s:
        s.add(
            Appointment(
                patient_id=patient_id,
                staff_id=staff_id,
                start=start,
                end=start + timedelta(minutes=45),
                status=status,
            )
        )


def library_by_key(db: Database) -> dict[str, exercises.ExerciseInfo]:
    with db.session() as s:
        return {e.library_key: e for e in exercises.list_exercises(s) if e.library_key}


def set_program(
    db: Database,
    actor: Actor,
    patient_id: int,
    keys: list[str],
    *,
    start: date = date(2026, 3, 1),
    end: date | None = None,
    large_print: bool = False,
) -> ProgramData:
    lib = library_by_key(db)
    items = [ProgramItem.from_exercise(lib[k]) for k in keys]
    with db.session() as s:
        return programs.save_program(
            s,
            actor,
            patient_id,
            ProgramData(
                patient_id=patient_id,
                start_date=start,
                end_date=end,
                large_print=large_print,
                items=items,
            ),
        )
