"""Transfer checklists: assessment, recommended method from the decision table, checks, outcome.

The decision table ships with defaults in the spirit of published safe-patient-handling
algorithms, stated here in our own words:

* A patient who bears full weight, is cooperative and has both arms to push with needs
  no more than someone standing by; with one useful arm, a hand on them (contact guard);
  with neither, one caregiver guiding with a gait belt.
* Partial weight bearing means a gait belt and one caregiver when both arms help, two
  caregivers with one arm, and a sit-to-stand lift when neither arm helps.
* A patient who may only touch the floor with the toes, or may not bear weight at all,
  moves seated on a slide board when both arms help (two caregivers when only one arm helps
  and the leg may touch); otherwise the full-body sling lift.
* A patient who is unpredictable (cannot follow the plan) always gets more: two caregivers
  when they bear full weight, a sit-to-stand lift for partial weight bearing with an arm to
  hold, and the full-body lift otherwise.
* Standing up (sit to stand) has no slide board: two caregivers take its place.
* Getting up from the floor is done by the patient alone only when they bear full weight,
  cooperate and have both arms; two caregivers guide a patient with one arm or partial
  weight bearing; everyone else comes up in a floor-based full-body lift.

Every cell is stored in the database; the owner reviews and changes them in Settings.
A BMI above the clinic's threshold (50 by default) adds bariatric-rated equipment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, delete, func, or_, select

from ptdesk.errors import NotFound, PtdeskError, ValidationError
from ptdesk.models import (
    Appointment,
    ChecklistStatus,
    Cooperation,
    Incident,
    Patient,
    Role,
    Staff,
    TransferChecklist,
    TransferChecklistItem,
    TransferCheckTemplate,
    TransferDecision,
    TransferMethod,
    TransferSettings,
    TransferType,
    UpperLimbs,
    WeightBearing,
)
from ptdesk.models.common import utcnow
from ptdesk.models.transfers import CONDITIONS, COOPERATION_LABELS, WEIGHT_BEARING_LABELS
from ptdesk.services import audit, validation
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import require

DEFAULT_BARIATRIC_BMI = 50.0

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

# What each method takes: staff, equipment, and the needs that switch template checks on.
METHOD_STAFF = {
    TransferMethod.INDEPENDENT: 1,
    TransferMethod.CONTACT_GUARD: 1,
    TransferMethod.ONE_WITH_BELT: 1,
    TransferMethod.TWO_CAREGIVERS: 2,
    TransferMethod.SLIDE_BOARD: 2,
    TransferMethod.SIT_TO_STAND_LIFT: 2,
    TransferMethod.FULL_SLING_LIFT: 2,
}
METHOD_EQUIPMENT = {
    TransferMethod.INDEPENDENT: [],
    TransferMethod.CONTACT_GUARD: ["Gait belt"],
    TransferMethod.ONE_WITH_BELT: ["Gait belt"],
    TransferMethod.TWO_CAREGIVERS: ["Gait belt"],
    TransferMethod.SLIDE_BOARD: ["Slide board", "Gait belt"],
    TransferMethod.SIT_TO_STAND_LIFT: ["Sit-to-stand lift", "Standing sling in the right size"],
    TransferMethod.FULL_SLING_LIFT: ["Full-body lift", "Full-body sling in the right size"],
}
METHOD_NEEDS = {
    TransferMethod.INDEPENDENT: set(),
    TransferMethod.CONTACT_GUARD: {"belt"},
    TransferMethod.ONE_WITH_BELT: {"belt"},
    TransferMethod.TWO_CAREGIVERS: {"belt", "two_staff"},
    TransferMethod.SLIDE_BOARD: {"belt", "slide_board", "two_staff"},
    TransferMethod.SIT_TO_STAND_LIFT: {"lift", "two_staff"},
    TransferMethod.FULL_SLING_LIFT: {"lift", "two_staff"},
}
# What a template check may depend on ("" = always).
APPLIES_WHEN: dict[str, str] = {
    "": "Always",
    "belt": "The method uses a gait belt",
    "slide_board": "The method uses a slide board",
    "lift": "The method uses a lift",
    "two_staff": "The method needs two staff",
    "bariatric": "Bariatric equipment is needed",
    **{key: f"Condition: {label}" for key, label in CONDITIONS.items()},
}
PHASES = {"before": "Before the move", "after": "After the move"}


# --------------------------------------------------------------------------------------
# The default decision table


def default_method(transfer_type: str, weight_bearing: str, arms: str, cooperation: str) -> str:
    """The shipped recommendation for one combination of answers (see the module docstring)."""
    t = TransferType(transfer_type)
    wb = WeightBearing(weight_bearing)
    a = UpperLimbs(arms)
    cooperative = Cooperation(cooperation) == Cooperation.COOPERATIVE
    M = TransferMethod
    if t == TransferType.FLOOR_RECOVERY:
        if cooperative and wb == WeightBearing.FULL and a == UpperLimbs.BOTH:
            return M.INDEPENDENT.value
        if cooperative and (
            (wb == WeightBearing.FULL and a == UpperLimbs.ONE)
            or (wb == WeightBearing.PARTIAL and a == UpperLimbs.BOTH)
        ):
            return M.TWO_CAREGIVERS.value
        return M.FULL_SLING_LIFT.value
    if wb == WeightBearing.FULL:
        if not cooperative:
            method = M.TWO_CAREGIVERS
        else:
            method = {
                UpperLimbs.BOTH: M.INDEPENDENT,
                UpperLimbs.ONE: M.CONTACT_GUARD,
                UpperLimbs.NONE: M.ONE_WITH_BELT,
            }[a]
    elif wb == WeightBearing.PARTIAL:
        if cooperative:
            method = {
                UpperLimbs.BOTH: M.ONE_WITH_BELT,
                UpperLimbs.ONE: M.TWO_CAREGIVERS,
                UpperLimbs.NONE: M.SIT_TO_STAND_LIFT,
            }[a]
        else:
            method = M.FULL_SLING_LIFT if a == UpperLimbs.NONE else M.SIT_TO_STAND_LIFT
    else:
        method = M.FULL_SLING_LIFT
        if cooperative and a == UpperLimbs.BOTH:
            method = M.SLIDE_BOARD
        elif cooperative and a == UpperLimbs.ONE and wb == WeightBearing.TOE_TOUCH:
            method = M.TWO_CAREGIVERS
    if t == TransferType.SIT_STAND and method == M.SLIDE_BOARD:
        method = M.TWO_CAREGIVERS
    return method.value


def all_inputs() -> list[tuple[str, str, str, str]]:
    """Every combination of (transfer type, weight bearing, arms, cooperation)."""
    return [
        (t.value, wb.value, a.value, c.value)
        for t in TransferType
        for wb in WeightBearing
        for a in UpperLimbs
        for c in Cooperation
    ]


# --------------------------------------------------------------------------------------
# Default check templates

_COMMON_BEFORE = [
    ("Destination and equipment ready, the path clear", True, ""),
    ("Non-skid footwear on", True, ""),
    ("Gait belt on and snug (used to guide, never to lift)", True, "belt"),
    (
        "Lift checked: battery charged, sling the right size, weight limit above the "
        "patient's weight",
        True,
        "lift",
    ),
    ("Bariatric-rated equipment in place", True, "bariatric"),
    ("Second caregiver here and knows the plan", True, "two_staff"),
    ("Patient told the plan and the count (move on three)", True, ""),
    ("Asked about dizziness", True, ""),
    ("Sat at the edge for a minute, asked about dizziness again", True, "postural_hypotension"),
    ("Lines and tubes secured, slack toward the destination", True, "lines_tubes"),
    ("Joint-replacement precautions reviewed with the patient", True, "recent_joint_replacement"),
    ("Asked about pain", False, "pain"),
    ("Moving toward the patient's stronger side", False, ""),
]
_TYPE_BEFORE = {
    TransferType.WHEELCHAIR_TABLE: [
        ("Wheelchair brakes locked", True, ""),
        ("Treatment table locked", True, ""),
        ("Footrests swung away, armrest on the table side removed", True, ""),
        ("Table at the height of the wheelchair seat", True, ""),
        ("Slide board bridged across both seats, under the thigh", True, "slide_board"),
    ],
    TransferType.SIT_STAND: [
        ("Chair or table stable, brakes locked", True, ""),
        ("Patient scooted forward, feet flat and behind the knees", True, ""),
        ("Walker or other device in front, within reach", False, ""),
    ],
    TransferType.BED_CHAIR: [
        ("Bed locked and at the height of the chair seat", True, ""),
        ("Chair brakes locked, armrest on the bed side removed", True, ""),
        ("Chair placed at an angle to the bed", False, ""),
        ("Slide board bridged across bed and chair, under the thigh", True, "slide_board"),
    ],
    TransferType.CAR: [
        ("Car parked clear of the curb, on level ground", True, ""),
        ("Car seat pushed back and reclined, door fully open", True, ""),
        ("Wheelchair brakes locked, footrests away", True, ""),
        ("Slide board bridged from the wheelchair to the car seat", True, "slide_board"),
        ("Head guarded at the door frame", True, ""),
    ],
    TransferType.FLOOR_RECOVERY: [
        (
            "Patient checked for injury before moving (if in doubt, do not move; call the "
            "therapist)",
            True,
            "",
        ),
        ("Supervising therapist called", True, ""),
        ("Sturdy chair or low surface placed close by", False, ""),
        ("Floor-based lift ready, sling laid under the patient", True, "lift"),
    ],
}
_COMMON_AFTER = [
    ("Patient positioned safely and stable", True, ""),
    ("Gait belt off", True, "belt"),
    ("Brakes still locked, staff or call bell within reach", False, ""),
]
_TYPE_AFTER = {
    TransferType.FLOOR_RECOVERY: [("Vital signs taken, asked about dizziness and pain", True, "")],
}


def default_template(transfer_type: str) -> list[tuple[str, str, bool, str]]:
    """(phase, text, required, applies_when) for one transfer type, in order."""
    t = TransferType(transfer_type)
    before = _TYPE_BEFORE[t] + _COMMON_BEFORE
    after = _COMMON_AFTER + _TYPE_AFTER.get(t, [])
    return [("before", *row) for row in before] + [("after", *row) for row in after]


# --------------------------------------------------------------------------------------
# Plain values


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


@dataclass(frozen=True)
class ItemData:
    id: int
    position: int
    phase: str
    text: str
    required: bool
    done: bool


@dataclass
class ChecklistData:
    """A checklist as screens and printouts show it."""

    id: int
    patient_id: int
    patient_name: str
    chart_number: str
    appointment_id: int | None
    appointment_start: datetime | None
    transfer_type: str
    status: str
    assessment: Assessment
    planned: bool
    recommended_method: str
    recommended_staff: int
    equipment: list[str]
    bariatric: bool
    chosen_method: str
    less_support_reason: str
    started_at: datetime
    started_by: str
    finished_at: datetime | None
    performed_by_id: int | None
    performed_by: str
    assisted_by_id: int | None
    assisted_by: str
    abort_reason: str
    incident: str
    incident_description: str
    therapist_informed: bool | None
    notes: str
    items: list[ItemData] = field(default_factory=list)

    @property
    def transfer_label(self) -> str:
        return TransferType(self.transfer_type).label

    @property
    def status_label(self) -> str:
        return ChecklistStatus(self.status).label

    @property
    def incident_label(self) -> str:
        return Incident(self.incident).label

    @property
    def method_label(self) -> str:
        return TransferMethod(self.chosen_method).label if self.chosen_method else ""

    @property
    def open_required(self) -> list[ItemData]:
        return [i for i in self.items if i.required and not i.done]

    @property
    def can_complete(self) -> bool:
        return (
            self.status == ChecklistStatus.STARTED.value and self.planned and not self.open_required
        )


@dataclass(frozen=True)
class TemplateItemData:
    id: int
    transfer_type: str
    position: int
    phase: str
    text: str
    required: bool
    applies_when: str


@dataclass(frozen=True)
class MonthlyIncidents:
    month: date  # first day of the month
    near_misses: int
    falls: int

    @property
    def total(self) -> int:
        return self.near_misses + self.falls


@dataclass(frozen=True)
class Choice:
    """A patient or staff member offered in a picker."""

    id: int
    label: str
    role: str = ""


# --------------------------------------------------------------------------------------
# Settings: decision table, threshold, templates


def ensure_defaults(session: Session, *, now: datetime | None = None) -> TransferSettings:
    """Seed the decision table and check templates the first time they are needed."""
    settings = session.get(TransferSettings, 1)
    if settings is not None:
        return settings
    when = now or utcnow()
    settings = TransferSettings(id=1, bariatric_bmi=DEFAULT_BARIATRIC_BMI, updated_at=when)
    session.add(settings)
    _seed_decisions(session, when)
    for t in TransferType:
        _seed_template(session, t.value, when)
    session.flush()
    return settings


def _seed_decisions(session: Session, when: datetime) -> None:
    for t, wb, arms, coop in all_inputs():
        session.add(
            TransferDecision(
                transfer_type=t,
                weight_bearing=wb,
                upper_limbs=arms,
                cooperation=coop,
                method=default_method(t, wb, arms, coop),
                updated_at=when,
            )
        )


def _seed_template(session: Session, transfer_type: str, when: datetime | None = None) -> None:
    when = when or utcnow()
    for pos, (phase, text, required, applies) in enumerate(default_template(transfer_type)):
        session.add(
            TransferCheckTemplate(
                transfer_type=transfer_type,
                position=pos,
                phase=phase,
                text=text,
                required=required,
                applies_when=applies,
                updated_at=when,
            )
        )


def decision_table(session: Session) -> dict[tuple[str, str, str, str], str]:
    """{(transfer type, weight bearing, arms, cooperation): method} for every combination."""
    ensure_defaults(session)
    rows = session.exec(select(TransferDecision))
    table = {
        (r.transfer_type, r.weight_bearing, r.upper_limbs, r.cooperation): r.method for r in rows
    }
    return table


def set_decision(
    session: Session,
    actor: Actor,
    transfer_type: str,
    weight_bearing: str,
    upper_limbs: str,
    cooperation: str,
    method: str,
) -> None:
    require(actor, "edit_transfer_rules")
    ensure_defaults(session)
    if method not in TransferMethod._value2member_map_:
        raise ValidationError("method", "Choose one of the transfer methods.")
    key = (transfer_type, weight_bearing, upper_limbs, cooperation)
    row = session.exec(
        select(TransferDecision).where(
            TransferDecision.transfer_type == transfer_type,
            TransferDecision.weight_bearing == weight_bearing,
            TransferDecision.upper_limbs == upper_limbs,
            TransferDecision.cooperation == cooperation,
        )
    ).first()
    if row is None:
        raise NotFound("That combination is not in the decision table.")
    if row.method == method:
        return
    before = row.method
    row.method = method
    row.updated_at = utcnow()
    session.add(row)
    audit.record(
        session,
        actor,
        "update",
        "transfer_decision",
        row.id,
        {"method": [before, method], "inputs": [None, "/".join(key)]},
        f"Decision table: {TransferType(transfer_type).label}, "
        f"{WEIGHT_BEARING_LABELS[WeightBearing(weight_bearing)].lower()}, "
        f"{UpperLimbs(upper_limbs).label.lower()}, {cooperation} now "
        f"{TransferMethod(method).label}",
    )
    session.flush()


def reset_decision_table(session: Session, actor: Actor) -> int:
    """Put every cell back to the shipped default; returns how many cells changed."""
    require(actor, "edit_transfer_rules")
    ensure_defaults(session)
    changed = 0
    for row in session.exec(select(TransferDecision)):
        default = default_method(
            row.transfer_type, row.weight_bearing, row.upper_limbs, row.cooperation
        )
        if row.method != default:
            row.method = default
            row.updated_at = utcnow()
            session.add(row)
            changed += 1
    audit.record(
        session,
        actor,
        "reset",
        "transfer_decision",
        None,
        summary=f"Decision table reset to the defaults ({changed} cells changed)",
    )
    session.flush()
    return changed


def bariatric_threshold(session: Session) -> float:
    return ensure_defaults(session).bariatric_bmi


def set_bariatric_threshold(session: Session, actor: Actor, bmi: float) -> float:
    require(actor, "edit_transfer_rules")
    settings = ensure_defaults(session)
    if not 30 <= bmi <= 80:
        raise ValidationError("bariatric_bmi", "The bariatric BMI must be between 30 and 80.")
    if settings.bariatric_bmi != bmi:
        audit.record(
            session,
            actor,
            "update",
            "transfer_settings",
            1,
            {"bariatric_bmi": [settings.bariatric_bmi, bmi]},
            f"Bariatric equipment from BMI {bmi:g}",
        )
        settings.bariatric_bmi = bmi
        settings.updated_at = utcnow()
        session.add(settings)
        session.flush()
    return bmi


def _template_data(row: TransferCheckTemplate) -> TemplateItemData:
    return TemplateItemData(
        id=row.id or 0,
        transfer_type=row.transfer_type,
        position=row.position,
        phase=row.phase,
        text=row.text,
        required=row.required,
        applies_when=row.applies_when,
    )


def _template_rows(session: Session, transfer_type: str) -> list[TransferCheckTemplate]:
    return list(
        session.exec(
            select(TransferCheckTemplate)
            .where(TransferCheckTemplate.transfer_type == transfer_type)
            .order_by(col(TransferCheckTemplate.position), col(TransferCheckTemplate.id))
        )
    )


def list_template(session: Session, transfer_type: str) -> list[TemplateItemData]:
    ensure_defaults(session)
    return [_template_data(r) for r in _template_rows(session, transfer_type)]


def _validate_template(
    transfer_type: str, text: str, phase: str, applies_when: str
) -> tuple[str, str, str]:
    if transfer_type not in TransferType._value2member_map_:
        raise ValidationError("transfer_type", "Choose the kind of transfer.")
    text = validation.text(text, "text", "The check's wording", required=True, max_len=300)
    if phase not in PHASES:
        raise ValidationError("phase", "Choose whether the check comes before or after the move.")
    if applies_when not in APPLIES_WHEN:
        raise ValidationError("applies_when", "Choose when the check applies.")
    return transfer_type, text, phase


def add_template_item(
    session: Session,
    actor: Actor,
    transfer_type: str,
    text: str,
    *,
    required: bool = True,
    phase: str = "before",
    applies_when: str = "",
) -> TemplateItemData:
    require(actor, "edit_transfer_rules")
    ensure_defaults(session)
    transfer_type, text, phase = _validate_template(transfer_type, text, phase, applies_when)
    rows = _template_rows(session, transfer_type)
    # New "before" checks go after the last "before" check; "after" checks at the end.
    if phase == "before":
        position = max((r.position for r in rows if r.phase == "before"), default=-1) + 1
        for r in rows:
            if r.position >= position:
                r.position += 1
                session.add(r)
    else:
        position = max((r.position for r in rows), default=-1) + 1
    row = TransferCheckTemplate(
        transfer_type=transfer_type,
        position=position,
        phase=phase,
        text=text,
        required=required,
        applies_when=applies_when,
    )
    session.add(row)
    session.flush()
    audit.record_new(
        session,
        actor,
        "create",
        "transfer_check_template",
        row,
        f"Check added to {TransferType(transfer_type).label}: {text}",
    )
    return _template_data(row)


def _template_row(session: Session, item_id: int) -> TransferCheckTemplate:
    row = session.get(TransferCheckTemplate, item_id)
    if row is None:
        raise NotFound("That check is no longer in the template.")
    return row


def update_template_item(
    session: Session,
    actor: Actor,
    item_id: int,
    text: str,
    *,
    required: bool,
    phase: str,
    applies_when: str,
) -> TemplateItemData:
    require(actor, "edit_transfer_rules")
    row = _template_row(session, item_id)
    _, text, phase = _validate_template(row.transfer_type, text, phase, applies_when)
    before = audit.snapshot(row)
    row.text, row.required, row.phase, row.applies_when = text, required, phase, applies_when
    row.updated_at = utcnow()
    session.add(row)
    changes = audit.diff(before, audit.snapshot(row))
    if changes:
        audit.record(
            session,
            actor,
            "update",
            "transfer_check_template",
            row.id,
            changes,
            f"Check changed in {TransferType(row.transfer_type).label}: {text}",
        )
    session.flush()
    return _template_data(row)


def delete_template_item(session: Session, actor: Actor, item_id: int) -> None:
    require(actor, "edit_transfer_rules")
    row = _template_row(session, item_id)
    audit.record(
        session,
        actor,
        "delete",
        "transfer_check_template",
        row.id,
        audit.diff(audit.snapshot(row), {}),
        f"Check removed from {TransferType(row.transfer_type).label}: {row.text}",
    )
    session.delete(row)
    session.flush()


def move_template_item(session: Session, actor: Actor, item_id: int, delta: int) -> None:
    """Move a check up (delta -1) or down (+1) within its template."""
    require(actor, "edit_transfer_rules")
    row = _template_row(session, item_id)
    rows = _template_rows(session, row.transfer_type)
    i = next(k for k, r in enumerate(rows) if r.id == row.id)
    j = i + delta
    if not 0 <= j < len(rows):
        return
    rows[i], rows[j] = rows[j], rows[i]
    for pos, r in enumerate(rows):
        if r.position != pos:
            r.position = pos
            session.add(r)
    audit.record(
        session,
        actor,
        "move",
        "transfer_check_template",
        row.id,
        {"position": [i, j]},
        f"Check moved {'up' if delta < 0 else 'down'} in {TransferType(row.transfer_type).label}",
    )
    session.flush()


def reset_template(session: Session, actor: Actor, transfer_type: str) -> None:
    """Replace one transfer type's checks with the shipped ones (recorded checklists keep theirs)."""
    require(actor, "edit_transfer_rules")
    ensure_defaults(session)
    session.exec(
        delete(TransferCheckTemplate).where(
            col(TransferCheckTemplate.transfer_type) == transfer_type
        )
    )
    _seed_template(session, transfer_type)
    audit.record(
        session,
        actor,
        "reset",
        "transfer_check_template",
        transfer_type,
        summary=f"Checks for {TransferType(transfer_type).label} reset to the defaults",
    )
    session.flush()


