"""CSV import: what spreadsheets write is read; bad files are refused by row, with nothing written."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from sqlmodel import func, select

from ptdesk.errors import PermissionDenied
from ptdesk.models import Appointment, AuditEvent, Equipment, Patient, Room, Staff
from ptdesk.services import exports, imports
from ptdesk.services.audit import Actor
from tests.report_helpers import build_march

PATIENTS = (
    "chart_number,first_name,last_name,date_of_birth,phone,precautions\n"
    "A100,Ada,Lovelace,1950-12-10,555-201-3344,Fall risk; Hip precautions\n"
    "A101,Alan,Turing,1954-06-23,,\n"
)


def _count(db, model) -> int:
    with db.session() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def _import(db, actor, kind, text: str | bytes, **kw):
    data = text.encode("utf-8") if isinstance(text, str) else text
    with db.session() as s:
        return imports.import_csv(s, actor, kind, data, **kw)


def _rejected(db, actor, kind, text: str | bytes) -> imports.ImportPreview:
    with pytest.raises(imports.ImportRejected) as caught:
        _import(db, actor, kind, text)
    return caught.value.preview


# -- what spreadsheets write -------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        PATIENTS.encode("utf-8"),
        b"\xef\xbb\xbf" + PATIENTS.encode("utf-8"),  # BOM
        PATIENTS.replace("\n", "\r\n").encode("utf-8"),  # Windows line ends
        PATIENTS.replace(",", ";")
        .replace("Fall risk; Hip precautions", '"Fall risk; Hip precautions"')
        .encode("utf-8"),
        PATIENTS.replace(",", "\t").encode("utf-8"),
        (
            b'"Chart Number";"First Name";"LAST_NAME";"Date of birth";"phone";"precautions"\r\n'
            b'"A100";"Ada";"Lovelace";"1950-12-10";"555-201-3344";"Fall risk; Hip precautions"\r\n'
            b'"A101";"Alan";"Turing";"1954-06-23";"";""\r\n'
        ),
    ],
    ids=["plain", "bom", "crlf", "semicolon", "tab", "quoted-headers-any-case"],
)
def test_patients_import_from_spreadsheet_variants(db, owner, data):
    result = _import(db, owner, "patients", data)
    assert (result.added, result.on_file) == (2, 0)
    with db.session() as s:
        ada = s.exec(select(Patient).where(Patient.chart_number == "A100")).one()
    assert ada.full_name == "Ada Lovelace"
    assert ada.date_of_birth == date(1950, 12, 10)
    assert ada.precaution_list == ["Fall risk", "Hip precautions"]


def test_same_file_twice_adds_nothing_new(db, owner):
    assert _import(db, owner, "patients", PATIENTS).added == 2
    again = _import(db, owner, "patients", PATIENTS)
    assert (again.added, again.on_file) == (0, 2)
    assert _count(db, Patient) == 2


def test_extra_columns_are_ignored_with_a_warning(db, owner):
    text = "name,role,favourite_colour\nNina North,therapist,green\n"
    result = _import(db, owner, "staff", text)
    assert result.added == 1
    assert any("favourite_colour" in w for w in result.warnings)


def test_dry_run_writes_nothing(db, owner):
    result = _import(db, owner, "patients", PATIENTS, dry_run=True)
    assert result.added == 2 and result.dry_run
    assert _count(db, Patient) == 0


def test_preview_lists_rows_and_what_happens_to_each(db, owner):
    _import(db, owner, "patients", PATIENTS.splitlines()[0] + "\n" + PATIENTS.splitlines()[1])
    with db.session() as s:
        p = imports.preview(s, "patients", PATIENTS.encode())
    assert p.ok
    assert [(r.row, r.action) for r in p.rows] == [(2, imports.ON_FILE), (3, imports.ADD)]
    assert p.rows[1].values["last_name"] == "Turing"
    assert "1 to add, 1 already on file" in p.summary()


def test_staff_and_equipment_import(db, owner):
    with db.session() as s:
        s.add(Room(name="Gym"))
    staff = "Name,Role,Credentials\nNina North,Therapist (PT),PT\nTom Tech,technician,\n"
    assert _import(db, owner, "staff", staff).added == 2
    equipment = (
        "name,category,cleaning_interval,room,product,contact_time_min\n"
        "Treadmill,Exercise equipment,daily,gym,Wipes,2\n"
        "Mat table,treatment_table,After each use,,,\n"
    )
    assert _import(db, owner, "equipment", equipment).added == 2
    with db.session() as s:
        tread = s.exec(select(Equipment).where(Equipment.name == "Treadmill")).one()
        nina = s.exec(select(Staff).where(Staff.name == "Nina North")).one()
    assert (tread.category, tread.cleaning_interval, tread.contact_minutes) == (
        "exercise_equipment",
        "daily",
        2,
    )
    assert tread.room_id is not None
    assert nina.role == "therapist"
    assert _import(db, owner, "equipment", equipment).added == 0


def test_import_is_recorded_in_the_audit_log(db, owner):
    _import(db, owner, "patients", PATIENTS)
    with db.session() as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "import")).all()
    assert any("Imported 2 patients" in e.summary for e in events)


def test_only_the_owner_imports(db, owner):
    desk = Actor(id=None, name="Dana Desk", role="front_desk")
    with pytest.raises(PermissionDenied):
        _import(db, desk, "patients", PATIENTS)
    assert _count(db, Patient) == 0


# -- malformed files: refused, by row, nothing written -----------------------------------------

APPOINTMENTS_HEADER = "chart_number,staff,start,duration_min,status,kind\n"


@pytest.fixture
def clinic(db, owner):
    build_march(db)
    return db


BAD_FILES = [
    # (kind, file, row, words in the message)
    ("patients", "chart_number,first_name,date_of_birth\nA1,Ada,1950-01-01\n", 1, "last_name"),
    (
        "patients",
        "chart_number,first_name,last_name,date_of_birth\nA1,Ada,Lovelace,1950-01-01\n"
        "A2,Alan,Turing,23/06/1954\n",
        3,
        "date",
    ),
    (
        "patients",
        "chart_number,first_name,last_name,date_of_birth\nA1,Ada,Lovelace,1950-01-01\n"
        "A1,Alan,Turing,1954-06-23\n",
        3,
        "also on row 2",
    ),
    ("patients", "chart_number,first_name,last_name,date_of_birth\nA1,,Lovelace,\n", 2, "first"),
    (
        "appointments",
        APPOINTMENTS_HEADER + "C001,Nobody Here,2026-03-02 09:00,45,completed,treatment\n",
        2,
        "Nobody Here",
    ),
    (
        "appointments",
        APPOINTMENTS_HEADER + "C001,Ann Avery,2026-03-02 09:00,45,done,treatment\n",
        2,
        "not a status",
    ),
    (
        "appointments",
        APPOINTMENTS_HEADER + "C001,Ann Avery,2026-03-02 09:00,45,completed,massage\n",
        2,
        "kind of visit",
    ),
    (
        "appointments",
        APPOINTMENTS_HEADER + "C001,Ann Avery,02.03.2026 9h,45,completed,treatment\n",
        2,
        "2026-03-31 14:30",
    ),
    (
        "appointments",
        APPOINTMENTS_HEADER + "C001,Ann Avery,2026-06-02 09:00,forty,completed,treatment\n",
        2,
        "whole number",
    ),
    (
        "appointments",
        APPOINTMENTS_HEADER + "C999,Ann Avery,2026-06-02 09:00,45,completed,treatment\n",
        2,
        "C999",
    ),
    ("staff", "", 1, "empty"),
    ("staff", "name,role\n", 1, "no rows"),
    ("staff", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00binary", 1, "not a CSV"),
    ("staff", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, "not a CSV"),
    ("equipment", "name,category,cleaning_interval\nBike,vehicle,daily\n", 2, "category"),
    ("staff", "name,role\nNina,therapist,extra,values\n", 2, "more values"),
]


@pytest.mark.parametrize(("kind", "text", "row", "words"), BAD_FILES)
def test_malformed_files_are_refused_by_row(clinic, owner, kind, text, row, words):
    before = {m: _count(clinic, m) for m in (Patient, Appointment, Staff, Equipment)}
    preview = _rejected(clinic, owner, kind, text)
    assert not preview.ok
    assert preview.errors[0].row == row
    assert words.lower() in preview.errors[0].text.lower()
    assert preview.errors[0].text.startswith(f"Row {row}")
    assert {m: _count(clinic, m) for m in before} == before


def test_one_bad_row_stops_the_good_ones(clinic, owner):
    text = (
        APPOINTMENTS_HEADER
        + "C001,Ann Avery,2026-06-01 09:00,45,scheduled,treatment\n"
        + "C002,Ann Avery,2026-06-01 10:00,45,scheduled,treatment\n"
        + "C003,Ann Avery,2026-06-01 11:00,45,sheduled,treatment\n"
    )
    before = _count(clinic, Appointment)
    preview = _rejected(clinic, owner, "appointments", text)
    assert [e.row for e in preview.errors] == [4]
    assert [r.action for r in preview.rows] == [imports.ADD, imports.ADD, imports.PROBLEM]
    assert _count(clinic, Appointment) == before


def test_cancelled_at_needs_a_cancelled_status(clinic, owner):
    text = (
        "chart_number,staff,start,duration_min,status,kind,cancelled_at\n"
        "C001,Ann Avery,2026-06-01 09:00,45,completed,treatment,2026-05-30 09:00\n"
    )
    preview = _rejected(clinic, owner, "appointments", text)
    assert preview.errors[0].column == "cancelled_at"


# -- round trip --------------------------------------------------------------------------------


def _export(db, kind, start=None, end=None) -> str:
    out = io.StringIO()
    with db.session() as s:
        exports.write_csv(s, kind, out, start, end)
    return out.getvalue()


def test_export_import_round_trip(clinic, owner, tmp_path):
    """Everything exported from one clinic, imported into an empty one, exports the same."""
    from ptdesk.db import open_database
    from ptdesk.services import staff as staff_service

    first, last = date(2026, 2, 1), date(2026, 4, 30)
    files = {
        "staff": _export(clinic, "staff"),
        "patients": _export(clinic, "patients", first, last),
        "equipment": _export(clinic, "equipment"),
        "appointments": _export(clinic, "appointments", first, last),
    }
    other = open_database(tmp_path / "other.sqlite3")
    try:
        with other.session() as s:
            new_owner = Actor.from_staff(
                staff_service.create_first_owner(s, "Olivia Owner", "PT, DPT")
            )
        for kind in ("staff", "patients", "equipment", "appointments"):
            result = _import(other, new_owner, kind, files[kind])
            assert not [w for w in result.warnings if "ignored" in w]
        assert _export(other, "staff") == files["staff"]
        assert _export(other, "patients", first, last) == files["patients"]
        assert _export(other, "equipment") == files["equipment"]
        assert _export(other, "appointments", first, last) == files["appointments"]
        with other.session() as s:
            late = s.exec(select(Appointment).where(Appointment.late_cancel)).all()
        # The cancellation 23 h 59 min ahead and the one after the start come back late.
        assert sorted(a.start for a in late) == [datetime(2026, 3, 11, 9), datetime(2026, 3, 12, 9)]
        # And importing the export again into the first clinic adds nothing.
        again = _import(clinic, owner, "appointments", files["appointments"])
        assert again.added == 0 and again.on_file == 12
    finally:
        other.close()


def test_a_future_visit_cannot_be_imported_as_already_completed(db, owner):
    from ptdesk.services import imports as imp

    with db.session() as s:
        staff_csv = b"name,role\nAna Therapist,therapist\n"
        imp.import_csv(s, owner, "staff", staff_csv)
        imp.import_csv(
            s,
            owner,
            "patients",
            b"chart_number,first_name,last_name,date_of_birth\n000777,Mia,Lopez,1960-04-02\n",
        )
    rows = (
        b"chart_number,patient,staff,room,start,duration_min,status,kind,cancelled_at,"
        b'cancel_reason\n000777,"Lopez, Mia",Ana Therapist,,2099-03-05 09:00,45,completed,'
        b"treatment,,\n"
    )
    with db.session() as s:
        preview = imp.preview(s, "appointments", rows)
    assert not preview.ok
    assert any("in the future" in e.message for e in preview.errors)
