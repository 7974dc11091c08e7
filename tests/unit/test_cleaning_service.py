"""Equipment and cleaning services: one-action logging, flags, corrections, history, compliance."""

from __future__ import annotations

import time as time_module
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from ptdesk.errors import PermissionDenied, ValidationError
from ptdesk.models import AuditEvent, CleaningLog, ClinicProfile, Equipment, Room
from ptdesk.services import cleaning, equipment
from ptdesk.services import staff as staff_service
from ptdesk.services.audit import Actor
from ptdesk.services.cleaning import DueState
from ptdesk.services.equipment import EquipmentData


def local(text: str) -> datetime:
    """A clinic wall-clock time as the UTC record time the service stores."""
    return cleaning.local_to_utc(datetime.fromisoformat(text))


@pytest.fixture
def new_york(monkeypatch):
    """Run the test with the clinic computer set to New York time."""
    monkeypatch.setenv("TZ", "America/New_York")
    time_module.tzset()
    yield
    monkeypatch.undo()
    time_module.tzset()


@pytest.fixture
def room(db, owner) -> int:
    with db.session() as s:
        row = Room(name="Gym", kind="gym")
        s.add(row)
        s.flush()
        return row.id


def add_item(db, owner, name="Treadmill", *, created: str = "2026-02-01 08:00", **kw) -> int:
    data = EquipmentData(
        name=name,
        category=kw.pop("category", "exercise_equipment"),
        cleaning_interval=kw.pop("interval", "daily"),
        product=kw.pop("product", "Quat wipes"),
        contact_minutes=kw.pop("contact", 3),
        **kw,
    )
    with db.session() as s:
        row = equipment.create_equipment(s, owner, data)
        row.created_at = local(created)
        return row.id


@pytest.fixture
def tech(db, owner) -> Actor:
    with db.session() as s:
        return Actor.from_staff(staff_service.create_staff(s, owner, "Tina Tech", "technician"))


@pytest.fixture
def front_desk(db, owner) -> Actor:
    with db.session() as s:
        return Actor.from_staff(staff_service.create_staff(s, owner, "Fran Desk", "front_desk"))


def test_log_cleaning_records_now_actor_default_product_in_utc(clinic_clock, db, owner, tech, room):
    ids = [add_item(db, owner, f"Bike {n}", room_id=room) for n in range(3)]
    before = clinic_clock.utc_now
    with db.session() as s:
        entries = cleaning.log_cleaning(s, tech, ids)
    after = clinic_clock.utc_now
    assert [e.equipment_id for e in entries] == ids
    with db.session() as s:
        rows = s.exec(select(CleaningLog).order_by(CleaningLog.id)).all()
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "clean")).all()
    assert len(rows) == 3 and len(events) == 3
    for row in rows:
        assert row.cleaned_at.tzinfo is not None and row.cleaned_at.utcoffset() == timedelta(0)
        assert before - timedelta(seconds=1) <= row.cleaned_at <= after + timedelta(seconds=1)
        assert (row.staff_id, row.staff_name) == (tech.id, "Tina Tech")
        assert (row.product, row.contact_minutes, row.short_contact) == ("Quat wipes", 3, False)
        assert row.method == "clean_then_disinfect"
    assert entries[0].room_name == "Gym"


def test_short_contact_time_is_flagged(db, owner, tech):
    item = add_item(db, owner, contact=4)
    with db.session() as s:
        (short,) = cleaning.log_cleaning(
            s, tech, [item], contact_minutes=2, method="disinfect_only"
        )
        (full,) = cleaning.log_cleaning(s, tech, [item], contact_minutes=5)
    assert short.short_contact and "2 of 4 min" in short.status
    assert not full.short_contact and full.status == ""


def test_other_product_uses_its_own_label_time(db, owner, tech):
    add_item(
        db, owner, "Hydrocollator", category="hydrocollator", product="Bleach wipes", contact=4
    )
    table = add_item(db, owner, "Table", product="Quat wipes", contact=2)
    with db.session() as s:
        (entry,) = cleaning.log_cleaning(
            s, tech, [table], product="Bleach wipes", contact_minutes=3
        )
    assert entry.label_contact_minutes == 4 and entry.short_contact


