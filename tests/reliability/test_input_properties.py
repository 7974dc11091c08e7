"""Generated input for every service that takes it: saved whole, or refused with a field and a
sentence, and a refused call leaves the database exactly as it was (compared as a dump).

A refused call is committed anyway before the comparison: a service that changed a row before
finding the input bad would show up, even though the app's session rolls such changes back.
Cases run with the clinic's clock in a time zone with daylight-saving changes.
"""

from __future__ import annotations

import csv
import io
import math
import os
import shutil
import sqlite3
import time as _time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from ptdesk.db import Database, open_database
from ptdesk.errors import PtdeskError, ValidationError
from ptdesk.models import AppointmentKind, CleaningMethod
from ptdesk.models.transfers import CONDITIONS, Incident, TransferMethod, TransferType
from ptdesk.services import cleaning, imports, patients, rooms, scheduling, sessions, transfers
from ptdesk.services import staff as staff_service
from ptdesk.services.audit import Actor
from ptdesk.services.patients import PatientData
from ptdesk.services.scheduling import BookingRequest, ConflictWarning, Recurrence
from ptdesk.services.sessions import ExerciseEntry, InterventionEntry, SessionInput
from ptdesk.services.transfers import Assessment
from tests.reliability import workload
from tests.reliability.cases import count

EXAMPLES = int(os.environ.get("PTDESK_PROPERTY_EXAMPLES", "1700"))  # per service: 10,200 in all
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("PTDESK_PROPERTY_RANDOM") != "1",  # CI runs the same cases
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# -- text in any script and length ---------------------------------------------------------------
SPECIAL_TEXT = [
    "",
    "   ",
    "María-José Núñez",
    "محمد عبد الله",  # Arabic, right to left
    "שרה כהן",  # Hebrew, right to left
    "Zoë 👩🏽‍⚕️🦵",
    "Nguyễn Thị Minh Khai",
    "李小龍",
    "O'Brien; DROP TABLE patient;--",
    "a\x00b",
    "\x00",
    "\u202eevil\u202c",
    "\ufeffbom",
    "line one\nline two",
    "\t\r\n",
    "%_\\",
]
LONG = st.builds(
    lambda piece, n: piece * n,
    st.sampled_from(["a", "ש", "👩🏽‍⚕️", "\x00", "note "]),
    st.sampled_from([79, 80, 81, 200, 201, 2000, 2001, 4000, 4001, 10_000]),
)
TEXT = st.one_of(st.text(max_size=40), st.sampled_from(SPECIAL_TEXT), LONG)

# -- times around daylight-saving changes, 29 February, far past and future -------------------
EDGE_DAYS = [
    date(2026, 3, 8),  # clocks spring forward (US)
    date(2026, 11, 1),  # clocks fall back (US)
    date(2026, 3, 29),  # clocks spring forward (EU)
    date(2028, 2, 29),
    date(2024, 2, 29),
    date(1900, 1, 1),
    date(1, 1, 1),
    date(9999, 12, 31),
    date(2099, 12, 31),
]
EDGE_TIMES = st.builds(
    lambda d, h, m: datetime(d.year, d.month, d.day, h, m),
    st.sampled_from(EDGE_DAYS),
    st.integers(0, 23),
    st.sampled_from([0, 15, 30, 59]),
)
WALL_CLOCK = st.one_of(
    EDGE_TIMES,
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31)),
    st.datetimes(),
)
DATES = st.one_of(st.sampled_from(EDGE_DAYS), st.dates())
ZONES = st.sampled_from([UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))])
AWARE = st.one_of(
    st.builds(lambda t, z: t.replace(tzinfo=z), WALL_CLOCK, ZONES),
    st.just(datetime.now(UTC) - timedelta(hours=1)),
)
IDS = st.one_of(st.integers(-2, 30), st.none())
NUMBERS = st.one_of(
    st.none(), st.integers(-1000, 100_000), st.sampled_from([0, -1, 10**18, 2**63 - 1])
)
FLOATS = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True))