# --------------------------------------------------------------------------------------
# Assessment and recommendation


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


# --------------------------------------------------------------------------------------
# Checklists


def _staff_names(session: Session, ids: set[int]) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    rows = session.exec(select(Staff).where(col(Staff.id).in_(ids)))
    return {s.id: s.name for s in rows if s.id is not None}


def _data(
    session: Session,
    row: TransferChecklist,
    patient: Patient | None = None,
    *,
    with_items: bool = True,
    names: dict[int, str] | None = None,
    appointment_start: datetime | None = None,
) -> ChecklistData:
    patient = patient or session.get(Patient, row.patient_id)
    assert patient is not None
    if names is None:
        names = _staff_names(
            session,
            {row.started_by_id, row.performed_by_id, row.assisted_by_id},  # type: ignore[arg-type]
        )
    if appointment_start is None and row.appointment_id is not None:
        appt = session.get(Appointment, row.appointment_id)
        appointment_start = appt.start if appt else None
    items: list[ItemData] = []
    if with_items:
        items = [
            ItemData(i.id or 0, i.position, i.phase, i.text, i.required, i.done)
            for i in session.exec(
                select(TransferChecklistItem)
                .where(TransferChecklistItem.checklist_id == row.id)
                .order_by(col(TransferChecklistItem.position))
            )
        ]
    return ChecklistData(
        id=row.id or 0,
        patient_id=row.patient_id,
        patient_name=patient.full_name,
        chart_number=patient.chart_number,
        appointment_id=row.appointment_id,
        appointment_start=appointment_start,
        transfer_type=row.transfer_type,
        status=row.status,
        assessment=Assessment(
            weight_bearing=row.weight_bearing,
            upper_limb_strength_left=row.upper_limb_strength_left,
            upper_limb_strength_right=row.upper_limb_strength_right,
            cooperation=row.cooperation,
            height_cm=row.height_cm,
            weight_kg=row.weight_kg,
            conditions=tuple(row.conditions or ()),
        ),
        planned=row.planned,
        recommended_method=row.recommended_method,
        recommended_staff=row.recommended_staff,
        equipment=[line for line in row.equipment.splitlines() if line.strip()],
        bariatric=row.bariatric,
        chosen_method=row.chosen_method,
        less_support_reason=row.less_support_reason,
        started_at=row.started_at,
        started_by=names.get(row.started_by_id or -1, ""),
        finished_at=row.finished_at,
        performed_by_id=row.performed_by_id,
        performed_by=names.get(row.performed_by_id or -1, ""),
        assisted_by_id=row.assisted_by_id,
        assisted_by=names.get(row.assisted_by_id or -1, ""),
        abort_reason=row.abort_reason,
        incident=row.incident,
        incident_description=row.incident_description,
        therapist_informed=row.therapist_informed,
        notes=row.notes,
        items=items,
    )


