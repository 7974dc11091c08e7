"""The transfer assessment: answers pre-filled from the mobility profile, the recommended
method with its staff and equipment, and saving confirmed answers back to the profile."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from sqlmodel import Session

from ptdesk.errors import NotFound, ValidationError
from ptdesk.models import (
    Cooperation,
    Patient,
    TransferMethod,
    TransferType,
    UpperLimbs,
    WeightBearing,
)
from ptdesk.models.transfers import CONDITIONS
from ptdesk.services import audit, clock, validation
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import require
from ptdesk.services.transfers.decision_table import (
    METHOD_EQUIPMENT,
    METHOD_STAFF,
    bariatric_threshold,
    decision_table,
    default_method,
)

CONDITION_ADVICE: dict[str, str] = {
    "recent_joint_replacement": "Keep to the surgeon's joint precautions throughout the move.",
    "fall_history": "Keep a hand on the patient or the belt the whole time; clear the floor.",
    "paralysis": "Support the affected arm and leg; move toward the stronger side.",
    "unstable_spine": "Keep the spine in line with no twisting; the therapist decides "
    "whether to move at all.",
    "postural_hypotension": "Sit at the edge for a minute and ask about dizziness before standing.",
    "fragile_skin": "Lift, never drag; pad the board or sling edges.",
    "lines_tubes": "Secure lines and tubes with slack toward the destination.",
    "pain": "Ask about pain before and after; stop if it rises sharply.",
}
# Words in a patient's precautions that suggest a condition (used to pre-fill the assessment).
CONDITION_WORDS: dict[str, re.Pattern[str]] = {
    "recent_joint_replacement": re.compile(
        r"\b(joint replacement|arthroplasty|tha|tka|hip replacement|knee replacement)\b", re.I
    ),
    "fall_history": re.compile(r"\bfalls?\b|\bfall risk\b", re.I),
    "paralysis": re.compile(r"paraly|hemipleg|parapleg|tetrapleg|quadripleg", re.I),
    "unstable_spine": re.compile(r"spin(e|al)", re.I),
    "postural_hypotension": re.compile(r"hypotension|orthostatic|dizz", re.I),
    "fragile_skin": re.compile(r"skin|pressure (injury|ulcer|sore)", re.I),
    "lines_tubes": re.compile(r"\b(lines?|tubes?|catheter|drain|iv|oxygen|picc)\b", re.I),
    "pain": re.compile(r"\bpain", re.I),
}


@dataclass
class Assessment:
    """The answers at the start of a checklist."""

    weight_bearing: str = ""
    upper_limb_strength_left: bool | None = None
    upper_limb_strength_right: bool | None = None
    cooperation: str = ""
    height_cm: float | None = None
    weight_kg: float | None = None
    conditions: tuple[str, ...] = ()

    @property
    def upper_limbs(self) -> str:
        strong = [self.upper_limb_strength_left, self.upper_limb_strength_right].count(True)
        return [UpperLimbs.NONE, UpperLimbs.ONE, UpperLimbs.BOTH][strong].value

    @property
    def stronger_side(self) -> str:
        left, right = self.upper_limb_strength_left, self.upper_limb_strength_right
        if left and not right:
            return "left"
        if right and not left:
            return "right"
        return ""

    @property
    def bmi(self) -> float | None:
        if not self.weight_kg or not self.height_cm:
            return None
        metres = self.height_cm / 100
        return round(self.weight_kg / (metres * metres), 1)


@dataclass(frozen=True)
class Recommendation:
    method: str
    staff: int
    equipment: list[str]
    bariatric: bool
    advice: list[str]
    bmi: float | None

    @property
    def method_label(self) -> str:
        return TransferMethod(self.method).label

    @property
    def text(self) -> str:
        staff = "1 staff member" if self.staff == 1 else f"{self.staff} staff members"
        kit = ", ".join(self.equipment) if self.equipment else "no special equipment"
        return f"{self.method_label}: {staff}; {kit}."


def conditions_from_precautions(precautions: list[str]) -> tuple[str, ...]:
    text = "\n".join(precautions)
    return tuple(key for key, pattern in CONDITION_WORDS.items() if pattern.search(text))


def assessment_from_patient(patient: Patient) -> Assessment:
    """The patient's mobility profile as a starting assessment."""
    return Assessment(
        weight_bearing=patient.weight_bearing,
        upper_limb_strength_left=patient.upper_limb_strength_left,
        upper_limb_strength_right=patient.upper_limb_strength_right,
        cooperation=patient.cooperation,
        height_cm=patient.height_cm,
        weight_kg=patient.weight_kg,
        conditions=conditions_from_precautions(patient.precaution_list),
    )


