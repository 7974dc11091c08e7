"""Session records: record what was done in a visit, sign or co-sign it, add addenda.

Who may do what, enforced here by the acting staff member's role:

- technicians and aides record what was done and what the patient reported; they never write
  an assessment or a plan, and their records wait for a therapist's co-sign;
- therapists (PT) and assistants (PTA) sign their own records and co-sign technicians' records,
  adding an assessment;
- the owner signs and co-signs only when licensed (credentials such as "PT, DPT" or "PTA"):
  a clinic owner is often a therapist, but not always, and a co-sign is a clinical signature;
- a signed record is locked: a later change is an addendum with who and when.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, delete, select

from ptdesk.errors import NotFound, PermissionDenied, PtdeskError, ValidationError
from ptdesk.models import (
    Appointment,
    AppointmentStatus,
    BillingCode,
    Patient,
    RecordStatus,
    Role,
    Room,
    SessionAddendum,
    SessionExercise,
    SessionIntervention,
    SessionRecord,
    Staff,
)
from ptdesk.models.common import utcnow
from ptdesk.services import audit, billing
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import allowed, require
from ptdesk.services.programs import get_program, hold_words

ENTITY = "session_record"
RECORDABLE = (AppointmentStatus.CHECKED_IN.value, AppointmentStatus.COMPLETED.value)
LICENCES = {"PT", "DPT", "MPT", "MSPT", "PTA"}
MAX_TEXT = 4000


class RecordLocked(PtdeskError):
    """The record is signed; only an addendum can add to it."""


# -- plain values ----------------------------------------------------------------------------
@dataclass
class ExerciseEntry:
    """One exercise as recorded: what was prescribed and what was done."""

    name: str
    exercise_id: int | None = None
    prescribed: str = ""
    sets: int | None = None
    reps: int | None = None
    load: str = ""
    duration_min: int | None = None
    notes: str = ""

    @property
    def done(self) -> str:
        parts = []
        if self.sets and self.sets > 1 and self.reps:
            parts.append(f"{self.sets} × {self.reps}")
        elif self.reps:
            parts.append(f"{self.reps} reps")
        elif self.sets:
            parts.append(f"{self.sets} sets")
        if self.load.strip():
            parts.append(self.load.strip())
        if self.duration_min:
            parts.append(f"{self.duration_min} min")
        return ", ".join(parts) or "Not done"


@dataclass
class InterventionEntry:
    """An intervention given; description, timed and units are filled from the code table."""

    code: str
    minutes: int = 0
    description: str = ""
    timed: bool = True
    units: int = 0


@dataclass
class SessionInput:
    """What the record form holds."""

    pain_before: int | None = None
    pain_after: int | None = None
    bp_systolic: int | None = None
    bp_diastolic: int | None = None
    heart_rate: int | None = None
    spo2: int | None = None
    subjective: str = ""
    treatment: str = ""
    assessment: str = ""
    plan: str = ""
    supervisor_id: int | None = None
    exercises: list[ExerciseEntry] = field(default_factory=list)
    interventions: list[InterventionEntry] = field(default_factory=list)


@dataclass(frozen=True)
class AddendumInfo:
    author_name: str
    author_role: str
    at: datetime
    text: str


@dataclass
class RecordDetail:
    """A whole record with the names a screen or a printout shows."""

    id: int | None
    appointment_id: int
    patient_id: int
    patient_name: str
    chart_number: str
    date_of_birth: date | None
    precautions: list[str]
    start: datetime
    end: datetime
    kind: str
    room_name: str
    booked_with: str
    status: str
    provider_id: int | None
    provider_name: str
    provider_role: str
    provider_credentials: str
    supervisor_id: int | None
    supervisor_name: str
    data: SessionInput
    signed_by_name: str = ""
    signed_at: datetime | None = None
    cosigned_by_name: str = ""
    cosigned_at: datetime | None = None
    addenda: list[AddendumInfo] = field(default_factory=list)

    @property
    def timed_minutes(self) -> int:
        return sum(i.minutes for i in self.data.interventions if i.timed)

    @property
    def total_units(self) -> int:
        return sum(i.units for i in self.data.interventions)

    @property
    def status_label(self) -> str:
        return RecordStatus(self.status).label if self.status else "Not recorded"

    @property
    def needs_cosign(self) -> bool:
        return self.provider_role == Role.TECHNICIAN.value


@dataclass(frozen=True)
class RecordRow:
    """One line of the records lists."""

    id: int
    appointment_id: int
    start: datetime
    patient_name: str
    chart_number: str
    provider_name: str
    supervisor_id: int | None
    supervisor_name: str
    status: str
    units: int
    addenda: int

    @property
    def status_label(self) -> str:
        return RecordStatus(self.status).label


@dataclass(frozen=True)
class SignerInfo:
    id: int
    name: str
    credentials: str

    @property
    def label(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


# -- who may sign ------------------------------------------------------------------------------
def is_licensed(credentials: str) -> bool:
    """Whether credentials name a therapist licence (PT, DPT, PTA…), not a technician title."""
    tokens = {t.upper().strip(".") for t in re.split(r"[\s,;/]+", credentials or "") if t}
    if tokens & {"TECH", "TECHNICIAN", "AIDE"}:
        return False
    return bool(tokens & LICENCES)


def _staff_can_sign(staff: Staff) -> bool:
    if staff.role in (Role.THERAPIST.value, Role.ASSISTANT.value):
        return True
    return staff.role == Role.OWNER.value and is_licensed(staff.credentials)


def can_sign(session: Session, actor: Actor) -> bool:
    """Whether the actor may sign, co-sign and write assessments."""
    if actor.role == "system":
        return True
    if not allowed(actor, "co_sign"):
        return False
    staff = session.get(Staff, actor.id) if actor.id is not None else None
    return staff is not None and staff.active and _staff_can_sign(staff)


def _require_signer(session: Session, actor: Actor, what: str) -> None:
    require(actor, "co_sign")
    if not can_sign(session, actor):
        raise PermissionDenied(
            f"{actor.name} may not {what}: that needs a licensed therapist (PT or PTA). "
            "If you are one, add your credentials under Settings, Staff."
        )


def signers(session: Session) -> list[SignerInfo]:
    """Active staff who may co-sign: therapists, assistants and a licensed owner."""
    rows = session.exec(
        select(Staff).where(col(Staff.active).is_(True)).order_by(col(Staff.name))
    ).all()
    return [SignerInfo(s.id, s.name, s.credentials) for s in rows if _staff_can_sign(s)]  # type: ignore[arg-type]


# -- reading -----------------------------------------------------------------------------------
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
        data = new_input(session, appt.id)  # type: ignore[arg-type]
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
                    .where(SessionExercise.record_id == row.id)
                    .order_by(col(SessionExercise.position))
                )
            ],
            interventions=[
                InterventionEntry(i.code, i.minutes, i.description, i.timed, i.units)
                for i in session.exec(
                    select(SessionIntervention)
                    .where(SessionIntervention.record_id == row.id)
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
                .where(SessionAddendum.record_id == row.id)
                .order_by(col(SessionAddendum.at), col(SessionAddendum.id))
            )
        ]
    return RecordDetail(
        id=row.id if row else None,
        appointment_id=appt.id,  # type: ignore[arg-type]
        patient_id=patient.id,  # type: ignore[arg-type]
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
        select(SessionRecord).where(SessionRecord.appointment_id == appointment_id)
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


def _rows(session: Session, stmt) -> list[RecordRow]:
    units: dict[int, int] = {}
    addenda: dict[int, int] = {}
    results = session.exec(stmt).all()
    ids = [r[0].id for r in results]
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        for rid, u in session.exec(
            select(SessionIntervention.record_id, SessionIntervention.units).where(
                col(SessionIntervention.record_id).in_(part)
            )
        ):
            units[rid] = units.get(rid, 0) + u
        for rid in session.exec(
            select(SessionAddendum.record_id).where(col(SessionAddendum.record_id).in_(part))
        ):
            addenda[rid] = addenda.get(rid, 0) + 1
    names = {s.id: s.name for s in session.exec(select(Staff))}
    return [
        RecordRow(
            id=rec.id,
            appointment_id=rec.appointment_id,
            start=start,
            patient_name=f"{first} {last}".strip(),
            chart_number=chart,
            provider_name=rec.provider_name,
            supervisor_id=rec.supervisor_id,
            supervisor_name=names.get(rec.supervisor_id, ""),
            status=rec.status,
            units=units.get(rec.id, 0),
            addenda=addenda.get(rec.id, 0),
        )
        for rec, start, first, last, chart in results
    ]


def _list_query():
    return (
        select(
            SessionRecord,
            Appointment.start,
            Patient.first_name,
            Patient.last_name,
            Patient.chart_number,
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
    stmt = _list_query().where(SessionRecord.status == RecordStatus.AWAITING_COSIGN.value)
    if supervisor_id is not None:
        stmt = stmt.where(SessionRecord.supervisor_id == supervisor_id)
    return _rows(session, stmt.order_by(col(Appointment.start)))


def patient_records(session: Session, patient_id: int) -> list[RecordRow]:
    stmt = (
        _list_query()
        .where(SessionRecord.patient_id == patient_id)
        .order_by(col(Appointment.start).desc())
    )
    return _rows(session, stmt)


# -- checking ----------------------------------------------------------------------------------
def _in_range(value: int | None, lo: int, hi: int, fld: str, message: str) -> None:
    if value is not None and not lo <= value <= hi:
        raise ValidationError(fld, message)


def check_vitals(data: SessionInput) -> None:
    """Plausibility of pain scores and vitals; the error names the field."""
    _in_range(data.pain_before, 0, 10, "pain_before", "Pain before is a number from 0 to 10.")
    _in_range(data.pain_after, 0, 10, "pain_after", "Pain after is a number from 0 to 10.")
    sys_, dia = data.bp_systolic, data.bp_diastolic
    if (sys_ is None) != (dia is None):
        missing = "bp_diastolic" if dia is None else "bp_systolic"
        raise ValidationError(
            missing, "Enter both blood pressure numbers (top and bottom), or neither."
        )
    _in_range(
        sys_, 60, 260, "bp_systolic", "The top blood pressure number should be between 60 and 260."
    )
    _in_range(
        dia,
        30,
        160,
        "bp_diastolic",
        "The bottom blood pressure number should be between 30 and 160.",
    )
    if sys_ is not None and dia is not None and dia >= sys_:
        raise ValidationError(
            "bp_diastolic", "The bottom blood pressure number must be lower than the top one."
        )
    _in_range(
        data.heart_rate,
        30,
        220,
        "heart_rate",
        "Heart rate should be between 30 and 220 beats a minute.",
    )
    _in_range(data.spo2, 70, 100, "spo2", "SpO2 should be between 70 and 100 percent.")


def _text(value: str, fld: str, label: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        raise ValidationError(fld, f"{label} is too long; keep it under {MAX_TEXT} characters.")
    return value


def clean_input(session: Session, data: SessionInput) -> SessionInput:
    """Check the form and fill each intervention's description, timed flag and units."""
    check_vitals(data)
    exercises = []
    for n, e in enumerate(data.exercises, start=1):
        name = " ".join((e.name or "").split())
        if not name:
            raise ValidationError("exercises", f"Exercise line {n} has no name.")
        _in_range(e.sets, 0, 20, "exercises", f"{name}: sets should be between 0 and 20.")
        _in_range(e.reps, 0, 500, "exercises", f"{name}: reps should be between 0 and 500.")
        _in_range(
            e.duration_min, 0, 240, "exercises", f"{name}: minutes should be between 0 and 240."
        )
        if len(e.load) > 60:
            raise ValidationError("exercises", f"{name}: keep the load under 60 characters.")
        exercises.append(replace(e, name=name[:120], notes=e.notes.strip(), load=e.load.strip()))
    table = {c.code: c for c in session.exec(select(BillingCode))}
    seen: set[str] = set()
    interventions = []
    for i in data.interventions:
        code = (i.code or "").strip().upper()
        row = table.get(code)
        if row is None:
            raise ValidationError(
                "interventions", f"{code or 'A blank code'} is not in the billing code table."
            )
        if code in seen:
            raise ValidationError(
                "interventions", f"{code} is listed twice; put all its minutes on one line."
            )
        seen.add(code)
        _in_range(
            i.minutes, 0, 240, "interventions", f"{code}: minutes should be between 0 and 240."
        )
        if row.timed and not i.minutes:
            raise ValidationError(
                "interventions", f"{code} is a timed code: enter the minutes it took."
            )
        interventions.append(InterventionEntry(code, i.minutes, row.description, row.timed))
    units = billing.billable_units(
        {i.code: i.minutes for i in interventions}, {i.code for i in interventions if i.timed}
    )
    for i in interventions:
        i.units = units[i.code]
    return replace(
        data,
        subjective=_text(data.subjective, "subjective", "What the patient reported"),
        treatment=_text(data.treatment, "treatment", "What was done"),
        assessment=_text(data.assessment, "assessment", "The assessment"),
        plan=_text(data.plan, "plan", "The plan"),
        exercises=exercises,
        interventions=interventions,
    )


