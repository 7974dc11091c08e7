"""Writing session records: save and sign, co-sign, and addenda to a signed record."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, delete

from ptdesk.errors import NotFound, PermissionDenied, ValidationError
from ptdesk.models import (
    AppointmentStatus,
    Patient,
    RecordStatus,
    SessionAddendum,
    SessionExercise,
    SessionIntervention,
    SessionRecord,
)
from ptdesk.models.common import saved_id
from ptdesk.services import audit, clock
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import require
from ptdesk.services.sessions.checking import _text, clean_input
from ptdesk.services.sessions.reading import _appointment, _record_of, get_record
from ptdesk.services.sessions.signers import (
    _check_supervisor,
    _require_signer,
    can_sign,
    needs_cosign,
)
from ptdesk.services.sessions.values import (
    ENTITY,
    RECORDABLE,
    RecordDetail,
    RecordLocked,
    SessionInput,
)


def _snapshot(row: SessionRecord, data: SessionInput) -> dict[str, Any]:
    snap = audit.snapshot(row)
    snap["exercises"] = [f"{e.name}: {e.done}" for e in data.exercises]
    snap["interventions"] = [f"{i.code} {i.minutes} min, {i.units} u" for i in data.interventions]
    return snap


def _write_lines(session: Session, record_id: int, data: SessionInput) -> None:
    session.exec(delete(SessionExercise).where(col(SessionExercise.record_id) == record_id))
    session.exec(delete(SessionIntervention).where(col(SessionIntervention.record_id) == record_id))
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
        return cosign(session, actor, saved_id(row), data.assessment, data.plan, now=now)
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
    now_utc = clock.utc_now() if now is None else now
    creating = row is None
    if row is None:
        row = SessionRecord(
            appointment_id=appointment_id,
            patient_id=appt.patient_id,
            provider_id=actor.id,
            provider_name=actor.name,
            provider_role=actor.role,
        )
        before: dict[str, Any] = {}
    else:
        before = _snapshot(row, get_record(session, saved_id(row)).data)
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
    row.updated_at = clock.utc_now()
    session.add(row)
    session.flush()
    _write_lines(session, saved_id(row), data)
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
    return get_record(session, saved_id(row))


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
    _write_lines(session, saved_id(row), data)
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
    row.cosigned_at = clock.utc_now() if now is None else now
    if row.supervisor_id != actor.id:
        row.supervisor_id = actor.id
    row.status = RecordStatus.SIGNED.value
    row.updated_at = clock.utc_now()
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
        at=clock.utc_now() if now is None else now,
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
