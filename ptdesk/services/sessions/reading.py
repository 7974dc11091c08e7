"""Reading session records: one visit's record (or a new one from the program), and lists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TypeVarTuple

from sqlalchemy import Row, Select
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from ptdesk.errors import NotFound
from ptdesk.models import (
    Appointment,
    Patient,
    RecordStatus,
    Room,
    SessionAddendum,
    SessionExercise,
    SessionIntervention,
    SessionRecord,
    Staff,
)
from ptdesk.models.common import saved_id
from ptdesk.services.programs import get_program, hold_words
from ptdesk.services.sessions.signers import _staff_can_sign, signers
from ptdesk.services.sessions.values import (
    RECORDABLE,
    AddendumInfo,
    ExerciseEntry,
    InterventionEntry,
    RecordDetail,
    RecordRow,
    SessionInput,
    VisitRow,
)


def _appointment(session: Session, appointment_id: int) -> Appointment:
    appt = session.get(Appointment, appointment_id)
    if appt is None:
        raise NotFound("That appointment no longer exists.")
    return appt


def _name(session: Session, staff_id: int | None) -> str:
    if staff_id is None:
        return ""
    staff = session.get(Staff, staff_id)
    return staff.name if staff else ""


def prescribed_words(sets: int, reps: int, hold_seconds: int, load: str, side: str) -> str:
    """The in-clinic dose in short, e.g. "3 × 10, hold 5 seconds, red band, left"."""
    parts = [f"{sets} × {reps}" if sets > 1 else ("1 rep" if reps == 1 else f"{reps} reps")]
    if hold_seconds:
        parts.append(f"hold {hold_words(hold_seconds)}")
    if load.strip():
        parts.append(load.strip())
    if side:
        parts.append({"both": "each side"}.get(side, side))
    return ", ".join(parts)


def _default_supervisor(session: Session, appt: Appointment) -> int | None:
    booked = session.get(Staff, appt.staff_id)
    if booked is not None and booked.active and _staff_can_sign(booked):
        return booked.id
    choices = signers(session)
    return choices[0].id if choices else None


def new_input(session: Session, appointment_id: int) -> SessionInput:
    """A blank record for the visit, its exercises taken from the patient's active program."""
    appt = _appointment(session, appointment_id)
    data = SessionInput(supervisor_id=_default_supervisor(session, appt))
    program = get_program(session, appt.patient_id)
    if program is not None and program.is_active_on(appt.start.date()):
        for item in program.items:
            data.exercises.append(
                ExerciseEntry(
                    name=item.exercise_name,
                    exercise_id=item.exercise_id,
                    prescribed=prescribed_words(
                        item.sets, item.reps, item.hold_seconds, item.load, item.side
                    ),
                    sets=item.sets,
                    reps=item.reps,
                    load=item.load,
                )
            )
    return data


def _detail(session: Session, appt: Appointment, row: SessionRecord | None) -> RecordDetail:
    patient = session.get(Patient, appt.patient_id)
    assert patient is not None
    room = session.get(Room, appt.room_id) if appt.room_id else None
    if row is None:
        data = new_input(session, saved_id(appt))
        provider = None
    else:
        data = SessionInput(
            pain_before=row.pain_before,
            pain_after=row.pain_after,
            bp_systolic=row.bp_systolic,
            bp_diastolic=row.bp_diastolic,
            heart_rate=row.heart_rate,
            spo2=row.spo2,
            subjective=row.subjective,
            treatment=row.treatment,
            assessment=row.assessment,
            plan=row.plan,
            supervisor_id=row.supervisor_id,
            exercises=[
                ExerciseEntry(
                    name=e.name,
                    exercise_id=e.exercise_id,
                    prescribed=e.prescribed,
                    sets=e.sets,
                    reps=e.reps,
                    load=e.load,
                    duration_min=e.duration_min,
                    notes=e.notes,
                )
                for e in session.exec(
                    select(SessionExercise)
                    .where(col(SessionExercise.record_id) == row.id)
                    .order_by(col(SessionExercise.position))
                )
            ],
            interventions=[
                InterventionEntry(i.code, i.minutes, i.description, i.timed, i.units)
                for i in session.exec(
                    select(SessionIntervention)
                    .where(col(SessionIntervention.record_id) == row.id)
                    .order_by(col(SessionIntervention.position))
                )
            ],
        )
        provider = session.get(Staff, row.provider_id) if row.provider_id else None
    addenda = []
    if row is not None:
        addenda = [
            AddendumInfo(a.author_name, a.author_role, a.at, a.text)
            for a in session.exec(
                select(SessionAddendum)
                .where(col(SessionAddendum.record_id) == row.id)
                .order_by(col(SessionAddendum.at), col(SessionAddendum.id))
            )
        ]
    return RecordDetail(
        id=row.id if row else None,
        appointment_id=saved_id(appt),
        patient_id=saved_id(patient),
        patient_name=patient.full_name,
        chart_number=patient.chart_number,
        date_of_birth=patient.date_of_birth,
        precautions=patient.precaution_list,
        start=appt.start,
        end=appt.end,
        kind=appt.kind,
        room_name=room.name if room else "",
        booked_with=_name(session, appt.staff_id),
        status=row.status if row else "",
        provider_id=row.provider_id if row else None,
        provider_name=row.provider_name if row else "",
        provider_role=row.provider_role if row else "",
        provider_credentials=provider.credentials if provider else "",
        supervisor_id=data.supervisor_id,
        supervisor_name=_name(session, data.supervisor_id),
        data=data,
        signed_by_name=row.signed_by_name if row else "",
        signed_at=row.signed_at if row else None,
        cosigned_by_name=row.cosigned_by_name if row else "",
        cosigned_at=row.cosigned_at if row else None,
        addenda=addenda,
    )


