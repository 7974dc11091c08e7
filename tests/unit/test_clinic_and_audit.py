"""The clinic profile, who is acting, and the audit trail every write leaves."""

from __future__ import annotations

from datetime import UTC, time

import pytest
from sqlmodel import select

from ptdesk.errors import PermissionDenied, ValidationError
from ptdesk.models import AuditEvent, Staff
from ptdesk.services import clinic, staff
from ptdesk.services.audit import Actor


def events(db) -> list[AuditEvent]:
    with db.session() as s:
        return list(s.exec(select(AuditEvent).order_by(AuditEvent.id)))


def test_new_clinic_has_default_profile(db):
    with db.session() as s:
        profile = clinic.get_profile(s)
    assert profile.opens_at == time(7, 0) and profile.closes_at == time(19, 0)
    assert profile.slot_minutes == 15 and profile.late_cancel_hours == 24
    assert profile.clinic_weekdays == {1, 2, 3, 4, 5}


def test_update_records_who_and_what_changed(db, owner):
    with db.session() as s:
        data = clinic.get_profile(s)
        data.name = "  Harbor   Physical Therapy "
        data.late_cancel_hours = 48
        clinic.update_profile(s, owner, data)
    with db.session() as s:
        assert clinic.get_profile(s).name == "Harbor Physical Therapy"
    last = events(db)[-1]
    assert last.actor_id == owner.id and last.actor_name == "Olivia Owner"
    assert last.entity == "clinic_profile" and last.action == "update"
    assert last.changes["late_cancel_hours"] == [24, 48]
    assert last.changes["name"][1] == "Harbor Physical Therapy"
    assert last.at.tzinfo is not None and last.at.utcoffset() == UTC.utcoffset(None)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("name", "   ", "required"),
        ("email", "desk@", "e-mail"),
        ("phone", "12", "phone"),
        ("closes_at", time(6, 0), "close after it opens"),
        ("slot_minutes", 7, "Slot length"),
        ("clinic_days", "", "at least one day"),
        ("late_cancel_hours", 500, "between 0 and 168"),
        ("logo_png", b"GIF89a....", "PNG or JPEG"),
        ("time_zone", "Europe/Atlantis", "not a time zone"),
    ],
)
def test_invalid_profile_is_refused_with_field_and_nothing_written(db, owner, field, value, words):
    before = len(events(db))
    with pytest.raises(ValidationError) as info, db.session() as s:
        data = clinic.get_profile(s)
        setattr(data, field, value)
        clinic.update_profile(s, owner, data)
    assert info.value.field == field
    assert words in info.value.message
    with db.session() as s:
        assert clinic.get_profile(s).name == "My Physical Therapy Clinic"
    assert len(events(db)) == before


def test_only_the_owner_edits_the_profile(db, owner):
    with db.session() as s:
        tech = staff.create_staff(s, owner, "Terry Tech", "technician", "PT Aide")
    actor = Actor.from_staff(tech)
    with pytest.raises(PermissionDenied) as info, db.session() as s:
        data = clinic.get_profile(s)
        data.name = "Taken over"
        clinic.update_profile(s, actor, data)
    assert "Terry Tech may not change the clinic profile" in info.value.message


def test_first_owner_only_once(db, owner):
    with pytest.raises(ValidationError), db.session() as s:
        staff.create_first_owner(s, "Second Owner")
    with db.session() as s:
        assert [m.name for m in s.exec(select(Staff))] == ["Olivia Owner"]
        assert staff.default_actor(s).name == "Olivia Owner"


def test_record_times_are_utc_and_staff_creation_is_audited(db, owner):
    with db.session() as s:
        row = staff.create_staff(s, owner, "Pat Therapist", "therapist", "PT")
    assert row.created_at.tzinfo is not None
    last = events(db)[-1]
    assert last.entity == "staff" and last.entity_id == str(row.id)
    assert last.changes["name"] == [None, "Pat Therapist"]


def test_the_audit_trail_cannot_be_changed_or_emptied(db, owner):
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    with db.session() as s:
        clinic.update_profile(s, owner, clinic.get_profile(s))  # at least one event exists
        staff.create_staff(s, owner, "Amy Aide", "technician")
    before = len(events(db))
    for sql in ("UPDATE audit_event SET actor_name = 'Someone else'", "DELETE FROM audit_event"):
        with pytest.raises(DatabaseError) as info, db.session() as s:
            s.connection().execute(text(sql))
        assert "audit trail cannot be changed" in str(info.value)
    assert len(events(db)) == before
    assert all(e.actor_name != "Someone else" for e in events(db))


def test_a_restore_is_written_in_the_restored_trail(demo_db, tmp_path):
    from ptdesk.backup import create_backup
    from ptdesk.cli import run

    copy = create_backup(demo_db.path, reason="manual")
    path = demo_db.path
    demo_db.close()
    assert run(["restore", "--db", str(path), str(copy)]) == 0
    from ptdesk.db import open_database

    reopened = open_database(path)
    try:
        last = events(reopened)[-1]
    finally:
        reopened.close()
    assert last.action == "restore" and copy.name in last.summary