def choice(valid: list[str]) -> st.SearchStrategy[str]:
    """Mostly one of the offered values (as a form gives), sometimes any text."""
    return st.one_of(st.sampled_from(valid), st.sampled_from(valid), TEXT)


# -- the clinic every case starts from ----------------------------------------------------------
@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, dict[str, Any]]:
    path = tmp_path_factory.mktemp("properties") / "template.sqlite3"
    clinic = workload.make_clinic(path)
    db = open_database(path)
    owner = Actor(clinic.owner_id, "Olivia Owner", "owner")
    therapist = Actor(clinic.therapist_id, "Tara Therapist", "therapist")
    try:
        with db.session() as s:
            room = rooms.create_room(s, owner, rooms.RoomData(name="Gym"))
            tech = staff_service.create_staff(s, owner, "Ted Tech", "technician", "PT Tech")
        with db.session() as s:
            visit = scheduling.book(
                s,
                therapist,
                BookingRequest(clinic.patient_id, clinic.therapist_id, datetime(2026, 3, 11, 9)),
                override_reason="set-up",
            )
            scheduling.check_in(s, therapist, visit.id, now=datetime(2026, 3, 11, 9))
        with db.session() as s:
            entry = cleaning.log_cleaning(s, therapist, [clinic.equipment_id])[0]
        with db.session() as s:
            started = transfers.start_checklist(s, therapist, clinic.patient_id)
            a = Assessment("full", True, True, "cooperative", 170, 70)
            planned = transfers.plan_checklist(s, therapist, started.id, a, "full_sling_lift")
            for item in planned.items:
                transfers.set_check(s, therapist, started.id, item.id, True)
            open_list = transfers.start_checklist(s, therapist, clinic.patient_id)
    finally:
        db.close()
    ids = {
        "clinic": clinic,
        "owner": owner,
        "therapist": therapist,
        "room": room.id,
        "tech": tech.id,
        "visit": visit.id,
        "cleaning": entry.id,
        "planned_checklist": started.id,
        "open_checklist": open_list.id,
    }
    return path, ids


@pytest.fixture
def clinic(template, tmp_path) -> Iterator[tuple[Database, dict[str, Any]]]:
    path = tmp_path / "ptdesk.sqlite3"
    shutil.copy(template[0], path)
    db = open_database(path)
    yield db, template[1]
    db.close()


@pytest.fixture
def daylight_saving_clock(monkeypatch):
    """The clinic's computer in New York: its clocks change twice a year."""
    monkeypatch.setenv("TZ", "America/New_York")
    _time.tzset()
    yield
    monkeypatch.undo()
    _time.tzset()


