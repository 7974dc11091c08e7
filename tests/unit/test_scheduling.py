"""Scheduling rules: recurrence, conflicts, late cancellation, series edits, statuses, free slots."""

from __future__ import annotations

import csv
import io
import time as time_module
from datetime import UTC, date, datetime, time, timedelta

import pytest
from pypdf import PdfReader
from sqlmodel import select

from ptdesk.errors import PermissionDenied, ValidationError
from ptdesk.models import Appointment, AuditEvent, Authorization, Patient, Role, Room, Staff
from ptdesk.services import documents, reporting
from ptdesk.services import exports as sched_exports
from ptdesk.services import scheduling as sched
from ptdesk.services.audit import SYSTEM, Actor
from ptdesk.services.clinic import get_profile, update_profile
from ptdesk.services.scheduling import BookingRequest, ConflictWarning, Recurrence

MONDAY = date(2026, 3, 2)  # the week before the US change to daylight saving time (2026-03-08)


@pytest.fixture
def clinic(db, owner):
    """Two therapists, two rooms, three patients; the owner acts."""
    with db.session() as s:
        ana = Staff(name="Ana Therapist", role=Role.THERAPIST.value)
        ben = Staff(
            name="Ben Assistant",
            role=Role.ASSISTANT.value,
            working_hours={"1": ["08:00", "12:00"], "3": ["08:00", "12:00"]},
        )
        tech = Staff(name="Tia Tech", role=Role.TECHNICIAN.value)
        gym, t1 = Room(name="Gym"), Room(name="Treatment 1")
        p1 = Patient(
            chart_number="000001", first_name="Mia", last_name="Lopez", phone="555-201-3344"
        )
        p2 = Patient(
            chart_number="000002",
            first_name="Noah",
            last_name="Kim",
            precautions="Fall risk\nNo heat",
        )
        p3 = Patient(chart_number="000003", first_name="Lena", last_name="Smith")
        s.add_all([ana, ben, tech, gym, t1, p1, p2, p3])
        s.flush()
        ids = dict(
            ana=ana.id, ben=ben.id, tech=tech.id, gym=gym.id, t1=t1.id, p1=p1.id, p2=p2.id, p3=p3.id
        )
        tech_actor = Actor.from_staff(tech)
    return type("Clinic", (), {**ids, "owner": owner, "tech_actor": tech_actor})