# -- writing -----------------------------------------------------------------------------------
def _snapshot(row: SessionRecord, data: SessionInput) -> dict:
    snap = audit.snapshot(row)
    snap["exercises"] = [f"{e.name}: {e.done}" for e in data.exercises]
    snap["interventions"] = [f"{i.code} {i.minutes} min, {i.units} u" for i in data.interventions]
    return snap


def _write_lines(session: Session, record_id: int, data: SessionInput) -> None:
    session.exec(delete(SessionExercise).where(col(SessionExercise.record_id) == record_id))  # type: ignore[call-overload]
    session.exec(
        delete(SessionIntervention).where(col(SessionIntervention.record_id) == record_id)  # type: ignore[call-overload]
    )
    session.flush()
    for n, e in enumerate(data.exercises):
        session.add(
            SessionExercise(
                record_id=record_id,
                position=n,
                exercise_id=e.exercise_id,
                name=e.name,
                prescribed=e.prescribed[:200],
                sets=e.sets,
                reps=e.reps,
                load=e.load,
                duration_min=e.duration_min,
                notes=e.notes,
            )
        )
    for n, i in enumerate(data.interventions):
        session.add(
            SessionIntervention(
                record_id=record_id,
                position=n,
                code=i.code,
                description=i.description,
                timed=i.timed,
                minutes=i.minutes,
                units=i.units,
            )
        )