def test_logging_refuses_nothing_selected_and_future_times(clinic_clock, db, owner, tech):
    item = add_item(db, owner)
    with db.session() as s, pytest.raises(ValidationError) as err:
        cleaning.log_cleaning(s, tech, [])
    assert err.value.field == "equipment"
    with db.session() as s, pytest.raises(ValidationError) as err:
        cleaning.log_cleaning(s, tech, [item], when=clinic_clock.utc_now + timedelta(hours=2))
    assert err.value.field == "cleaned_at"
    with db.session() as s:
        assert s.exec(select(CleaningLog)).all() == []


def test_corrections_are_new_entries_and_the_original_stays(db, owner, tech):
    item = add_item(db, owner, contact=3)
    with db.session() as s:
        (first,) = cleaning.log_cleaning(
            s, tech, [item], contact_minutes=1, when=local("2026-03-10 17:00")
        )
    with db.session() as s:
        fixed = cleaning.correct_cleaning(
            s, owner, first.id, reason="Timer misread", contact_minutes=3
        )
    assert fixed.corrects_id == first.id and not fixed.short_contact
    assert fixed.cleaned_at == first.cleaned_at and fixed.staff_name == "Tina Tech"
    with db.session() as s:
        rows = {r.id: r for r in s.exec(select(CleaningLog))}
        entries = {e.id: e for e in cleaning.history(s)}
        # the original row is untouched
        assert rows[first.id].contact_minutes == 1 and rows[first.id].short_contact
        assert entries[first.id].superseded_by == fixed.id
        assert "Corrected by" in entries[first.id].status
        # an entry can be corrected once; the correction itself can be corrected
        with pytest.raises(ValidationError):
            cleaning.correct_cleaning(s, owner, first.id, reason="again")
    with db.session() as s:
        gone = cleaning.correct_cleaning(s, owner, fixed.id, reason="Wrong item", void=True)
    assert gone.voids
    with db.session() as s:
        assert cleaning.last_cleaning(s, item) is None
        assert len(cleaning.history(s)) == 3
        with pytest.raises(ValidationError):
            cleaning.correct_cleaning(s, owner, first.id, reason="")


def test_correction_needs_a_reason(db, owner, tech):
    item = add_item(db, owner)
    with db.session() as s:
        (entry,) = cleaning.log_cleaning(s, tech, [item])
    with db.session() as s, pytest.raises(ValidationError) as err:
        cleaning.correct_cleaning(s, tech, entry.id, reason="  ")
    assert err.value.field == "reason"


def test_board_turns_clean_after_logging_and_separates_out_of_service(
    clinic_clock, db, owner, tech
):
    a = add_item(db, owner, "Treadmill")
    b = add_item(db, owner, "Bike")
    now = clinic_clock.now
    assert now.isoweekday() in {1, 2, 3, 4, 5}  # a clinic day
    with db.session() as s:
        board = {r.equipment_id: r for r in cleaning.board(s, now=now)}
    assert board[a].state in (DueState.DUE, DueState.OVERDUE)
    with db.session() as s:
        cleaning.log_cleaning(s, tech, [a])
        equipment.set_out_of_service(s, tech, b, "Belt torn")
    with db.session() as s:
        board = {r.equipment_id: r for r in cleaning.board(s, now=clinic_clock.now)}
    assert board[a].state == DueState.CLEAN
    assert board[a].last_cleaned_by == "Tina Tech"
    assert board[b].state == DueState.OUT_OF_SERVICE and not board[b].in_service
    assert board[b].out_of_service_reason == "Belt torn"
    # the out-of-service day is a calendar date at the clinic, not a moment
    assert board[b].out_of_service_since == clinic_clock.today
    with db.session() as s:
        equipment.return_to_service(s, tech, b)
        assert cleaning.board(s)[0].in_service


