"""Home exercise programs: the dose a therapist sets, its history, and the day's sheets."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy import select as sa_select
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, col, func, select

from ptdesk.errors import NotFound, ValidationError
from ptdesk.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    Exercise,
    HomeProgram,
    Patient,
    ProgramExercise,
    Side,
    Staff,
)
from ptdesk.models.common import utcnow
from ptdesk.reports.sheet_data import ExerciseSheet, Picture, SheetExercise
from ptdesk.services import audit, validation
from ptdesk.services.audit import Actor
from ptdesk.services.exercises import (
    DOSE_LIMITS,
    ExerciseInfo,
    check_number,
    library_picture_svg,
    sync_library,
)
from ptdesk.services.permissions import require

ENTITY = "home_program"
# Appointments that mean the patient is (still) expected that day.
NOT_COMING = (AppointmentStatus.CANCELLED.value, AppointmentStatus.NO_SHOW.value)

_NUMBER_WORDS = {1: "once", 2: "twice"}


# -- dose in words ----------------------------------------------------------------------------
def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def hold_words(seconds: int) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        return _plural(seconds // 60, "minute")
    return _plural(seconds, "second")


def dose_words(
    *,
    sets: int,
    reps: int,
    hold_seconds: int = 0,
    load: str = "",
    times_per_day: int = 1,
    days_per_week: int = 7,
    side: str = "",
) -> str:
    """The dose as a patient reads it, e.g. "2 sets of 10, hold 5 seconds, twice a day"."""
    parts: list[str] = []
    if sets > 1:
        parts.append(f"{sets} sets of {reps}")
    else:
        parts.append("do it once" if reps == 1 else f"{reps} times")
    if hold_seconds:
        parts.append(f"hold {hold_words(hold_seconds)}")
    if load.strip():
        parts.append(f"with {load.strip()}")
    if side == Side.LEFT:
        parts.append("left side")
    elif side == Side.RIGHT:
        parts.append("right side")
    elif side == Side.BOTH:
        parts.append("each side")
    parts.append(f"{_NUMBER_WORDS.get(times_per_day, f'{times_per_day} times')} a day")
    if days_per_week >= 7:
        parts.append("every day")
    else:
        parts.append(f"{_plural(days_per_week, 'day')} a week")
    text = ", ".join(parts)
    return text[0].upper() + text[1:]


# -- plain values -------------------------------------------------------------------------------
@dataclass
class ProgramItem:
    """One exercise in a program with its dose (also what the editor hands back to save)."""

    exercise_id: int
    exercise_name: str = ""
    region: str = ""
    sets: int = 1
    reps: int = 10
    hold_seconds: int = 0
    load: str = ""
    times_per_day: int = 1
    days_per_week: int = 7
    side: str = ""
    notes: str = ""

    @property
    def dose(self) -> str:
        return dose_words(
            sets=self.sets,
            reps=self.reps,
            hold_seconds=self.hold_seconds,
            load=self.load,
            times_per_day=self.times_per_day,
            days_per_week=self.days_per_week,
            side=self.side,
        )

    def line(self) -> str:
        text = f"{self.exercise_name}: {self.dose}"
        return f"{text} ({self.notes})" if self.notes else text

    @classmethod
    def from_exercise(cls, ex: ExerciseInfo) -> ProgramItem:
        """A new program line with the exercise's default dose."""
        return cls(
            exercise_id=ex.id,
            exercise_name=ex.name,
            region=ex.region,
            sets=ex.sets,
            reps=ex.reps,
            hold_seconds=ex.hold_seconds,
            times_per_day=ex.times_per_day,
            days_per_week=ex.days_per_week,
        )


@dataclass
class ProgramData:
    """A patient's program as plain values."""

    patient_id: int
    start_date: date
    end_date: date | None = None
    large_print: bool = False
    notes: str = ""
    items: list[ProgramItem] = field(default_factory=list)
    program_id: int | None = None
    therapist_id: int | None = None
    therapist_name: str = ""
    updated_at: datetime | None = None

    def is_active_on(self, day: date) -> bool:
        return (
            bool(self.items)
            and self.start_date <= day
            and (self.end_date is None or day <= self.end_date)
        )


@dataclass
class ProgramPatient:
    """A row of the program page's patient list."""

    patient_id: int
    chart_number: str
    name: str
    sort_name: str
    exercises: int
    start_date: date | None
    end_date: date | None
    active_today: bool

    @property
    def status(self) -> str:
        if self.start_date is None:
            return "No program"
        if not self.exercises:
            return "Empty program"
        return "Active" if self.active_today else "Not current"