def at(d: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(d, time(hh, mm))


def book(db, c, patient, staff, start, room=None, minutes=45, reason=""):
    with db.session() as s:
        return sched.book(
            s,
            c.owner,
            BookingRequest(patient, staff, start, minutes, room_id=room),
            override_reason=reason,
        )


# -- recurrence -------------------------------------------------------------------------------
@pytest.fixture
def new_york(monkeypatch):
    """The clinic computer set to New York time (clocks go forward on 2026-03-08)."""
    monkeypatch.setenv("TZ", "America/New_York")
    time_module.tzset()
    yield
    monkeypatch.undo()
    time_module.tzset()


def test_series_across_daylight_saving_shows_the_same_time_in_csv_and_day_sheet(
    db, clinic, new_york
):
    """A 09:30 series stays 09:30 on both sides of the change, stored and printed."""
    with db.session() as s:
        sched.book_series(
            s,
            clinic.owner,
            BookingRequest(clinic.p1, clinic.ana, at(MONDAY, 9, 30), 45, room_id=clinic.gym),
            Recurrence([1, 3], count=6),
        )
    # The offset from UTC does change between the first and the last visit on this computer.
    first, last = at(MONDAY, 9, 30), at(date(2026, 3, 18), 9, 30)
    assert first.astimezone().utcoffset() != last.astimezone().utcoffset()
    out = io.StringIO()
    with db.session() as s:
        assert sched_exports.write_appointments_csv(s, MONDAY, date(2026, 3, 18), out) == 6
        before = documents.day_sheet(s, SYSTEM, date(2026, 3, 4))
        after = documents.day_sheet(s, SYSTEM, date(2026, 3, 9))
    starts = [row["start"] for row in csv.DictReader(io.StringIO(out.getvalue()))]
    assert starts == [
        "2026-03-02 09:30", "2026-03-04 09:30", "2026-03-09 09:30",
        "2026-03-11 09:30", "2026-03-16 09:30", "2026-03-18 09:30",
    ]  # fmt: skip
    for data in (before, after):
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        assert "09:30–10:15" in text and "Mia Lopez" in text


def test_recurrence_until_date_and_plan_of_care():
    until = sched.expand_recurrence(at(MONDAY, 8), Recurrence([2, 4], until=date(2026, 3, 12)))
    assert [s.date() for s in until] == [
        date(2026, 3, 3), date(2026, 3, 5), date(2026, 3, 10), date(2026, 3, 12)
    ]  # fmt: skip
    plan = sched.expand_recurrence(at(MONDAY, 8), Recurrence([1, 4], per_week=2, weeks=6))
    assert len(plan) == 12
    assert plan[-1].date() == MONDAY + timedelta(weeks=5, days=3)
    with pytest.raises(ValidationError) as err:
        sched.expand_recurrence(at(MONDAY, 8), Recurrence([1], per_week=2, weeks=6))
    assert err.value.field == "weekdays"
    with pytest.raises(ValidationError):
        sched.expand_recurrence(at(MONDAY, 8), Recurrence([]))


def test_series_booked_across_daylight_saving_change_keeps_its_time(db, clinic):
    with db.session() as s:
        visits = sched.book_series(
            s,
            clinic.owner,
            BookingRequest(clinic.p1, clinic.ana, at(MONDAY, 9, 30), 45, room_id=clinic.gym),
            Recurrence([1, 3], count=6),
        )
    assert len(visits) == 6 and len({v.series_id for v in visits}) == 1
    with db.session() as s:
        rows = s.exec(select(Appointment).order_by(Appointment.start)).all()
    assert [r.start.time() for r in rows] == [time(9, 30)] * 6
    assert all(r.end - r.start == timedelta(minutes=45) for r in rows)


# -- conflicts --------------------------------------------------------------------------------
def test_patient_overlap_is_refused_even_with_a_reason(db, clinic):
    book(db, clinic, clinic.p1, clinic.ana, at(MONDAY, 10))
    with pytest.raises(ValidationError) as err:
        book(db, clinic, clinic.p1, clinic.tech, at(MONDAY, 10, 30), reason="squeeze in")
    assert "Mia Lopez already has an appointment" in err.value.message
    with db.session() as s:
        assert len(s.exec(select(Appointment)).all()) == 1


def test_staff_and_room_overlap_warn_and_override_is_recorded(db, clinic):
    book(db, clinic, clinic.p1, clinic.ana, at(MONDAY, 10), room=clinic.gym)
    with pytest.raises(ConflictWarning) as err:
        book(db, clinic, clinic.p2, clinic.ana, at(MONDAY, 10, 15), room=clinic.gym)
    kinds = {c.kind for c in err.value.conflicts}
    assert kinds == {"staff", "room"}
    with pytest.raises(ConflictWarning) as err:
        book(db, clinic, clinic.p2, clinic.tech, at(MONDAY, 10, 15), room=clinic.gym)
    assert {c.kind for c in err.value.conflicts} == {"room"}
    appt = book(
        db, clinic, clinic.p2, clinic.ana, at(MONDAY, 10, 15), room=clinic.gym, reason="Group class"
    )
    assert appt.override_reason == "Group class"
    with db.session() as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "book")).all()[-1]
    assert "Group class" in event.summary


def test_cancelled_and_no_show_appointments_never_conflict(db, clinic):
    first = book(db, clinic, clinic.p1, clinic.ana, at(MONDAY, 10), room=clinic.gym)
    with db.session() as s:
        sched.cancel(s, clinic.owner, first.id, "Weather", now=at(MONDAY - timedelta(days=3), 9))
    second = book(db, clinic, clinic.p1, clinic.ana, at(MONDAY, 10), room=clinic.gym)
    with db.session() as s:
        sched.no_show(s, clinic.owner, second.id, now=at(MONDAY, 10, 20))
    third = book(db, clinic, clinic.p1, clinic.ana, at(MONDAY, 10), room=clinic.gym)
    assert third.override_reason == ""