def _row(session: Session, checklist_id: int) -> TransferChecklist:
    row = session.get(TransferChecklist, checklist_id)
    if row is None:
        raise NotFound("That transfer checklist no longer exists.")
    return row


def _open_row(session: Session, checklist_id: int) -> TransferChecklist:
    row = _row(session, checklist_id)
    if row.status != ChecklistStatus.STARTED.value:
        raise PtdeskError(
            f"This checklist is already {ChecklistStatus(row.status).label.lower()}; "
            "start a new one for another transfer."
        )
    return row


def patient_of_appointment(session: Session, appointment_id: int) -> int:
    """The patient an appointment is for (the schedule opens checklists by appointment)."""
    appt = session.get(Appointment, appointment_id)
    if appt is None:
        raise NotFound("That appointment no longer exists.")
    return appt.patient_id


def get_checklist(session: Session, checklist_id: int) -> ChecklistData:
    return _data(session, _row(session, checklist_id))


def start_checklist(
    session: Session,
    actor: Actor,
    patient_id: int,
    *,
    appointment_id: int | None = None,
    transfer_type: str = TransferType.WHEELCHAIR_TABLE.value,
    now: datetime | None = None,
) -> ChecklistData:
    """Open a checklist for the patient, its assessment pre-filled from the mobility profile."""
    require(actor, "run_transfer_checklist")
    ensure_defaults(session)
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise NotFound("That patient no longer exists.")
    if transfer_type not in TransferType._value2member_map_:
        raise ValidationError("transfer_type", "Choose the kind of transfer.")
    if appointment_id is not None:
        appt = session.get(Appointment, appointment_id)
        if appt is None:
            raise NotFound("That appointment no longer exists.")
        if appt.patient_id != patient_id:
            raise ValidationError("appointment_id", "That appointment is for another patient.")
    a = assessment_from_patient(patient)
    when = now or utcnow()
    row = TransferChecklist(
        patient_id=patient_id,
        appointment_id=appointment_id,
        transfer_type=transfer_type,
        weight_bearing=a.weight_bearing,
        upper_limb_strength_left=a.upper_limb_strength_left,
        upper_limb_strength_right=a.upper_limb_strength_right,
        cooperation=a.cooperation,
        height_cm=a.height_cm,
        weight_kg=a.weight_kg,
        conditions=list(a.conditions),
        started_at=when,
        started_by_id=actor.id,
        created_at=when,
        updated_at=when,
    )
    session.add(row)
    session.flush()
    audit.record_new(
        session,
        actor,
        "start",
        "transfer_checklist",
        row,
        f"Transfer checklist started for {patient.full_name}: {TransferType(transfer_type).label}",
    )
    return _data(session, row, patient)