@dataclass
class HistoryEntry:
    at: datetime
    actor_name: str
    summary: str
    changes: dict[str, Any]


# -- reading ------------------------------------------------------------------------------------
def _program_row(session: Session, patient_id: int) -> HomeProgram | None:
    return session.exec(select(HomeProgram).where(HomeProgram.patient_id == patient_id)).first()


def _patient(session: Session, patient_id: int) -> Patient:
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise NotFound("That patient no longer exists.")
    return patient


def _items(session: Session, program_id: int) -> list[ProgramItem]:
    return _items_of(session, [program_id]).get(program_id, [])


def _items_of(session: Session, program_ids: list[int]) -> dict[int, list[ProgramItem]]:
    """The items of several programs in one query, each program's in its order."""
    stmt = (
        select(ProgramExercise, Exercise)
        .join(Exercise, col(Exercise.id) == col(ProgramExercise.exercise_id))
        .where(col(ProgramExercise.program_id).in_(program_ids))
        .order_by(col(ProgramExercise.program_id), col(ProgramExercise.position))
    )
    items: dict[int, list[ProgramItem]] = {}
    for pe, ex in session.exec(stmt):
        items.setdefault(pe.program_id, []).append(_item(pe, ex))
    return items


def _item(pe: ProgramExercise, ex: Exercise) -> ProgramItem:
    return ProgramItem(
        exercise_id=pe.exercise_id,
        exercise_name=ex.name,
        region=ex.region,
        sets=pe.sets,
        reps=pe.reps,
        hold_seconds=pe.hold_seconds,
        load=pe.load,
        times_per_day=pe.times_per_day,
        days_per_week=pe.days_per_week,
        side=pe.side,
        notes=pe.notes,
    )


def _data(
    session: Session, row: HomeProgram, items: list[ProgramItem] | None = None
) -> ProgramData:
    assert row.id is not None
    therapist = session.get(Staff, row.therapist_id) if row.therapist_id else None
    return ProgramData(
        patient_id=row.patient_id,
        start_date=row.start_date,
        end_date=row.end_date,
        large_print=row.large_print,
        notes=row.notes,
        items=_items(session, row.id) if items is None else items,
        program_id=row.id,
        therapist_id=row.therapist_id,
        therapist_name=therapist.name if therapist else "",
        updated_at=row.updated_at,
    )


def get_program(session: Session, patient_id: int) -> ProgramData | None:
    """The patient's program, or None when no one has set one yet."""
    _patient(session, patient_id)
    row = _program_row(session, patient_id)
    return _data(session, row) if row else None


def list_program_patients(
    session: Session, *, today: date, search: str = "", limit: int = 500
) -> list[ProgramPatient]:
    """Active patients with how many exercises their program holds, for the program page."""
    counts = (
        select(ProgramExercise.program_id, func.count().label("n"))
        .group_by(col(ProgramExercise.program_id))
        .subquery()
    )
    # Columns, not whole rows: the list holds thousands of patients.
    stmt = (
        sa_select(
            col(Patient.id),
            col(Patient.chart_number),
            col(Patient.first_name),
            col(Patient.last_name),
            col(HomeProgram.id),
            col(HomeProgram.start_date),
            col(HomeProgram.end_date),
            counts.c.n,
        )
        .outerjoin(HomeProgram, col(HomeProgram.patient_id) == col(Patient.id))
        .outerjoin(counts, counts.c.program_id == col(HomeProgram.id))
        .where(col(Patient.active).is_(True))
        .order_by(col(Patient.last_name), col(Patient.first_name))
    )
    words = search.split()
    for word in words:
        like = f"%{word.lower()}%"
        stmt = stmt.where(
            func.lower(Patient.first_name).like(like)
            | func.lower(Patient.last_name).like(like)
            | func.lower(Patient.chart_number).like(like)
        )
    rows = []
    for patient_id, chart, first, last, program_id, start, end, n in session.execute(
        stmt.limit(limit)
    ):
        assert patient_id is not None  # a key read from the table
        n = n or 0
        has_program = program_id is not None
        active = bool(has_program and n and start <= today and (end is None or today <= end))
        rows.append(
            ProgramPatient(
                patient_id=patient_id,
                chart_number=chart,
                name=f"{first} {last}".strip(),
                sort_name=f"{last}, {first}",
                exercises=n,
                start_date=start if has_program else None,
                end_date=end if has_program else None,
                active_today=active,
            )
        )
    return rows