def test_outside_clinic_hours_and_working_hours(db, clinic):
    with pytest.raises(ConflictWarning) as err:
        book(db, clinic, clinic.p1, clinic.ana, at(MONDAY, 18, 45))
    assert [c.kind for c in err.value.conflicts] == ["clinic_hours", "working_hours"]
    saturday = MONDAY + timedelta(days=5)
    with pytest.raises(ConflictWarning) as err:
        book(db, clinic, clinic.p1, clinic.ana, at(saturday, 10))
    assert {c.kind for c in err.value.conflicts} == {"clinic_hours", "working_hours"}
    # Ben works Monday and Wednesday mornings only.
    with pytest.raises(ConflictWarning) as err:
        book(db, clinic, clinic.p1, clinic.ben, at(MONDAY, 13))
    assert [c.kind for c in err.value.conflicts] == ["working_hours"]
    assert "08:00–12:00" in err.value.message
    with pytest.raises(ConflictWarning) as err:
        book(db, clinic, clinic.p1, clinic.ben, at(MONDAY + timedelta(days=1), 9))
    assert "does not work" in err.value.message
    # Ana has no hours on file: she works the clinic hours on clinic days.
    assert book(db, clinic, clinic.p1, clinic.ana, at(MONDAY, 7)).override_reason == ""
    assert book(db, clinic, clinic.p2, clinic.ben, at(MONDAY, 11)).override_reason == ""


def test_authorization_visits_and_end_date_warn(db, clinic):
    with db.session() as s:
        s.add(
            Authorization(
                patient_id=clinic.p1,
                payer="Acme Health",
                visits_authorized=3,
                start_date=MONDAY,
                end_date=MONDAY + timedelta(days=10),
            )
        )
    book(db, clinic, clinic.p1, clinic.ana, at(MONDAY, 9))  # 2 left afterwards: no warning
    with pytest.raises(ConflictWarning) as err:
        book(db, clinic, clinic.p1, clinic.ana, at(MONDAY + timedelta(days=1), 9))
    assert [c.kind for c in err.value.conflicts] == ["authorization"]
    assert "1 authorized visit" in err.value.message
    book(
        db, clinic, clinic.p1, clinic.ana, at(MONDAY + timedelta(days=1), 9), reason="Renewal asked"
    )
    book(
        db, clinic, clinic.p1, clinic.ana, at(MONDAY + timedelta(days=2), 9), reason="Renewal asked"
    )
    with pytest.raises(ConflictWarning) as err:
        book(db, clinic, clinic.p1, clinic.ana, at(MONDAY + timedelta(days=3), 9))
    assert [c.kind for c in err.value.conflicts] == ["authorization"]
    assert "visit 4 of 3" in err.value.message
    with pytest.raises(ConflictWarning) as err:
        book(db, clinic, clinic.p1, clinic.ana, at(MONDAY + timedelta(days=15), 9))
    assert "ended" in err.value.message


def test_series_conflicts_are_checked_for_every_visit(db, clinic):
    book(db, clinic, clinic.p2, clinic.ana, at(MONDAY + timedelta(days=7), 9))
    with db.session() as s, pytest.raises(ConflictWarning) as err:
        sched.book_series(
            s,
            clinic.owner,
            BookingRequest(clinic.p1, clinic.ana, at(MONDAY, 9), 45),
            Recurrence([1], count=3),
        )
    assert [c.kind for c in err.value.conflicts] == ["staff"]
    with db.session() as s:
        assert len(s.exec(select(Appointment)).all()) == 1  # nothing half-written


# -- cancelling -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("hours_before", "threshold", "late"),
    [(23, 24, True), (25, 24, False), (23, 12, False), (11, 12, True)],
)
def test_late_cancel_threshold_comes_from_the_clinic_setting(
    db, clinic, hours_before, threshold, late
):
    with db.session() as s:
        profile = get_profile(s)
        profile.late_cancel_hours = threshold
        update_profile(s, clinic.owner, profile)
    appt = book(db, clinic, clinic.p1, clinic.ana, at(MONDAY, 10))
    now = appt.start - timedelta(hours=hours_before)
    with db.session() as s:
        result = sched.cancel(s, clinic.owner, appt.id, "Patient ill", now=now)
    assert result.late is late
    got = result.cancelled[0]
    assert got.status == "cancelled" and got.cancel_reason == "Patient ill"
    assert got.status_label == ("Late cancel" if late else "Cancelled")
    assert got.cancelled_at.tzinfo is not None
    assert got.cancelled_at.astimezone(UTC) == now.astimezone(UTC)
    assert got.start.tzinfo is None


