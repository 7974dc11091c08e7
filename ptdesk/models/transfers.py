"""Transfer checklists: the decision table, check templates, and each checklist with its items."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field

from ptdesk.models.common import Table, utcnow

# Risk conditions asked about in the assessment.
CONDITIONS: dict[str, str] = {
    "recent_joint_replacement": "Recent joint replacement",
    "fall_history": "History of falls",
    "paralysis": "Paralysis or hemiplegia",
    "unstable_spine": "Unstable spine",
    "postural_hypotension": "Postural (orthostatic) hypotension",
    "fragile_skin": "Fragile skin",
    "lines_tubes": "Lines, tubes or drains",
    "pain": "Pain on movement",
}


class TransferType(StrEnum):
    WHEELCHAIR_TABLE = "wheelchair_table"
    SIT_STAND = "sit_stand"
    BED_CHAIR = "bed_chair"
    CAR = "car"
    FLOOR_RECOVERY = "floor_recovery"

    @property
    def label(self) -> str:
        return TRANSFER_TYPE_LABELS[self]


TRANSFER_TYPE_LABELS = {
    TransferType.WHEELCHAIR_TABLE: "Wheelchair \u2194 treatment table",
    TransferType.SIT_STAND: "Sit \u2194 stand",
    TransferType.BED_CHAIR: "Bed \u2194 chair",
    TransferType.CAR: "Car transfer training",
    TransferType.FLOOR_RECOVERY: "Floor recovery",
}


class TransferMethod(StrEnum):
    """Methods from least to most supported: the order is the support ranking."""

    INDEPENDENT = "independent"
    CONTACT_GUARD = "contact_guard"
    ONE_WITH_BELT = "one_with_belt"
    TWO_CAREGIVERS = "two_caregivers"
    SLIDE_BOARD = "slide_board"
    SIT_TO_STAND_LIFT = "sit_to_stand_lift"
    FULL_SLING_LIFT = "full_sling_lift"

    @property
    def label(self) -> str:
        return METHOD_LABELS[self]

    @property
    def rank(self) -> int:
        return list(TransferMethod).index(self)


METHOD_LABELS = {
    TransferMethod.INDEPENDENT: "Independent / stand-by",
    TransferMethod.CONTACT_GUARD: "Contact guard",
    TransferMethod.ONE_WITH_BELT: "One caregiver with gait belt",
    TransferMethod.TWO_CAREGIVERS: "Two caregivers with gait belt",
    TransferMethod.SLIDE_BOARD: "Slide board",
    TransferMethod.SIT_TO_STAND_LIFT: "Sit-to-stand lift",
    TransferMethod.FULL_SLING_LIFT: "Full-body sling lift, two caregivers",
}


class UpperLimbs(StrEnum):
    """How many arms can push up and steady the patient."""

    BOTH = "both"
    ONE = "one"
    NONE = "none"

    @property
    def label(self) -> str:
        return {"both": "Both arms strong", "one": "One arm strong", "none": "Neither arm"}[
            self.value
        ]


class ChecklistStatus(StrEnum):
    STARTED = "started"
    COMPLETED = "completed"
    ABORTED = "aborted"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Incident(StrEnum):
    NONE = "none"
    NEAR_MISS = "near_miss"
    FALL = "fall"

    @property
    def label(self) -> str:
        return {"none": "None", "near_miss": "Near miss", "fall": "Fall"}[self.value]


class TransferDecision(Table, table=True):
    """One cell of the decision table: for these answers, this method."""

    __tablename__ = "transfer_decision"
    __table_args__ = (
        UniqueConstraint(
            "transfer_type",
            "weight_bearing",
            "upper_limbs",
            "cooperation",
            name="uq_transfer_decision_inputs",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    transfer_type: str = Field(max_length=24)
    weight_bearing: str = Field(max_length=24)
    upper_limbs: str = Field(max_length=8)
    cooperation: str = Field(max_length=16)
    method: str = Field(max_length=24)
    updated_at: datetime = Field(default_factory=utcnow)


class TransferSettings(Table, table=True):
    """Clinic-wide transfer settings (one row); its presence means the defaults were seeded."""

    __tablename__ = "transfer_settings"

    id: int | None = Field(default=1, primary_key=True)
    bariatric_bmi: float = Field(default=50.0)
    updated_at: datetime = Field(default_factory=utcnow)


class TransferCheckTemplate(Table, table=True):
    """A check in the template of one transfer type; ``applies_when`` limits it to a condition."""

    __tablename__ = "transfer_check_template"
    __table_args__ = (Index("ix_transfer_check_template_type", "transfer_type", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    transfer_type: str = Field(max_length=24)
    position: int = Field(default=0)
    phase: str = Field(default="before", max_length=8)  # before / after the move
    text: str = Field(max_length=300)
    required: bool = Field(default=True)
    # "" = always; a risk condition (e.g. "lines_tubes") or a method need ("belt", "lift", ...).
    applies_when: str = Field(default="", max_length=32)
    updated_at: datetime = Field(default_factory=utcnow)


class TransferChecklist(Table, table=True):
    """One transfer: the assessment, the recommended and chosen method, the outcome."""

    __tablename__ = "transfer_checklist"
    __table_args__ = (
        Index("ix_transfer_checklist_patient_started", "patient_id", "started_at"),
        Index("ix_transfer_checklist_started", "started_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id")
    appointment_id: int | None = Field(default=None, foreign_key="appointment.id")
    transfer_type: str = Field(max_length=24)
    status: str = Field(default=ChecklistStatus.STARTED.value, max_length=12)
    # The assessment as answered at the time.
    weight_bearing: str = Field(default="", max_length=24)
    upper_limb_strength_left: bool | None = None
    upper_limb_strength_right: bool | None = None
    cooperation: str = Field(default="", max_length=16)
    height_cm: float | None = None
    weight_kg: float | None = None
    conditions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The plan: what the table recommended and what was chosen (with the reason if less).
    planned: bool = Field(default=False)
    recommended_method: str = Field(default="", max_length=24)
    recommended_staff: int = Field(default=0)
    equipment: str = Field(default="")  # one item per line
    bariatric: bool = Field(default=False)
    chosen_method: str = Field(default="", max_length=24)
    less_support_reason: str = Field(default="")
    # Outcome.
    started_at: datetime = Field(default_factory=utcnow)
    started_by_id: int | None = Field(default=None, foreign_key="staff.id")
    finished_at: datetime | None = None
    performed_by_id: int | None = Field(default=None, foreign_key="staff.id")
    assisted_by_id: int | None = Field(default=None, foreign_key="staff.id")
    abort_reason: str = Field(default="")
    incident: str = Field(default=Incident.NONE.value, max_length=12)
    incident_description: str = Field(default="")
    therapist_informed: bool | None = None
    notes: str = Field(default="")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class TransferChecklistItem(Table, table=True):
    """A check as it was worded when the checklist was planned (later template edits leave it)."""

    __tablename__ = "transfer_checklist_item"

    id: int | None = Field(default=None, primary_key=True)
    checklist_id: int = Field(foreign_key="transfer_checklist.id", index=True)
    position: int = Field(default=0)
    phase: str = Field(default="before", max_length=8)
    text: str = Field(max_length=300)
    required: bool = Field(default=True)
    done: bool = Field(default=False)
    done_at: datetime | None = None
