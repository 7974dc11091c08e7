"""Session records: pre-filled exercises, vitals checks, who may sign, co-sign and addenda."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from ptdesk.errors import NotFound, PermissionDenied, ValidationError
from ptdesk.models import AuditEvent, RecordStatus, SessionRecord
from ptdesk.services import sessions
from ptdesk.services.sessions import InterventionEntry, RecordLocked, SessionInput
from tests.exercise_helpers import make_staff
from tests.session_helpers import add_visit, make_clinic


@pytest.fixture
def clinic(db, owner):
    return make_clinic(db, owner)


def _filled(db, appt_id: int) -> SessionInput:
    with db.session() as s:
        data = sessions.new_input(s, appt_id)
    data.pain_before, data.pain_after = 6, 4
    data.bp_systolic, data.bp_diastolic, data.heart_rate, data.spo2 = 128, 82, 76, 97
    data.subjective = "Knee felt stiff this morning."
    data.treatment = "Strengthening and manual work to the knee."
    data.interventions = [InterventionEntry("97110", 33), InterventionEntry("97140", 7)]
    return data


def test_new_record_is_prefilled_from_the_active_program(db, clinic):
    with db.session() as s:
        data = sessions.new_input(s, clinic.appointment_id)
    assert [e.name for e in data.exercises] == ["Bridge", "Clamshell", "Heel slide"]
    assert all(e.prescribed for e in data.exercises)
    assert data.exercises[0].sets and data.exercises[0].reps
    assert data.supervisor_id == clinic.therapist.id


def test_no_program_no_exercises(db, owner):
    clinic = make_clinic(db, owner, program=False)
    with db.session() as s:
        assert sessions.new_input(s, clinic.appointment_id).exercises == []


def test_therapist_signs_and_units_are_stored(db, clinic):
    data = _filled(db, clinic.appointment_id)
    data.assessment = "Gaining range; tolerates load well."
    with db.session() as s:
        detail = sessions.save_record(s, clinic.therapist, clinic.appointment_id, data, sign=True)
    assert detail.status == RecordStatus.SIGNED.value
    assert [(i.code, i.units) for i in detail.data.interventions] == [("97110", 2), ("97140", 1)]
    assert detail.timed_minutes == 40 and detail.total_units == 3
    assert detail.signed_by_name == "Tara Therapist"
    assert detail.signed_at is not None and detail.signed_at.tzinfo is not None
    assert detail.start == datetime(2026, 3, 11, 9, 0) and detail.start.tzinfo is None
    with db.session() as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.entity == "session_record")).all()
    assert len(events) == 1 and "signed" in events[0].summary


def test_technician_records_then_therapist_cosigns_with_assessment(db, clinic):
    data = _filled(db, clinic.appointment_id)
    with db.session() as s:
        draft = sessions.save_record(s, clinic.technician, clinic.appointment_id, data)
    assert draft.status == RecordStatus.DRAFT.value
    with db.session() as s:
        sent = sessions.save_record(s, clinic.technician, clinic.appointment_id, data, sign=True)
    assert sent.status == RecordStatus.AWAITING_COSIGN.value
    with db.session() as s:
        waiting = sessions.awaiting_cosign(s, clinic.therapist.id)
        assert [r.id for r in waiting] == [sent.id]
        assert sessions.awaiting_cosign(s, clinic.assistant.id) == []
    with db.session() as s:
        done = sessions.cosign(
            s, clinic.therapist, sent.id, "Progressing as expected.", "Continue."
        )
    assert done.status == RecordStatus.SIGNED.value
    assert done.cosigned_by_name == "Tara Therapist" and done.cosigned_at is not None
    assert done.data.assessment == "Progressing as expected."
    assert done.provider_name == "Ted Tech" and done.signed_by_name == "Ted Tech"
    with db.session() as s:
        assert sessions.awaiting_cosign(s) == []


def test_technician_cannot_write_an_assessment_or_sign_off(db, clinic):
    data = _filled(db, clinic.appointment_id)
    data.assessment = "Looks better."
    with db.session() as s, pytest.raises(PermissionDenied):
        sessions.save_record(s, clinic.technician, clinic.appointment_id, data)
    data.assessment, data.plan = "", "More squats"
    with db.session() as s, pytest.raises(PermissionDenied):
        sessions.save_record(s, clinic.technician, clinic.appointment_id, data)
    data.plan = ""
    with db.session() as s:
        rec = sessions.save_record(s, clinic.technician, clinic.appointment_id, data, sign=True)
    with db.session() as s, pytest.raises(PermissionDenied):
        sessions.cosign(s, clinic.technician, rec.id, "Fine")
    with db.session() as s:
        assert s.get(SessionRecord, rec.id).status == RecordStatus.AWAITING_COSIGN.value


def test_technician_needs_a_cosigner(db, clinic):
    data = replace(_filled(db, clinic.appointment_id), supervisor_id=None)
    with db.session() as s, pytest.raises(ValidationError) as err:
        sessions.save_record(s, clinic.technician, clinic.appointment_id, data, sign=True)
    assert err.value.field == "supervisor_id"
    data.supervisor_id = clinic.front_desk.id
    with db.session() as s, pytest.raises(ValidationError):
        sessions.save_record(s, clinic.technician, clinic.appointment_id, data, sign=True)


def test_front_desk_cannot_record(db, clinic):
    with db.session() as s, pytest.raises(PermissionDenied):
        sessions.save_record(
            s, clinic.front_desk, clinic.appointment_id, _filled(db, clinic.appointment_id)
        )


def test_signed_record_is_locked_and_only_amended(db, clinic):
    data = _filled(db, clinic.appointment_id)
    with db.session() as s:
        rec = sessions.save_record(s, clinic.therapist, clinic.appointment_id, data, sign=True)
    changed = replace(data, treatment="Something else")
    for actor in (clinic.therapist, clinic.owner, clinic.technician):
        with db.session() as s, pytest.raises((RecordLocked, PermissionDenied)):
            sessions.save_record(s, actor, clinic.appointment_id, changed)
    with db.session() as s, pytest.raises(RecordLocked):
        sessions.cosign(s, clinic.therapist, rec.id, "again")
    when = datetime(2026, 3, 12, 15, 0, tzinfo=UTC)
    with db.session() as s:
        amended = sessions.add_addendum(
            s, clinic.technician, rec.id, "Patient called: soreness settled.", now=when
        )
    assert amended.data.treatment == data.treatment
    assert [(a.author_name, a.at, a.text) for a in amended.addenda] == [
        ("Ted Tech", when, "Patient called: soreness settled.")
    ]
    with db.session() as s, pytest.raises(ValidationError) as err:
        sessions.add_addendum(s, clinic.therapist, rec.id, "   ")
    assert err.value.field == "addendum"


def test_addendum_only_on_signed_records(db, clinic):
    with db.session() as s:
        rec = sessions.save_record(
            s, clinic.therapist, clinic.appointment_id, _filled(db, clinic.appointment_id)
        )
    with db.session() as s, pytest.raises(ValidationError):
        sessions.add_addendum(s, clinic.therapist, rec.id, "Note")


def test_waiting_record_cannot_be_changed_by_its_technician(db, clinic):
    data = _filled(db, clinic.appointment_id)
    with db.session() as s:
        sessions.save_record(s, clinic.technician, clinic.appointment_id, data, sign=True)
    with db.session() as s, pytest.raises(RecordLocked):
        sessions.save_record(s, clinic.technician, clinic.appointment_id, data)


def test_therapist_finishing_a_technician_record_cosigns_it(db, clinic):
    data = _filled(db, clinic.appointment_id)
    with db.session() as s:
        sessions.save_record(s, clinic.technician, clinic.appointment_id, data, sign=True)
    data.assessment = "Good session."
    with db.session() as s:
        done = sessions.save_record(s, clinic.assistant, clinic.appointment_id, data, sign=True)
    assert done.status == RecordStatus.SIGNED.value
    assert done.cosigned_by_name == "Amos Assistant"
    assert done.provider_name == "Ted Tech"


def test_owner_signs_only_when_licensed(db, clinic, owner):
    # The owner fixture is "PT, DPT": a licensed therapist who may co-sign.
    data = _filled(db, clinic.appointment_id)
    with db.session() as s:
        rec = sessions.save_record(s, clinic.technician, clinic.appointment_id, data, sign=True)
    business_owner = make_staff(db, owner, "Bea Business", "owner", "MBA")
    with db.session() as s, pytest.raises(PermissionDenied) as err:
        sessions.cosign(s, business_owner, rec.id, "ok")
    assert "licensed" in str(err.value)
    with db.session() as s:
        assert sessions.cosign(s, owner, rec.id, "ok").status == RecordStatus.SIGNED.value
        names = [x.name for x in sessions.signers(s)]
    assert "Olivia Owner" in names and "Bea Business" not in names and "Ted Tech" not in names


def test_an_unlicensed_owner_signing_waits_for_a_co_sign(db, clinic, owner):
    business_owner = make_staff(db, owner, "Bea Business", "owner", "MBA")
    data = _filled(db, clinic.appointment_id)
    with db.session() as s:
        data.supervisor_id = sessions.signers(s)[0].id
        rec = sessions.save_record(s, business_owner, clinic.appointment_id, data, sign=True)
    assert rec.status == RecordStatus.AWAITING_COSIGN.value
    with db.session() as s:
        assert sessions.cosign(s, owner, rec.id, "ok").status == RecordStatus.SIGNED.value


@pytest.mark.parametrize(
    ("credentials", "licensed"),
    [
        ("PT, DPT", True),
        ("PTA", True),
        ("DPT", True),
        ("PT Tech", False),
        ("", False),
        ("MBA", False),
    ],
)
def test_licence_from_credentials(credentials, licensed):
    assert sessions.is_licensed(credentials) is licensed


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (dict(pain_before=11), "pain_before"),
        (dict(pain_after=-1), "pain_after"),
        (dict(bp_systolic=300), "bp_systolic"),
        (dict(bp_systolic=120, bp_diastolic=None), "bp_diastolic"),
        (dict(bp_systolic=None, bp_diastolic=80), "bp_systolic"),
        (dict(bp_systolic=80, bp_diastolic=90), "bp_diastolic"),
        (dict(bp_diastolic=10), "bp_diastolic"),
        (dict(heart_rate=20), "heart_rate"),
        (dict(heart_rate=250), "heart_rate"),
        (dict(spo2=101), "spo2"),
        (dict(spo2=50), "spo2"),
        (dict(interventions=[InterventionEntry("99999", 10)]), "interventions"),
        (dict(interventions=[InterventionEntry("97110", 0)]), "interventions"),
        (
            dict(interventions=[InterventionEntry("97110", 5), InterventionEntry("97110", 5)]),
            "interventions",
        ),
    ],
)
def test_implausible_input_is_refused_by_field(db, clinic, changes, field):
    data = replace(_filled(db, clinic.appointment_id), **changes)
    with db.session() as s, pytest.raises(ValidationError) as err:
        sessions.save_record(s, clinic.therapist, clinic.appointment_id, data)
    assert err.value.field == field
    with db.session() as s:
        assert s.exec(select(SessionRecord)).all() == []


def test_untimed_code_without_minutes_is_one_unit(db, clinic):
    data = replace(
        _filled(db, clinic.appointment_id),
        interventions=[InterventionEntry("97161", 0), InterventionEntry("97110", 7)],
    )
    with db.session() as s:
        rec = sessions.save_record(s, clinic.therapist, clinic.appointment_id, data)
    assert {i.code: i.units for i in rec.data.interventions} == {"97161": 1, "97110": 0}


def test_only_checked_in_or_completed_visits_are_recorded(db, clinic):
    booked = add_visit(db, clinic.patient_id, clinic.therapist.id, hour=14, status="scheduled")
    with db.session() as s, pytest.raises(ValidationError) as err:
        sessions.save_record(s, clinic.therapist, booked, SessionInput())
    assert err.value.field == "appointment"
    with db.session() as s, pytest.raises(NotFound):
        sessions.record_for_appointment(s, 9999)


def test_lists_show_records_by_day(db, clinic):
    with db.session() as s:
        sessions.save_record(
            s, clinic.therapist, clinic.appointment_id, _filled(db, clinic.appointment_id)
        )
        rows = sessions.list_records(s, clinic_day(), clinic_day())
        assert [(r.patient_name, r.units, r.status) for r in rows] == [
            ("Maria Lopez", 3, RecordStatus.DRAFT.value)
        ]
        assert sessions.patient_records(s, clinic.patient_id)[0].id == rows[0].id


def clinic_day():
    from tests.session_helpers import DAY

    return DAY


def test_therapist_signing_a_technician_draft_cosigns_it(db, clinic):
    data = _filled(db, clinic.appointment_id)
    with db.session() as s:
        sessions.save_record(s, clinic.technician, clinic.appointment_id, data)
    data.assessment = "Fine."
    with db.session() as s:
        done = sessions.save_record(s, clinic.therapist, clinic.appointment_id, data, sign=True)
    assert done.status == RecordStatus.SIGNED.value
    assert done.provider_name == "Ted Tech"
    assert done.cosigned_by_name == "Tara Therapist" and done.supervisor_id == clinic.therapist.id


def test_technician_cannot_change_someone_elses_draft(db, clinic, owner):
    other = make_staff(db, owner, "Una Aide", "technician", "PT Aide")
    data = _filled(db, clinic.appointment_id)
    with db.session() as s:
        sessions.save_record(s, clinic.technician, clinic.appointment_id, data)
    with db.session() as s, pytest.raises(PermissionDenied):
        sessions.save_record(s, other, clinic.appointment_id, data)