def test_late_cancellation_is_less_notice_than_asked_for_or_after_the_start():
    start, notice = at(MONDAY, 10), timedelta(hours=24)
    assert sched.is_late_cancellation(start, start - notice, notice) is False
    assert sched.is_late_cancellation(start, start - notice + timedelta(minutes=1), notice)
    assert sched.is_late_cancellation(start, start + timedelta(minutes=5), notice)
    assert sched.is_late_cancellation(start, start, timedelta(0)) is False


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Pacific/Kiritimati"])
def test_cancelling_and_the_monthly_report_judge_late_cancellation_alike(
    db, clinic, monkeypatch, zone
):
    """At the edge of the notice the visit's flag and the report's count agree, whatever the
    computer's zone (the report reads the cancellation time back from UTC)."""
    monkeypatch.setenv("TZ", zone)
    time_module.tzset()
    try:
        visits = [
            book(db, clinic, patient, clinic.ana, at(MONDAY, hour))
            for patient, hour in ((clinic.p1, 10), (clinic.p2, 11), (clinic.p3, 12))
        ]
        told = [timedelta(hours=24), timedelta(hours=23, minutes=59), timedelta(minutes=-5)]
        with db.session() as s:
            flags = [
                sched.cancel(s, clinic.owner, v.id, "Patient ill", now=v.start - notice).late
                for v, notice in zip(visits, told, strict=True)
            ]
            counts = reporting.monthly_report(s, clinic.owner, MONDAY, with_history=False)
    finally:
        monkeypatch.undo()
        time_module.tzset()
    assert flags == [False, True, True]
    assert (counts.appointments.cancelled, counts.appointments.late_cancelled) == (1, 2)


def test_cancel_needs_a_reason(db, clinic):
    appt = book(db, clinic, clinic.p1, clinic.ana, at(MONDAY, 10))
    with db.session() as s, pytest.raises(ValidationError) as err:
        sched.cancel(s, clinic.owner, appt.id, "  ")
    assert err.value.field == "reason"


# -- series edits -----------------------------------------------------------------------------
def _series(db, clinic, n=4):
    with db.session() as s:
        return sched.book_series(
            s,
            clinic.owner,
            BookingRequest(clinic.p1, clinic.ana, at(MONDAY, 9), 45, room_id=clinic.gym),
            Recurrence([1, 3], count=n),
        )


def _times(db):
    with db.session() as s:
        return [r.start for r in s.exec(select(Appointment).order_by(Appointment.id))]


@pytest.mark.parametrize(
    ("scope", "which", "expected"),
    [("this", 1, [9, 14, 9, 9]), ("following", 1, [9, 14, 14, 14]), ("all", 2, [14, 14, 14, 14])],
)
def test_series_edit_scopes(db, clinic, scope, which, expected):
    visits = _series(db, clinic)
    with db.session() as s:
        changed = sched.update_appointment(
            s,
            clinic.owner,
            visits[which].id,
            sched.AppointmentChanges(start=datetime.combine(visits[which].start.date(), time(14))),
            scope=scope,
        )
    assert len(changed) == expected.count(14)
    times = _times(db)
    assert [t.hour for t in times] == expected
    assert [t.date() for t in times] == [v.start.date() for v in visits]  # days kept


def test_cancelling_one_visit_keeps_the_rest_of_the_series(db, clinic):
    visits = _series(db, clinic)
    with db.session() as s:
        sched.cancel(s, clinic.owner, visits[1].id, "Doctor appointment", now=at(MONDAY, 8))
    with db.session() as s:
        statuses = [r.status for r in s.exec(select(Appointment).order_by(Appointment.id))]
    assert statuses == ["scheduled", "cancelled", "scheduled", "scheduled"]
    with db.session() as s:
        sched.cancel(
            s, clinic.owner, visits[2].id, "Moving away", scope="following", now=at(MONDAY, 8)
        )
    with db.session() as s:
        statuses = [r.status for r in s.exec(select(Appointment).order_by(Appointment.id))]
    assert statuses == ["scheduled", "cancelled", "cancelled", "cancelled"]