def program_history(session: Session, patient_id: int) -> list[HistoryEntry]:
    """Who changed the program, when and what, newest first."""
    row = _program_row(session, patient_id)
    if row is None:
        return []
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.entity == ENTITY, AuditEvent.entity_id == str(row.id))
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    )
    return [HistoryEntry(e.at, e.actor_name, e.summary, e.changes) for e in session.exec(stmt)]


# -- writing ------------------------------------------------------------------------------------
def _clean_item(session: Session, item: ProgramItem, n: int) -> ProgramItem:
    exercise = session.get(Exercise, item.exercise_id)
    if exercise is None:
        raise ValidationError("items", f"Exercise {n} is no longer in the library.")
    values = {}
    for fname, (low, high, label) in DOSE_LIMITS.items():
        values[fname] = check_number(
            getattr(item, fname), fname, f"{label} for {exercise.name}", low, high
        )
    if item.side not in {s.value for s in Side}:
        raise ValidationError("side", f"Choose left, right or both sides for {exercise.name}.")
    load = validation.text(item.load, "load", f"The load for {exercise.name}", max_len=60)
    notes = validation.text(item.notes, "notes", f"The note for {exercise.name}", max_len=400)
    return replace(
        item,
        exercise_name=exercise.name,
        region=exercise.region,
        load=load,
        notes=notes,
        side=item.side,
        **values,
    )


def _describe(patient: Patient, before: ProgramData | None, after: ProgramData) -> str:
    name = patient.full_name
    if before is None:
        return f"Home program set for {name} ({len(after.items)} exercises)"
    old = {i.exercise_id: i for i in before.items}
    new = {i.exercise_id: i for i in after.items}
    bits = []
    added = [i.exercise_name for i in after.items if i.exercise_id not in old]
    removed = [i.exercise_name for i in before.items if i.exercise_id not in new]
    dosed = [
        i.exercise_name
        for i in after.items
        if i.exercise_id in old and old[i.exercise_id].line() != i.line()
    ]
    if added:
        bits.append("added " + ", ".join(added))
    if removed:
        bits.append("removed " + ", ".join(removed))
    if dosed:
        bits.append("dose changed for " + ", ".join(dosed))
    kept_before = [i.exercise_id for i in before.items if i.exercise_id in new]
    kept_after = [i.exercise_id for i in after.items if i.exercise_id in old]
    if kept_before != kept_after:
        bits.append("order changed")
    if (before.start_date, before.end_date) != (after.start_date, after.end_date):
        bits.append("dates changed")
    if before.large_print != after.large_print:
        bits.append("large print " + ("on" if after.large_print else "off"))
    if before.notes != after.notes:
        bits.append("notes changed")
    return f"Home program for {name}: " + ("; ".join(bits) if bits else "saved, no changes")


def _audit_values(data: ProgramData | None) -> dict[str, Any]:
    if data is None:
        return {}
    return {
        "start_date": data.start_date.isoformat(),
        "end_date": data.end_date.isoformat() if data.end_date else None,
        "large_print": data.large_print,
        "notes": data.notes,
        "exercises": [i.line() for i in data.items],
    }


def save_program(session: Session, actor: Actor, patient_id: int, data: ProgramData) -> ProgramData:
    """Set the patient's whole program: dates, print size, notes and exercises in order."""
    require(actor, "change_program")
    patient = _patient(session, patient_id)
    if data.start_date is None:
        raise ValidationError("start_date", "Choose the day the program starts.")
    if data.end_date is not None and data.end_date < data.start_date:
        raise ValidationError("end_date", "The end date must be on or after the start date.")
    notes = validation.text(data.notes, "notes", "The program note", max_len=1000)
    if len(data.items) > 30:
        raise ValidationError("items", "A home program can hold at most 30 exercises.")
    items = [_clean_item(session, item, n) for n, item in enumerate(data.items, start=1)]

    row = _program_row(session, patient_id)
    before = _data(session, row) if row else None
    if row is None:
        row = HomeProgram(patient_id=patient_id, start_date=data.start_date)
    row.start_date = data.start_date
    row.end_date = data.end_date
    row.large_print = bool(data.large_print)
    row.notes = notes
    if actor.role in ("owner", "therapist", "assistant") and actor.id is not None:
        row.therapist_id = actor.id
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    assert row.id is not None
    session.execute(delete(ProgramExercise).where(col(ProgramExercise.program_id) == row.id))
    session.flush()
    for position, item in enumerate(items):
        session.add(
            ProgramExercise(
                program_id=row.id,
                exercise_id=item.exercise_id,
                position=position,
                sets=item.sets,
                reps=item.reps,
                hold_seconds=item.hold_seconds,
                load=item.load,
                times_per_day=item.times_per_day,
                days_per_week=item.days_per_week,
                side=item.side,
                notes=item.notes,
            )
        )
    session.flush()
    after = _data(session, row)
    audit.record(
        session,
        actor,
        "create" if before is None else "update",
        ENTITY,
        row.id,
        audit.diff(_audit_values(before), _audit_values(after)),
        _describe(patient, before, after),
    )
    return after


