"""What the transfer record shows, as plain data: assessment, plan, checks, outcome.

Labels are already words here, and record times the clinic's wall-clock time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class RecordCheck:
    phase: str  # "before" or "after" the move
    text: str
    required: bool
    done: bool


@dataclass(frozen=True)
class TransferRecord:
    """One transfer checklist, for the chart."""

    transfer_label: str
    patient_name: str
    chart_number: str
    status_label: str
    started: datetime
    started_by: str
    appointment_start: datetime | None = None
    finished: datetime | None = None
    # the assessment ("" or None: not assessed)
    weight_bearing: str = ""
    left_arm_strong: bool | None = None
    right_arm_strong: bool | None = None
    cooperation: str = ""
    height_cm: float | None = None
    weight_kg: float | None = None
    bmi: float | None = None
    bariatric: bool = False
    conditions: list[str] = field(default_factory=list)
    # the plan
    planned: bool = False
    recommended_method: str = ""
    recommended_staff: int = 0
    method: str = ""
    equipment: list[str] = field(default_factory=list)
    less_support_reason: str = ""
    checks: list[RecordCheck] = field(default_factory=list)
    # the outcome
    performed_by: str = ""
    assisted_by: str = ""
    abort_reason: str = ""
    incident: str = "None"  # in words
    had_incident: bool = False  # a near miss or a fall
    incident_description: str = ""
    therapist_informed: bool | None = None
    notes: str = ""