def _record_of(session: Session, appointment_id: int) -> SessionRecord | None:
    return session.exec(
        select(SessionRecord).where(col(SessionRecord.appointment_id) == appointment_id)
    ).first()


def record_for_appointment(session: Session, appointment_id: int) -> RecordDetail:
    """The visit's record; when none is saved yet, a new one pre-filled from the program."""
    appt = _appointment(session, appointment_id)
    return _detail(session, appt, _record_of(session, appointment_id))


def get_record(session: Session, record_id: int) -> RecordDetail:
    row = session.get(SessionRecord, record_id)
    if row is None:
        raise NotFound("That session record no longer exists.")
    return _detail(session, _appointment(session, row.appointment_id), row)


_Ts = TypeVarTuple("_Ts")

# A record with its visit's start and its patient's first name, last name and chart number.
RecordListing = Select[SessionRecord, datetime, str, str, str]


def _rows_of(session: Session, stmt: Select[*_Ts]) -> Sequence[Row[*_Ts]]:
    """The rows of ``stmt`` through the session, as ``session.exec`` runs a select, typed as
    SQLAlchemy types the select column by column (``sqlmodel.select`` types four entities at
    most, and sqlmodel's ``execute`` types no row)."""
    return session.execute(stmt).all()


def _rows(session: Session, stmt: RecordListing) -> list[RecordRow]:
    units: dict[int, int] = {}
    addenda: dict[int, int] = {}
    results = _rows_of(session, stmt)
    ids = [saved_id(r[0]) for r in results]
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        for rid, u in session.exec(
            select(col(SessionIntervention.record_id), col(SessionIntervention.units)).where(
                col(SessionIntervention.record_id).in_(part)
            )
        ):
            units[rid] = units.get(rid, 0) + u
        for rid in session.exec(
            select(col(SessionAddendum.record_id)).where(col(SessionAddendum.record_id).in_(part))
        ):
            addenda[rid] = addenda.get(rid, 0) + 1
    names = {s.id: s.name for s in session.exec(select(Staff))}
    return [
        RecordRow(
            id=saved_id(rec),
            appointment_id=rec.appointment_id,
            start=start,
            patient_name=f"{first} {last}".strip(),
            chart_number=chart,
            provider_name=rec.provider_name,
            supervisor_id=rec.supervisor_id,
            supervisor_name=names.get(rec.supervisor_id, ""),
            status=rec.status,
            units=units.get(saved_id(rec), 0),
            addenda=addenda.get(saved_id(rec), 0),
        )
        for rec, start, first, last, chart in results
    ]


def _list_query() -> RecordListing:
    return (
        sa_select(
            SessionRecord,
            col(Appointment.start),
            col(Patient.first_name),
            col(Patient.last_name),
            col(Patient.chart_number),
        )
        .join(Appointment, col(Appointment.id) == col(SessionRecord.appointment_id))
        .join(Patient, col(Patient.id) == col(SessionRecord.patient_id))
    )


def list_records(session: Session, first_day: date, last_day: date) -> list[RecordRow]:
    """Records of visits from ``first_day`` to ``last_day`` (both included), newest first."""
    lo = datetime.combine(first_day, datetime.min.time())
    hi = datetime.combine(last_day + timedelta(days=1), datetime.min.time())
    stmt = (
        _list_query()
        .where(col(Appointment.start) >= lo, col(Appointment.start) < hi)
        .order_by(col(Appointment.start).desc())
    )
    return _rows(session, stmt)


def awaiting_cosign(session: Session, supervisor_id: int | None = None) -> list[RecordRow]:
    """Records waiting for a co-sign, oldest first; for one therapist when given."""
    stmt = _list_query().where(col(SessionRecord.status) == RecordStatus.AWAITING_COSIGN.value)
    if supervisor_id is not None:
        stmt = stmt.where(col(SessionRecord.supervisor_id) == supervisor_id)
    return _rows(session, stmt.order_by(col(Appointment.start)))


def patient_records(session: Session, patient_id: int) -> list[RecordRow]:
    stmt = (
        _list_query()
        .where(col(SessionRecord.patient_id) == patient_id)
        .order_by(col(Appointment.start).desc())
    )
    return _rows(session, stmt)


def visits_to_record(session: Session, day: date) -> list[VisitRow]:
    """The day's checked-in and completed visits with their record status, by time."""
    lo = datetime.combine(day, datetime.min.time())
    stmt = (
        sa_select(
            col(Appointment.id),
            col(Appointment.start),
            col(Patient.first_name),
            col(Patient.last_name),
            col(Patient.chart_number),
            col(Staff.name),
            col(Appointment.status),
            col(SessionRecord.id),
            col(SessionRecord.status),
        )
        .join(Patient, col(Patient.id) == col(Appointment.patient_id))
        .join(Staff, col(Staff.id) == col(Appointment.staff_id))
        .outerjoin(SessionRecord, col(SessionRecord.appointment_id) == col(Appointment.id))
        .where(
            col(Appointment.start) >= lo,
            col(Appointment.start) < lo + timedelta(days=1),
            col(Appointment.status).in_(RECORDABLE),
        )
        .order_by(col(Appointment.start), col(Appointment.id))
    )
    visits = []
    for aid, start, first, last, chart, staff, status, rid, rstatus in _rows_of(session, stmt):
        assert aid is not None  # a key read from the table (only a row never saved has none)
        name = f"{first} {last}".strip()
        visits.append(VisitRow(aid, start, name, chart, staff, status, rid, rstatus or ""))
    return visits
