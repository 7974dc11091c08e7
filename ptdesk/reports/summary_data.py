"""What the session summary shows, as plain data: the visit, what was done, and who signed.

Record times (signed, co-signed, addenda) are already the clinic's wall-clock time here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class SummaryExercise:
    name: str
    prescribed: str
    done: str  # in words: "2 × 8, red band", or "Not done"
    notes: str = ""


@dataclass(frozen=True)
class SummaryIntervention:
    code: str
    description: str
    minutes: int
    units: int
    timed: bool = True


@dataclass(frozen=True)
class SummaryAddendum:
    author_name: str
    author_role: str
    at: datetime
    text: str


@dataclass(frozen=True)
class SessionSummary:
    """One recorded visit, for the chart copy or the patient's take-home copy."""

    patient_name: str
    chart_number: str
    date_of_birth: date | None
    start: datetime
    end: datetime
    kind: str  # evaluation, treatment, ...
    room_name: str
    provider_name: str
    provider_credentials: str
    provider_role: str
    supervisor_name: str
    status: str  # draft, awaiting_cosign, signed
    status_label: str
    needs_cosign: bool
    precautions: list[str] = field(default_factory=list)
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
    exercises: list[SummaryExercise] = field(default_factory=list)
    interventions: list[SummaryIntervention] = field(default_factory=list)
    timed_minutes: int = 0
    total_units: int = 0
    signed_at: datetime | None = None
    cosigned_by_name: str = ""
    cosigned_at: datetime | None = None
    addenda: list[SummaryAddendum] = field(default_factory=list)