def plan_checklist(
    session: Session,
    actor: Actor,
    checklist_id: int,
    assessment: Assessment,
    chosen_method: str,
    *,
    less_support_reason: str = "",
    transfer_type: str | None = None,
) -> ChecklistData:
    """Record the assessment and the method; copy the applicable checks into the checklist.

    Choosing a less supported method than recommended needs a reason. Planning again keeps
    the ticks of checks whose wording is unchanged.
    """
    require(actor, "run_transfer_checklist")
    row = _open_row(session, checklist_id)
    if transfer_type is not None and transfer_type not in TransferType._value2member_map_:
        raise ValidationError("transfer_type", "Choose the kind of transfer.")
    kind = transfer_type or row.transfer_type
    a = validate_assessment(assessment)
    rec = recommend(session, kind, a)
    if chosen_method not in TransferMethod._value2member_map_:
        raise ValidationError("chosen_method", "Choose the method you will use.")
    reason = validation.text(less_support_reason, "less_support_reason", "The reason", max_len=500)
    if is_less_supported(chosen_method, rec.method):
        if not reason:
            raise ValidationError(
                "less_support_reason",
                f"{TransferMethod(chosen_method).label} gives less support than the recommended "
                f"{rec.method_label}. Say why.",
            )
    else:
        reason = ""
    before = audit.snapshot(row)
    row.transfer_type = kind  # only now that every answer is valid: nothing half-changed
    row.weight_bearing = a.weight_bearing
    row.upper_limb_strength_left = a.upper_limb_strength_left
    row.upper_limb_strength_right = a.upper_limb_strength_right
    row.cooperation = a.cooperation
    row.height_cm = a.height_cm
    row.weight_kg = a.weight_kg
    row.conditions = list(a.conditions)
    row.recommended_method = rec.method
    row.recommended_staff = rec.staff
    row.bariatric = rec.bariatric
    chosen = TransferMethod(chosen_method)
    equipment = list(METHOD_EQUIPMENT[chosen])
    if rec.bariatric:
        equipment += [e for e in rec.equipment if e.startswith("Bariatric")]
    row.equipment = "\n".join(equipment)
    row.chosen_method = chosen_method
    row.less_support_reason = reason
    row.planned = True
    row.updated_at = utcnow()
    session.add(row)
    _snapshot_items(session, row, a, chosen)
    session.flush()
    audit.record(
        session,
        actor,
        "plan",
        "transfer_checklist",
        row.id,
        audit.diff(before, audit.snapshot(row)),
        f"Transfer planned: {chosen.label} (recommended {rec.method_label})"
        + (f"; reason for less support: {reason}" if reason else ""),
    )
    return _data(session, row)


