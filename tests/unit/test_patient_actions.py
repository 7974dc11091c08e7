"""Patient actions of several steps: discharge with the visits still booked, opening a record."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlmodel import select

from ptdesk.errors import PtdeskError
from ptdesk.models import AuditEvent, Role, Staff
from ptdesk.services import changes, clock, patients
from ptdesk.services import scheduling as sched
from ptdesk.services.authorizations import AuthorizationData, add_authorization
from ptdesk.services.patients import PatientData

DAY = date(2026, 3, 11)  # a Wednesday
NOW = datetime.combine(DAY, time(12, 0))


@pytest.fixture
def clinic(db, owner):
    with db.session() as s:
        ana = Staff(name="Ana Therapist", role=Role.THERAPIST.value)
        s.add(ana)
        s.flush()
        mia = patients.create_patient(s, owner, PatientData(first_name="Mia", last_name="Lopez"))
        noah = patients.create_patient(s, owner, PatientData(first_name="Noah", last_name="Kim"))
        return {"ana": ana.id, "mia": mia.id, "noah": noah.id}


def _book(db, owner, patient_id: int, staff_id: int, start: datetime) -> int:
    with db.session() as s:
        request = sched.BookingRequest(patient_id, staff_id, start, 45)
        return sched.book(s, owner, request, override_reason="test").id


def _statuses(db, ids: list[int]) -> list[str]:
    with db.session() as s:
        return [sched.get_appointment(s, i).status for i in ids]


def test_discharge_cancels_the_visits_still_booked_in_one_unit_of_work(db, owner, clinic):
    past = _book(db, owner, clinic["mia"], clinic["ana"], NOW - timedelta(hours=3))
    ahead = [
        _book(db, owner, clinic["mia"], clinic["ana"], NOW + timedelta(days=d)) for d in (1, 6)
    ]
    other = _book(db, owner, clinic["noah"], clinic["ana"], NOW + timedelta(days=1, hours=2))
    with db.session() as s:
        cancelled = patients.discharge_and_cancel_visits(s, owner, clinic["mia"], now=NOW)
        marked = changes.marked(s)
    assert cancelled == 2
    assert {changes.PATIENTS, changes.SCHEDULE} <= marked  # both kinds of screen refresh
    assert _statuses(db, ahead) == ["cancelled", "cancelled"]
    assert _statuses(db, [past, other]) == ["scheduled", "scheduled"]
    with db.session() as s:
        row = patients.get_patient(s, clinic["mia"])
        assert (row.active, row.discharged_on) == (False, DAY)
        reasons = {sched.get_appointment(s, i).cancel_reason for i in ahead}
    assert reasons == {patients.DISCHARGE_REASON}


def test_discharge_and_cancel_is_both_or_neither(db, owner, clinic, monkeypatch):
    ahead = _book(db, owner, clinic["mia"], clinic["ana"], NOW + timedelta(days=1))
    real = patients.scheduling.cancel_future_visits

    def cancel_then_fail(*args, **kwargs):
        real(*args, **kwargs)
        raise PtdeskError("The second step could not be done.")

    monkeypatch.setattr(patients.scheduling, "cancel_future_visits", cancel_then_fail)
    with pytest.raises(PtdeskError), db.session() as s:
        patients.discharge_and_cancel_visits(s, owner, clinic["mia"], now=NOW)
    with db.session() as s:
        assert patients.get_patient(s, clinic["mia"]).active
    assert _statuses(db, [ahead]) == ["scheduled"]


def test_discharge_reads_the_clinic_clock_when_no_time_is_given(db, owner, clinic):
    soon = _book(db, owner, clinic["mia"], clinic["ana"], NOW + timedelta(hours=2))
    earlier = _book(db, owner, clinic["mia"], clinic["ana"], NOW - timedelta(hours=2))
    clock.pin(NOW)
    try:
        with db.session() as s:
            assert patients.discharge_and_cancel_visits(s, owner, clinic["mia"]) == 1
    finally:
        clock.pin(None)
    assert _statuses(db, [soon, earlier]) == ["cancelled", "scheduled"]
    with db.session() as s:
        assert patients.get_patient(s, clinic["mia"]).discharged_on == DAY


def test_opening_a_record_is_logged_and_a_second_look_is_not(db, owner, clinic):
    with db.session() as s:
        add_authorization(
            s,
            owner,
            clinic["mia"],
            AuthorizationData(
                payer="Acme Health",
                visits_authorized=12,
                start_date=DAY - timedelta(days=10),
                end_date=DAY + timedelta(days=80),
            ),
        )
    with db.session() as s:
        record = patients.open_record(s, owner, clinic["mia"], today=DAY)
    assert record.patient.first_name == "Mia"
    assert [a.payer for a in record.authorizations] == ["Acme Health"]
    with db.session() as s:
        again = patients.open_record(s, owner, clinic["mia"], today=DAY, log_view=False)
    assert again.patient.id == clinic["mia"]
    with db.session() as s:
        views = list(s.exec(select(AuditEvent).where(AuditEvent.action == "view")))
    assert [(v.patient_id, v.summary) for v in views] == [
        (clinic["mia"], "Viewed the record of Mia Lopez")
    ]