def test_midnight_is_the_clinics_midnight_not_utc(db, owner, tech, new_york):
    item = add_item(db, owner)
    late = local("2026-03-10 23:30")  # Tuesday night in New York, Wednesday in UTC
    assert late.astimezone(UTC).date() == date(2026, 3, 11)
    with db.session() as s:
        cleaning.log_cleaning(s, tech, [item], when=late)
    with db.session() as s:
        stored = s.exec(select(CleaningLog)).one().cleaned_at
        assert stored == late and stored.tzinfo is not None
        assert [e.id for e in cleaning.history(s, start=date(2026, 3, 10), end=date(2026, 3, 10))]
        assert cleaning.history(s, start=date(2026, 3, 11), end=date(2026, 3, 11)) == []
        tuesday = cleaning.board(s, now=datetime(2026, 3, 10, 23, 45))[0]
        wednesday = cleaning.board(s, now=datetime(2026, 3, 11, 0, 15))[0]
    assert tuesday.state == DueState.CLEAN
    assert wednesday.state == DueState.DUE
    assert tuesday.last_cleaned_text.startswith("2026-03-10 23:30")


def test_board_flags_overdue_safety_checks_and_water(clinic_clock, db, owner, tech):
    today = clinic_clock.today
    ultra = add_item(
        db,
        owner,
        "Ultrasound",
        category="ultrasound",
        interval="after_use",
        safety_check_due=today - timedelta(days=3),
        calibration_due=today + timedelta(days=10),
    )
    hydro = add_item(db, owner, "Hydrocollator", category="hydrocollator", interval="weekly")
    with db.session() as s:
        equipment.log_water_reading(s, tech, hydro, 150, "F", water_changed=True)
        board = {r.equipment_id: r for r in cleaning.board(s)}
    assert board[ultra].checks_overdue
    assert any("Safety check overdue" in f for f in board[ultra].flags)
    assert any("Calibration due" in f for f in board[ultra].flags)
    assert any("outside the safe range" in f for f in board[hydro].flags)
    with db.session() as s:
        equipment.record_device_check(s, tech, ultra, "safety", today + timedelta(days=365))
        board = {r.equipment_id: r for r in cleaning.board(s)}
    assert not board[ultra].checks_overdue


def test_water_readings_convert_units_and_change_interval(clinic_clock, db, owner, tech):
    hydro = add_item(db, owner, "Hydrocollator", category="hydrocollator", interval="weekly")
    with db.session() as s:
        item = equipment.get_equipment(s, hydro)
        assert (item.safe_min_c, item.safe_max_c, item.water_change_days) == (71.11, 76.67, 14)
        reading = equipment.log_water_reading(
            s,
            tech,
            hydro,
            165,
            "F",
            water_changed=True,
            when=clinic_clock.utc_now - timedelta(days=15),
        )
        assert reading.temperature_c == pytest.approx(73.89, abs=0.01)
        assert reading.taken_at.utcoffset() == timedelta(0)  # a UTC record time
        status = equipment.water_status(s, item, "C")
        assert status.in_range and status.change_due
        assert equipment.format_temperature(reading.temperature_c, "F") == "165 °F"
        assert equipment.format_temperature(reading.temperature_c, "C") == "74 °C"
        equipment.log_water_reading(s, tech, hydro, 74, "C", water_changed=True)
        assert not equipment.water_status(s, item, "C").change_due
        with pytest.raises(ValidationError):
            equipment.log_water_reading(s, tech, hydro, 250, "F")
        assert equipment.temperature_unit(s) == "F"
        equipment.set_temperature_unit(s, owner, "C")
        assert equipment.temperature_unit(s) == "C"


def test_permissions(db, owner, tech, front_desk):
    item = add_item(db, owner)
    with db.session() as s:
        with pytest.raises(PermissionDenied):
            equipment.create_equipment(s, tech, EquipmentData(name="Bike"))
        with pytest.raises(PermissionDenied):
            equipment.set_out_of_service(s, front_desk, item, "broken")
        with pytest.raises(PermissionDenied):
            equipment.set_temperature_unit(s, tech, "C")
        assert cleaning.log_cleaning(s, front_desk, [item])