def set_large_print(
    session: Session, actor: Actor, patient_id: int, large_print: bool
) -> ProgramData:
    """Remember that this patient's sheets print large (anyone who prints may set it)."""
    require(actor, "print_exercise_sheets")
    patient = _patient(session, patient_id)
    row = _program_row(session, patient_id)
    if row is None:
        raise NotFound(f"{patient.full_name} has no home program yet.")
    if row.large_print != large_print:
        row.large_print = large_print
        row.updated_at = utcnow()
        session.add(row)
        audit.record(
            session,
            actor,
            "update",
            ENTITY,
            row.id,
            {"large_print": [not large_print, large_print]},
            f"Home program for {patient.full_name}: large print {'on' if large_print else 'off'}",
        )
    return _data(session, row)


# -- sheets -------------------------------------------------------------------------------------
def _picture(exercise: Exercise) -> Picture | None:
    if exercise.photo:
        return Picture(image=exercise.photo)
    if exercise.source == "library":
        svg = library_picture_svg(exercise.key.split(":", 1)[1])
        if svg:
            return Picture(svg=svg)
    return None


_LOOK_UP = object()


def sheet_for_patient(
    session: Session,
    patient_id: int,
    day: date,
    *,
    row: HomeProgram | None | object = _LOOK_UP,
    items: dict[int, list[ProgramItem]] | None = None,
) -> ExerciseSheet | None:
    """The patient's sheet for ``day``, or None when they have no active program then.

    ``row`` and ``items`` (the program and program items, when already read for a whole day)
    save the queries that would look them up.
    """
    patient = _patient(session, patient_id)
    if row is _LOOK_UP:
        row = _program_row(session, patient_id)
    if not isinstance(row, HomeProgram):
        return None
    program = _data(session, row, None if items is None else items.get(row.id or -1, []))
    if not program.is_active_on(day):
        return None
    therapist = session.get(Staff, row.therapist_id) if row.therapist_id else None
    therapist_text = ""
    if therapist:
        therapist_text = therapist.name + (
            f", {therapist.credentials}" if therapist.credentials else ""
        )
    wanted = [i.exercise_id for i in program.items]
    missing = [i for i in wanted if identity_key(Exercise, i) not in session.identity_map]
    if missing:  # one query for those not already read (a day's batch reads them all at once)
        session.exec(select(Exercise).where(col(Exercise.id).in_(missing))).all()
    exercises = {i: _exercise(session, i) for i in wanted}
    return ExerciseSheet(
        patient_name=patient.full_name,
        chart_number=patient.chart_number,
        day=day,
        therapist=therapist_text,
        precautions=patient.precaution_list,
        large_print=program.large_print,
        notes=program.notes,
        exercises=[
            SheetExercise(
                name=item.exercise_name,
                dose=item.dose,
                steps=exercises[item.exercise_id].step_list,
                notes=item.notes,
                picture=_picture(exercises[item.exercise_id]),
            )
            for item in program.items
        ],
    )


def _exercise(session: Session, exercise_id: int) -> Exercise:
    exercise = session.get(Exercise, exercise_id)
    assert exercise is not None  # the program's items were read joined to their exercise
    return exercise


