"""The shipped transfer checks: what is checked before and after each kind of transfer, and
when a check applies (always, for a method's equipment, or for a risk condition)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from ptdesk.models import TransferCheckTemplate, TransferType
from ptdesk.models.transfers import CONDITIONS
from ptdesk.services import clock

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


def seed_template(session: Session, transfer_type: str, when: datetime | None = None) -> None:
    when = clock.utc_now() if when is None else when
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