def test_equipment_validation_names_the_field(db, owner):
    with db.session() as s:
        for data, field in [
            (EquipmentData(name=""), "name"),
            (EquipmentData(name="X", category="toaster"), "category"),
            (EquipmentData(name="X", product="Wipes", contact_minutes=0), "contact_minutes"),
            (EquipmentData(name="X", room_id=999), "room_id"),
            (
                EquipmentData(name="H", category="hydrocollator", safe_min_c=80, safe_max_c=70),
                "safe_range",
            ),
        ]:
            with pytest.raises(ValidationError) as err:
                equipment.create_equipment(s, owner, data)
            assert err.value.field == field
    with db.session() as s:
        assert s.exec(select(Equipment)).all() == []


def test_compliance_on_a_hand_made_month(db, owner, tech):
    daily = add_item(db, owner, "Treadmill", interval="daily")
    weekly = add_item(db, owner, "Balls", interval="weekly")
    monthly = add_item(db, owner, "Wall bars", interval="monthly")
    after = add_item(db, owner, "Table", interval="after_use")
    late = add_item(db, owner, "New bike", interval="daily", created="2026-03-20 12:00")
    ultra = add_item(
        db,
        owner,
        "Ultrasound",
        category="ultrasound",
        interval="after_use",
        safety_check_due=date(2026, 3, 20),
    )
    with db.session() as s:
        day = date(2026, 3, 1)
        while day <= date(2026, 3, 31):
            if day.isoweekday() <= 5 and day not in (date(2026, 3, 4), date(2026, 3, 17)):
                cleaning.log_cleaning(s, tech, [daily, after], when=local(f"{day} 17:30"))
            day += timedelta(days=1)
        cleaning.log_cleaning(s, tech, [daily], when=local("2026-03-14 10:00"))  # a Saturday
        cleaning.log_cleaning(s, tech, [weekly], when=local("2026-03-03 12:00"))
        cleaning.log_cleaning(s, tech, [weekly], when=local("2026-03-22 23:00"))  # Sunday night
        (mistaken,) = cleaning.log_cleaning(s, tech, [weekly], when=local("2026-03-10 12:00"))
        cleaning.correct_cleaning(s, tech, mistaken.id, reason="Logged by mistake", void=True)
        cleaning.log_cleaning(s, tech, [monthly], when=local("2026-03-31 23:00"))
        cleaning.log_cleaning(s, tech, [late], when=local("2026-03-23 17:00"))
        report = cleaning.compliance(
            s, date(2026, 3, 1), date(2026, 3, 31), now=datetime(2026, 4, 10, 9, 0)
        )
    by_name = {i.name: i for i in report.items}
    assert "Table" not in by_name and after  # after-use items are not counted
    assert (by_name["Treadmill"].due_periods, by_name["Treadmill"].done_periods) == (22, 20)
    assert by_name["Treadmill"].missed == ["Wed 2026-03-04", "Tue 2026-03-17"]
    assert (by_name["Balls"].due_periods, by_name["Balls"].done_periods) == (4, 2)
    assert by_name["Balls"].missed == ["Week of 2026-03-09", "Week of 2026-03-23"]
    assert (by_name["Wall bars"].due_periods, by_name["Wall bars"].done_periods) == (1, 1)
    # joined on Friday the 20th (after opening): due from the 20th, cleaned only on the 23rd
    assert (by_name["New bike"].due_periods, by_name["New bike"].done_periods) == (8, 1)
    assert report.due_periods == 22 + 4 + 1 + 8 and report.done_periods == 20 + 2 + 1 + 1
    assert report.share == pytest.approx(24 / 35)
    assert [(f.name, f.due) for f in report.overdue_checks] == [("Ultrasound", date(2026, 3, 20))]
    assert ultra


def test_compliance_leaves_the_open_period_out_until_it_is_cleaned(db, owner, tech):
    daily = add_item(db, owner, "Treadmill", interval="daily", created="2026-03-01 08:00")
    with db.session() as s:
        cleaning.log_cleaning(s, tech, [daily], when=local("2026-03-09 17:00"))
        open_day = cleaning.compliance(
            s, date(2026, 3, 9), date(2026, 3, 10), now=datetime(2026, 3, 10, 12, 0)
        )
        cleaning.log_cleaning(s, tech, [daily], when=local("2026-03-10 11:00"))
        cleaned = cleaning.compliance(
            s, date(2026, 3, 9), date(2026, 3, 10), now=datetime(2026, 3, 10, 12, 0)
        )
    assert (open_day.due_periods, open_day.done_periods) == (1, 1)
    assert (cleaned.due_periods, cleaned.done_periods) == (2, 2)