def _snapshot_items(
    session: Session, row: TransferChecklist, a: Assessment, method: TransferMethod
) -> None:
    needs = set(a.conditions) | METHOD_NEEDS[method] | {""}
    if row.bariatric:
        needs.add("bariatric")
    old = list(
        session.exec(
            select(TransferChecklistItem).where(TransferChecklistItem.checklist_id == row.id)
        )
    )
    ticked = {i.text: i.done_at for i in old if i.done}
    for item in old:
        session.delete(item)
    session.flush()
    template = [t for t in _template_rows(session, row.transfer_type) if t.applies_when in needs]
    template.sort(key=lambda t: (t.phase != "before", t.position))
    for pos, t in enumerate(template):
        session.add(
            TransferChecklistItem(
                checklist_id=row.id or 0,
                position=pos,
                phase=t.phase,
                text=t.text,
                required=t.required,
                done=t.text in ticked,
                done_at=ticked.get(t.text),
            )
        )


def set_check(
    session: Session, actor: Actor, checklist_id: int, item_id: int, done: bool
) -> ChecklistData:
    require(actor, "run_transfer_checklist")
    row = _open_row(session, checklist_id)
    item = session.get(TransferChecklistItem, item_id)
    if item is None or item.checklist_id != row.id:
        raise NotFound("That check is not on this checklist.")
    if item.done != done:
        item.done = done
        item.done_at = utcnow() if done else None
        session.add(item)
        row.updated_at = utcnow()
        session.add(row)
        audit.record(
            session,
            actor,
            "check" if done else "uncheck",
            "transfer_checklist",
            row.id,
            {"item": [None, item.text], "done": [not done, done]},
            f"{'Ticked' if done else 'Unticked'}: {item.text}",
        )
        session.flush()
    return _data(session, row)


