"""The clinic clock: the clinic's own time zone (a clinic setting, not the computer's), the
pin tests use, and the conversions between record times (UTC) and the clinic's wall clock."""

from __future__ import annotations

import time as time_module
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import func, text
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from ptdesk.db import alembic_config, make_engine, open_database
from ptdesk.errors import ValidationError
from ptdesk.models import AuditEvent, ClinicProfile
from ptdesk.services import audit_trail, auth, cleaning, clinic, clock, equipment
from ptdesk.services import staff as staff_service
from ptdesk.services.audit import Actor
from ptdesk.services.audit_trail import AuditFilter
from ptdesk.services.equipment import EquipmentData


@pytest.fixture
def computer_in(monkeypatch):
    """Set the computer's own zone (the TZ variable) for one test."""

    def move(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        time_module.tzset()

    yield move
    monkeypatch.undo()
    time_module.tzset()


def _save_zone(db, owner, zone: str) -> None:
    with db.session() as s:
        data = clinic.get_profile(s)
        data.time_zone = zone
        clinic.update_profile(s, owner, data)


# -- the clock on its own ----------------------------------------------------------------------


def test_conversions_follow_the_clinics_zone_not_the_computers(computer_in):
    computer_in("UTC")
    clock.set_zone("America/New_York")
    assert clock.zone_name() == "America/New_York"
    late = datetime(2026, 3, 11, 3, 30, tzinfo=UTC)  # Tuesday 23:30 in New York
    assert clock.to_local(late) == datetime(2026, 3, 10, 23, 30)
    assert clock.exact_local(late.replace(tzinfo=None)) == datetime(2026, 3, 10, 23, 30)
    assert clock.local_to_utc(datetime(2026, 3, 10, 23, 30)) == late
    assert clock.day_start_utc(date(2026, 3, 11)) == datetime(2026, 3, 11, 4, 0, tzinfo=UTC)
    clock.set_zone("")  # back to the computer's zone (UTC here)
    assert clock.to_local(late) == datetime(2026, 3, 11, 3, 30)


def test_an_aware_time_is_only_converted_to_utc():
    clock.set_zone("Asia/Tokyo")
    berlin = datetime(2026, 7, 1, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert clock.local_to_utc(berlin) == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
    with pytest.raises(ValueError):
        clock.to_local(datetime(2026, 7, 1, 7, 0))  # a naive record time could be either


@pytest.mark.parametrize("zone", ["America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"])
def test_many_times_at_once_give_the_same_answers_as_one_at_a_time(computer_in, zone):
    computer_in("UTC")
    clock.set_zone(zone)
    local = clock.LocalTimes()
    start = datetime(2026, 3, 7, 0, 0)  # across New York's change (3-8) and Lord Howe's (4-5)
    for quarter in range(4 * 24 * 31):
        moment = start + timedelta(minutes=15 * quarter)
        expected = moment.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        assert local(moment) == expected == clock.exact_local(moment), moment


def test_a_record_time_is_read_as_stored_under_its_fields_name(db, owner):
    """``record_time`` skips the model's conversion (SQLite keeps naive UTC) and keeps the
    field's name; an expression that is not a table's field has no name to keep."""
    with db.session() as s:
        event = s.exec(select(AuditEvent).order_by(col(AuditEvent.id))).first()
        row = s.connection().execute(sa_select(clock.record_time(col(AuditEvent.at)))).first()
    assert event is not None and event.at.tzinfo is not None
    assert row is not None and row._mapping["at"] == event.at.replace(tzinfo=None)
    with pytest.raises(TypeError):
        clock.record_time(func.max(col(AuditEvent.at)))


def test_a_zone_nobody_knows_is_refused_and_a_stored_one_falls_back(caplog):
    clock.set_zone("Europe/Berlin")
    with pytest.raises(ValueError):
        clock.set_zone("Mars/Olympus_Mons")
    assert clock.zone_name() == "Europe/Berlin"  # unchanged
    clock.use_stored_zone("Mars/Olympus_Mons")
    assert clock.zone_name() == ""
    assert "Mars/Olympus_Mons" in caplog.text
    assert clock.is_known_zone("") and clock.is_known_zone("Asia/Tokyo")
    assert not clock.is_known_zone("Asia/Atlantis") and not clock.is_known_zone("../etc")
    assert not clock.is_known_zone("America")  # a folder of zones, not a zone
    assert "Europe/Berlin" in clock.zone_names()


def test_the_pin_is_clinic_wall_clock_time(clinic_clock):
    clock.set_zone("Europe/Berlin")
    assert clock.now() == clinic_clock.now == datetime(2026, 3, 11, 12, 30)
    assert clock.today() == date(2026, 3, 11)
    assert clock.utc_now() == datetime(2026, 3, 11, 11, 30, tzinfo=UTC)  # CET is UTC+1
    clinic_clock.advance(timedelta(days=1))
    assert clock.today() == date(2026, 3, 12)
    with pytest.raises(ValueError):
        clock.pin(datetime(2026, 3, 11, 12, 30, tzinfo=UTC))


def test_running_time_is_the_clinics_wall_clock(computer_in):
    computer_in("UTC")
    clock.set_zone("Pacific/Kiritimati")  # UTC+14: a different day from UTC most of the time
    shown = clock.now()
    there = datetime.now(ZoneInfo("Pacific/Kiritimati")).replace(tzinfo=None)
    assert abs(there - shown) < timedelta(seconds=5)
    assert abs(clock.utc_now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_the_computers_zone_is_found_by_its_name(computer_in):
    computer_in("America/Chicago")
    assert clock.computer_zone_name() == "America/Chicago"
    computer_in("EST+5")  # only an offset: "" keeps following the computer
    assert clock.computer_zone_name() == ""


# -- the clinic setting --------------------------------------------------------------------------


def test_a_new_clinic_takes_the_zone_of_the_computer_it_is_set_up_on(db, computer_in):
    computer_in("Europe/Berlin")
    with db.session() as s:
        assert s.get(ClinicProfile, 1).time_zone == ""  # nothing chosen before the setup
        data = clinic.ClinicProfileData(name="Spree PT")
        auth.set_up_clinic(s, auth.SetupData(data, "Olga Owner", "PT", "1234", "1234"))
    with db.session() as s:
        assert clinic.get_profile(s).time_zone == "Europe/Berlin"
    assert clock.zone_name() == "Europe/Berlin"


def test_saving_a_zone_changes_the_clock_once_it_is_saved(db, owner):
    _save_zone(db, owner, " Asia/Tokyo ")
    assert clock.zone_name() == "Asia/Tokyo"
    with db.session() as s:
        assert clinic.get_profile(s).time_zone == "Asia/Tokyo"
        event = s.exec(
            select(AuditEvent)
            .where(AuditEvent.entity == "clinic_profile")
            .order_by(col(AuditEvent.id).desc())
        ).first()
    assert event.changes["time_zone"] == ["", "Asia/Tokyo"]
    with pytest.raises(RuntimeError), db.session() as s:  # a save that is rolled back
        data = clinic.get_profile(s)
        data.time_zone = "America/Denver"
        clinic.update_profile(s, owner, data)
        raise RuntimeError("something after it failed")
    assert clock.zone_name() == "Asia/Tokyo"
    with db.session() as s:
        assert clinic.get_profile(s).time_zone == "Asia/Tokyo"


def test_an_unknown_zone_is_refused_beside_its_field(db, owner):
    with pytest.raises(ValidationError) as info:
        _save_zone(db, owner, "Europe/Atlantis")
    assert info.value.field == "time_zone" and "not a time zone" in info.value.message
    with db.session() as s:
        assert clinic.get_profile(s).time_zone == ""


def test_opening_the_file_sets_the_clock_to_the_clinics_zone(db, db_path, owner):
    _save_zone(db, owner, "America/Phoenix")
    db.close()
    clock.set_zone("")
    again = open_database(db_path)
    again.close()
    assert clock.zone_name() == "America/Phoenix"
    with again.engine.begin() as c:  # a name this computer does not know: the file still opens
        c.execute(text("UPDATE clinic_profile SET time_zone = 'Europe/Atlantis'"))
    again.engine.dispose()
    open_database(db_path).close()
    assert clock.zone_name() == ""


def test_a_file_from_before_the_setting_follows_the_computer_and_keeps_its_profile(tmp_path):
    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0013")
    with engine.begin() as c:
        c.execute(text("UPDATE clinic_profile SET name = 'Old PT', late_cancel_hours = 12"))
    engine.dispose()
    clock.set_zone("Asia/Tokyo")
    db = open_database(path)
    try:
        with db.session() as s:
            profile = clinic.get_profile(s)
        assert (profile.name, profile.late_cancel_hours, profile.time_zone) == ("Old PT", 12, "")
        assert clock.zone_name() == ""
    finally:
        db.close()
    engine = make_engine(path)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0013")
    with engine.connect() as c:
        columns = {r[1] for r in c.execute(text("PRAGMA table_info(clinic_profile)"))}
        name = c.execute(text("SELECT name FROM clinic_profile")).scalar()
    engine.dispose()
    assert "time_zone" not in columns and name == "Old PT"


# -- services read the clinic's calendar ----------------------------------------------------


def test_a_cleaning_late_at_night_counts_for_the_clinics_day(db, owner, computer_in):
    computer_in("UTC")
    _save_zone(db, owner, "America/New_York")
    with db.session() as s:
        tech = Actor.from_staff(staff_service.create_staff(s, owner, "Tina Tech", "technician"))
        item = equipment.create_equipment(s, owner, EquipmentData(name="Treadmill"))
        item.created_at = datetime(2026, 2, 1, 13, 0, tzinfo=UTC)
    late = datetime(2026, 3, 11, 3, 30, tzinfo=UTC)  # Tuesday 23:30 at the clinic
    with db.session() as s:
        cleaning.log_cleaning(s, tech, [item.id], when=late)
    with db.session() as s:
        assert len(cleaning.history(s, start=date(2026, 3, 10), end=date(2026, 3, 10))) == 1
        assert cleaning.history(s, start=date(2026, 3, 11), end=date(2026, 3, 11)) == []
        tuesday = cleaning.board(s, now=datetime(2026, 3, 10, 23, 45))[0]
        wednesday = cleaning.board(s, now=datetime(2026, 3, 11, 0, 15))[0]
    assert tuesday.state == cleaning.DueState.CLEAN
    assert wednesday.state == cleaning.DueState.DUE
    assert tuesday.last_cleaned_text.startswith("2026-03-10 23:30")


def test_the_audit_trail_days_are_the_clinics_days(clinic_clock, db, owner, computer_in):
    computer_in("UTC")
    _save_zone(db, owner, "Asia/Tokyo")
    clinic_clock.set(datetime(2026, 3, 12, 8, 0))  # Tokyo morning: still the 11th in UTC
    with db.session() as s:
        staff_service.create_staff(s, owner, "Ana Therapist", "therapist")
    with db.session() as s:
        that_day = audit_trail.search(
            s, owner, AuditFilter(start=date(2026, 3, 12), end=date(2026, 3, 12))
        )
    assert [e.summary for e in that_day if e.entity == "staff"] == [
        "Staff member Ana Therapist added"
    ]
    assert that_day[0].at_local == datetime(2026, 3, 12, 8, 0)