def dump(db: Database) -> list[str]:
    con = sqlite3.connect(db.path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


class Harness:
    """Runs one generated call; checks its outcome; tallies the cases."""

    def __init__(self, db: Database, name: str) -> None:
        self.db = db
        self.name = name
        self.baseline = dump(db)
        self.saved = 0
        self.refused = 0
        # Another connection's data_version changes exactly when a commit changed the file:
        # checked after every refused call; the whole dump is compared every 25th time.
        self.watch = sqlite3.connect(db.path)

    def data_version(self) -> int:
        return self.watch.execute("PRAGMA data_version").fetchone()[0]

    def run(
        self,
        call: Callable[[Session], Any],
        read_back: Callable[[Session, Any], Any] | None = None,
        *,
        also_refused: tuple[type[PtdeskError], ...] = (),
    ) -> None:
        version = self.data_version()
        with Session(self.db.engine, expire_on_commit=False) as s:
            try:
                result = call(s)
            except (ValidationError, *also_refused) as exc:
                if isinstance(exc, ValidationError):
                    assert isinstance(exc.field, str) and exc.field, exc
                assert isinstance(exc.message, str) and len(exc.message.strip()) > 10, exc
                assert "Traceback" not in exc.message and "sqlite" not in exc.message.lower()
                s.commit()  # whatever the service changed before refusing would now be saved
                self.refused += 1
                assert self.data_version() == version, f"{self.name}: refused call wrote"
                if self.refused % 25 == 1:
                    assert dump(self.db) == self.baseline, f"{self.name}: refused call changed"
                return
            if read_back is not None:
                shown = read_back(s, result)
                s.flush()
                s.expire_all()  # read again from the file: stored exactly as shown
                assert read_back(s, result) == shown
            s.rollback()  # every case starts from the same clinic
            self.saved += 1

    def done(self) -> None:
        self.watch.close()
        assert dump(self.db) == self.baseline
        count(f"bad input: {self.name}", self.saved + self.refused)
        # Both outcomes must have happened, or the strategy does not test the rule.
        assert self.saved > 0 and self.refused > 0, (self.name, self.saved, self.refused)


# -- patients ----------------------------------------------------------------------------------
PATIENT = st.builds(
    PatientData,
    first_name=st.one_of(st.sampled_from(["Ana", "محمد", "שרה", "Zoë 👩🏽‍⚕️"]), TEXT),
    last_name=st.one_of(st.sampled_from(["Ruiz", "כהן", "李"]), TEXT),
    date_of_birth=st.one_of(st.none(), DATES),
    chart_number=st.one_of(st.just(""), TEXT),
    phone=st.one_of(st.just(""), st.sampled_from(["555-123-4567", "+1 (555) 123 4567"]), TEXT),
    email=st.one_of(st.just(""), st.just("ana@example.com"), TEXT),
    address=TEXT,
    notes=TEXT,
    precautions=TEXT,
    weight_kg=FLOATS,
    height_cm=FLOATS,
    weight_bearing=choice(list(patients.WEIGHT_BEARING_LABELS)),
    cooperation=choice(list(patients.COOPERATION_LABELS)),
    assistance_level=choice(list(patients.ASSISTANCE_LABELS)),
    assistive_device=TEXT,
)


def _patient_shown(s: Session, row) -> tuple:
    fresh = patients.get_patient(s, row.id)
    return (asdict(PatientData.from_patient(fresh)), fresh.full_name, fresh.sort_name)


@pytest.mark.slow  # 1,700 generated cases
def test_patients(clinic):
    db, ids = clinic
    h = Harness(db, "patients (create and edit)")

    @PROPERTY
    @given(data=PATIENT, edit=st.booleans())
    def case(data: PatientData, edit: bool) -> None:
        if edit:
            h.run(
                lambda s: patients.update_patient(
                    s, ids["owner"], ids["clinic"].patient_id, data, allow_duplicate=True
                ),
                _patient_shown,
            )
        else:
            h.run(
                lambda s: patients.create_patient(s, ids["owner"], data, allow_duplicate=True),
                _patient_shown,
            )

    case()
    h.done()


# -- bookings and series -----------------------------------------------------------------------
def _booking(ids) -> st.SearchStrategy[BookingRequest]:
    return st.builds(
        BookingRequest,
        patient_id=st.one_of(st.just(ids["clinic"].patient_id), IDS),
        staff_id=st.one_of(st.just(ids["clinic"].therapist_id), IDS),
        start=WALL_CLOCK,
        duration_min=st.one_of(st.none(), st.integers(-10, 600), st.just(10**9)),
        kind=choice([k.value for k in AppointmentKind]),
        room_id=st.one_of(st.none(), st.just(ids["room"]), IDS),
        notes=TEXT,
    )


def _appointments_shown(s: Session, result) -> list:
    infos = result if isinstance(result, list) else [result]
    return [scheduling.get_appointment(s, a.id) for a in infos]


@pytest.mark.slow  # 1,700 generated cases
def test_bookings(clinic, daylight_saving_clock):
    db, ids = clinic
    h = Harness(db, "bookings")

    @PROPERTY
    @given(request=_booking(ids), reason=st.one_of(st.just("patient asked"), TEXT))
    def case(request: BookingRequest, reason: str) -> None:
        h.run(
            lambda s: scheduling.book(s, ids["therapist"], request, override_reason=reason),
            _appointments_shown,
            also_refused=(ConflictWarning,),  # warnings without a reason: asked, not saved
        )

    case()
    h.done()


RECURRENCE = st.builds(
    Recurrence,
    weekdays=st.one_of(
        st.lists(st.integers(1, 7), min_size=1, max_size=3), st.lists(st.integers(-1, 9))
    ),
    until=st.one_of(st.none(), DATES),
    count=st.one_of(st.integers(1, 12), st.none(), st.integers(-5, 30), st.just(10**6)),
    per_week=st.one_of(st.none(), st.integers(-1, 8)),
    weeks=st.one_of(st.none(), st.integers(-1, 30), st.just(10**9)),
)


@pytest.mark.slow  # 1,700 generated cases
def test_series(clinic, daylight_saving_clock):
    db, ids = clinic
    h = Harness(db, "recurring series")

    @PROPERTY
    @given(request=_booking(ids), rule=RECURRENCE)
    def case(request: BookingRequest, rule: Recurrence) -> None:
        h.run(
            lambda s: scheduling.book_series(
                s, ids["therapist"], request, rule, override_reason="plan of care"
            ),
            _appointments_shown,
            also_refused=(ConflictWarning,),
        )

    case()
    h.done()


# -- sessions and vitals -----------------------------------------------------------------------
VITAL = st.one_of(st.none(), st.integers(-5, 300))
SESSION = st.builds(
    SessionInput,
    pain_before=VITAL,
    pain_after=VITAL,
    bp_systolic=VITAL,
    bp_diastolic=VITAL,
    heart_rate=VITAL,
    spo2=VITAL,
    subjective=TEXT,
    treatment=TEXT,
    assessment=TEXT,
    plan=TEXT,
    exercises=st.lists(
        st.builds(
            ExerciseEntry,
            name=TEXT,
            sets=VITAL,
            reps=st.one_of(st.none(), st.integers(-5, 600)),
            load=TEXT,
            duration_min=VITAL,
            notes=TEXT,
        ),
        max_size=3,
    ),
    interventions=st.lists(
        st.builds(
            InterventionEntry,
            code=st.one_of(st.sampled_from(["97110", "97112", "97140", "97530", "97161"]), TEXT),
            minutes=st.integers(-5, 300),
        ),
        max_size=3,
    ),
)


def _record_shown(s: Session, detail) -> tuple:
    fresh = sessions.get_record(s, detail.id)
    return (fresh.status, asdict(fresh.data))


@pytest.mark.slow  # 1,700 generated cases
def test_sessions_and_vitals(clinic):
    db, ids = clinic
    h = Harness(db, "sessions and vitals")

    @PROPERTY
    @given(data=SESSION, sign=st.booleans())
    def case(data: SessionInput, sign: bool) -> None:
        h.run(
            lambda s: sessions.save_record(s, ids["therapist"], ids["visit"], data, sign=sign),
            _record_shown,
        )

    case()
    h.done()


# -- cleaning entries --------------------------------------------------------------------------
@pytest.mark.slow  # 1,700 generated cases
def test_cleaning_entries(clinic, daylight_saving_clock):
    db, ids = clinic
    h = Harness(db, "cleaning entries (log and correct)")
    methods = [m.value for m in CleaningMethod]

    @PROPERTY
    @given(
        method=st.one_of(st.none(), choice(methods)),
        product=st.one_of(st.none(), TEXT),
        minutes=st.one_of(st.none(), st.integers(-5, 2000)),
        notes=TEXT,
        when=st.one_of(st.none(), AWARE, WALL_CLOCK),
        correct=st.booleans(),
        reason=TEXT,
    )
    def case(method, product, minutes, notes, when, correct, reason) -> None:
        if correct:
            h.run(
                lambda s: cleaning.correct_cleaning(
                    s,
                    ids["therapist"],
                    ids["cleaning"],
                    reason=reason,
                    method=method,
                    product=product,
                    contact_minutes=minutes,
                    notes=notes,
                    cleaned_at=when,
                ),  # fmt: skip
                lambda s, e: _cleaning_shown(s, [e]),
            )
        else:
            h.run(
                lambda s: cleaning.log_cleaning(
                    s,
                    ids["therapist"],
                    [ids["clinic"].equipment_id],
                    method=method,
                    product=product,
                    contact_minutes=minutes,
                    notes=notes,
                    when=when,
                ),  # fmt: skip
                _cleaning_shown,
            )

    case()
    h.done()


def _cleaning_shown(s: Session, entries) -> list:
    out = []
    for e in entries:
        fresh = cleaning.get_entry(s, e.id)
        out.append((fresh, fresh.cleaned_local, fresh.status))
    return out


# -- transfer checklists -----------------------------------------------------------------------
ASSESSMENT = st.builds(
    Assessment,
    weight_bearing=choice(["full", "partial", "toe_touch", "non_weight_bearing"]),
    upper_limb_strength_left=st.one_of(st.none(), st.booleans()),
    upper_limb_strength_right=st.one_of(st.none(), st.booleans()),
    cooperation=choice(["cooperative", "unpredictable"]),
    height_cm=st.one_of(st.floats(50, 250), FLOATS),
    weight_kg=st.one_of(st.floats(20, 400), FLOATS),
    conditions=st.lists(choice(list(CONDITIONS)), max_size=2).map(tuple),
)
OUTCOME = st.fixed_dictionaries(
    {
        "performed_by_id": st.one_of(st.sampled_from([1, 2]), IDS),
        "assisted_by_id": st.one_of(st.sampled_from([2, 3]), IDS),
        "incident": choice([i.value for i in Incident]),
        "incident_description": TEXT,
        "therapist_informed": st.one_of(st.none(), st.booleans()),
        "notes": TEXT,
    }
)


def _checklist_shown(s: Session, data) -> Any:
    return transfers.get_checklist(s, data.id)


@pytest.mark.slow  # 1,700 generated cases
def test_checklists(clinic):
    db, ids = clinic
    h = Harness(db, "transfer checklists (plan, complete, abort)")
    methods = [m.value for m in TransferMethod]
    kinds = [t.value for t in TransferType]

    @PROPERTY
    @given(
        step=st.sampled_from(["plan", "complete", "abort"]),
        assessment=ASSESSMENT,
        method=choice(methods),
        transfer_type=st.one_of(st.none(), choice(kinds)),
        reason=TEXT,
        outcome=OUTCOME,
    )
    def case(step, assessment, method, transfer_type, reason, outcome) -> None:
        therapist = ids["therapist"]
        if step == "plan":
            h.run(
                lambda s: transfers.plan_checklist(
                    s,
                    therapist,
                    ids["open_checklist"],
                    assessment,
                    method,
                    less_support_reason=reason,
                    transfer_type=transfer_type,
                ),  # fmt: skip
                _checklist_shown,
            )
        elif step == "complete":
            h.run(
                lambda s: transfers.complete_checklist(
                    s, therapist, ids["planned_checklist"], **outcome
                ),
                _checklist_shown,
            )
        else:
            h.run(
                lambda s: transfers.abort_checklist(
                    s, therapist, ids["open_checklist"], reason, **outcome
                ),
                _checklist_shown,
            )

    case()
    h.done()


@pytest.mark.parametrize(
    "start, rule, field",
    [
        (datetime(9999, 12, 31, 23, 30), None, "start"),
        (datetime(1, 1, 1, 0, 0), None, "start"),
        (datetime(2026, 3, 2, 9), Recurrence([1], per_week=1, weeks=10**9), "plan"),
        (datetime(2026, 3, 2, 9), Recurrence([1, 3], per_week=2, weeks=105), "plan"),
    ],
)
def test_bookings_out_of_the_calendar_are_refused_clearly(clinic, start, rule, field):
    """Found by the cases above: these ended in OverflowError before."""
    db, ids = clinic
    request = BookingRequest(ids["clinic"].patient_id, ids["clinic"].therapist_id, start)
    with pytest.raises(ValidationError) as exc, db.session() as s:
        if rule is None:
            scheduling.book(s, ids["therapist"], request, override_reason="x")
        else:
            scheduling.book_series(s, ids["therapist"], request, rule, override_reason="x")
    assert exc.value.field == field
    count("bad input: dates out of the calendar (regressions)")


@pytest.mark.parametrize(
    "when",
    [datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))), datetime(1999, 12, 31, tzinfo=UTC)],
)
def test_cleaning_dated_out_of_the_calendar_is_refused_clearly(clinic, when):
    db, ids = clinic
    with pytest.raises(ValidationError) as exc, db.session() as s:
        cleaning.log_cleaning(s, ids["therapist"], [ids["clinic"].equipment_id], when=when)
    assert exc.value.field == "cleaned_at"
    count("bad input: dates out of the calendar (regressions)")


