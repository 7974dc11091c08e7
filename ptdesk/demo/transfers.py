"""Demo clinic: transfer checklists for patients with limited mobility (same seed, same data)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert
from sqlmodel import Session, col, select

from ptdesk.models import (
    Appointment,
    AppointmentStatus,
    ChecklistStatus,
    Role,
    Staff,
    TransferChecklist,
    TransferChecklistItem,
    TransferMethod,
    TransferType,
)
from ptdesk.services import transfers as tr

RECENT_DAYS = 45
SHARE_LIMITED = 0.12  # patients whose visits start with a transfer checklist
TODAY_AT_LEAST = 6

LESS_SUPPORT_REASONS = [
    "Therapist observed the patient and cleared one-person assist today",
    "Second caregiver delayed; therapist approved contact guard for this short transfer",
    "Patient much steadier since last week; therapist present and agreed",
]
ABORT_REASONS = [
    "Patient too dizzy to stand; treated in the wheelchair instead",
    "Lift battery flat; transfer postponed until it was charged",
    "Patient declined the transfer today because of pain",
    "Second caregiver called away to another patient; stopped before moving",
]
NEAR_MISSES = [
    "Knees buckled at the pivot; lowered back to the chair with the gait belt. No injury.",
    "Wheelchair rolled back: one brake was not fully on. Caught before the patient sat down.",
    "Patient light-headed on standing; sat back on the table edge with help. "
    "Blood pressure checked, settled after five minutes.",
    "Foot caught on the footrest during the pivot; steadied with the belt and freed the foot.",
    "Slide board slipped on the table edge; transfer stopped and the board re-placed.",
]
FALL = (
    "Patient slid from the table edge to the floor during the pivot; lowered with the gait belt "
    "to sitting. Checked for injury: none found. Got up with the floor lift."
)
NOTES = [
    "",
    "",
    "",
    "Transferred toward the stronger side as planned.",
    "Patient counted along and pushed up well.",
    "Needed extra time to sit at the edge first.",
]


def _profile(rng: random.Random) -> tr.Assessment:
    """Plausible answers for one patient with limited mobility."""
    wb = rng.choices(
        ["full", "partial", "toe_touch", "non_weight_bearing"], weights=[30, 35, 15, 20]
    )[0]
    arms = rng.choices(
        [(True, True), (True, False), (False, True), (False, False)], [60, 15, 15, 10]
    )[0]
    coop = rng.choices(["cooperative", "unpredictable"], weights=[88, 12])[0]
    height = round(rng.gauss(168, 9))
    weight = round(rng.gauss(84, 18), 1)
    if rng.random() < 0.06:
        weight = round(rng.uniform(135, 170), 1)  # a bariatric patient now and then
    weight = max(45.0, weight)
    conditions = rng.sample(
        list(tr.CONDITIONS), k=rng.choices([0, 1, 2, 3], weights=[20, 45, 25, 10])[0]
    )
    return tr.Assessment(wb, arms[0], arms[1], coop, float(height), weight, tuple(conditions))


def _items(transfer_type: str, a: tr.Assessment, method: TransferMethod, bariatric: bool):
    needs = set(a.conditions) | tr.METHOD_NEEDS[method] | {""}
    if bariatric:
        needs.add("bariatric")
    rows = [r for r in tr.default_template(transfer_type) if r[3] in needs]
    rows.sort(key=lambda r: r[0] != "before")
    return rows


def add_demo_checklists(session: Session, *, seed: int, today: date, now: datetime) -> int:
    """Checklists for the recent visits of some patients; today's are started or completed."""
    rng = random.Random(seed * 1009 + 6)
    tr.ensure_defaults(session, now=(now - timedelta(days=RECENT_DAYS + 30)).astimezone(UTC))
    threshold = tr.DEFAULT_BARIATRIC_BMI
    movers = [
        s.id
        for s in session.exec(
            select(Staff).where(Staff.role != Role.FRONT_DESK.value).order_by(col(Staff.id))
        )
        if s.id is not None
    ]
    since = datetime.combine(today - timedelta(days=RECENT_DAYS), datetime.min.time())
    visits = list(
        session.exec(
            select(Appointment)
            .where(
                col(Appointment.start) >= since,
                col(Appointment.start) <= now,
                col(Appointment.status).in_(
                    [AppointmentStatus.COMPLETED.value, AppointmentStatus.CHECKED_IN.value]
                ),
            )
            .order_by(col(Appointment.start), col(Appointment.id))
        )
    )
    patient_ids = sorted({v.patient_id for v in visits})
    limited = {pid: _profile(rng) for pid in patient_ids if rng.random() < SHARE_LIMITED}
    # Today's page should show a few checklists: started, completed and one aborted.
    todays = [v for v in visits if v.start.date() == today]
    checked_in = AppointmentStatus.CHECKED_IN.value
    open_added = 0
    for visit in sorted(todays, key=lambda v: v.status != checked_in):
        if sum(1 for v in todays if v.patient_id in limited) >= TODAY_AT_LEAST:
            break
        if visit.patient_id in limited:
            continue
        if visit.status == checked_in:
            if open_added < 2:
                open_added += 1
                limited[visit.patient_id] = _profile(rng)
        elif rng.random() < 0.5:
            limited[visit.patient_id] = _profile(rng)
    aborted_today = False
    kinds = {
        pid: rng.choices([t.value for t in TransferType], weights=[70, 14, 6, 8, 2])[0]
        for pid in limited
    }
    checklists: list[dict] = []
    items: list[list[tuple]] = []
    falls_left = 1
    seen: set[tuple[int, datetime]] = set()
    for visit in visits:
        a = limited.get(visit.patient_id)
        if a is None or (visit.patient_id, visit.start) in seen:
            continue
        seen.add((visit.patient_id, visit.start))
        transfer_type = kinds[visit.patient_id]
        if transfer_type == TransferType.FLOOR_RECOVERY.value and rng.random() < 0.8:
            transfer_type = TransferType.WHEELCHAIR_TABLE.value  # floor practice is occasional
        key = (transfer_type, a.weight_bearing, a.upper_limbs, a.cooperation)
        recommended = TransferMethod(tr.default_method(*key))
        chosen, reason = recommended, ""
        r = rng.random()
        if r < 0.05 and recommended.rank > 0:
            chosen = list(TransferMethod)[recommended.rank - 1]
            reason = rng.choice(LESS_SUPPORT_REASONS)
        elif r < 0.08 and recommended.rank < len(TransferMethod) - 1:
            chosen = list(TransferMethod)[recommended.rank + 1]
            if chosen == TransferMethod.SIT_TO_STAND_LIFT and a.weight_bearing in (
                "toe_touch",
                "non_weight_bearing",
            ):
                chosen = TransferMethod.FULL_SLING_LIFT  # a standing lift needs weight bearing
        bmi = a.bmi
        bariatric = bmi is not None and bmi > threshold
        equipment = list(tr.METHOD_EQUIPMENT[chosen])
        if bariatric:
            equipment.append(f"Bariatric-rated equipment (BMI {bmi:g} is above {threshold:g})")
        started_local = visit.start + timedelta(minutes=rng.randint(0, 6))
        started = started_local.astimezone(UTC)
        finished = started + timedelta(minutes=rng.randint(3, 9))
        today_open = visit.status == AppointmentStatus.CHECKED_IN.value
        status = ChecklistStatus.STARTED.value if today_open else ChecklistStatus.COMPLETED.value
        abort_reason = incident = description = notes = ""
        incident = "none"
        therapist_told = None
        if not today_open:
            r = rng.random()
            if visit.start.date() == today and not aborted_today and r < 0.5:
                r = 0.0  # one of today's transfers was stopped
                aborted_today = True
            if r < 0.04:
                status = ChecklistStatus.ABORTED.value
                abort_reason = rng.choice(ABORT_REASONS)
            elif r < 0.075:
                incident = "near_miss"
                description = rng.choice(NEAR_MISSES)
                therapist_told = rng.random() < 0.9
            elif r < 0.08 and falls_left:
                falls_left -= 1
                incident, description, therapist_told = "fall", FALL, True
            notes = rng.choice(NOTES)
        performer = (
            visit.staff_id
            if status == ChecklistStatus.COMPLETED.value or incident != "none"
            else None
        )
        assistant = None
        if performer is not None and tr.METHOD_STAFF[chosen] >= 2:
            others = [m for m in movers if m != performer]
            assistant = rng.choice(others) if others else None
        checklists.append(
            dict(
                patient_id=visit.patient_id,
                appointment_id=visit.id,
                transfer_type=transfer_type,
                status=status,
                weight_bearing=a.weight_bearing,
                upper_limb_strength_left=a.upper_limb_strength_left,
                upper_limb_strength_right=a.upper_limb_strength_right,
                cooperation=a.cooperation,
                height_cm=a.height_cm,
                weight_kg=a.weight_kg,
                conditions=list(a.conditions),
                planned=True,
                recommended_method=recommended.value,
                recommended_staff=tr.METHOD_STAFF[recommended],
                equipment="\n".join(equipment),
                bariatric=bariatric,
                chosen_method=chosen.value,
                less_support_reason=reason,
                started_at=started,
                started_by_id=visit.staff_id,
                finished_at=None if today_open else finished,
                performed_by_id=performer,
                assisted_by_id=assistant,
                abort_reason=abort_reason,
                incident=incident,
                incident_description=description,
                therapist_informed=therapist_told,
                notes=notes,
                created_at=started,
                updated_at=started if today_open else finished,
            )
        )
        rows = []
        ticked_upto = rng.randint(0, 6) if today_open else None
        for pos, (phase, text, required, _when) in enumerate(
            _items(transfer_type, a, chosen, bariatric)
        ):
            if today_open:
                done = pos < (ticked_upto or 0)
            elif status == ChecklistStatus.ABORTED.value:
                done = phase == "before" and pos < 3
            else:
                done = required or rng.random() < 0.85
            rows.append((pos, phase, text, required, done, started if done else None))
        items.append(rows)
    if not checklists:
        return 0
    session.execute(insert(TransferChecklist), checklists)
    ids = list(session.exec(select(TransferChecklist.id).order_by(col(TransferChecklist.id))))[
        -len(checklists) :
    ]
    flat = [
        dict(
            checklist_id=cid,
            position=pos,
            phase=phase,
            text=text,
            required=required,
            done=done,
            done_at=done_at,
        )
        for cid, rows in zip(ids, items, strict=True)
        for pos, phase, text, required, done, done_at in rows
    ]
    session.execute(insert(TransferChecklistItem), flat)
    return len(checklists)