# -- statuses ---------------------------------------------------------------------------------
def test_status_flow_and_history_with_correction(db, clinic):
    appt = book(db, clinic, clinic.p1, clinic.ana, at(MONDAY, 10))
    with db.session() as s:
        with pytest.raises(ValidationError):
            sched.no_show(s, clinic.owner, appt.id, now=at(MONDAY, 9))  # not started yet
        got = sched.no_show(s, clinic.owner, appt.id, now=at(MONDAY, 10, 20))
    assert got.status == "no_show"
    with db.session() as s, pytest.raises(ValidationError):
        sched.check_in(s, clinic.owner, appt.id, now=at(MONDAY, 10, 25))
    with db.session() as s, pytest.raises(PermissionDenied):
        sched.correct_status(s, clinic.tech_actor, appt.id, "checked_in", "Arrived late")
    with db.session() as s:
        got = sched.correct_status(
            s, clinic.owner, appt.id, "checked_in", "Arrived late", now=at(MONDAY, 10, 25)
        )
    assert got.status == "checked_in"
    assert got.arrived_at is not None and got.arrived_at.tzinfo is not None
    with db.session() as s:
        got = sched.complete(s, clinic.owner, appt.id, now=at(MONDAY, 11))
        history = sched.status_history(s, appt.id)
    assert got.status == "completed"
    assert [(h.from_status, h.to_status, h.correction) for h in history] == [
        ("", "scheduled", False),
        ("scheduled", "no_show", False),
        ("no_show", "checked_in", True),
        ("checked_in", "completed", False),
    ]
    assert history[2].note == "Arrived late"
    assert all(h.actor_name == "Olivia Owner" and h.at.tzinfo is not None for h in history)


def test_check_in_records_arrival_time(db, clinic):
    appt = book(db, clinic, clinic.p1, clinic.ana, at(MONDAY, 10))
    arrival = at(MONDAY, 9, 52)
    with db.session() as s:
        got = sched.check_in(s, clinic.owner, appt.id, now=arrival)
    assert got.status == "checked_in"
    assert got.arrived_at == arrival.astimezone(UTC)


def test_unresolved_visits_lists_past_open_appointments(db, clinic):
    a = book(db, clinic, clinic.p1, clinic.ana, at(MONDAY, 9))
    b = book(db, clinic, clinic.p2, clinic.ana, at(MONDAY, 10))
    c = book(db, clinic, clinic.p3, clinic.ana, at(MONDAY, 11))
    later = book(db, clinic, clinic.p1, clinic.ana, at(MONDAY, 15))
    with db.session() as s:
        sched.check_in(s, clinic.owner, b.id, now=at(MONDAY, 10))
        sched.complete(s, clinic.owner, c.id, now=at(MONDAY, 12))
        found = sched.unresolved_visits(s, now=at(MONDAY, 13))
    assert [x.id for x in found] == [a.id, b.id]
    assert later.id not in [x.id for x in found]


def test_unresolved_visits_are_found_by_an_index_not_by_reading_the_whole_history(demo_db):
    """Today asks every minute; a clinic's years of finished visits must not be read each time."""
    from sqlalchemy import event

    sent: list[tuple[str, object]] = []

    def spy(_conn, _cursor, statement, parameters, _context, _many):
        sent.append((statement, parameters))

    now = datetime(2027, 1, 1)  # after the demo's last booking: its open visits are all past
    event.listen(demo_db.engine, "before_cursor_execute", spy)
    try:
        with demo_db.session() as s:
            found = sched.unresolved_visits(s, now=now)
    finally:
        event.remove(demo_db.engine, "before_cursor_execute", spy)
    (statement, parameters), *_ = [x for x in sent if "FROM appointment" in x[0]]
    with demo_db.session() as s:
        raw = s.connection().connection.dbapi_connection
        plan = " ".join(r[-1] for r in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters))
        # The same visits as reading every row and picking the open ones by hand.
        every = s.exec(select(Appointment)).all()
    expected = sorted((a.start, a.id) for a in every if a.end <= now and a.status in sched.OPEN)
    assert "SEARCH appointment USING INDEX ix_appointment_status_start" in plan, plan
    assert expected and [(a.start, a.id) for a in found] == expected


