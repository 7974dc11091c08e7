"""Insurance authorizations: visits used across date ranges, warnings, add/edit/deactivate."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlmodel import select

from ptdesk.errors import PtdeskError, ValidationError
from ptdesk.models import Appointment, AppointmentStatus, AuditEvent, Authorization
from ptdesk.services import authorizations as auths
from ptdesk.services import patients
from ptdesk.services.authorizations import AuthorizationData
from ptdesk.services.patients import PatientData

TODAY = date(2026, 3, 11)
START = date(2026, 1, 1)
END = date(2026, 1, 31)


@pytest.fixture
def patient_id(db, owner) -> int:
    with db.session() as s:
        p = patients.create_patient(
            s, owner, PatientData(first_name="Ana", last_name="Lopez"), today=TODAY
        )
    return p.id


def _visit(db, owner, patient_id, start: datetime, status=AppointmentStatus.COMPLETED) -> None:
    with db.session() as s:
        s.add(
            Appointment(
                patient_id=patient_id,
                staff_id=owner.id,
                start=start,
                end=start + timedelta(minutes=45),
                status=status.value,
            )
        )


def _auth(db, owner, patient_id, visits=12, start=START, end=END, payer="Blue Shield"):
    with db.session() as s:
        return auths.add_authorization(
            s,
            owner,
            patient_id,
            AuthorizationData(
                payer=payer,
                member_number="M-1",
                visits_authorized=visits,
                start_date=start,
                end_date=end,
            ),
        )


def test_visits_on_the_boundary_days_count(db, owner, patient_id):
    auth = _auth(db, owner, patient_id)
    _visit(db, owner, patient_id, datetime.combine(START, time(0, 0)))  # first minute
    _visit(db, owner, patient_id, datetime.combine(START, time(7, 0)))
    _visit(db, owner, patient_id, datetime.combine(END, time(18, 15)))
    _visit(db, owner, patient_id, datetime.combine(END, time(23, 59)))  # last minute
    _visit(db, owner, patient_id, datetime.combine(START - timedelta(days=1), time(18)))
    _visit(db, owner, patient_id, datetime.combine(END + timedelta(days=1), time(0)))
    _visit(db, owner, patient_id, datetime(2026, 1, 15, 9), AppointmentStatus.NO_SHOW)
    _visit(db, owner, patient_id, datetime(2026, 1, 16, 9), AppointmentStatus.CANCELLED)
    _visit(db, owner, patient_id, datetime(2026, 1, 17, 9), AppointmentStatus.SCHEDULED)
    with db.session() as s:
        row = auths.get_authorization(s, auth.id)
        assert auths.visits_used(s, row) == 4
        status = auths.status_of(s, row, today=date(2026, 1, 10))
    assert status.text == "4 of 12 used, expires 2026-01-31"
    assert status.remaining == 8


def test_counting_is_per_range_and_per_patient(db, owner, patient_id):
    with db.session() as s:
        other = patients.create_patient(
            s, owner, PatientData(first_name="Ben", last_name="Okafor"), today=TODAY
        ).id
    jan = _auth(db, owner, patient_id, start=START, end=END)
    feb = _auth(db, owner, patient_id, start=date(2026, 2, 1), end=date(2026, 2, 28))
    for day in (1, 31):
        _visit(db, owner, patient_id, datetime(2026, 1, day, 10))
    for day in (1, 2, 28):
        _visit(db, owner, patient_id, datetime(2026, 2, day, 10))
    _visit(db, owner, other, datetime(2026, 1, 20, 10))
    with db.session() as s:
        assert auths.visits_used(s, auths.get_authorization(s, jan.id)) == 2
        assert auths.visits_used(s, auths.get_authorization(s, feb.id)) == 3


def test_warnings_for_few_visits_left_and_near_expiry(db, owner, patient_id):
    auth = _auth(db, owner, patient_id, visits=3)
    _visit(db, owner, patient_id, datetime(2026, 1, 5, 9))
    with db.session() as s:
        row = auths.get_authorization(s, auth.id)
        assert auths.status_of(s, row, today=date(2026, 1, 10)).warnings == []
        # 15 days before the end: no expiry warning yet; 14 days before: warned.
        assert auths.status_of(s, row, today=date(2026, 1, 16)).warnings == []
        near = auths.status_of(s, row, today=date(2026, 1, 17)).warnings
        assert near == ["The authorization ends on 2026-01-31 (within 14 days)."]
    _visit(db, owner, patient_id, datetime(2026, 1, 6, 9))
    with db.session() as s:
        row = auths.get_authorization(s, auth.id)
        assert auths.status_of(s, row, today=date(2026, 1, 10)).warnings == [
            "Only 1 authorized visit left."
        ]
    _visit(db, owner, patient_id, datetime(2026, 1, 7, 9))
    _visit(db, owner, patient_id, datetime(2026, 1, 8, 9))
    with db.session() as s:
        row = auths.get_authorization(s, auth.id)
        late = auths.status_of(s, row, today=date(2026, 2, 1))
    assert late.expired and late.text == "4 of 3 used, expired 2026-01-31"
    assert late.warnings == [
        "4 visits were used: 1 more than the 3 authorized.",
        "The authorization expired on 2026-01-31.",
    ]


def test_booking_warnings_past_count_and_past_range(db, owner, patient_id):
    with db.session() as s:
        assert auths.booking_warnings(s, patient_id, datetime(2026, 1, 20, 9)) == []
    _auth(db, owner, patient_id, visits=3)
    _visit(db, owner, patient_id, datetime(2026, 1, 5, 9))
    _visit(db, owner, patient_id, datetime(2026, 1, 12, 9), AppointmentStatus.SCHEDULED)
    with db.session() as s:
        ok_day = datetime(2026, 1, 20, 9)
        assert auths.booking_warnings(s, patient_id, ok_day, today=date(2026, 1, 1)) == [
            "This is the last visit the authorization allows."
        ]
        # Moving the scheduled visit itself does not count it twice.
        moved = s.exec(select(Appointment).where(Appointment.status == "scheduled")).one()
        assert auths.booking_warnings(
            s, patient_id, ok_day, today=date(2026, 1, 1), exclude_appointment_id=moved.id
        ) == ["Only 1 authorized visit will be left after this one."]
    _visit(db, owner, patient_id, datetime(2026, 1, 13, 9), AppointmentStatus.SCHEDULED)
    with db.session() as s:
        over = auths.booking_warnings(s, patient_id, datetime(2026, 1, 31, 18), today=TODAY)
        assert over and "visit 4 of 3" in over[0]
        after = auths.booking_warnings(s, patient_id, datetime(2026, 2, 1, 8), today=TODAY)
        assert after == [
            "This visit is after the authorization from Blue Shield ended (2026-01-31)."
        ]
        before = auths.booking_warnings(s, patient_id, datetime(2025, 12, 31, 8), today=TODAY)
        assert before == ["No authorization covers 2025-12-31."]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"payer": "  "}, "payer"),
        ({"visits_authorized": 0}, "visits_authorized"),
        ({"visits_authorized": 1000}, "visits_authorized"),
        ({"start_date": None}, "start_date"),
        ({"end_date": None}, "end_date"),
        ({"end_date": START - timedelta(days=1)}, "end_date"),
        ({"end_date": START + timedelta(days=5 * 365)}, "end_date"),
    ],
)
def test_invalid_authorization_names_its_field(db, owner, patient_id, changes, field):
    values = dict(payer="Aetna", visits_authorized=10, start_date=START, end_date=END)
    values.update(changes)
    with pytest.raises(ValidationError) as info, db.session() as s:
        auths.add_authorization(s, owner, patient_id, AuthorizationData(**values))
    assert info.value.field == field
    with db.session() as s:
        assert s.exec(select(Authorization)).all() == []


def test_edit_and_deactivate_instead_of_delete(db, owner, patient_id):
    auth = _auth(db, owner, patient_id, payer=" Aetna ")
    assert auth.payer == "Aetna"
    with db.session() as s:
        data = AuthorizationData.from_row(auths.get_authorization(s, auth.id))
        data.visits_authorized = 20
        auths.update_authorization(s, owner, auth.id, data)
    with db.session() as s:
        auths.deactivate_authorization(s, owner, auth.id)
    with pytest.raises(PtdeskError), db.session() as s:
        auths.deactivate_authorization(s, owner, auth.id)
    with db.session() as s:
        assert auths.list_for_patient(s, patient_id) == []
        kept = auths.list_for_patient(s, patient_id, include_inactive=True)
        assert [(a.visits_authorized, a.active) for a in kept] == [(20, False)]
        statuses = auths.statuses_for_patient(s, patient_id, today=TODAY)
        assert [(x.active, x.warnings) for x in statuses] == [(False, [])]
        assert auths.current_status(s, patient_id, today=TODAY) is None
        actions = [
            e.action for e in s.exec(select(AuditEvent).where(AuditEvent.entity == "authorization"))
        ]
        assert actions == ["create", "update", "deactivate"]
    with db.session() as s:
        auths.set_authorization_active(s, owner, auth.id, True)
        assert auths.current_status(s, patient_id, today=TODAY).visits_authorized == 20


def test_statuses_for_many_patients_match_one_at_a_time(demo_db):
    """The batched form used by lists that refresh by themselves gives the same answers."""
    from datetime import date

    from sqlmodel import select

    from ptdesk.models import Patient
    from ptdesk.services import authorizations as auth_service

    day = date(2026, 3, 11)
    with demo_db.session() as s:
        ids = list(s.exec(select(Patient.id)))
        many = auth_service.current_statuses(s, ids, today=day)
        one_by_one = {
            pid: st
            for pid in ids
            if (st := auth_service.current_status(s, pid, today=day)) is not None
        }
    assert len(many) > 50  # the demo gives most patients an authorization
    assert many == one_by_one
    assert any(st.warnings for st in many.values())