# -- imports -----------------------------------------------------------------------------------
# Generated CSV files: mostly well-formed rows with values at the edges, then spoiled the ways
# real files are (other separators and encodings, NUL bytes, ragged or repeated rows, a missing
# or doubled column, a cut-off end, a field too large to read).
IMPORT_EXAMPLES = max(1, EXAMPLES // 2)  # per kind: 3,400 in all with the default
IMPORT_PROPERTY = settings(PROPERTY, max_examples=IMPORT_EXAMPLES)
# Cell text of any script and length; control characters come in through the spoiled bytes.
CELL_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=40),
    st.sampled_from(SPECIAL_TEXT),
    LONG.filter(lambda t: "\x00" not in t),
)
DATE_TEXT = st.one_of(
    st.sampled_from(
        ["2024-02-29", "2023-02-29", "02/29/2028", "1900-02-29", "0001-01-01", "9999-12-31",
         "1961-04-23", "04/23/1961", "1980-13-01", "31/12/1980", "", "yesterday"]
    ),
    DATES.map(date.isoformat),
    CELL_TEXT,
)  # fmt: skip
WALL_CLOCK_TEXT = st.one_of(
    EDGE_TIMES.map(lambda t: t.strftime("%Y-%m-%d %H:%M")),
    EDGE_TIMES.map(lambda t: t.strftime("%Y-%m-%d %H:%M")),
    WALL_CLOCK.map(lambda t: t.isoformat(timespec="seconds")),
    st.sampled_from(
        ["9999-12-31 23:59", "0001-01-01 00:00", "2026-02-29 10:00", "2026-03-08 02:30",
         "2026-03-11 09:00", "2026-03-11T25:00", ""]
    ),
    CELL_TEXT,
)  # fmt: skip
NUMBER_TEXT = st.one_of(
    st.integers(-10, 600).map(str),
    st.sampled_from(["45", " 30 ", "4.5", "1e3", "99999999999999999999", "٣٠", "", "x"]),
)
WEIGHT_TEXT = st.sampled_from(["", "70", "70,5", "abc", "nan", "inf", "-5", "1e309", "0"])