def _validate_outcome(
    session: Session,
    row: TransferChecklist,
    performed_by_id: int | None,
    assisted_by_id: int | None,
    incident: str,
    incident_description: str,
    therapist_informed: bool | None,
    *,
    completing: bool,
) -> str:
    if incident not in Incident._value2member_map_:
        raise ValidationError("incident", "Choose none, near miss or fall.")
    description = validation.text(
        incident_description, "incident_description", "The description", max_len=2000
    )
    if incident != Incident.NONE.value:
        if not description:
            raise ValidationError(
                "incident_description", "Describe what happened, in a sentence or two."
            )
        if therapist_informed is None:
            raise ValidationError(
                "therapist_informed", "Say whether the supervising therapist was told."
            )
    if completing or performed_by_id is not None:
        if performed_by_id is None:
            raise ValidationError("performed_by_id", "Choose who performed the transfer.")
        if session.get(Staff, performed_by_id) is None:
            raise ValidationError("performed_by_id", "That staff member no longer exists.")
    if assisted_by_id is not None:
        if assisted_by_id == performed_by_id:
            raise ValidationError(
                "assisted_by_id", "The assistant must be someone other than the performer."
            )
        if session.get(Staff, assisted_by_id) is None:
            raise ValidationError("assisted_by_id", "That staff member no longer exists.")
    if (
        completing
        and row.chosen_method
        and METHOD_STAFF[TransferMethod(row.chosen_method)] >= 2
        and assisted_by_id is None
    ):
        raise ValidationError(
            "assisted_by_id",
            f"{TransferMethod(row.chosen_method).label} needs two staff: choose who assisted.",
        )
    return description


