"""The whole role × action matrix, walked over the services themselves (not over screens)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import Session

from ptdesk.db import open_database
from ptdesk.errors import PermissionDenied
from ptdesk.models import Appointment, Patient, Role
from ptdesk.models.common import utcnow
from ptdesk.services import (
    audit_trail,
    auth,
    authorizations,
    billing,
    cleaning,
    clinic,
    equipment,
    exercises,
    imports,
    patients,
    programs,
    reporting,
    rooms,
    scheduling,
    sessions,
    staff,
    transfers,
)
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import PERMISSIONS, allowed

DAY = date(2026, 3, 9)  # a Monday
AT = datetime.combine(DAY, time(10))


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A small clinic with one of everything and one person per role, built once."""
    path = tmp_path_factory.mktemp("matrix") / "clinic.sqlite3"
    database = open_database(path)
    try:
        with database.session() as s:
            owner = Actor.from_staff(staff.create_first_owner(s, "Olivia Owner", "PT, DPT"))
        world = _build(database, owner)
    finally:
        database.close()
    return path, world


@pytest.fixture
def world(template, tmp_path):
    """A private copy of the template clinic for one test."""
    path, built = template
    copy = tmp_path / "matrix" / "clinic.sqlite3"
    copy.parent.mkdir(parents=True)
    shutil.copy(path, copy)
    database = open_database(copy)
    yield SimpleNamespace(db=database, people=built.people, ids=built.ids)
    database.close()


def _build(db, owner):
    with db.session() as s:
        exercises.sync_library(s)
        licence = {Role.THERAPIST: "PT, DPT", Role.ASSISTANT: "PTA"}
        people = {
            role: Actor.from_staff(
                staff.create_staff(
                    s, owner, f"{role.label} Person", role.value, licence.get(role, "")
                )
            )
            for role in Role
            if role != Role.OWNER
        }
        people[Role.OWNER] = owner
        p = Patient(chart_number="000001", first_name="Mia", last_name="Lopez")
        s.add(p)
        s.flush()
        appt = Appointment(
            patient_id=p.id, staff_id=owner.id, start=AT, end=AT + timedelta(minutes=45)
        )
        s.add(appt)
        item = equipment.create_equipment(
            s, owner, equipment.EquipmentData(name="Table 1", safety_check_due=DAY)
        )
        hydro = equipment.create_equipment(
            s,
            owner,
            equipment.EquipmentData(name="Hydrocollator", category="hydrocollator"),
        )
        entry = cleaning.log_cleaning(s, owner, [item.id])[0]
        s.flush()
        # Visits with session records: one to record, one awaiting co-sign, one signed.
        visits = []
        for days_back in (1, 2, 3):
            start = AT - timedelta(days=days_back)
            visit = Appointment(
                patient_id=p.id,
                staff_id=owner.id,
                start=start,
                end=start + timedelta(minutes=45),
                status="completed",
            )
            s.add(visit)
            visits.append(visit)
        s.flush()
        tech = people[Role.TECHNICIAN]
        waiting = sessions.new_input(s, visits[1].id)
        waiting.supervisor_id = people[Role.THERAPIST].id
        waiting_record = sessions.save_record(s, tech, visits[1].id, waiting, sign=True)
        signed_record = sessions.save_record(
            s, owner, visits[2].id, sessions.new_input(s, visits[2].id), sign=True
        )
        exercise = exercises.list_exercises(s)[0]
        programs.save_program(
            s,
            owner,
            p.id,
            programs.ProgramData(
                patient_id=p.id,
                start_date=DAY,
                items=[programs.ProgramItem.from_exercise(exercise)],
            ),
        )
        ids = SimpleNamespace(
            patient=p.id,
            appointment=appt.id,
            item=item.id,
            hydro=hydro.id,
            entry=entry.id,
            exercise=exercise,
            member=people[Role.FRONT_DESK].id,
            to_record=visits[0].id,
            waiting_record=waiting_record.id,
            signed_record=signed_record.id,
        )
    return SimpleNamespace(people=people, ids=ids)


def _program(w) -> programs.ProgramData:
    return programs.ProgramData(
        patient_id=w.ids.patient,
        start_date=DAY,
        items=[programs.ProgramItem.from_exercise(w.ids.exercise)],
    )