def usual(valid: list[str], other: st.SearchStrategy[str] = CELL_TEXT) -> st.SearchStrategy[str]:
    """Mostly one of the values a clinic's file holds, now and then anything else.

    (Drawn from a list, rare picks in its middle: Hypothesis favours the ends of a range.)"""
    return st.sampled_from([*valid, None, *valid]).flatmap(
        lambda v: other if v is None else st.just(v)
    )


def now_and_then(one_in: int) -> st.SearchStrategy[bool]:
    return st.sampled_from([False] * (one_in // 2) + [True] + [False] * (one_in - 1 - one_in // 2))


def _import_values(kind: str, chart: str) -> dict[str, st.SearchStrategy[str]]:
    person = usual(["Sam Smith", "Ted Tech", "Tara Therapist", "نور الهدى", "李小龍", "Zoë"])
    if kind == "staff":
        return {
            "name": person,
            "role": usual(["therapist", "PT", "PTA", "Front desk", "aide", "owner"]),
            "credentials": usual(["", "PT, DPT"]),
        }
    if kind == "patients":
        return {
            "chart_number": usual([chart, "P-100", "P-101", "p-100", "ש-1"]),
            "first_name": person,
            "last_name": usual(["Ruiz", "כהן", "Lopez"]),
            "date_of_birth": usual(["1961-04-23", "04/23/1961", "", "2024-02-29"], DATE_TEXT),
            "phone": usual(["", "555-123-4567"]),
            "email": usual(["", "ana@example.com", "not an email"]),
            "weight_kg": usual(["", "70"], WEIGHT_TEXT),
            "precautions": usual(["", "No lifting; Falls risk", "a;;b\nc"]),
        }
    if kind == "appointments":
        return {
            "chart_number": usual([chart] * 6 + ["P-404"]),
            "staff": usual(["Tara Therapist"] * 4 + [" tara therapist ", "Nobody"]),
            "start": usual(
                ["2026-03-11 10:00", "2028-02-29 09:30", "2026-03-08 02:30", "9999-12-31 23:30"],
                WALL_CLOCK_TEXT,
            ),
            "duration_min": usual(["45", "30", "480", "5"], NUMBER_TEXT),
            "status": usual(["scheduled", "Cancelled", "no_show", "No-show", "completed"]),
            "kind": usual([k.value for k in AppointmentKind] + ["Evaluation"]),
            "room": usual(["", "", "Gym", "gym", "Pool"]),
            "cancelled_at": usual(
                ["", "", "", "2026-03-10 18:00", "0001-01-01 00:00"], WALL_CLOCK_TEXT
            ),
            "cancel_reason": usual(["", "Sick"]),
            "notes": usual(["", "Bring shoes", "נעליים"]),
        }
    return {
        "name": usual(["Parallel bars", "Treatment table 1", "Hi-lo table 2", "Ультразвук"]),
        "category": usual(["treatment_table", "Exercise equipment", "modality", "other"]),
        "cleaning_interval": usual(["after_use", "After each use", "daily", "weekly"]),
        "room": usual(["", "Gym", "Pool"]),
        "product": usual(["", "Wipes"]),
        "contact_time_min": usual(["", "2", "10"], NUMBER_TEXT),
    }


@st.composite
def csv_files(draw, kind: str, chart: str) -> bytes:
    values = _import_values(kind, chart)
    columns = list(values)
    optional = imports.OPTIONAL[kind]
    columns = [c for c in columns if c not in optional or draw(st.booleans())]
    header = list(columns)
    spoil_header = draw(
        st.sampled_from(["none"] * 5 + ["drop", "double", "spell", "extra"] + ["none"] * 5)
    )
    if spoil_header == "drop":
        header.pop(draw(st.integers(0, len(header) - 1)))
    elif spoil_header == "double":
        header.append(draw(st.sampled_from(header)))
    elif spoil_header == "spell":  # as a spreadsheet user types it
        header = [h.replace("_", " ").title() for h in header]
    elif spoil_header == "extra":
        header.insert(0, "Comments")
    rows = draw(
        st.lists(
            st.fixed_dictionaries({c: values[c] for c in columns}).map(
                lambda r: [r.get(h.lower().replace(" ", "_"), "") for h in header]
            ),
            min_size=draw(st.sampled_from([0, 1, 1, 1])),
            max_size=3,
        )
    )
    if rows and draw(now_and_then(6)):  # the same row twice
        rows.append(list(rows[0]))
    if rows and draw(now_and_then(6)):  # a ragged row
        rows[-1] = rows[-1][: draw(st.integers(0, len(header)))] + draw(
            st.lists(st.sampled_from(["", "x"]), max_size=2)
        )
    if rows and draw(now_and_then(40)):  # more than the csv module reads in one field
        rows[0] = ["x" * 140_000, *rows[0][1:]]
    separator = draw(st.sampled_from([",", ",", ";", "|", "\t", ","]))
    buffer = io.StringIO()
    ending = draw(st.sampled_from(["\r\n", "\n"]))
    writer = csv.writer(buffer, delimiter=separator, lineterminator=ending)
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "utf-8"]))
    data = text.encode(encoding, errors="replace" if encoding == "cp1252" else "surrogatepass")
    spoil = draw(st.sampled_from(["none"] * 8 + ["nul", "cut", "bytes", "empty"] + ["none"] * 8))
    if spoil == "nul":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\x00" + data[at:]
    elif spoil == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif spoil == "bytes":
        data += draw(st.binary(max_size=30))
    elif spoil == "empty":
        data = draw(st.sampled_from([b"", b"\xef\xbb\xbf", b"\n\n", b"\xff\xfe"]))
    return data


