"""The demo clinic's session records: most completed visits recorded, some awaiting co-sign."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from ptdesk.models import (
    Appointment,
    AppointmentStatus,
    Exercise,
    HomeProgram,
    ProgramExercise,
    RecordStatus,
    SessionExercise,
    SessionIntervention,
    SessionRecord,
    Staff,
)
from ptdesk.services.billing import SHIPPED_TIMED, billable_units
from ptdesk.services.sessions import is_licensed, prescribed_words

RECORDED_SHARE = 0.92  # completed visits that have a record
AWAITING_DAYS = 10
BATCH = 4000  # technicians' records this recent may still wait for a co-sign
SUBJECTIVE = [
    "Reports less pain since the last visit.",
    "Stiff in the morning, loosens up by midday.",
    "Did the home exercises most days.",
    "Sore for a day after the last session, then better.",
    "Slept better this week.",
    "Pain worse after a long day at work.",
    "Managed the stairs at home without the rail.",
    "Missed two days of home exercises (busy week).",
    "No new complaints.",
    "Walked 20 minutes twice this week.",
]
TREATMENT = [
    "Strengthening per program; cues for form.",
    "Progressed resistance; good form throughout.",
    "Manual therapy then active range of motion.",
    "Balance and gait work in the gym.",
    "Reviewed home program; added one exercise.",
    "Functional training: sit to stand, step-ups, carrying.",
    "Soft tissue work, then stretching and strengthening.",
]
ASSESSMENT = [
    "Progressing toward goals; tolerating more load.",
    "Range improving; strength still limited.",
    "Good session; pain settles quickly after exercise.",
    "Slower progress this week; keep the current dose.",
    "Balance improving; fewer losses of balance.",
]
PLAN = [
    "Continue plan of care; progress resistance next visit.",
    "Continue; add single-leg work next visit.",
    "Continue current program; recheck in two weeks.",
    "Progress home program as tolerated.",
]
TOLERANCE = ["Tolerated well", "Mild fatigue", "Needed rest breaks", "Easy; progress next time"]
TREATMENT_CODES = ["97110", "97140", "97112", "97530", "97116", "97035"]
EVALUATION_CODES = ["97161", "97162", "97162", "97163"]


def _local_to_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def add_sessions(
    session: Session, seed: int, today: date, now: datetime, staff: list[Staff]
) -> int:
    """Write records for most completed visits; returns how many."""
    rng = random.Random(seed * 2003 + 29)  # its own stream: other demo data stays the same
    roles = {s.id: s.role for s in staff}
    names = {s.id: s.name for s in staff}
    cosigners = [s for s in staff if s.role in ("therapist", "assistant")] or [
        s for s in staff if s.role == "owner" and is_licensed(s.credentials)
    ]
    library = list(session.exec(select(Exercise.id, Exercise.name, Exercise.sets, Exercise.reps)))
    prescribed: dict[int, list[tuple]] = {}
    stmt = (
        select(
            HomeProgram.patient_id,
            ProgramExercise.exercise_id,
            Exercise.name,
            ProgramExercise.sets,
            ProgramExercise.reps,
            ProgramExercise.hold_seconds,
            ProgramExercise.load,
            ProgramExercise.side,
        )
        .join(HomeProgram, col(HomeProgram.id) == col(ProgramExercise.program_id))
        .join(Exercise, col(Exercise.id) == col(ProgramExercise.exercise_id))
        .order_by(col(ProgramExercise.program_id), col(ProgramExercise.position))
    )
    for pid, ex_id, name, sets, reps, hold, load, side in session.exec(stmt):
        prescribed.setdefault(pid, []).append(
            (ex_id, name, sets, reps, load, prescribed_words(sets, reps, hold, load, side))
        )
    visits = session.exec(
        select(
            Appointment.id,
            Appointment.patient_id,
            Appointment.staff_id,
            Appointment.start,
            Appointment.end,
            Appointment.kind,
        )
        .where(Appointment.status == AppointmentStatus.COMPLETED.value)
        .order_by(col(Appointment.id))
    ).all()
    records: list[dict] = []
    exercises: list[dict] = []
    interventions: list[dict] = []
    recent = now - timedelta(days=AWAITING_DAYS)
    count = 0
    for appt_id, pid, sid, start, end, kind in visits:
        if rng.random() > RECORDED_SHARE:
            continue
        count += 1
        record_id = count
        role = roles.get(sid, "therapist")
        technician = role == "technician"
        signed_at = _local_to_utc(end + timedelta(minutes=rng.randint(5, 90)))
        pain_before = rng.randint(2, 8)
        row = dict(
            id=record_id,
            appointment_id=appt_id,
            patient_id=pid,
            provider_id=sid,
            provider_name=names.get(sid, ""),
            provider_role=role,
            supervisor_id=None,
            status=RecordStatus.SIGNED.value,
            pain_before=pain_before,
            pain_after=max(0, pain_before - rng.choice([0, 1, 1, 2, 2, 3])),
            bp_systolic=None,
            bp_diastolic=None,
            heart_rate=None,
            spo2=None,
            subjective=rng.choice(SUBJECTIVE),
            treatment=rng.choice(TREATMENT),
            assessment="",
            plan="",
            signed_by_id=sid,
            signed_by_name=names.get(sid, ""),
            signed_at=signed_at,
            cosigned_by_id=None,
            cosigned_by_name="",
            cosigned_at=None,
            created_at=signed_at,
            updated_at=signed_at,
        )
        if rng.random() < 0.35:
            systolic = rng.randint(105, 150)
            row.update(
                bp_systolic=systolic,
                bp_diastolic=systolic - rng.randint(35, 55),
                heart_rate=rng.randint(58, 96),
                spo2=rng.randint(94, 99),
            )
        if technician:
            supervisor = cosigners[(pid + record_id) % len(cosigners)] if cosigners else None
            row["supervisor_id"] = supervisor.id if supervisor else None
            if start >= recent and rng.random() < 0.6 or supervisor is None:
                row["status"] = RecordStatus.AWAITING_COSIGN.value
            else:
                cosigned = signed_at + timedelta(hours=rng.uniform(1, 30))
                row.update(
                    cosigned_by_id=supervisor.id,
                    cosigned_by_name=supervisor.name,
                    cosigned_at=cosigned,
                    assessment=rng.choice(ASSESSMENT),
                    plan=rng.choice(PLAN),
                    updated_at=cosigned,
                )
        else:
            row.update(assessment=rng.choice(ASSESSMENT), plan=rng.choice(PLAN))
        records.append(row)
        if len(records) >= BATCH:  # bounded memory for a clinic of many years
            _flush(session, records, exercises, interventions)
        done = prescribed.get(pid)
        if done is None:
            picked = rng.sample(library, 4)
            done = [(i, n, s, r, "", prescribed_words(s, r, 0, "", "")) for i, n, s, r in picked]
            prescribed[pid] = done
        for position, (ex_id, name, sets, reps, load, words) in enumerate(done[:6]):
            exercises.append(
                dict(
                    record_id=record_id,
                    position=position,
                    exercise_id=ex_id,
                    name=name,
                    prescribed=words,
                    sets=sets,
                    reps=reps if rng.random() < 0.8 else max(1, reps - 2),
                    load=load,
                    duration_min=None,
                    notes=rng.choice(TOLERANCE) if rng.random() < 0.2 else "",
                )
            )
        minutes: dict[str, int] = {}
        if kind in ("evaluation", "re_evaluation"):
            code = rng.choice(EVALUATION_CODES) if kind == "evaluation" else "97164"
            minutes[code] = rng.choice([30, 40, 45])
            minutes["97110"] = rng.randint(8, 15)
        else:
            for code in rng.sample(TREATMENT_CODES, rng.choice([1, 2, 2, 3])):
                minutes[code] = rng.randint(7, 25)
            if rng.random() < 0.3:
                minutes["97010"] = 10
        units = billable_units(minutes)
        for position, (code, mins) in enumerate(minutes.items()):
            interventions.append(
                dict(
                    record_id=record_id,
                    position=position,
                    code=code,
                    description=CODE_NAMES[code],
                    timed=code in SHIPPED_TIMED,
                    minutes=mins,
                    units=units[code],
                )
            )
    _flush(session, records, exercises, interventions)
    return count


def _flush(session: Session, *batches: list[dict]) -> None:
    """Insert records, then their lines (parents first), and empty the lists."""
    # Core executemany: the ORM bulk path would split rows by which values are None.
    connection = session.connection()
    for rows, table in zip(
        batches, (SessionRecord, SessionExercise, SessionIntervention), strict=True
    ):
        if rows:
            connection.execute(table.__table__.insert(), rows)  # type: ignore[attr-defined]  # SQLModel tables gain __table__ when the class is made
        rows.clear()


CODE_NAMES = {
    "97110": "Therapeutic exercise",
    "97112": "Neuromuscular re-education",
    "97116": "Gait training",
    "97140": "Manual therapy",
    "97530": "Therapeutic activities",
    "97035": "Ultrasound",
    "97010": "Hot or cold packs",
    "97161": "PT evaluation, low complexity",
    "97162": "PT evaluation, moderate complexity",
    "97163": "PT evaluation, high complexity",
    "97164": "PT re-evaluation",
}