def complete_checklist(
    session: Session,
    actor: Actor,
    checklist_id: int,
    *,
    performed_by_id: int | None,
    assisted_by_id: int | None = None,
    incident: str = Incident.NONE.value,
    incident_description: str = "",
    therapist_informed: bool | None = None,
    notes: str = "",
    now: datetime | None = None,
) -> ChecklistData:
    """Finish the checklist; refused while the plan is missing or a required check is open."""
    require(actor, "run_transfer_checklist")
    row = _open_row(session, checklist_id)
    if not row.planned:
        raise ValidationError(
            "plan", "Confirm the assessment and the method before completing the checklist."
        )
    open_items = [
        i
        for i in session.exec(
            select(TransferChecklistItem).where(
                TransferChecklistItem.checklist_id == row.id,
                col(TransferChecklistItem.required).is_(True),
                col(TransferChecklistItem.done).is_(False),
            )
        )
    ]
    if open_items:
        n = len(open_items)
        raise ValidationError(
            "items",
            f"{n} required check{'s are' if n > 1 else ' is'} still open, "
            f"for example: {open_items[0].text}.",
        )
    description = _validate_outcome(
        session,
        row,
        performed_by_id,
        assisted_by_id,
        incident,
        incident_description,
        therapist_informed,
        completing=True,
    )
    return _finish(
        session,
        actor,
        row,
        ChecklistStatus.COMPLETED,
        performed_by_id,
        assisted_by_id,
        incident,
        description,
        therapist_informed,
        notes,
        "",
        now,
    )


def abort_checklist(
    session: Session,
    actor: Actor,
    checklist_id: int,
    reason: str,
    *,
    performed_by_id: int | None = None,
    assisted_by_id: int | None = None,
    incident: str = Incident.NONE.value,
    incident_description: str = "",
    therapist_informed: bool | None = None,
    notes: str = "",
    now: datetime | None = None,
) -> ChecklistData:
    """Stop the transfer; the reason is required (and any incident is recorded too)."""
    require(actor, "run_transfer_checklist")
    row = _open_row(session, checklist_id)
    reason = validation.text(reason, "abort_reason", "The reason", required=True, max_len=500)
    description = _validate_outcome(
        session,
        row,
        performed_by_id,
        assisted_by_id,
        incident,
        incident_description,
        therapist_informed,
        completing=False,
    )
    return _finish(
        session,
        actor,
        row,
        ChecklistStatus.ABORTED,
        performed_by_id,
        assisted_by_id,
        incident,
        description,
        therapist_informed,
        notes,
        reason,
        now,
    )


def _finish(
    session: Session,
    actor: Actor,
    row: TransferChecklist,
    status: ChecklistStatus,
    performed_by_id: int | None,
    assisted_by_id: int | None,
    incident: str,
    description: str,
    therapist_informed: bool | None,
    notes: str,
    abort_reason: str,
    now: datetime | None,
) -> ChecklistData:
    notes = validation.text(notes, "notes", "The notes", max_len=2000)  # before any change
    before = audit.snapshot(row)
    when = now or utcnow()
    row.status = status.value
    row.finished_at = when
    row.performed_by_id = performed_by_id
    row.assisted_by_id = assisted_by_id
    row.incident = incident
    row.incident_description = description if incident != Incident.NONE.value else ""
    row.therapist_informed = therapist_informed if incident != Incident.NONE.value else None
    row.notes = notes
    row.abort_reason = abort_reason
    row.updated_at = when
    session.add(row)
    session.flush()
    patient = session.get(Patient, row.patient_id)
    name = patient.full_name if patient else "patient"
    summary = f"Transfer checklist {status.value} for {name}"
    if incident != Incident.NONE.value:
        summary += f"; incident: {Incident(incident).label.lower()}"
    audit.record(
        session,
        actor,
        "complete" if status == ChecklistStatus.COMPLETED else "abort",
        "transfer_checklist",
        row.id,
        audit.diff(before, audit.snapshot(row)),
        summary,
    )
    return _data(session, row, patient)


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
        patient.updated_at = utcnow()
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


def _profile_value(name: str, value) -> str:
    if value is None or value == "":
        return "not recorded"
    if name == "weight_bearing":
        return WEIGHT_BEARING_LABELS[WeightBearing(value)]
    if name == "cooperation":
        return COOPERATION_LABELS[Cooperation(value)]
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


# --------------------------------------------------------------------------------------
# Lists and counts


def _utc_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """Local calendar days ``first`` .. ``last`` as a UTC range [lo, hi)."""
    lo = datetime.combine(first, time.min).astimezone(UTC)
    hi = datetime.combine(last + timedelta(days=1), time.min).astimezone(UTC)
    return lo, hi


