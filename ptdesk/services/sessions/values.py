"""Session records as plain values: the record form, a whole record, list rows, signers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ptdesk.errors import PtdeskError
from ptdesk.models import AppointmentStatus, RecordStatus, Role

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