def _rejection_listed(exc: imports.ImportRejected, data: bytes) -> None:
    """A refused file names each problem by row (1 is the header) with a sentence."""
    errors = exc.preview.errors
    assert errors and not exc.preview.ok
    lines = max(data.count(b"\n"), data.count(b"\r"), data.count("\n".encode("utf-16-le"))) + 1
    for e in errors:
        assert 1 <= e.row <= lines, (e, lines)
        assert isinstance(e.column, str) and len(e.message.strip()) > 10, e
        assert "Traceback" not in e.message


@pytest.mark.slow  # 850 generated files per kind
@pytest.mark.parametrize("kind", imports.KINDS)
def test_imports(clinic, daylight_saving_clock, kind):
    db, ids = clinic
    h = Harness(db, f"imports: {kind} (CSV files)")
    with db.session() as s:
        chart = patients.get_patient(s, ids["clinic"].patient_id).chart_number

    def call(data: bytes, dry_run: bool) -> Callable[[Session], Any]:
        def run(s: Session) -> Any:
            checked = imports.preview(s, kind, data)  # never raises for a bad file
            try:
                result = imports.import_csv(s, ids["owner"], kind, data, dry_run=dry_run)
            except imports.ImportRejected as exc:
                assert not checked.ok and exc.preview.errors == checked.errors
                _rejection_listed(exc, data)
                raise
            assert checked.ok and result.added == checked.to_add
            return result

        return run

    def shown(s: Session, result) -> tuple:
        return (result.added, result.on_file, result.dry_run)

    @IMPORT_PROPERTY
    @given(data=csv_files(kind, chart), dry_run=st.integers(0, 4).map(lambda n: n == 0))
    def case(data: bytes, dry_run: bool) -> None:
        h.run(call(data, dry_run), shown, also_refused=(imports.ImportRejected,))

    case()
    h.done()