def list_checklists(
    session: Session,
    *,
    first: date | None = None,
    last: date | None = None,
    patient_id: int | None = None,
    staff_id: int | None = None,
    patient_text: str = "",
    limit: int = 2000,
) -> list[ChecklistData]:
    """Checklists started on local days first..last (newest first), optionally filtered."""
    stmt = select(TransferChecklist, Patient).join(
        Patient, col(TransferChecklist.patient_id) == col(Patient.id)
    )
    if first is not None or last is not None:
        lo, hi = _utc_bounds(first or date(1900, 1, 1), last or date(2999, 12, 31))
        stmt = stmt.where(
            col(TransferChecklist.started_at) >= lo, col(TransferChecklist.started_at) < hi
        )
    if patient_id is not None:
        stmt = stmt.where(TransferChecklist.patient_id == patient_id)
    if staff_id is not None:
        stmt = stmt.where(
            or_(
                TransferChecklist.started_by_id == staff_id,
                TransferChecklist.performed_by_id == staff_id,
                TransferChecklist.assisted_by_id == staff_id,
            )
        )
    text = patient_text.strip()
    if text:
        like = f"%{text.lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Patient.first_name + " " + Patient.last_name).like(like),
                func.lower(Patient.last_name).like(like),
                col(Patient.chart_number).like(f"%{text}%"),
            )
        )
    stmt = stmt.order_by(col(TransferChecklist.started_at).desc()).limit(limit)
    found = list(session.exec(stmt))
    staff_ids: set[int] = set()
    appt_ids: set[int] = set()
    for row, _ in found:
        staff_ids |= {x for x in (row.started_by_id, row.performed_by_id, row.assisted_by_id) if x}
        if row.appointment_id:
            appt_ids.add(row.appointment_id)
    names = _staff_names(session, staff_ids)
    starts: dict[int, datetime] = {}
    if appt_ids:
        for appt in session.exec(select(Appointment).where(col(Appointment.id).in_(appt_ids))):
            starts[appt.id or 0] = appt.start
    return [
        _data(
            session,
            row,
            patient,
            with_items=False,
            names=names,
            appointment_start=starts.get(row.appointment_id or 0),
        )
        for row, patient in found
    ]


def todays_checklists(session: Session, today: date | None = None) -> list[ChecklistData]:
    today = today or date.today()
    return list_checklists(session, first=today, last=today)


def count_by_status(rows: list[ChecklistData]) -> dict[str, int]:
    counts = {s.value: 0 for s in ChecklistStatus}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    return counts


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _next_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def incidents_between(session: Session, first: date, last: date) -> list[ChecklistData]:
    """Near misses and falls on transfers started on local days first..last, oldest first."""
    lo, hi = _utc_bounds(first, last)
    rows = session.exec(
        select(TransferChecklist)
        .where(
            col(TransferChecklist.incident) != Incident.NONE.value,
            col(TransferChecklist.started_at) >= lo,
            col(TransferChecklist.started_at) < hi,
        )
        .order_by(col(TransferChecklist.started_at))
    )
    return [_data(session, r, with_items=False) for r in rows]


def incident_counts_by_month(
    session: Session, first_month: date, last_month: date
) -> list[MonthlyIncidents]:
    """Near misses and falls per calendar month (clinic time), every month in the range listed."""
    start = _month_start(first_month)
    end = _month_start(last_month)
    if end < start:
        raise ValidationError("to", "The last month is before the first month.")
    lo, hi = _utc_bounds(start, _next_month(end) - timedelta(days=1))
    counts: dict[date, list[int]] = {}
    month = start
    while month <= end:
        counts[month] = [0, 0]
        month = _next_month(month)
    rows = session.exec(
        select(TransferChecklist.started_at, TransferChecklist.incident).where(
            col(TransferChecklist.incident) != Incident.NONE.value,
            col(TransferChecklist.started_at) >= lo,
            col(TransferChecklist.started_at) < hi,
        )
    )
    for started_at, incident in rows:
        local = _as_utc(started_at).astimezone().date()
        bucket = counts.get(_month_start(local))
        if bucket is None:
            continue
        bucket[0 if incident == Incident.NEAR_MISS.value else 1] += 1
    return [MonthlyIncidents(m, nm, f) for m, (nm, f) in counts.items()]


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def local_time(value: datetime | None) -> datetime | None:
    """A UTC record time as the clinic's wall-clock time (naive, for display)."""
    if value is None:
        return None
    return _as_utc(value).astimezone().replace(tzinfo=None)


# --------------------------------------------------------------------------------------
# Pickers


def staff_choices(session: Session) -> list[Choice]:
    """Active staff who may move patients (everyone but the front desk)."""
    rows = session.exec(
        select(Staff)
        .where(col(Staff.active).is_(True), Staff.role != Role.FRONT_DESK.value)
        .order_by(col(Staff.name))
    )
    return [Choice(s.id or 0, s.name, s.role) for s in rows]


def patient_choices(session: Session, text: str = "", limit: int = 200) -> list[Choice]:
    """Active patients whose name or chart number contains ``text``."""
    stmt = select(Patient).where(col(Patient.active).is_(True))
    text = text.strip()
    if text:
        like = f"%{text.lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Patient.first_name + " " + Patient.last_name).like(like),
                func.lower(Patient.last_name + ", " + Patient.first_name).like(like),
                col(Patient.chart_number).like(f"%{text}%"),
            )
        )
    stmt = stmt.order_by(col(Patient.last_name), col(Patient.first_name)).limit(limit)
    return [Choice(p.id or 0, f"{p.sort_name} ({p.chart_number})") for p in session.exec(stmt)]
