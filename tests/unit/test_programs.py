"""Home programs: dose wording, who may change them, their history, and the day's batch."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlmodel import func, select

from ptdesk.errors import PermissionDenied, ValidationError
from ptdesk.models import Appointment, AppointmentStatus, AuditEvent, HomeProgram, ProgramExercise
from ptdesk.services import exercises, programs
from ptdesk.services.programs import ProgramData, dose_words
from tests.exercise_helpers import book, library_by_key, make_patient, make_staff, set_program

DAY = date(2026, 3, 11)


@pytest.mark.parametrize(
    ("dose", "expected"),
    [
        (
            dict(sets=2, reps=10, hold_seconds=5, times_per_day=2),
            "2 sets of 10, hold 5 seconds, twice a day, every day",
        ),
        (dict(sets=1, reps=10), "10 times, once a day, every day"),
        (dict(sets=1, reps=1, times_per_day=3), "Do it once, 3 times a day, every day"),
        (
            dict(sets=3, reps=12, hold_seconds=1),
            "3 sets of 12, hold 1 second, once a day, every day",
        ),
        (dict(sets=1, reps=3, hold_seconds=60), "3 times, hold 1 minute, once a day, every day"),
        (dict(sets=1, reps=2, hold_seconds=120), "2 times, hold 2 minutes, once a day, every day"),
        (dict(sets=1, reps=2, hold_seconds=90), "2 times, hold 90 seconds, once a day, every day"),
        (
            dict(sets=2, reps=10, load="red band"),
            "2 sets of 10, with red band, once a day, every day",
        ),
        (dict(sets=2, reps=10, side="left"), "2 sets of 10, left side, once a day, every day"),
        (dict(sets=2, reps=10, side="right"), "2 sets of 10, right side, once a day, every day"),
        (dict(sets=2, reps=10, side="both"), "2 sets of 10, each side, once a day, every day"),
        (dict(sets=2, reps=10, days_per_week=5), "2 sets of 10, once a day, 5 days a week"),
        (dict(sets=2, reps=10, days_per_week=1), "2 sets of 10, once a day, 1 day a week"),
        (
            dict(
                sets=2,
                reps=15,
                hold_seconds=3,
                load="2 lb weight",
                side="right",
                times_per_day=2,
                days_per_week=3,
            ),
            "2 sets of 15, hold 3 seconds, with 2 lb weight, right side, twice a day, 3 days a week",
        ),
    ],
)
def test_dose_in_words(dose, expected):
    assert dose_words(**dose) == expected


def test_library_has_forty_exercises_in_every_region_with_pictures(db):
    entries = exercises.library()
    assert len(entries) >= 40
    assert {e.region for e in entries} == {
        "neck",
        "shoulder",
        "back",
        "hip",
        "knee",
        "ankle",
        "balance",
        "core",
    }
    for e in entries:
        assert e.steps and all(len(s) < 110 for s in e.steps), e.key
        svg = exercises.library_picture_svg(e.key)
        assert svg and svg.startswith("<svg") and "<line" in svg, e.key
    with db.session() as s:
        assert len(exercises.list_exercises(s)) == len(entries)
        assert exercises.sync_library(s) == 0  # already up to date: nothing written twice


def test_therapists_and_assistants_change_programs_others_only_view(db, owner):
    therapist = make_staff(db, owner, "Tara Lee", "therapist", "PT, DPT")
    assistant = make_staff(db, owner, "Sam Ortiz", "assistant", "PTA")
    tech = make_staff(db, owner, "Theo Tech", "technician")
    desk = make_staff(db, owner, "Fran Desk", "front_desk")
    pid = make_patient(db, "000001", "Ana", "Diaz")
    set_program(db, therapist, pid, ["bridge", "clamshell"])
    set_program(db, assistant, pid, ["bridge"])
    for actor in (tech, desk):
        with pytest.raises(PermissionDenied, match="may not change a home exercise program"):
            set_program(db, actor, pid, ["heel_slide"])
    with db.session() as s:
        program = programs.get_program(s, pid)
        # viewing works for everyone; what a technician tried was not written
        assert [i.exercise_name for i in program.items] == ["Bridge"]
        assert program.therapist_name == "Sam Ortiz"
        with pytest.raises(PermissionDenied):
            exercises.add_exercise(s, tech, exercises.ExerciseInput("X", "knee", ["Do it."]))
        # anyone who prints may remember a patient's print size
        assert programs.set_large_print(s, tech, pid, True).large_print is True


def test_history_says_who_changed_what(db, owner):
    therapist = make_staff(db, owner, "Tara Lee", "therapist", "PT, DPT")
    assistant = make_staff(db, owner, "Sam Ortiz", "assistant", "PTA")
    pid = make_patient(db, "000001", "Ana", "Diaz")
    first = set_program(db, therapist, pid, ["bridge", "clamshell", "heel_slide"])
    items = [first.items[1], first.items[0], replace(first.items[2], reps=15)]
    lib = library_by_key(db)
    items.append(programs.ProgramItem.from_exercise(lib["calf_raise"]))
    with db.session() as s:
        programs.save_program(
            s, assistant, pid, ProgramData(pid, first.start_date, items=items[:1] + items[1:])
        )
        history = programs.program_history(s, pid)
    assert [h.actor_name for h in history] == ["Sam Ortiz", "Tara Lee"]
    latest = history[0]
    assert "added Heel raise" in latest.summary
    assert "dose changed for Heel slide" in latest.summary
    assert "order changed" in latest.summary
    assert latest.changes["exercises"][0][0].startswith("Bridge")
    assert latest.changes["exercises"][1][0].startswith("Clamshell")
    assert history[0].at.tzinfo is not None  # record times are UTC-aware


def test_bad_program_is_refused_and_nothing_is_written(db, owner):
    therapist = make_staff(db, owner, "Tara Lee", "therapist")
    pid = make_patient(db, "000001", "Ana", "Diaz")
    lib = library_by_key(db)
    item = programs.ProgramItem.from_exercise(lib["bridge"])
    bad_dates = ProgramData(pid, date(2026, 3, 10), date(2026, 3, 1), items=[item])
    bad_reps = ProgramData(pid, date(2026, 3, 1), items=[replace(item, reps=0)])
    bad_side = ProgramData(pid, date(2026, 3, 1), items=[replace(item, side="up")])
    for data, field in ((bad_dates, "end_date"), (bad_reps, "reps"), (bad_side, "side")):
        with pytest.raises(ValidationError) as err, db.session() as s:
            programs.save_program(s, therapist, pid, data)
        assert err.value.field == field
    with db.session() as s:
        assert s.exec(select(func.count()).select_from(HomeProgram)).one() == 0
        assert s.exec(select(func.count()).select_from(ProgramExercise)).one() == 0
        events = s.exec(select(AuditEvent).where(AuditEvent.entity == "home_program")).all()
        assert events == []


def test_program_dates_decide_whether_it_is_active(db, owner):
    therapist = make_staff(db, owner, "Tara Lee", "therapist")
    pid = make_patient(db, "000001", "Ana", "Diaz")
    program = set_program(
        db, therapist, pid, ["bridge"], start=date(2026, 3, 5), end=date(2026, 3, 20)
    )
    assert not program.is_active_on(date(2026, 3, 4))
    assert program.is_active_on(date(2026, 3, 5)) and program.is_active_on(date(2026, 3, 20))
    assert not program.is_active_on(date(2026, 3, 21))
    assert program.updated_at is not None and program.updated_at.tzinfo == UTC


def test_day_batch_holds_exactly_the_expected_patients(db, owner):
    therapist = make_staff(db, owner, "Tara Lee", "therapist", "PT, DPT")
    tech = make_staff(db, owner, "Theo Tech", "technician")
    booked = make_patient(db, "000001", "Ana", "Diaz", "Fall risk")
    with_tech = make_patient(db, "000002", "Ben", "Okafor")
    cancelled = make_patient(db, "000003", "Cara", "Ng")
    no_show = make_patient(db, "000004", "Dan", "Roe")
    no_program = make_patient(db, "000005", "Eve", "Moss")
    ended = make_patient(db, "000006", "Finn", "Hart")
    other_day = make_patient(db, "000007", "Gus", "Lind")
    for pid in (booked, with_tech, cancelled, no_show, ended, other_day):
        set_program(db, therapist, pid, ["bridge", "clamshell"])
    set_program(db, therapist, ended, ["bridge"], start=date(2026, 1, 1), end=date(2026, 3, 1))
    book(db, booked, therapist.id, DAY, 10)
    book(db, booked, tech.id, DAY, 11)  # two visits, one sheet
    book(db, with_tech, tech.id, DAY, 8)
    book(db, cancelled, therapist.id, DAY, 9, AppointmentStatus.CANCELLED.value)
    book(db, no_show, therapist.id, DAY, 9, AppointmentStatus.NO_SHOW.value)
    book(db, no_program, therapist.id, DAY, 12)
    book(db, ended, therapist.id, DAY, 13)
    book(db, other_day, therapist.id, date(2026, 3, 12), 9)
    with db.session() as s:
        all_sheets = programs.sheets_for_day(s, DAY)
        tech_sheets = programs.sheets_for_day(s, DAY, staff_id=tech.id)
    assert [sh.patient_name for sh in all_sheets] == ["Ben Okafor", "Ana Diaz"]  # by time
    assert [sh.patient_name for sh in tech_sheets] == ["Ben Okafor", "Ana Diaz"]
    with db.session() as s:
        overview = programs.day_overview(s, DAY)
    status = {r.name: r.status for r in overview}
    assert list(status) == ["Ben Okafor", "Ana Diaz", "Eve Moss", "Finn Hart"]
    assert status["Ana Diaz"] == "Sheet prints (2 exercises)"
    assert status["Eve Moss"] == "No sheet: no home program"
    assert status["Finn Hart"] == "No sheet: program not current"
    ana = all_sheets[1]
    assert ana.precautions == ["Fall risk"]
    assert ana.therapist == "Tara Lee, PT, DPT"
    assert [e.name for e in ana.exercises] == ["Bridge", "Clamshell"]
    assert all(e.picture and e.picture.svg for e in ana.exercises)


def test_clinic_exercise_and_photo(db, owner):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    with db.session() as s:
        info = exercises.add_exercise(
            s, owner, exercises.ExerciseInput("Towel squeeze", "knee", ["Squeeze.", " ", "Relax."])
        )
        assert info.key == f"clinic:{info.id}" and info.steps == ["Squeeze.", "Relax."]
        with pytest.raises(ValidationError) as err:
            exercises.set_photo(s, owner, info.id, b"GIF89a....")
        assert err.value.field == "photo"
        assert exercises.set_photo(s, owner, info.id, png).has_photo
        lib = exercises.list_exercises(s, region="knee")
        bridge = next(e for e in exercises.list_exercises(s) if e.library_key == "bridge")
        with pytest.raises(ValidationError):
            exercises.update_exercise(
                s, owner, bridge.id, exercises.ExerciseInput("Mine", "hip", ["x"])
            )
        exercises.set_active(s, owner, info.id, False)
        # a clinic photo on a library exercise prints instead of the drawing
        exercises.set_photo(s, owner, bridge.id, png)
    therapist = make_staff(db, owner, "Tara Lee", "therapist")
    pid = make_patient(db, "000001", "Ana", "Diaz")
    set_program(db, therapist, pid, ["bridge", "clamshell"])
    with db.session() as s:
        sheet = programs.sheet_for_patient(s, pid, DAY)
        assert sheet.exercises[0].picture.image == png
        assert sheet.exercises[1].picture.svg
        assert info.id not in {e.id for e in exercises.list_exercises(s)}
    assert any(e.id == info.id for e in lib)


def test_appointment_times_stay_naive(db, owner):
    therapist = make_staff(db, owner, "Tara Lee", "therapist")
    pid = make_patient(db, "000001", "Ana", "Diaz")
    set_program(db, therapist, pid, ["bridge"])
    book(db, pid, therapist.id, DAY, 7)
    with db.session() as s:
        assert programs.day_patient_ids(s, DAY) == [pid]
        assert programs.day_patient_ids(s, date(2026, 3, 10)) == []
        stored = s.exec(select(Appointment)).one()
    assert stored.start == datetime(2026, 3, 11, 7) and stored.start.tzinfo is None


def test_day_batch_reads_the_day_in_a_few_queries_and_matches_single_sheets(db, owner):
    from sqlalchemy import event

    therapist = make_staff(db, owner, "Tara Lee", "therapist", "PT, DPT")
    keys = ["bridge", "clamshell", "heel_slide"]
    for n in range(12):
        pid = make_patient(db, f"{n:06d}", f"P{n}", "Bench", "Fall risk" if n % 2 else "")
        set_program(db, therapist, pid, keys[: 1 + n % 3])
        book(db, pid, therapist.id, DAY, 8 + n % 9)
    with db.session() as s:
        programs.sheets_for_day(s, DAY)  # the library is in step from here on
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with db.session() as s:
        batch = programs.sheets_for_day(s, DAY)
    day_queries = len(statements)
    with db.session() as s:
        one_by_one = [programs.sheet_for_patient(s, pid, DAY) for pid in programs.day_patient_ids(s, DAY)]  # fmt: skip
    assert len(batch) == 12
    assert batch == one_by_one
    assert sorted(len(sh.exercises) for sh in batch) == [1] * 4 + [2] * 4 + [3] * 4
    assert day_queries <= 10  # not several per patient