def validate_assessment(a: Assessment) -> Assessment:
    if a.weight_bearing not in WeightBearing._value2member_map_:
        raise ValidationError("weight_bearing", "Choose the patient's weight-bearing status.")
    if a.upper_limb_strength_left is None:
        raise ValidationError(
            "upper_limb_strength_left", "Say whether the left arm can push up and steady them."
        )
    if a.upper_limb_strength_right is None:
        raise ValidationError(
            "upper_limb_strength_right", "Say whether the right arm can push up and steady them."
        )
    if a.cooperation not in Cooperation._value2member_map_:
        raise ValidationError(
            "cooperation", "Say whether the patient can cooperate and follow the plan."
        )
    validation.number_range(a.height_cm, "height_cm", "Height", *validation.HEIGHT_RANGE_CM, "cm")
    validation.number_range(a.weight_kg, "weight_kg", "Weight", *validation.WEIGHT_RANGE_KG, "kg")
    unknown = [c for c in a.conditions if c not in CONDITIONS]
    if unknown:
        raise ValidationError("conditions", "One of the risk conditions is not known to ptdesk.")
    ordered = tuple(c for c in CONDITIONS if c in a.conditions)
    return replace(a, conditions=ordered)


def recommend(session: Session, transfer_type: str, assessment: Assessment) -> Recommendation:
    """The method the decision table gives for these answers, with staff and equipment."""
    a = validate_assessment(assessment)
    if transfer_type not in TransferType._value2member_map_:
        raise ValidationError("transfer_type", "Choose the kind of transfer.")
    table = decision_table(session)
    key = (transfer_type, a.weight_bearing, a.upper_limbs, a.cooperation)
    method = TransferMethod(
        table.get(key) or default_method(*key)  # a cell removed by hand falls back to default
    )
    threshold = bariatric_threshold(session)
    bmi = a.bmi
    bariatric = bmi is not None and bmi > threshold
    equipment = list(METHOD_EQUIPMENT[method])
    advice = [CONDITION_ADVICE[c] for c in a.conditions]
    if bariatric:
        equipment.append(f"Bariatric-rated equipment (BMI {bmi:g} is above {threshold:g})")
    elif bmi is None:
        advice.append("Height or weight not recorded: check the equipment's weight limits.")
    if a.stronger_side:
        advice.append(f"Stronger side: {a.stronger_side}. Move toward it.")
    return Recommendation(
        method=method.value,
        staff=METHOD_STAFF[method],
        equipment=equipment,
        bariatric=bariatric,
        advice=advice,
        bmi=bmi,
    )


def is_less_supported(chosen: str, recommended: str) -> bool:
    return TransferMethod(chosen).rank < TransferMethod(recommended).rank


def save_assessment_to_profile(
    session: Session, actor: Actor, patient_id: int, assessment: Assessment
) -> Patient:
    """Write the (confirmed) assessment back to the patient's mobility profile."""
    require(actor, "update_mobility_profile")
    a = validate_assessment(assessment)
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise NotFound("That patient no longer exists.")
    names = list(PROFILE_FIELDS)
    before = audit.snapshot(patient, names)
    for n in names:
        setattr(patient, n, getattr(a, n))
    changes = audit.diff(before, audit.snapshot(patient, names))
    if changes:
        patient.updated_at = clock.utc_now()
        session.add(patient)
        audit.record(
            session,
            actor,
            "update",
            "patient",
            patient.id,
            changes,
            f"Mobility profile of {patient.full_name} updated from a transfer assessment",
        )
        session.flush()
    return patient


PROFILE_FIELDS = {
    "weight_bearing": "Weight bearing",
    "upper_limb_strength_left": "Left arm",
    "upper_limb_strength_right": "Right arm",
    "cooperation": "Cooperation",
    "height_cm": "Height (cm)",
    "weight_kg": "Weight (kg)",
}


def _profile_value(name: str, value: str | bool | float | None) -> str:
    if value is None or value == "":
        return "not recorded"
    if name == "weight_bearing" and isinstance(value, str):
        return WeightBearing(value).label
    if name == "cooperation" and isinstance(value, str):
        return Cooperation(value).assessment_label
    if isinstance(value, bool):
        return "strong" if value else "weak"
    return f"{value:g}" if isinstance(value, float) else str(value)


def profile_changes(profile: Assessment, assessment: Assessment) -> list[str]:
    """What saving ``assessment`` would change in the mobility profile, as sentences."""
    return [
        f"{label}: {_profile_value(n, getattr(profile, n))} \u2192 "
        f"{_profile_value(n, getattr(assessment, n))}"
        for n, label in PROFILE_FIELDS.items()
        if getattr(profile, n) != getattr(assessment, n)
    ]


@dataclass(frozen=True)
class PatientBrief:
    """Who the checklist is for, with their precautions and current mobility profile."""

    id: int
    name: str
    chart_number: str
    precautions: list[str]
    profile: Assessment


def patient_brief(session: Session, patient_id: int) -> PatientBrief:
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise NotFound("That patient no longer exists.")
    return PatientBrief(
        id=patient_id,
        name=patient.full_name,
        chart_number=patient.chart_number,
        precautions=patient.precaution_list,
        profile=assessment_from_patient(patient),
    )
