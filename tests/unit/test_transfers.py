"""Transfer checklists: decision table, required checks, snapshots, outcome, incidents."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from ptdesk.errors import PermissionDenied, PtdeskError, ValidationError
from ptdesk.models import AuditEvent, Patient, TransferChecklist, TransferCheckTemplate
from ptdesk.services import reporting
from ptdesk.services import staff as staff_service
from ptdesk.services import transfers as tr
from ptdesk.services.audit import Actor

# The shipped decision table, written out by hand. Columns: weight bearing, arms,
# then the method for a cooperative and for an unpredictable patient.
SEATED = """
full       both  independent        two_caregivers
full       one   contact_guard      two_caregivers
full       none  one_with_belt      two_caregivers
partial    both  one_with_belt      sit_to_stand_lift
partial    one   two_caregivers     sit_to_stand_lift
partial    none  sit_to_stand_lift  full_sling_lift
toe_touch  both  slide_board        full_sling_lift
toe_touch  one   two_caregivers     full_sling_lift
toe_touch  none  full_sling_lift    full_sling_lift
non_weight_bearing both slide_board full_sling_lift
non_weight_bearing one  full_sling_lift full_sling_lift
non_weight_bearing none full_sling_lift full_sling_lift
"""
SIT_STAND = """
full       both  independent        two_caregivers
full       one   contact_guard      two_caregivers
full       none  one_with_belt      two_caregivers
partial    both  one_with_belt      sit_to_stand_lift
partial    one   two_caregivers     sit_to_stand_lift
partial    none  sit_to_stand_lift  full_sling_lift
toe_touch  both  two_caregivers     full_sling_lift
toe_touch  one   two_caregivers     full_sling_lift
toe_touch  none  full_sling_lift    full_sling_lift
non_weight_bearing both two_caregivers full_sling_lift
non_weight_bearing one  full_sling_lift full_sling_lift
non_weight_bearing none full_sling_lift full_sling_lift
"""
FLOOR = """
full       both  independent        full_sling_lift
full       one   two_caregivers     full_sling_lift
full       none  full_sling_lift    full_sling_lift
partial    both  two_caregivers     full_sling_lift
partial    one   full_sling_lift    full_sling_lift
partial    none  full_sling_lift    full_sling_lift
toe_touch  both  full_sling_lift    full_sling_lift
toe_touch  one   full_sling_lift    full_sling_lift
toe_touch  none  full_sling_lift    full_sling_lift
non_weight_bearing both full_sling_lift full_sling_lift
non_weight_bearing one  full_sling_lift full_sling_lift
non_weight_bearing none full_sling_lift full_sling_lift
"""
BY_TYPE = {
    "wheelchair_table": SEATED,
    "bed_chair": SEATED,
    "car": SEATED,
    "sit_stand": SIT_STAND,
    "floor_recovery": FLOOR,
}
ARMS = {"both": (True, True), "one": (False, True), "none": (False, False)}


def expected_cases():
    for transfer_type, text in BY_TYPE.items():
        for line in text.strip().splitlines():
            wb, arms, cooperative, unpredictable = line.split()
            yield transfer_type, wb, arms, "cooperative", cooperative
            yield transfer_type, wb, arms, "unpredictable", unpredictable


CASES = list(expected_cases())


def test_the_written_table_covers_every_combination():
    assert sorted(c[:4] for c in CASES) == sorted(tr.all_inputs())
    assert len(CASES) == 5 * 4 * 3 * 2


def test_default_decision_table_for_every_combination(db):
    wrong = []
    with db.session() as s:
        for transfer_type, wb, arms, coop, method in CASES:
            left, right = ARMS[arms]
            assessment = tr.Assessment(
                weight_bearing=wb,
                upper_limb_strength_left=left,
                upper_limb_strength_right=right,
                cooperation=coop,
                height_cm=170,
                weight_kg=70,
            )
            rec = tr.recommend(s, transfer_type, assessment)
            staff = 1 if method in {"independent", "contact_guard", "one_with_belt"} else 2
            if (rec.method, rec.staff, rec.bariatric) != (method, staff, False):
                wrong.append((transfer_type, wb, arms, coop, rec.method, method))
    assert wrong == []


def make_patient(db, **profile) -> int:
    values = dict(
        weight_bearing="partial",
        upper_limb_strength_left=True,
        upper_limb_strength_right=False,
        cooperation="cooperative",
        height_cm=165.0,
        weight_kg=80.0,
        precautions="Fall risk\nLeft total hip replacement 3 weeks ago",
    )
    values.update(profile)
    with db.session() as s:
        p = Patient(
            chart_number=f"C{len(values)}{id(values) % 1000}",
            first_name="Ana",
            last_name="Diaz",
            **values,
        )
        s.add(p)
        s.flush()
        return p.id


@pytest.fixture
def aide(db, owner) -> Actor:
    with db.session() as s:
        row = staff_service.create_staff(s, owner, "Tom Tech", "technician")
    return Actor.from_staff(row)


@pytest.fixture
def helper_id(db, owner) -> int:
    with db.session() as s:
        return staff_service.create_staff(s, owner, "Pat Assistant", "assistant").id


def planned(db, actor, patient_id, method="two_caregivers", **kw):
    with db.session() as s:
        c = tr.start_checklist(s, actor, patient_id, transfer_type="wheelchair_table")
        return tr.plan_checklist(s, actor, c.id, c.assessment, method, **kw)


def tick_all(db, actor, c, *, required_only=True):
    with db.session() as s:
        for item in c.items:
            if item.required or not required_only:
                c = tr.set_check(s, actor, c.id, item.id, True)
    return c


def test_start_prefills_the_assessment_from_the_profile(db, aide):
    pid = make_patient(db)
    with db.session() as s:
        c = tr.start_checklist(s, aide, pid, transfer_type="wheelchair_table")
    a = c.assessment
    assert (a.weight_bearing, a.upper_limbs, a.cooperation) == ("partial", "one", "cooperative")
    assert a.bmi == pytest.approx(29.4)
    assert set(a.conditions) == {"fall_history", "recent_joint_replacement"}
    assert c.status == "started" and not c.planned and c.items == []
    assert c.started_by == "Tom Tech"
    assert c.started_at.tzinfo is not None  # record times are UTC-aware


def test_front_desk_may_not_run_a_checklist(db, owner):
    pid = make_patient(db)
    with db.session() as s:
        desk = Actor.from_staff(staff_service.create_staff(s, owner, "Fran Desk", "front_desk"))
    with pytest.raises(PermissionDenied), db.session() as s:
        tr.start_checklist(s, desk, pid)


def test_plan_copies_applicable_checks_and_condition_checks(db, aide):
    pid = make_patient(db)
    c = planned(db, aide, pid)
    texts = [i.text for i in c.items]
    assert c.recommended_method == "two_caregivers" and c.recommended_staff == 2
    assert "Gait belt on and snug (used to guide, never to lift)" in texts
    assert "Second caregiver here and knows the plan" in texts
    assert "Joint-replacement precautions reviewed with the patient" in texts
    assert not any("Lines and tubes" in t for t in texts)  # no lines on this patient
    assert not any("Slide board" in t for t in texts)  # not the chosen method
    assert [i.phase for i in c.items] == sorted((i.phase for i in c.items), reverse=True)


def test_required_checks_block_completion(db, aide, helper_id):
    pid = make_patient(db)
    c = planned(db, aide, pid)
    required = [i for i in c.items if i.required]
    assert len(required) >= 5 and any(not i.required for i in c.items)
    assert not c.can_complete
    with db.session() as s:
        for item in required[:-1]:
            c = tr.set_check(s, aide, c.id, item.id, True)
    assert len(c.open_required) == 1 and not c.can_complete
    with pytest.raises(ValidationError) as err, db.session() as s:
        tr.complete_checklist(s, aide, c.id, performed_by_id=aide.id, assisted_by_id=helper_id)
    assert err.value.field == "items" and "1 required check is still open" in err.value.message
    with db.session() as s:
        assert s.get(TransferChecklist, c.id).status == "started"
        c = tr.set_check(s, aide, c.id, required[-1].id, True)
    assert c.can_complete  # optional checks do not block
    with db.session() as s:
        done = tr.complete_checklist(
            s, aide, c.id, performed_by_id=aide.id, assisted_by_id=helper_id
        )
    assert done.status == "completed" and done.finished_at is not None
    assert done.performed_by == "Tom Tech" and done.assisted_by == "Pat Assistant"
    with pytest.raises(PtdeskError), db.session() as s:
        tr.set_check(s, aide, c.id, required[0].id, False)


def test_two_person_method_needs_an_assistant(db, aide):
    pid = make_patient(db)
    c = tick_all(db, aide, planned(db, aide, pid))
    with pytest.raises(ValidationError) as err, db.session() as s:
        tr.complete_checklist(s, aide, c.id, performed_by_id=aide.id)
    assert err.value.field == "assisted_by_id"


def test_completion_needs_a_plan(db, aide):
    pid = make_patient(db)
    with db.session() as s:
        c = tr.start_checklist(s, aide, pid)
    with pytest.raises(ValidationError) as err, db.session() as s:
        tr.complete_checklist(s, aide, c.id, performed_by_id=aide.id)
    assert err.value.field == "plan"


def test_less_support_than_recommended_needs_a_reason(db, aide):
    pid = make_patient(db)
    with db.session() as s:
        c = tr.start_checklist(s, aide, pid)
    with pytest.raises(ValidationError) as err, db.session() as s:
        tr.plan_checklist(s, aide, c.id, c.assessment, "one_with_belt")
    assert err.value.field == "less_support_reason"
    with db.session() as s:
        assert not s.get(TransferChecklist, c.id).planned  # nothing half-written
        c = tr.plan_checklist(
            s,
            aide,
            c.id,
            c.assessment,
            "one_with_belt",
            less_support_reason="Therapist cleared one-person assist today",
        )
    assert c.chosen_method == "one_with_belt" and c.recommended_method == "two_caregivers"
    assert c.less_support_reason == "Therapist cleared one-person assist today"
    with db.session() as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "plan")).one()
    assert "Therapist cleared" in event.summary
    # More support than recommended needs no reason, and any old reason is dropped.
    with db.session() as s:
        c = tr.plan_checklist(
            s, aide, c.id, c.assessment, "full_sling_lift", less_support_reason="left over"
        )
    assert c.less_support_reason == ""


def test_snapshot_survives_template_edits(db, owner, aide, helper_id):
    pid = make_patient(db)
    c = tick_all(db, aide, planned(db, aide, pid))
    with db.session() as s:
        tr.complete_checklist(s, aide, c.id, performed_by_id=aide.id, assisted_by_id=helper_id)
    before = [(i.text, i.required, i.done) for i in c.items]
    with db.session() as s:
        template = tr.list_template(s, "wheelchair_table")
        brakes = next(t for t in template if t.text == "Wheelchair brakes locked")
        tr.update_template_item(
            s,
            owner,
            brakes.id,
            "Both wheelchair brakes on",
            required=False,
            phase="before",
            applies_when="",
        )
        tr.delete_template_item(s, owner, template[1].id)
        tr.add_template_item(s, owner, "wheelchair_table", "Brand-new check")
    with db.session() as s:
        after = tr.get_checklist(s, c.id)
    assert [(i.text, i.required, i.done) for i in after.items] == before
    # A new checklist uses the edited template.
    fresh = planned(db, aide, pid)
    texts = [i.text for i in fresh.items]
    assert "Both wheelchair brakes on" in texts and "Brand-new check" in texts
    assert "Wheelchair brakes locked" not in texts
    assert texts.index("Brand-new check") < texts.index("Patient positioned safely and stable")


def test_only_the_owner_edits_the_decision_table(db, owner, aide):
    with pytest.raises(PermissionDenied), db.session() as s:
        tr.set_decision(s, aide, "car", "full", "both", "cooperative", "contact_guard")
    with db.session() as s:
        tr.set_decision(s, owner, "car", "full", "both", "cooperative", "contact_guard")
    a = tr.Assessment("full", True, True, "cooperative", 170, 70)
    with db.session() as s:
        assert tr.recommend(s, "car", a).method == "contact_guard"
        assert tr.recommend(s, "bed_chair", a).method == "independent"
        assert tr.reset_decision_table(s, owner) == 1
        assert tr.recommend(s, "car", a).method == "independent"


def test_bariatric_threshold_adds_equipment(db, owner):
    a = tr.Assessment("full", True, True, "cooperative", height_cm=160, weight_kg=135)
    with db.session() as s:
        rec = tr.recommend(s, "wheelchair_table", a)
        assert rec.bmi == pytest.approx(52.7) and rec.bariatric
        assert any("Bariatric-rated" in e and "above 50" in e for e in rec.equipment)
        tr.set_bariatric_threshold(s, owner, 55)
        assert not tr.recommend(s, "wheelchair_table", a).bariatric
        with pytest.raises(ValidationError):
            tr.set_bariatric_threshold(s, owner, 5)


def test_incomplete_assessment_is_refused(db, aide):
    pid = make_patient(db, weight_bearing="", upper_limb_strength_left=None)
    with db.session() as s:
        c = tr.start_checklist(s, aide, pid)
    with pytest.raises(ValidationError) as err, db.session() as s:
        tr.plan_checklist(s, aide, c.id, c.assessment, "two_caregivers")
    assert err.value.field == "weight_bearing"


def test_saving_the_assessment_back_updates_the_profile_with_an_audit_event(db, owner, aide):
    pid = make_patient(db)
    new = tr.Assessment("full", True, True, "cooperative", 165.0, 78.0)
    with pytest.raises(PermissionDenied), db.session() as s:
        tr.save_assessment_to_profile(s, aide, pid, new)  # technicians may not
    with db.session() as s:
        tr.save_assessment_to_profile(s, owner, pid, new)
    with db.session() as s:
        p = s.get(Patient, pid)
        assert (p.weight_bearing, p.upper_limb_strength_right, p.weight_kg) == ("full", True, 78.0)
        event = s.exec(select(AuditEvent).where(AuditEvent.entity == "patient")).one()
    assert event.changes["weight_bearing"] == ["partial", "full"]


def test_abort_needs_a_reason_and_incidents_need_a_description(db, aide):
    pid = make_patient(db)
    with db.session() as s:
        c = tr.start_checklist(s, aide, pid)
    with pytest.raises(ValidationError) as err, db.session() as s:
        tr.abort_checklist(s, aide, c.id, "  ")
    assert err.value.field == "abort_reason"
    with pytest.raises(ValidationError) as err, db.session() as s:
        tr.abort_checklist(s, aide, c.id, "Dizzy on sitting up", incident="near_miss")
    assert err.value.field == "incident_description"
    with db.session() as s:
        done = tr.abort_checklist(
            s,
            aide,
            c.id,
            "Dizzy on sitting up",
            incident="near_miss",
            incident_description="Knees buckled; lowered back to the chair.",
            therapist_informed=True,
        )
    assert done.status == "aborted" and done.incident_label == "Near miss"


def _incident(db, actor, pid, kind, when):
    with db.session() as s:
        c = tr.start_checklist(s, actor, pid, now=when)
        tr.abort_checklist(
            s,
            actor,
            c.id,
            "Stopped",
            incident=kind,
            incident_description="what happened",
            therapist_informed=False,
            now=when,
        )


def test_incidents_are_counted_per_month(db, owner, aide):
    pid = make_patient(db)
    _incident(db, aide, pid, "near_miss", datetime(2026, 1, 12, 15, tzinfo=UTC))
    _incident(db, aide, pid, "near_miss", datetime(2026, 1, 20, 15, tzinfo=UTC))
    _incident(db, aide, pid, "fall", datetime(2026, 1, 21, 15, tzinfo=UTC))
    _incident(db, aide, pid, "fall", datetime(2026, 3, 2, 15, tzinfo=UTC))
    _incident(db, aide, pid, "fall", datetime(2026, 5, 2, 15, tzinfo=UTC))  # outside
    with db.session() as s:
        c = tr.start_checklist(s, aide, pid, now=datetime(2026, 1, 5, 15, tzinfo=UTC))
        tr.abort_checklist(s, aide, c.id, "Patient declined")  # no incident
        months = {
            m: reporting.monthly_report(s, owner, m, with_history=False).transfers
            for m in (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1))
        }
    assert [(m, t.near_misses, t.falls) for m, t in months.items()] == [
        (date(2026, 1, 1), 2, 1),
        (date(2026, 2, 1), 0, 0),
        (date(2026, 3, 1), 0, 1),
    ]
    january = months[date(2026, 1, 1)].incidents
    assert [i.incident for i in january] == ["near_miss", "near_miss", "fall"]


def test_history_filters_by_patient_staff_and_date(db, owner, aide):
    ana = make_patient(db)
    with db.session() as s:
        ben = Patient(chart_number="B1", first_name="Ben", last_name="Okafor")
        s.add(ben)
        s.flush()
        ben_id = ben.id
    _incident(db, aide, ana, "fall", datetime(2026, 2, 3, 15, tzinfo=UTC))
    with db.session() as s:
        tr.start_checklist(s, owner, ben_id, now=datetime(2026, 2, 4, 15, tzinfo=UTC))
        assert len(tr.list_checklists(s)) == 2
        assert [r.patient_name for r in tr.list_checklists(s, patient_text="okaf")] == [
            "Ben Okafor"
        ]
        assert [r.patient_name for r in tr.list_checklists(s, staff_id=aide.id)] == ["Ana Diaz"]
        assert len(tr.list_checklists(s, first=date(2026, 2, 4), last=date(2026, 2, 4))) == 1
        assert tr.count_by_status(tr.list_checklists(s)) == {
            "started": 1,
            "completed": 0,
            "aborted": 1,
        }


def test_appointment_must_belong_to_the_patient(db, owner, aide):
    from ptdesk.models import Appointment

    ana = make_patient(db)
    with db.session() as s:
        other = Patient(chart_number="Z9", first_name="Zed", last_name="Other")
        s.add(other)
        s.flush()
        appt = Appointment(
            patient_id=other.id,
            staff_id=owner.id,
            start=datetime(2026, 3, 11, 9, 0),
            end=datetime(2026, 3, 11, 9, 45),
        )
        s.add(appt)
        s.flush()
        appt_id, other_id = appt.id, other.id
    with pytest.raises(ValidationError), db.session() as s:
        tr.start_checklist(s, aide, ana, appointment_id=appt_id)
    with db.session() as s:
        c = tr.start_checklist(s, aide, other_id, appointment_id=appt_id)
    assert c.appointment_start == datetime(2026, 3, 11, 9, 0)  # wall-clock, naive


def test_planning_again_keeps_ticks_of_unchanged_checks(db, aide):
    pid = make_patient(db)
    c = planned(db, aide, pid)
    brakes = next(i for i in c.items if i.text == "Wheelchair brakes locked")
    with db.session() as s:
        tr.set_check(s, aide, c.id, brakes.id, True)
        lines = replace(c.assessment, conditions=(*c.assessment.conditions, "lines_tubes"))
        again = tr.plan_checklist(s, aide, c.id, lines, "two_caregivers")
    ticked = [i.text for i in again.items if i.done]
    assert ticked == ["Wheelchair brakes locked"]
    assert "Lines and tubes secured, slack toward the destination" in [i.text for i in again.items]
    with db.session() as s:
        car = tr.plan_checklist(s, aide, c.id, lines, "two_caregivers", transfer_type="car")
    assert car.transfer_type == "car"
    assert "Head guarded at the door frame" in [i.text for i in car.items]
    assert not any(i.done for i in car.items)  # the car checks are new


def test_new_clinics_check_the_patient_was_told_the_plan_and_the_count(db, owner):
    for transfer_type in tr.TransferType:
        rows = tr.default_template(transfer_type)
        told = [r for r in rows if "told the plan and the count" in r[1]]
        assert told == [("before", told[0][1], True, "")]
    with db.session() as s:
        tr.ensure_defaults(s)
        texts = s.exec(select(TransferCheckTemplate.text)).all()
    assert sum("told the plan and the count" in t for t in texts) == len(tr.TransferType)


def test_profile_changes_say_each_changed_answer_in_words():
    before = tr.Assessment("full", True, True, "cooperative", 170.0, None)
    after = tr.Assessment("non_weight_bearing", True, False, "unpredictable", 170.0, 82.5)
    assert tr.profile_changes(before, after) == [
        "Weight bearing: Full weight bearing \u2192 Non-weight-bearing",
        "Right arm: strong \u2192 weak",
        "Cooperation: Cooperative, follows the plan \u2192 Unpredictable or cannot follow",
        "Weight (kg): not recorded \u2192 82.5",
    ]
    assert tr.profile_changes(after, after) == []
