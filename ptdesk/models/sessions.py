"""Session records: what was done in a visit, by whom, who co-signed it, and later addenda."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from ptdesk.models.common import Table, utcnow


class RecordStatus(StrEnum):
    DRAFT = "draft"
    AWAITING_COSIGN = "awaiting_cosign"
    SIGNED = "signed"

    @property
    def label(self) -> str:
        return {
            "draft": "Draft (not signed)",
            "awaiting_cosign": "Awaiting co-sign",
            "signed": "Signed",
        }[self.value]


class BillingCode(Table, table=True):
    """A CPT code the clinic bills; timed codes are counted in 15-minute units."""

    __tablename__ = "billing_code"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=10, unique=True, index=True)
    description: str = Field(max_length=120)
    timed: bool = Field(default=True)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SessionRecord(Table, table=True):
    """One visit's record. Signed records are locked; changes come as addenda."""

    __tablename__ = "session_record"

    id: int | None = Field(default=None, primary_key=True)
    appointment_id: int = Field(foreign_key="appointment.id", unique=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    # Who gave the care and wrote the record.
    provider_id: int | None = Field(default=None, foreign_key="staff.id")
    provider_name: str = Field(default="", max_length=120)
    provider_role: str = Field(default="", max_length=20)
    # The therapist expected to co-sign a technician's record.
    supervisor_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    status: str = Field(default=RecordStatus.DRAFT.value, max_length=20, index=True)
    pain_before: int | None = None
    pain_after: int | None = None
    bp_systolic: int | None = None
    bp_diastolic: int | None = None
    heart_rate: int | None = None
    spo2: int | None = None
    # What the patient reported, and what was done.
    subjective: str = Field(default="")
    treatment: str = Field(default="")
    # Therapists only.
    assessment: str = Field(default="")
    plan: str = Field(default="")
    signed_by_id: int | None = None
    signed_by_name: str = Field(default="", max_length=120)
    signed_at: datetime | None = None
    cosigned_by_id: int | None = None
    cosigned_by_name: str = Field(default="", max_length=120)
    cosigned_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SessionExercise(Table, table=True):
    """An exercise done in the session, against the dose the program prescribed."""

    __tablename__ = "session_exercise"
    __table_args__ = (UniqueConstraint("record_id", "position", name="uq_session_exercise_pos"),)

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="session_record.id", index=True)
    position: int
    exercise_id: int | None = Field(default=None, foreign_key="exercise.id")
    name: str = Field(max_length=120)
    prescribed: str = Field(default="", max_length=200)
    sets: int | None = None
    reps: int | None = None
    load: str = Field(default="", max_length=60)
    duration_min: int | None = None
    notes: str = Field(default="")


class SessionIntervention(Table, table=True):
    """An intervention given, with its CPT code, minutes and the units billed."""

    __tablename__ = "session_intervention"
    __table_args__ = (
        UniqueConstraint("record_id", "position", name="uq_session_intervention_pos"),
        # Units per code for a month's records, read from the index alone.
        Index("ix_session_intervention_record_code_units", "record_id", "code", "units"),
    )

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="session_record.id", index=True)
    position: int
    code: str = Field(max_length=10)
    description: str = Field(default="", max_length=120)
    timed: bool = Field(default=True)
    minutes: int = Field(default=0)
    units: int = Field(default=0)


class SessionAddendum(Table, table=True):
    """A later note on a signed record: who wrote it and when (UTC)."""

    __tablename__ = "session_addendum"

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="session_record.id", index=True)
    author_id: int | None = None
    author_name: str = Field(default="", max_length=120)
    author_role: str = Field(default="", max_length=20)
    text: str
    at: datetime = Field(default_factory=utcnow)
