"""Staff and rooms: add, edit, working hours, colours, deactivation instead of deletion."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlmodel import select

from ptdesk.errors import PermissionDenied, PtdeskError, ValidationError
from ptdesk.models import Appointment, AuditEvent, Patient, Role, Room, Staff
from ptdesk.services import rooms, staff
from ptdesk.services.audit import Actor
from ptdesk.services.rooms import RoomData
from ptdesk.services.staff import StaffData

HOURS = {"1": ["07:00", "16:00"], "3": ["07:00", "16:00"], "5": ["10:00", "19:00"]}


def _add(db, owner, name="Tara Tech", role=Role.TECHNICIAN.value, **kw) -> Staff:
    with db.session() as s:
        return staff.create_staff(s, owner, StaffData(name=name, role=role, **kw))


def test_add_with_hours_and_colour(db, owner):
    row = _add(db, owner, credentials=" PT Tech ", working_hours=HOURS, color="#AABBCC")
    assert (row.credentials, row.color) == ("PT Tech", "#aabbcc")
    assert staff.hours_on(row.working_hours, 1) == (time(7), time(16))
    assert staff.hours_on(row.working_hours, 2) is None
    assert staff.works_during(
        row.working_hours, datetime(2026, 3, 9, 15, 15), datetime(2026, 3, 9, 16)
    )
    assert not staff.works_during(
        row.working_hours, datetime(2026, 3, 9, 15, 30), datetime(2026, 3, 9, 16, 15)
    )
    assert staff.describe_hours(row.working_hours) == "Mon, Wed 07:00–16:00; Fri 10:00–19:00"
    week = {str(d): ["07:00", "16:00"] for d in range(1, 6)}
    assert staff.describe_hours(week) == "Mon–Fri 07:00–16:00"


def test_new_staff_get_distinct_colours(db, owner):
    colours = {_add(db, owner, name=f"Person {i}").color for i in range(4)}
    with db.session() as s:
        owner_colour = staff.get_staff(s, owner.id).color
    assert len(colours | {owner_colour}) == 5


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"name": "Olivia Owner"}, "name"),
        ({"role": "boss"}, "role"),
        ({"color": "blue"}, "color"),
        ({"working_hours": {"8": ["07:00", "16:00"]}}, "working_hours"),
        ({"working_hours": {"1": ["7am", "4pm"]}}, "working_hours"),
        ({"working_hours": {"1": ["16:00", "07:00"]}}, "working_hours"),
        ({"working_hours": {"1": ["07:00"]}}, "working_hours"),
    ],
)
def test_invalid_staff_names_its_field(db, owner, changes, field):
    values = dict(name="Tara Tech", role=Role.TECHNICIAN.value)
    values.update(changes)
    with pytest.raises(ValidationError) as info, db.session() as s:
        staff.create_staff(s, owner, StaffData(**values))
    assert info.value.field == field
    with db.session() as s:
        assert len(s.exec(select(Staff)).all()) == 1


def test_edit_and_last_owner_guard(db, owner):
    tech = _add(db, owner)
    with db.session() as s:
        data = StaffData.from_staff(staff.get_staff(s, tech.id))
        data.role = Role.ASSISTANT.value
        data.working_hours = HOURS
        staff.update_staff(s, owner, tech.id, data)
    with db.session() as s:
        assert staff.get_staff(s, tech.id).role == "assistant"
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "update")).one()
        assert set(event.changes) == {"role", "working_hours"}
    with pytest.raises(ValidationError) as info, db.session() as s:
        data = StaffData.from_staff(staff.get_staff(s, owner.id))
        data.role = Role.THERAPIST.value
        staff.update_staff(s, owner, owner.id, data)
    assert info.value.field == "role"


def test_only_the_owner_manages_staff_and_rooms(db, owner):
    tech = _add(db, owner)
    actor = Actor.from_staff(tech)
    with pytest.raises(PermissionDenied), db.session() as s:
        staff.create_staff(s, actor, StaffData(name="New Person", role="front_desk"))
    with pytest.raises(PermissionDenied), db.session() as s:
        rooms.create_room(s, actor, RoomData(name="Gym", kind="gym"))


def test_staff_with_history_is_deactivated_not_deleted(db, owner):
    tech = _add(db, owner)
    spare = _add(db, owner, name="Entered By Mistake")
    with db.session() as s:
        patient = Patient(chart_number="1", first_name="A", last_name="B")
        s.add(patient)
        s.flush()
        start = datetime(2026, 3, 9, 9)
        s.add(
            Appointment(
                patient_id=patient.id,
                staff_id=tech.id,
                start=start,
                end=start + timedelta(minutes=45),
            )
        )
    with pytest.raises(PtdeskError) as info, db.session() as s:
        staff.delete_staff(s, owner, tech.id)
    assert "Deactivate" in info.value.message
    with db.session() as s:
        staff.set_staff_active(s, owner, tech.id, False)
        staff.delete_staff(s, owner, spare.id)
    with db.session() as s:
        assert [m.name for m in staff.list_staff(s)] == ["Olivia Owner"]
        everyone = staff.list_staff(s, include_inactive=True)
        assert [(m.name, m.active) for m in everyone] == [
            ("Olivia Owner", True),
            ("Tara Tech", False),
        ]
    with pytest.raises(PtdeskError), db.session() as s:  # the owner made changes: history
        staff.set_staff_active(s, owner, owner.id, False)
    with db.session() as s:
        staff.set_staff_active(s, owner, tech.id, True)
        assert staff.get_staff(s, tech.id).active


def test_rooms_add_edit_deactivate_and_delete_rules(db, owner):
    with db.session() as s:
        gym = rooms.create_room(s, owner, RoomData(name=" Gym ", kind="gym"))
        spare = rooms.create_room(s, owner, RoomData(name="Spare", kind="other"))
    assert gym.name == "Gym"
    with pytest.raises(ValidationError) as info, db.session() as s:
        rooms.create_room(s, owner, RoomData(name="gym", kind="treatment"))
    assert info.value.field == "name"
    with pytest.raises(ValidationError) as info, db.session() as s:
        rooms.create_room(s, owner, RoomData(name="Pool 2", kind="sauna"))
    assert info.value.field == "kind"
    with db.session() as s:
        rooms.update_room(s, owner, gym.id, RoomData(name="Main gym", kind="gym"))
        patient = Patient(chart_number="1", first_name="A", last_name="B")
        s.add(patient)
        s.flush()
        start = datetime(2026, 3, 9, 9)
        s.add(
            Appointment(
                patient_id=patient.id,
                staff_id=owner.id,
                room_id=gym.id,
                start=start,
                end=start + timedelta(minutes=45),
            )
        )
    with pytest.raises(PtdeskError), db.session() as s:
        rooms.delete_room(s, owner, gym.id)
    with db.session() as s:
        rooms.set_room_active(s, owner, gym.id, False)
        rooms.delete_room(s, owner, spare.id)
    with db.session() as s:
        assert rooms.list_rooms(s) == []
        assert [(r.name, r.active) for r in rooms.list_rooms(s, include_inactive=True)] == [
            ("Main gym", False)
        ]
        assert len(s.exec(select(Room)).all()) == 1
        actions = [e.action for e in s.exec(select(AuditEvent).where(AuditEvent.entity == "room"))]
        assert actions == ["create", "create", "update", "deactivate", "delete"]


def test_deleting_a_room_with_equipment_says_what_it_has(db, owner):
    from ptdesk.services import equipment
    from ptdesk.services.equipment import EquipmentData

    with db.session() as s:
        room = rooms.create_room(s, owner, RoomData(name="Gym"))
        equipment.create_equipment(s, owner, EquipmentData(name="Treadmill", room_id=room.id))
    with pytest.raises(PtdeskError) as err, db.session() as s:
        rooms.delete_room(s, owner, room.id)
    assert "1 equipment item" in err.value.message and "appointments" not in err.value.message
    with db.session() as s:
        assert s.get(Room, room.id) is not None