def test_closed_days_come_from_the_clinic_profile(db, owner, tech):
    daily = add_item(db, owner, "Treadmill", interval="daily")
    with db.session() as s:
        s.get(ClinicProfile, 1).clinic_days = "1,3,5"
    with db.session() as s:
        cleaning.log_cleaning(s, tech, [daily], when=local("2026-03-09 17:00"))  # Monday
        report = cleaning.compliance(
            s, date(2026, 3, 9), date(2026, 3, 13), now=datetime(2026, 4, 1, 9, 0)
        )
    assert report.items[0].due_periods == 3  # Mon, Wed, Fri
    assert report.items[0].missed == ["Wed 2026-03-11", "Fri 2026-03-13"]


def test_compliance_for_a_past_month_uses_the_out_of_service_history(db, owner, tech):
    """Out for repair 10..16 March and back since: March counts only the days it was in use."""
    daily = add_item(db, owner, "Treadmill", interval="daily")
    weekly = add_item(db, owner, "Balls", interval="weekly")
    with db.session() as s:
        equipment.set_out_of_service(
            s, tech, daily, "Belt torn", date(2026, 3, 10), today=date(2026, 3, 10)
        )
        equipment.set_out_of_service(
            s, tech, weekly, "Lost", date(2026, 3, 18), today=date(2026, 3, 18)
        )
        equipment.return_to_service(s, tech, daily, today=date(2026, 3, 17))
        equipment.return_to_service(s, tech, weekly, today=date(2026, 3, 30))
        day = date(2026, 3, 2)
        while day <= date(2026, 3, 31):
            in_use = not date(2026, 3, 10) <= day < date(2026, 3, 17)
            if day.isoweekday() <= 5 and in_use and day != date(2026, 3, 24):
                cleaning.log_cleaning(s, tech, [daily], when=local(f"{day} 17:30"))
            day += timedelta(days=1)
        for when in ("2026-03-03 12:00", "2026-03-10 12:00", "2026-03-31 09:00"):
            cleaning.log_cleaning(s, tech, [weekly], when=local(when))
        # Both items are back in service now, in April, when March is reported.
        report = cleaning.compliance(
            s, date(2026, 3, 1), date(2026, 3, 31), now=datetime(2026, 4, 10, 9, 0)
        )
    by_name = {i.name: i for i in report.items}
    treadmill = by_name["Treadmill"]
    # 22 weekdays less the 5 out of service (10..16 March); one day missed after it came back
    assert (treadmill.due_periods, treadmill.done_periods) == (17, 16)
    assert treadmill.missed == ["Tue 2026-03-24"]
    # out on the Fridays of the weeks of the 16th and 23rd; back for the week of the 30th
    balls = by_name["Balls"]
    assert balls.missed == [] and (balls.due_periods, balls.done_periods) == (2, 2)


def test_compliance_counts_items_retired_during_the_range_until_they_left(db, owner, tech):
    daily = add_item(db, owner, "Old bike", interval="daily")
    gone = add_item(db, owner, "Older bike", interval="daily")
    with db.session() as s:
        cleaning.log_cleaning(s, tech, [daily], when=local("2026-03-02 17:00"))
        equipment.retire_equipment(s, owner, daily, today=date(2026, 3, 5))
        equipment.retire_equipment(s, owner, gone, today=date(2026, 2, 20))
        report = cleaning.compliance(
            s, date(2026, 3, 1), date(2026, 3, 31), now=datetime(2026, 4, 10, 9, 0)
        )
    assert [i.name for i in report.items] == ["Old bike"]  # the other left before March
    (bike,) = report.items
    assert (bike.due_periods, bike.done_periods) == (3, 1)  # Mon 2 .. Wed 4 March
    assert bike.missed == ["Tue 2026-03-03", "Wed 2026-03-04"]