def needs_cosign(session: Session, provider_id: int | None, provider_role: str) -> bool:
    """Whether a record by this person waits for a therapist's co-sign.

    Technicians and aides always; anyone else (an owner, say) who holds no PT/PTA licence too.
    """
    if provider_role == Role.TECHNICIAN.value:
        return True
    author = session.get(Staff, provider_id) if provider_id is not None else None
    return author is None or not _staff_can_sign(author)


def _check_supervisor(session: Session, supervisor_id: int | None) -> None:
    staff = session.get(Staff, supervisor_id) if supervisor_id is not None else None
    if staff is None or not staff.active or not _staff_can_sign(staff):
        raise ValidationError(
            "supervisor_id", "Choose the therapist (PT or PTA) who will co-sign this record."
        )


def save_record(
    session: Session,
    actor: Actor,
    appointment_id: int,
    data: SessionInput,
    *,
    sign: bool = False,
    now: datetime | None = None,
) -> RecordDetail:
    """Save the visit's record; with ``sign`` the author signs it.

    A therapist's signed record is locked at once. A technician's signed record waits for
    the co-sign of the therapist named as supervisor.
    """
    require(actor, "record_session")
    appt = _appointment(session, appointment_id)
    if appt.status not in RECORDABLE:
        raise ValidationError(
            "appointment",
            "A session can be recorded once the patient is checked in; this appointment is "
            f"{AppointmentStatus(appt.status).label.lower()}.",
        )
    row = _record_of(session, appointment_id)
    licensed = can_sign(session, actor)
    if row is not None and row.status == RecordStatus.SIGNED.value:
        raise RecordLocked(
            "This record is signed and locked. Add an addendum to correct or add to it."
        )
    if row is not None and row.status == RecordStatus.AWAITING_COSIGN.value and not licensed:
        raise RecordLocked(
            "This record is waiting for a therapist's co-sign; it can no longer be changed "
            "by the person who wrote it. Ask the therapist, or add an addendum once signed."
        )
    if row is not None and not licensed and row.provider_id != actor.id:
        raise PermissionDenied(
            f"This record was written by {row.provider_name}; only they or a therapist may change it."
        )
    if not licensed and (data.assessment.strip() or data.plan.strip()):
        raise PermissionDenied(
            f"{actor.name} may not write an assessment or a plan: that is for the therapist who "
            "co-signs. Record what was done and what the patient reported."
        )
    if row is not None and row.status == RecordStatus.AWAITING_COSIGN.value and sign:
        # A therapist finishing a technician's record co-signs it.
        data = clean_input(session, data)
        _apply_and_write(session, row, data)
        return cosign(session, actor, row.id, data.assessment, data.plan, now=now)  # type: ignore[arg-type]
    data = clean_input(session, data)
    technician_record = (
        needs_cosign(session, row.provider_id, row.provider_role)
        if row is not None
        else needs_cosign(session, actor.id, actor.role)
    )
    if technician_record:
        if not licensed:
            data = replace(
                data, assessment=row.assessment if row else "", plan=row.plan if row else ""
            )
        if sign or data.supervisor_id is not None:
            _check_supervisor(session, data.supervisor_id)
    else:
        data = replace(data, supervisor_id=None)
    now_utc = now or utcnow()
    creating = row is None
    if row is None:
        row = SessionRecord(
            appointment_id=appointment_id,
            patient_id=appt.patient_id,
            provider_id=actor.id,
            provider_name=actor.name,
            provider_role=actor.role,
        )
        before: dict = {}
    else:
        before = _snapshot(row, get_record(session, row.id).data)  # type: ignore[arg-type]
    _apply_fields(row, data)
    if sign:
        row.signed_by_id, row.signed_by_name, row.signed_at = actor.id, actor.name, now_utc
        if technician_record and not licensed:
            row.status = RecordStatus.AWAITING_COSIGN.value
        else:
            row.status = RecordStatus.SIGNED.value
        if technician_record and licensed:
            # A therapist signing a technician's record is its co-sign as well.
            row.cosigned_by_id, row.cosigned_by_name, row.cosigned_at = (
                actor.id,
                actor.name,
                now_utc,
            )
            row.supervisor_id = actor.id
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    _write_lines(session, row.id, data)  # type: ignore[arg-type]
    session.flush()
    patient = session.get(Patient, appt.patient_id)
    what = {
        RecordStatus.DRAFT.value: "saved as a draft",
        RecordStatus.AWAITING_COSIGN.value: "signed, awaiting co-sign",
        RecordStatus.SIGNED.value: "signed",
    }[row.status]
    audit.record(
        session,
        actor,
        "create" if creating else ("sign" if sign else "update"),
        ENTITY,
        row.id,
        audit.diff(before, _snapshot(row, data)),
        f"Session record for {patient.full_name if patient else 'a patient'} on "
        f"{appt.start:%Y-%m-%d %H:%M} {what}",
    )
    return get_record(session, row.id)  # type: ignore[arg-type]