@pytest.mark.parametrize(
    "start, cancelled_at, column",
    [
        ("9999-12-31 23:30", "", "start"),  # its end fell off the calendar: OverflowError
        ("0001-01-01 00:00", "", "start"),
        ("2026-03-11 10:00", "0001-01-01 00:00", "cancelled_at"),  # ValueError while writing
    ],
)
def test_imported_appointments_out_of_the_calendar_are_refused_by_row(
    clinic, start, cancelled_at, column
):
    """Found by the cases above: these files ended in OverflowError or ValueError before."""
    db, ids = clinic
    data = (
        "chart_number,staff,start,duration_min,status,kind,cancelled_at\n"
        f"000001,Tara Therapist,{start},45,cancelled,treatment,{cancelled_at}\n"
    ).encode()
    before = dump(db)
    with pytest.raises(imports.ImportRejected) as exc, db.session() as s:
        imports.import_csv(s, ids["owner"], "appointments", data)
    [problem] = exc.value.preview.errors
    assert (problem.row, problem.column) == (2, column)
    assert "1900 to 2199" in problem.message
    assert dump(db) == before
    count("bad input: dates out of the calendar (regressions)")


def test_nan_is_refused_not_stored():
    """A weight that is not a number is refused: the harness above relies on it."""
    with pytest.raises(ValidationError) as exc:
        patients.validate(PatientData(first_name="A", last_name="B", weight_kg=math.nan))
    assert exc.value.field == "weight_kg"
