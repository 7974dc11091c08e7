"""The audit trail: each kind of write leaves who/what/before/after; the owner filters and exports."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from sqlmodel import col, select

from ptdesk.errors import PermissionDenied
from ptdesk.models import AuditEvent, Patient
from ptdesk.services import (
    audit_trail,
    auth,
    authorizations,
    cleaning,
    clinic,
    equipment,
    patients,
    programs,
    rooms,
    scheduling,
    staff,
)
from ptdesk.services.audit import Actor
from ptdesk.services.audit_trail import AuditFilter

DAY = date(2026, 3, 9)


def _last(db) -> AuditEvent:
    with db.session() as s:
        return s.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()


@pytest.fixture
def clinic_day(db, owner):
    with db.session() as s:
        ana = staff.create_staff(s, owner, "Ana Therapist", "therapist")
        p = patients.create_patient(
            s, owner, patients.PatientData(first_name="Mia", last_name="Lopez"), today=DAY
        )
        q = patients.create_patient(
            s, owner, patients.PatientData(first_name="Noah", last_name="Kim"), today=DAY
        )
    return {"ana": ana.id, "mia": p.id, "noah": q.id}


def test_each_kind_of_write_records_before_and_after(db, owner, clinic_day):
    mia = clinic_day["mia"]
    # a patient's details
    with db.session() as s:
        data = patients.PatientData.from_patient(s.get(Patient, mia))
        patients.update_patient(s, owner, mia, replace(data, phone="555-201-3344"), today=DAY)
    event = _last(db)
    assert (event.entity, event.action, event.patient_id) == ("patient", "update", mia)
    assert event.changes == {"phone": ["", "555-201-3344"]}
    assert event.actor_name == "Olivia Owner" and event.at.tzinfo is not None

    # a booking and its cancellation, traced to the patient through the appointment
    start = datetime.combine(DAY, time(10))
    with db.session() as s:
        appt = scheduling.book(
            s,
            owner,
            scheduling.BookingRequest(patient_id=mia, staff_id=clinic_day["ana"], start=start),
            override_reason="test",
        )
    assert _last(db).patient_id == mia and _last(db).entity == "appointment"
    with db.session() as s:
        scheduling.cancel(s, owner, appt.id, "Patient is ill", now=start - timedelta(days=3))
    event = _last(db)
    assert event.action == "cancel" and event.patient_id == mia
    assert event.changes["status"] == ["scheduled", "cancelled"]

    # an insurance authorization
    with db.session() as s:
        authorizations.add_authorization(
            s,
            owner,
            mia,
            authorizations.AuthorizationData(
                payer="Aetna", visits_authorized=12, start_date=DAY, end_date=DAY + timedelta(60)
            ),
        )
    event = _last(db)
    assert event.entity == "authorization" and event.patient_id == mia
    assert event.changes["visits_authorized"] == [None, 12]

    # staff, rooms, clinic profile, equipment, cleaning: no patient
    with db.session() as s:
        data = staff.StaffData.from_staff(staff.get_staff(s, clinic_day["ana"]))
        staff.update_staff(s, owner, clinic_day["ana"], replace(data, credentials="PT, DPT"))
    event = _last(db)
    assert event.changes == {"credentials": ["", "PT, DPT"]} and event.patient_id is None
    with db.session() as s:
        room = rooms.create_room(s, owner, rooms.RoomData(name="Gym"))
    assert _last(db).changes["name"] == [None, "Gym"]
    with db.session() as s:
        rooms.update_room(s, owner, room.id, rooms.RoomData(name="Main gym"))
    assert _last(db).changes["name"] == ["Gym", "Main gym"]
    with db.session() as s:
        profile = clinic.get_profile(s)
        clinic.update_profile(s, owner, replace(profile, name="Lakeside PT"))
    assert _last(db).changes == {"name": ["My Physical Therapy Clinic", "Lakeside PT"]}
    with db.session() as s:
        item = equipment.create_equipment(s, owner, equipment.EquipmentData(name="Bike"))
        equipment.set_out_of_service(s, owner, item.id, "Pedal loose")
    assert _last(db).changes["in_service"] == [True, False]
    with db.session() as s:
        equipment.return_to_service(s, owner, item.id)
        cleaning.log_cleaning(s, owner, [item.id])
    assert _last(db).entity == "cleaning_log"

    # a PIN: that it changed, never the hash or the PIN
    with db.session() as s:
        auth.set_pin(s, owner, clinic_day["ana"], "8642")
        auth.set_pin(s, owner, clinic_day["ana"], "8643")
    event = _last(db)
    assert event.action == "reset_pin" and event.changes == {"pin": ["set", "changed"]}
    assert "8643" not in str(event.changes) and "scrypt" not in str(event.changes)


def test_home_program_writes_name_the_patient(db, owner, clinic_day):
    from ptdesk.services import exercises

    with db.session() as s:
        exercises.sync_library(s)
        first = exercises.list_exercises(s)[0]
        programs.save_program(
            s,
            owner,
            clinic_day["noah"],
            programs.ProgramData(
                patient_id=clinic_day["noah"],
                start_date=DAY,
                items=[programs.ProgramItem.from_exercise(first)],
            ),
        )
    event = _last(db)
    assert event.patient_id == clinic_day["noah"] and event.action == "create"


def test_filters_by_person_patient_kind_and_date(clinic_clock, db, owner, clinic_day):
    with db.session() as s:
        ana = Actor.from_staff(staff.get_staff(s, clinic_day["ana"]))
        audit_trail.record_patient_view(s, ana, clinic_day["noah"])
    with db.session() as s:
        everything = audit_trail.search(s, owner, AuditFilter())
        by_ana = audit_trail.search(s, owner, AuditFilter(actor_id=ana.id))
        about_noah = audit_trail.search(s, owner, AuditFilter(patient_id=clinic_day["noah"]))
        noah_text = audit_trail.search(s, owner, AuditFilter(patient_text="kim"))
        views = audit_trail.search(s, owner, AuditFilter(kind="Records viewed"))
        patient_changes = audit_trail.search(s, owner, AuditFilter(kind="Patients"))
        staff_changes = audit_trail.search(s, owner, AuditFilter(kind="Staff and rooms"))
        today = clinic_clock.today
        this_day = audit_trail.search(s, owner, AuditFilter(start=today, end=today))
        long_ago = audit_trail.search(
            s, owner, AuditFilter(start=date(2020, 1, 1), end=date(2020, 1, 31))
        )
    assert len(everything) >= 4 and everything[0].action == "view"  # newest first
    assert [r.summary for r in by_ana] == ["Viewed the record of Noah Kim"]
    assert {r.action for r in about_noah} == {"create", "view"}
    assert [r.id for r in noah_text] == [r.id for r in about_noah]
    assert all(r.patient_name == "Kim, Noah" for r in about_noah)
    assert [r.action for r in views] == ["view"]
    assert {r.action for r in patient_changes} == {"create"} and len(patient_changes) == 2
    assert {r.entity for r in staff_changes} == {"staff"}
    assert len(this_day) == len(everything) and long_ago == []


def test_csv_export_and_only_the_owner_reads_the_trail(db, owner, clinic_day):
    with db.session() as s:
        ana = Actor.from_staff(staff.get_staff(s, clinic_day["ana"]))
    with pytest.raises(PermissionDenied), db.session() as s:
        audit_trail.search(s, ana, AuditFilter())
    out = io.StringIO()
    with db.session() as s:
        n = audit_trail.write_csv(s, owner, AuditFilter(patient_id=clinic_day["mia"]), out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == audit_trail.CSV_COLUMNS and n == len(rows) - 1 == 1
    assert rows[1][1] == "Olivia Owner" and rows[1][5] == "Lopez, Mia"
    assert '"first_name": [null, "Mia"]' in rows[1][7]
    assert _last(db).action == "export"  # exporting is itself on the trail


def test_viewing_needs_a_real_person_and_patient(db, owner, clinic_day):
    from ptdesk.services.audit import SYSTEM

    with db.session() as s:
        before = len(audit_trail.search(s, owner, AuditFilter()))
        audit_trail.record_patient_view(s, SYSTEM, clinic_day["mia"])
        audit_trail.record_patient_view(s, owner, 9999)
    with db.session() as s:
        assert len(audit_trail.search(s, owner, AuditFilter())) == before