def _apply_fields(row: SessionRecord, data: SessionInput) -> None:
    for name in (
        "pain_before",
        "pain_after",
        "bp_systolic",
        "bp_diastolic",
        "heart_rate",
        "spo2",
        "subjective",
        "treatment",
        "assessment",
        "plan",
        "supervisor_id",
    ):
        setattr(row, name, getattr(data, name))


def _apply_and_write(session: Session, row: SessionRecord, data: SessionInput) -> None:
    supervisor = row.supervisor_id
    _apply_fields(row, data)
    row.supervisor_id = supervisor
    session.add(row)
    session.flush()
    _write_lines(session, row.id, data)  # type: ignore[arg-type]
    session.flush()


def cosign(
    session: Session,
    actor: Actor,
    record_id: int,
    assessment: str = "",
    plan: str = "",
    *,
    now: datetime | None = None,
) -> RecordDetail:
    """A therapist co-signs a technician's record, adding an assessment and plan."""
    _require_signer(session, actor, "co-sign session records")
    row = session.get(SessionRecord, record_id)
    if row is None:
        raise NotFound("That session record no longer exists.")
    if row.status == RecordStatus.SIGNED.value:
        raise RecordLocked("This record is already signed. Add an addendum instead.")
    if row.status != RecordStatus.AWAITING_COSIGN.value:
        raise ValidationError(
            "status", f"{row.provider_name} has not signed this record yet; it is still a draft."
        )
    before = audit.snapshot(row)
    row.assessment = _text(assessment, "assessment", "The assessment")
    row.plan = _text(plan, "plan", "The plan")
    row.cosigned_by_id, row.cosigned_by_name = actor.id, actor.name
    row.cosigned_at = now or utcnow()
    if row.supervisor_id != actor.id:
        row.supervisor_id = actor.id
    row.status = RecordStatus.SIGNED.value
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    appt = _appointment(session, row.appointment_id)
    patient = session.get(Patient, row.patient_id)
    audit.record(
        session,
        actor,
        "cosign",
        ENTITY,
        row.id,
        audit.diff(before, audit.snapshot(row)),
        f"Co-signed {row.provider_name}'s session record for "
        f"{patient.full_name if patient else 'a patient'} on {appt.start:%Y-%m-%d %H:%M}",
    )
    return get_record(session, record_id)