def day_patient_ids(session: Session, day: date, staff_id: int | None = None) -> list[int]:
    """Patients expected on ``day`` (not cancelled, not no-show), by their first appointment."""
    start = datetime.combine(day, time.min)
    stmt = (
        select(Appointment.patient_id, func.min(Appointment.start).label("first"))
        .where(
            col(Appointment.start) >= start,
            col(Appointment.start) < start + timedelta(days=1),
            col(Appointment.status).not_in(NOT_COMING),
        )
        .group_by(col(Appointment.patient_id))
        .order_by("first", col(Appointment.patient_id))
    )
    if staff_id is not None:
        stmt = stmt.where(Appointment.staff_id == staff_id)
    return [pid for pid, _ in session.exec(stmt)]


@dataclass
class DaySheetRow:
    """One patient expected on the day, and whether a sheet will print for them."""

    patient_id: int
    first_visit: datetime
    chart_number: str
    name: str
    staff_name: str
    exercises: int
    prints: bool

    @property
    def status(self) -> str:
        if self.prints:
            return f"Sheet prints ({self.exercises} exercises)"
        if self.exercises:
            return "No sheet: program not current"
        return "No sheet: no home program"


def day_overview(session: Session, day: date, staff_id: int | None = None) -> list[DaySheetRow]:
    """Everyone expected on ``day`` with whether their sheet prints, by first appointment."""
    start = datetime.combine(day, time.min)
    stmt = (
        select(Appointment, Patient, Staff)
        .join(Patient, col(Patient.id) == col(Appointment.patient_id))
        .join(Staff, col(Staff.id) == col(Appointment.staff_id))
        .where(
            col(Appointment.start) >= start,
            col(Appointment.start) < start + timedelta(days=1),
            col(Appointment.status).not_in(NOT_COMING),
        )
        .order_by(col(Appointment.start), col(Appointment.id))
    )
    if staff_id is not None:
        stmt = stmt.where(Appointment.staff_id == staff_id)
    rows: dict[int, DaySheetRow] = {}
    for appt, patient, staff in session.exec(stmt):
        patient_id = patient.id
        assert patient_id is not None  # a row read from the table
        if patient_id in rows:
            continue
        program = _program_row(session, patient_id)
        data = _data(session, program) if program else None
        rows[patient_id] = DaySheetRow(
            patient_id=patient_id,
            first_visit=appt.start,
            chart_number=patient.chart_number,
            name=patient.full_name,
            staff_name=staff.name,
            exercises=len(data.items) if data else 0,
            prints=bool(data and data.is_active_on(day)),
        )
    return list(rows.values())


def sheets_for_day(
    session: Session, day: date, *, staff_id: int | None = None
) -> list[ExerciseSheet]:
    """A sheet for every patient expected on ``day`` who has an active program."""
    sync_library(session)
    ids = day_patient_ids(session, day, staff_id)
    # A handful of queries for the whole day, not several per patient: the patients, their
    # programs, the programs' exercises and the staff are read up front.
    # (The session keeps rows only while something holds them: hence the names held here.)
    patients = session.exec(select(Patient).where(col(Patient.id).in_(ids))).all()
    staff = session.exec(select(Staff)).all()
    rows = {
        r.patient_id: r
        for r in session.exec(select(HomeProgram).where(col(HomeProgram.patient_id).in_(ids)))
    }
    items = _items_of(session, [r.id for r in rows.values() if r.id is not None])
    exercise_ids = {item.exercise_id for program in items.values() for item in program}
    library = session.exec(select(Exercise).where(col(Exercise.id).in_(exercise_ids))).all()
    sheets = []
    for pid in ids:
        sheet = sheet_for_patient(session, pid, day, row=rows.get(pid), items=items)
        if sheet is not None:
            sheets.append(sheet)
    del patients, staff, library
    return sheets


def find_staff(session: Session, name: str) -> Staff:
    """A staff member by (part of) their name, for the command line's --staff."""
    wanted = name.strip().lower()
    people = list(session.exec(select(Staff)))
    exact = [s for s in people if s.name.lower() == wanted]
    if exact:
        return exact[0]
    partial = [s for s in people if wanted and wanted in s.name.lower()]
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise NotFound(f"No staff member is called '{name}'.")
    names = ", ".join(s.name for s in partial[:5])
    raise ValidationError("staff", f"'{name}' matches more than one person: {names}.")


def find_patient(session: Session, chart_number: str) -> Patient:
    patient = session.exec(
        select(Patient).where(Patient.chart_number == chart_number.strip())
    ).first()
    if patient is None:
        raise NotFound(f"No patient has chart number {chart_number}.")
    return patient
