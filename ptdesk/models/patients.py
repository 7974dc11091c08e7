"""Patients: identity, contact, precautions, mobility profile, and insurance authorizations."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field

from ptdesk.models.common import Table, utcnow


class WeightBearing(StrEnum):
    FULL = "full"
    PARTIAL = "partial"
    TOE_TOUCH = "toe_touch"
    NON_WEIGHT_BEARING = "non_weight_bearing"

    @property
    def label(self) -> str:
        return _WEIGHT_BEARING_LABELS[self]


_WEIGHT_BEARING_LABELS = {
    WeightBearing.FULL: "Full weight bearing",
    WeightBearing.PARTIAL: "Partial weight bearing",
    WeightBearing.TOE_TOUCH: "Toe-touch weight bearing",
    WeightBearing.NON_WEIGHT_BEARING: "Non-weight-bearing",
}


class Cooperation(StrEnum):
    COOPERATIVE = "cooperative"
    UNPREDICTABLE = "unpredictable"

    @property
    def label(self) -> str:
        """The short word, as the patient's profile shows it."""
        return _COOPERATION_LABELS[self][0]

    @property
    def assessment_label(self) -> str:
        """The answer as a transfer assessment words it."""
        return _COOPERATION_LABELS[self][1]


_COOPERATION_LABELS = {
    Cooperation.COOPERATIVE: ("Cooperative", "Cooperative, follows the plan"),
    Cooperation.UNPREDICTABLE: ("Unpredictable", "Unpredictable or cannot follow"),
}


class AssistanceLevel(StrEnum):
    INDEPENDENT = "independent"
    STAND_BY = "stand_by"
    CONTACT_GUARD = "contact_guard"
    MIN = "min"
    MOD = "mod"
    MAX = "max"
    DEPENDENT = "dependent"

    @property
    def label(self) -> str:
        return _ASSISTANCE_LABELS[self]


_ASSISTANCE_LABELS = {
    AssistanceLevel.INDEPENDENT: "Independent",
    AssistanceLevel.STAND_BY: "Stand-by assist",
    AssistanceLevel.CONTACT_GUARD: "Contact guard",
    AssistanceLevel.MIN: "Minimal assist",
    AssistanceLevel.MOD: "Moderate assist",
    AssistanceLevel.MAX: "Maximal assist",
    AssistanceLevel.DEPENDENT: "Dependent",
}


class Patient(Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    chart_number: str = Field(max_length=20, unique=True, index=True)
    first_name: str = Field(max_length=80)
    last_name: str = Field(max_length=80, index=True)
    date_of_birth: date | None = None
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=120)
    address: str = Field(default="")
    emergency_contact_name: str = Field(default="", max_length=120)
    emergency_contact_phone: str = Field(default="", max_length=40)
    notes: str = Field(default="")
    # One precaution per line, e.g. "Fall risk"; shown wherever the patient appears.
    precautions: str = Field(default="")
    # Mobility profile (used by transfer checklists). Empty string / None means not assessed.
    weight_kg: float | None = None
    height_cm: float | None = None
    weight_bearing: str = Field(default="", max_length=24)
    upper_limb_strength_left: bool | None = None
    upper_limb_strength_right: bool | None = None
    cooperation: str = Field(default="", max_length=16)
    assistance_level: str = Field(default="", max_length=16)
    assistive_device: str = Field(default="", max_length=80)
    active: bool = Field(default=True)
    discharged_on: date | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def sort_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"

    @property
    def precaution_list(self) -> list[str]:
        return [line.strip() for line in self.precautions.splitlines() if line.strip()]

    @property
    def bmi(self) -> float | None:
        if not self.weight_kg or not self.height_cm:
            return None
        metres = self.height_cm / 100
        return round(self.weight_kg / (metres * metres), 1)


class Authorization(Table, table=True):
    """An insurance authorization: how many visits a payer allows in a date range."""

    __tablename__ = "insurance_authorization"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    payer: str = Field(max_length=120)
    member_number: str = Field(default="", max_length=60)
    visits_authorized: int
    start_date: date
    # Indexed for the authorizations ending soon (the monthly report's expiry list).
    end_date: date = Field(index=True)
    notes: str = Field(default="")
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