def add_addendum(
    session: Session, actor: Actor, record_id: int, text: str, *, now: datetime | None = None
) -> RecordDetail:
    """Add to a signed record without changing it: the addendum keeps who wrote it and when."""
    require(actor, "amend_session")
    row = session.get(SessionRecord, record_id)
    if row is None:
        raise NotFound("That session record no longer exists.")
    if row.status != RecordStatus.SIGNED.value:
        raise ValidationError(
            "addendum", "This record is not signed yet: change the record itself instead."
        )
    text = _text(text, "addendum", "The addendum")
    if not text:
        raise ValidationError("addendum", "Write what you want to add to the record.")
    entry = SessionAddendum(
        record_id=record_id,
        author_id=actor.id,
        author_name=actor.name,
        author_role=actor.role,
        text=text,
        at=now or utcnow(),
    )
    session.add(entry)
    session.flush()
    audit.record(
        session,
        actor,
        "addendum",
        ENTITY,
        record_id,
        {"addendum": [None, text]},
        f"Addendum added to the session record of {row.provider_name}",
    )
    return get_record(session, record_id)


@dataclass(frozen=True)
class VisitRow:
    """A checked-in or completed visit of a day, and where its record stands."""

    appointment_id: int
    start: datetime
    patient_name: str
    chart_number: str
    staff_name: str
    appointment_status: str
    record_id: int | None
    record_status: str

    @property
    def record_label(self) -> str:
        return RecordStatus(self.record_status).label if self.record_status else "Not recorded"


def visits_to_record(session: Session, day: date) -> list[VisitRow]:
    """The day's checked-in and completed visits with their record status, by time."""
    lo = datetime.combine(day, datetime.min.time())
    stmt = (
        select(
            Appointment.id,
            Appointment.start,
            Patient.first_name,
            Patient.last_name,
            Patient.chart_number,
            Staff.name,
            Appointment.status,
            SessionRecord.id,
            SessionRecord.status,
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
    return [
        VisitRow(aid, start, f"{first} {last}".strip(), chart, staff, status, rid, rstatus or "")
        for aid, start, first, last, chart, staff, status, rid, rstatus in session.exec(stmt)
    ]