# action -> a call that needs exactly that permission
CALLS: dict[str, Callable[[Session, Actor, SimpleNamespace], object]] = {
    "edit_clinic_profile": lambda s, a, w: clinic.update_profile(s, a, clinic.get_profile(s)),
    "manage_staff": lambda s, a, w: staff.create_staff(s, a, "New Person", "front_desk"),
    "manage_rooms": lambda s, a, w: rooms.create_room(s, a, rooms.RoomData(name="Gym 2")),
    "edit_patient": lambda s, a, w: patients.create_patient(
        s, a, patients.PatientData(first_name="Zoe", last_name="Adams"), today=DAY
    ),
    "manage_authorizations": lambda s, a, w: authorizations.add_authorization(
        s,
        a,
        w.ids.patient,
        authorizations.AuthorizationData(
            payer="Aetna", visits_authorized=12, start_date=DAY, end_date=DAY + timedelta(60)
        ),
    ),
    "book": lambda s, a, w: scheduling.book(
        s,
        a,
        scheduling.BookingRequest(
            patient_id=w.ids.patient,
            staff_id=w.people[Role.THERAPIST].id,
            start=AT + timedelta(hours=3),
        ),
        override_reason="test",
    ),
    "cancel_appointment": lambda s, a, w: scheduling.cancel(
        s, a, w.ids.appointment, "Patient is ill", now=AT - timedelta(days=2)
    ),
    "update_appointment_status": lambda s, a, w: scheduling.check_in(
        s, a, w.ids.appointment, now=AT
    ),
    "correct_appointment_status": lambda s, a, w: scheduling.correct_status(
        s, a, w.ids.appointment, "completed", "Seen but not marked", now=AT + timedelta(hours=1)
    ),
    "manage_equipment": lambda s, a, w: equipment.create_equipment(
        s, a, equipment.EquipmentData(name="Bike")
    ),
    "log_cleaning": lambda s, a, w: cleaning.log_cleaning(s, a, [w.ids.item]),
    "correct_cleaning": lambda s, a, w: cleaning.correct_cleaning(
        s, a, w.ids.entry, reason="Wrong product", void=True
    ),
    "set_equipment_service": lambda s, a, w: equipment.set_out_of_service(
        s, a, w.ids.item, "Torn cover"
    ),
    "record_device_check": lambda s, a, w: equipment.record_device_check(
        s, a, w.ids.item, "safety", DAY + timedelta(days=365), today=DAY
    ),
    "log_water_temperature": lambda s, a, w: equipment.log_water_reading(
        s, a, w.ids.hydro, 70.0, "C"
    ),
    "change_program": lambda s, a, w: programs.save_program(s, a, w.ids.patient, _program(w)),
    "edit_exercise_library": lambda s, a, w: exercises.add_exercise(
        s, a, exercises.ExerciseInput(name="Wall slide", region="knee", steps=["Slide down."])
    ),
    "print_exercise_sheets": lambda s, a, w: programs.set_large_print(s, a, w.ids.patient, True),
    "view_audit": lambda s, a, w: audit_trail.search(s, a, audit_trail.AuditFilter()),
    "record_session": lambda s, a, w: sessions.save_record(
        s, a, w.ids.to_record, sessions.new_input(s, w.ids.to_record)
    ),
    "co_sign": lambda s, a, w: sessions.cosign(s, a, w.ids.waiting_record, "Tolerated well."),
    "amend_session": lambda s, a, w: sessions.add_addendum(
        s, a, w.ids.signed_record, "Late entry: ice pack for 10 minutes."
    ),
    "manage_billing_codes": lambda s, a, w: billing.save_code(
        s, a, None, "97799", "Unlisted procedure", False
    ),
    "run_transfer_checklist": lambda s, a, w: transfers.start_checklist(s, a, w.ids.patient),
    "update_mobility_profile": lambda s, a, w: transfers.save_assessment_to_profile(
        s,
        a,
        w.ids.patient,
        transfers.Assessment(
            weight_bearing="full",
            upper_limb_strength_left=True,
            upper_limb_strength_right=True,
            cooperation="cooperative",
        ),
    ),
    "edit_transfer_rules": lambda s, a, w: transfers.set_bariatric_threshold(s, a, 45.0),
    "export_report": lambda s, a, w: reporting.monthly_report(s, a, DAY.replace(day=1)),
    "import_data": lambda s, a, w: imports.import_csv(
        s, a, "staff", b"name,role\nNew Aide,technician\n"
    ),
}
# Actions checked where no service takes an actor: backups and restores run on the file
# itself (restore is refused in services/data_files.py, tested in test_backup.py), and CSV
# export is also a command-line tool.
OUTSIDE_SERVICES = {"backup", "restore_backup", "export_data"}
# Further writes that need the same permission as an action above.
EXTRA_CALLS: dict[str, Callable[[Session, Actor, SimpleNamespace], object]] = {
    "manage_staff": lambda s, a, w: auth.set_pin(s, a, w.ids.member, "2468"),
    "edit_clinic_profile": lambda s, a, w: auth.set_idle_lock_minutes(s, a, 9),
}


def test_every_action_is_walked():
    assert set(CALLS) | OUTSIDE_SERVICES == set(PERMISSIONS)


CASES = [(a, CALLS[a]) for a in CALLS] + [(a, EXTRA_CALLS[a]) for a in EXTRA_CALLS]


@pytest.mark.parametrize(
    ("action", "call"), CASES, ids=[f"{a}-{i}" for i, (a, _) in enumerate(CASES)]
)
def test_each_role_is_allowed_or_refused_as_the_table_says(world, action, call):
    """Every role tries the call; refused ones raise PermissionDenied, allowed ones succeed."""
    wrong = []
    for role in Role:
        actor = world.people[role]
        may = allowed(actor, action)
        assert may == (role in PERMISSIONS[action][0])
        with Session(world.db.engine, expire_on_commit=False) as s:
            try:
                call(s, actor, world)  # an allowed call must not fail in any other way either
                outcome = "done"
            except PermissionDenied as exc:
                assert actor.name in exc.message
                outcome = "refused"
            finally:
                s.rollback()
        if outcome != ("done" if may else "refused"):
            wrong.append(f"{role.value}: {outcome}")
    assert wrong == [], f"{action}: {wrong}"


def test_refusal_names_who_may(world):
    tech = world.people[Role.TECHNICIAN]
    with Session(world.db.engine) as s, pytest.raises(PermissionDenied) as info:
        CALLS["book"](s, tech, world)
    message = info.value.message
    assert "may not book appointments" in message
    who = message.split("these roles:")[1]
    assert "Front desk" in who and "Technician" not in who


def test_nothing_is_written_by_a_refused_call(world):
    db = world.db
    desk = world.people[Role.FRONT_DESK]
    before = utcnow()
    with pytest.raises(PermissionDenied), db.session() as s:
        equipment.create_equipment(s, desk, equipment.EquipmentData(name="Bike"))
    with db.session() as s:
        names = [e.name for e in equipment.list_equipment(s)]
        recent = [
            e
            for e in audit_trail.search(s, world.people[Role.OWNER], audit_trail.AuditFilter())
            if e.at >= before
        ]
    assert "Bike" not in names and recent == []