def test_clinic_closed_dates_ask_for_no_cleaning(db, owner, tech):
    from ptdesk.services import clinic

    daily = add_item(db, owner, "Treadmill", interval="daily")
    weekly = add_item(db, owner, "Balls", interval="weekly")
    with db.session() as s:
        days = clinic.parse_closed_days("2026-03-11 Staff training\n\n2026-03-09\n")
        assert [d.day for d in days] == [date(2026, 3, 9), date(2026, 3, 11)]
        clinic.set_closed_days(s, owner, days)
    with db.session() as s:
        assert [(c.day, c.note) for c in clinic.closed_days(s)] == [
            (date(2026, 3, 9), ""),
            (date(2026, 3, 11), "Staff training"),
        ]
        for day in ("2026-03-10", "2026-03-12", "2026-03-13"):
            cleaning.log_cleaning(s, tech, [daily], when=local(f"{day} 17:00"))
        report = cleaning.compliance(
            s, date(2026, 3, 9), date(2026, 3, 13), now=datetime(2026, 4, 1, 9, 0)
        )
        by_name = {i.name: i for i in report.items}
        assert (by_name["Treadmill"].due_periods, by_name["Treadmill"].done_periods) == (3, 3)
        # a closed Wednesday: on Thursday the item is due, not overdue for Wednesday
        open_days = clinic.calendar(s)
        cleaned, thursday = datetime(2026, 3, 10, 17, 0), datetime(2026, 3, 12, 8, 0)
        assert cleaning.due_state("daily", open_days, cleaned, thursday).state == DueState.DUE
        weekdays = set(open_days)  # the weekly pattern alone would call it overdue
        assert cleaning.due_state("daily", weekdays, cleaned, thursday).state == DueState.OVERDUE
        # closed on the Friday: the week's cleaning is due by Thursday instead
        clinic.set_closed_days(s, owner, [clinic.ClosedDay(date(2026, 3, 13), "Holiday")])
        board = {r.equipment_id: r for r in cleaning.board(s, now=datetime(2026, 3, 10, 8, 0))}
        assert board[weekly].due_by == date(2026, 3, 12)
        events = s.exec(select(AuditEvent).where(AuditEvent.entity == "clinic_profile")).all()
    assert len(events) == 2 and "closed_days" in events[-1].changes
    with pytest.raises(ValidationError) as err:
        clinic.parse_closed_days("2026-12-25 Christmas\n25/12/2026")
    assert err.value.field == "closed_days" and "Line 2" in err.value.message


def test_the_board_finds_each_items_last_cleaning_as_one_item_at_a_time_does(demo_db):
    """The board reads every item's latest cleaning at once; corrections and voids count."""
    from ptdesk.services.audit import SYSTEM

    with demo_db.session() as s:
        items = [e.id for e in s.exec(select(Equipment)).all()]
        # On two items, correct the latest entry's time and void another's latest entry.
        first, second = items[0], items[1]
        a = cleaning.last_cleaning(s, first)
        b = cleaning.last_cleaning(s, second)
        assert a is not None and b is not None
        cleaning.correct_cleaning(
            s, SYSTEM, a.id, reason="time", cleaned_at=a.cleaned_at - timedelta(days=400)
        )
        cleaning.correct_cleaning(s, SYSTEM, b.id, reason="wrong item", void=True)
    with demo_db.session() as s:
        superseded = cleaning._superseded(s)
        together = cleaning.last_cleanings(s, items, superseded)
        one_by_one = {i: cleaning.last_cleaning(s, i, superseded) for i in items}
    assert {i: log.id for i, log in together.items()} == {
        i: log.id for i, log in one_by_one.items() if log is not None
    }
    assert together[first].id != a.id and together[second].id != b.id
    assert len(together) > 5


@pytest.mark.parametrize("when", [datetime(2026, 3, 11, 12), datetime(2030, 1, 7, 9)])
def test_the_overdue_checks_alone_are_the_boards_rows_with_checks_overdue(demo_db, when):
    with demo_db.session() as s:
        whole = cleaning.board(s, now=when)
        only = cleaning.board(s, now=when, checks_overdue_only=True)
    assert only == [r for r in whole if r.checks_overdue]
    if when.year == 2030:  # years on, every dated check is overdue
        assert len(only) > 3