# -- moving and free slots ----------------------------------------------------------------------
def test_move_checks_conflicts_and_keeps_length(db, clinic):
    a = book(db, clinic, clinic.p1, clinic.ana, at(MONDAY, 9), minutes=60)
    book(db, clinic, clinic.p2, clinic.ana, at(MONDAY, 11))
    with db.session() as s, pytest.raises(ConflictWarning):
        sched.move(s, clinic.owner, a.id, at(MONDAY, 10, 30))
    with db.session() as s:
        moved = sched.move(s, clinic.owner, a.id, at(MONDAY, 13), staff_id=clinic.tech)
    assert (moved.start, moved.end, moved.staff_id) == (at(MONDAY, 13), at(MONDAY, 14), clinic.tech)


def test_find_next_free_slot_honours_bookings_and_working_hours(db, clinic):
    book(db, clinic, clinic.p1, clinic.ben, at(MONDAY, 8))
    book(db, clinic, clinic.p2, clinic.ben, at(MONDAY, 8, 45))
    with db.session() as s:
        assert sched.find_next_free_slot(s, clinic.ben, at(MONDAY, 7), 45) == at(MONDAY, 9, 30)
        # Ben's Monday ends at 12:00, so a 45-minute visit after 11:30 goes to Wednesday.
        assert sched.find_next_free_slot(s, clinic.ben, at(MONDAY, 11, 30), 45) == at(
            MONDAY + timedelta(days=2), 8
        )
    book(db, clinic, clinic.p3, clinic.ana, at(MONDAY, 9, 30), room=clinic.gym)
    with db.session() as s:
        found = sched.find_next_free_slot(s, clinic.ben, at(MONDAY, 9), 45, room_id=clinic.gym)
    assert found == at(MONDAY, 10, 15)


# -- lookups ----------------------------------------------------------------------------------
def test_search_patients_by_name_chart_and_phone(db, clinic):
    with db.session() as s:
        assert [p.chart_number for p in sched.search_patients(s, "lop")] == ["000001"]
        assert [p.chart_number for p in sched.search_patients(s, "noah k")] == ["000002"]
        assert [p.chart_number for p in sched.search_patients(s, "000003")] == ["000003"]
        assert [p.chart_number for p in sched.search_patients(s, "5552013344")] == ["000001"]
        assert sched.search_patients(s, "zzz") == []
        assert sched.search_patients(s, "kim")[0].precautions == ("Fall risk", "No heat")


def test_day_queries_return_plain_values(db, clinic):
    book(db, clinic, clinic.p2, clinic.ana, at(MONDAY, 9), room=clinic.gym)
    book(db, clinic, clinic.p1, clinic.ben, at(MONDAY + timedelta(days=2), 9))
    with db.session() as s:
        day = sched.day_appointments(s, MONDAY)
        week = sched.week_appointments(s, clinic.ben, MONDAY)
        profile = get_profile(s)
        staff = sched.bookable_staff(s)
    assert [(a.patient_name, a.room_name, a.precautions) for a in day] == [
        ("Noah Kim", "Gym", ("Fall risk", "No heat"))
    ]
    assert [a.start.date() for a in week] == [MONDAY + timedelta(days=2)]
    tuesday = MONDAY + timedelta(days=1)
    assert [st.name for st in sched.working_staff(staff, tuesday, profile)] == [
        "Ana Therapist", "Olivia Owner", "Tia Tech"
    ]  # fmt: skip
    assert [st.name for st in sched.working_staff(staff, MONDAY + timedelta(days=5), profile)] == []


def test_demo_clinic_has_series_arrivals_and_late_cancellations(demo_db):
    demo_now = datetime(2026, 3, 11, 12, 30)  # the moment the test demo clinic is pinned to
    demo_today = demo_now.date()
    with demo_db.session() as s:
        day = sched.day_appointments(s, demo_today)
        rows = s.exec(select(Appointment)).all()
        unresolved = sched.unresolved_visits(s, now=demo_now)
    assert day and all(a.series_id for a in day)
    done = [r for r in rows if r.status == "completed"]
    assert done and all(r.arrived_at is not None for r in done)
    cancelled = [r for r in rows if r.status == "cancelled"]
    late = [r for r in cancelled if r.late_cancel]
    assert late and len(late) < len(cancelled)
    for r in late:
        assert r.start - r.cancelled_at.astimezone().replace(tzinfo=None) < timedelta(hours=24)
    # Visits that already ended but were only checked in are listed for the front desk.
    assert all(a.end <= demo_now and a.status in sched.OPEN for a in unresolved)


