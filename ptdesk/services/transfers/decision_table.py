"""The transfer decision table: the shipped rule, the clinic's stored cells, the bariatric BMI.

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

from datetime import datetime

from sqlmodel import Session, select

from ptdesk.errors import NotFound, ValidationError
from ptdesk.models import (
    Cooperation,
    TransferDecision,
    TransferMethod,
    TransferSettings,
    TransferType,
    UpperLimbs,
    WeightBearing,
)
from ptdesk.services import audit, clock
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import require
from ptdesk.services.transfers.default_checks import seed_template

DEFAULT_BARIATRIC_BMI = 50.0


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


def ensure_defaults(session: Session, *, now: datetime | None = None) -> TransferSettings:
    """Seed the decision table and check templates the first time they are needed."""
    settings = session.get(TransferSettings, 1)
    if settings is not None:
        return settings
    when = clock.utc_now() if now is None else now
    settings = TransferSettings(id=1, bariatric_bmi=DEFAULT_BARIATRIC_BMI, updated_at=when)
    session.add(settings)
    _seed_decisions(session, when)
    for t in TransferType:
        seed_template(session, t.value, when)
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
    row.updated_at = clock.utc_now()
    session.add(row)
    audit.record(
        session,
        actor,
        "update",
        "transfer_decision",
        row.id,
        {"method": [before, method], "inputs": [None, "/".join(key)]},
        f"Decision table: {TransferType(transfer_type).label}, "
        f"{WeightBearing(weight_bearing).label.lower()}, "
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
            row.updated_at = clock.utc_now()
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
        settings.updated_at = clock.utc_now()
        session.add(settings)
        session.flush()
    return bmi