def test_a_visit_no_longer_open_cannot_be_moved(db, clinic):
    done = book(db, clinic, clinic.p1, clinic.ana, at(MONDAY, 9))
    gone = book(db, clinic, clinic.p2, clinic.ana, at(MONDAY, 10))
    away = book(db, clinic, clinic.p3, clinic.ana, at(MONDAY, 11))
    with db.session() as s:
        sched.complete(s, clinic.owner, done.id, now=at(MONDAY, 10))
        sched.cancel(s, clinic.owner, gone.id, "Weather", now=at(MONDAY, 8))
        sched.no_show(s, clinic.owner, away.id, now=at(MONDAY, 11, 30))
    for appt, word in ((done, "completed"), (gone, "cancelled"), (away, "no-show")):
        with db.session() as s, pytest.raises(ValidationError, match=word) as caught:
            sched.update_appointment(
                s, clinic.owner, appt.id, sched.AppointmentChanges(start=at(MONDAY, 14))
            )
        assert caught.value.field == "start"
    with db.session() as s:  # notes can still be written on a finished visit
        got = sched.update_appointment(
            s, clinic.owner, done.id, sched.AppointmentChanges(notes="Went well")
        )
    assert got[0].start == at(MONDAY, 9) and got[0].notes == "Went well"


def _per_week(starts: list[datetime]) -> dict[date, int]:
    weeks: dict[date, int] = {}
    for s in starts:
        monday = s.date() - timedelta(days=s.weekday())
        weeks[monday] = weeks.get(monday, 0) + 1
    return weeks


def test_plan_of_care_with_more_days_ticked_keeps_visits_per_calendar_week():
    plan = sched.expand_recurrence(at(MONDAY, 8), Recurrence([1, 3, 5], per_week=2, weeks=6))
    assert len(plan) == 12
    assert list(_per_week(plan).values()) == [2] * 6
    assert {s.isoweekday() for s in plan} == {1, 3}  # the first ticked days of each week


def test_plan_of_care_starting_mid_week_makes_up_the_partial_week_at_the_end():
    friday = MONDAY + timedelta(days=4)
    plan = sched.expand_recurrence(at(friday, 8), Recurrence([1, 3, 5], per_week=2, weeks=6))
    assert len(plan) == 12
    assert list(_per_week(plan).values()) == [1, 2, 2, 2, 2, 2, 1]
    assert plan[0].date() == friday and plan[-1].date() == MONDAY + timedelta(weeks=6)
    with pytest.raises(ValidationError) as err:
        sched.expand_recurrence(at(friday, 8), Recurrence([1, 5], per_week=3, weeks=6))
    assert err.value.field == "weekdays" and "3 weekdays" in err.value.message


def test_future_visits_of_a_patient_can_be_cancelled_at_discharge(db, clinic):
    past = book(db, clinic, clinic.p1, clinic.ana, at(MONDAY, 9))
    later = [book(db, clinic, clinic.p1, clinic.ana, at(MONDAY + timedelta(days=d), 9))
             for d in (2, 4)]  # fmt: skip
    other = book(db, clinic, clinic.p2, clinic.ana, at(MONDAY + timedelta(days=2), 10))
    now = at(MONDAY, 12)
    with db.session() as s:
        assert [a.id for a in sched.future_visits(s, clinic.p1, now=now)] == [a.id for a in later]
        assert sched.cancel_future_visits(s, clinic.owner, clinic.p1, "Discharged", now=now) == 2
    with db.session() as s:
        assert sched.future_visits(s, clinic.p1, now=now) == []
        assert sched.get_appointment(s, later[0].id).status == "cancelled"
        assert sched.get_appointment(s, past.id).status == "scheduled"
        assert sched.get_appointment(s, other.id).status == "scheduled"
