"""Patient rules: validation with field names, chart numbers, duplicates, discharge, search."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from ptdesk.errors import NotFound, PermissionDenied, PtdeskError, ValidationError
from ptdesk.models import AuditEvent, Patient
from ptdesk.services import patients
from ptdesk.services.audit import Actor
from ptdesk.services.patients import DuplicatePatient, PatientData

TODAY = date(2026, 3, 11)


def _data(**kw) -> PatientData:
    base = dict(first_name="Ana", last_name="Lopez", date_of_birth=date(1961, 4, 23))
    base.update(kw)
    return PatientData(**base)


def _create(db, owner, **kw) -> Patient:
    with db.session() as s:
        return patients.create_patient(s, owner, _data(**kw), today=TODAY)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"first_name": "  "}, "first_name"),
        ({"last_name": ""}, "last_name"),
        ({"date_of_birth": TODAY + timedelta(days=1)}, "date_of_birth"),
        ({"date_of_birth": date(1850, 1, 1)}, "date_of_birth"),
        ({"phone": "call me"}, "phone"),
        ({"phone": "12"}, "phone"),
        ({"emergency_contact_phone": "abc"}, "emergency_contact_phone"),
        ({"email": "ana@"}, "email"),
        ({"weight_kg": 900.0}, "weight_kg"),
        ({"weight_kg": 1.0}, "weight_kg"),
        ({"height_cm": 400.0}, "height_cm"),
        ({"weight_bearing": "some"}, "weight_bearing"),
        ({"cooperation": "grumpy"}, "cooperation"),
        ({"assistance_level": "lots"}, "assistance_level"),
        ({"chart_number": "x" * 21}, "chart_number"),
        ({"precautions": "y" * 201}, "precautions"),
    ],
)
def test_invalid_input_names_its_field_and_saves_nothing(db, owner, changes, field):
    with pytest.raises(ValidationError) as info, db.session() as s:
        patients.create_patient(s, owner, _data(**changes), today=TODAY)
    assert info.value.field == field
    assert info.value.message.endswith(".")
    with db.session() as s:
        assert s.exec(select(Patient)).all() == []
        assert s.exec(select(AuditEvent).where(AuditEvent.entity == "patient")).all() == []


def test_text_is_trimmed_and_precautions_cleaned(db, owner):
    p = _create(
        db,
        owner,
        first_name="  Ana  Maria ",
        last_name=" Lopez ",
        phone=" 555 201  4400 ",
        email=" ana@example.com ",
        precautions="  Fall risk \n\n fall risk\nNo hip flexion past 90°  \n",
        weight_kg=0.0,
    )
    assert (p.first_name, p.last_name) == ("Ana Maria", "Lopez")
    assert p.phone == "555 201 4400"
    assert p.email == "ana@example.com"
    assert p.precaution_list == ["Fall risk", "No hip flexion past 90°"]
    assert p.weight_kg is None


def test_chart_numbers_are_generated_and_unique(db, owner):
    a = _create(db, owner, first_name="A")
    b = _create(db, owner, first_name="B")
    c = _create(db, owner, first_name="C", chart_number="000010")
    d = _create(db, owner, first_name="D", chart_number="RX-7")
    e = _create(db, owner, first_name="E")
    assert [a.chart_number, b.chart_number, c.chart_number, d.chart_number, e.chart_number] == [
        "000001",
        "000002",
        "000010",
        "RX-7",
        "000011",
    ]
    with pytest.raises(ValidationError) as info, db.session() as s:
        patients.create_patient(s, owner, _data(first_name="F", chart_number="rx-7"), today=TODAY)
    assert info.value.field == "chart_number"
    assert "A Lopez" not in info.value.message and "D Lopez" in info.value.message
    with pytest.raises(ValidationError) as info, db.session() as s:
        patients.update_patient(s, owner, a.id, _data(first_name="A", chart_number="000002"))
    assert info.value.field == "chart_number"


def test_duplicate_name_and_birth_date_asks_first(db, owner):
    first = _create(db, owner)
    with pytest.raises(DuplicatePatient) as info, db.session() as s:
        patients.create_patient(s, owner, _data(first_name=" ana ", last_name="LOPEZ"), today=TODAY)
    assert [p.id for p in info.value.matches] == [first.id]
    assert first.chart_number in info.value.message
    with db.session() as s:
        assert len(s.exec(select(Patient)).all()) == 1
        # Same name, other birthday: not a duplicate. Confirmed duplicate: saved.
        patients.create_patient(s, owner, _data(date_of_birth=date(1962, 1, 1)), today=TODAY)
        patients.create_patient(s, owner, _data(), allow_duplicate=True, today=TODAY)
    with db.session() as s:
        assert len(s.exec(select(Patient)).all()) == 3
        assert len(patients.find_duplicates(s, "Ana", "Lopez", date(1961, 4, 23))) == 2
        assert patients.find_duplicates(s, "Ana", "Lopez", None) == []


def test_update_checks_duplicates_only_when_identity_changes(db, owner):
    a = _create(db, owner)
    b = _create(db, owner, first_name="Bea")
    with db.session() as s:  # editing other fields of a patient is no duplicate of itself
        patients.update_patient(s, owner, a.id, _data(phone="555-123-4567"), today=TODAY)
    with pytest.raises(DuplicatePatient), db.session() as s:
        patients.update_patient(s, owner, b.id, _data(), today=TODAY)
    with db.session() as s:
        assert patients.get_patient(s, b.id).first_name == "Bea"


def test_update_records_what_changed(db, owner):
    p = _create(db, owner)
    with db.session() as s:
        data = PatientData.from_patient(patients.get_patient(s, p.id))
        data.weight_kg = 80
        data.height_cm = 170
        data.precautions = "Fall risk"
        patients.update_patient(s, owner, p.id, data, today=TODAY)
    with db.session() as s:
        row = patients.get_patient(s, p.id)
        assert row.bmi == patients.bmi(80, 170) == 27.7
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "update")).one()
        assert event.changes["precautions"] == ["", "Fall risk"]
        assert set(event.changes) == {"weight_kg", "height_cm", "precautions"}
        assert event.actor_name == owner.name


def test_discharge_and_reactivate_keep_the_patient(db, owner):
    p = _create(db, owner)
    with db.session() as s:
        patients.discharge_patient(s, owner, p.id, on=date(2026, 3, 1))
    with db.session() as s:
        row = patients.get_patient(s, p.id)
        assert (row.active, row.discharged_on) == (False, date(2026, 3, 1))
        assert patients.search_patients(s, "lopez") == []
        assert [x.id for x in patients.search_patients(s, "lopez", include_inactive=True)] == [p.id]
    with pytest.raises(PtdeskError), db.session() as s:
        patients.discharge_patient(s, owner, p.id)
    with db.session() as s:
        patients.reactivate_patient(s, owner, p.id)
    with db.session() as s:
        row = patients.get_patient(s, p.id)
        assert (row.active, row.discharged_on) == (True, None)
        actions = [
            e.action for e in s.exec(select(AuditEvent).where(AuditEvent.entity == "patient"))
        ]
        assert actions == ["create", "discharge", "reactivate"]


def test_search_by_name_chart_phone_and_birth_date(db, owner):
    a = _create(db, owner, phone="(555) 201-4400")
    b = _create(db, owner, first_name="Ben", last_name="Okafor", date_of_birth=date(1990, 12, 5))
    with db.session() as s:

        def ids(text: str) -> list[int]:
            return [p.id for p in patients.search_patients(s, text)]

        assert ids("lop") == [a.id]
        assert ids("ben okaf") == [b.id]
        assert ids(b.chart_number) == [b.id]
        assert ids("5552014400") == [a.id]
        assert ids("201-4400") == [a.id]
        assert ids("1990-12-05") == [b.id]
        assert ids("12/05/1990") == [b.id]
        assert ids("") == [a.id, b.id]
        assert ids("%") == []
        assert len(patients.search_patients(s, "", limit=1)) == 1


def test_parse_date_accepts_two_forms_and_names_the_field():
    assert patients.parse_date("1961-04-23", "date_of_birth", "X") == date(1961, 4, 23)
    assert patients.parse_date("04/23/1961", "date_of_birth", "X") == date(1961, 4, 23)
    assert patients.parse_date("  ", "date_of_birth", "X") is None
    with pytest.raises(ValidationError) as info:
        patients.parse_date("31/31/1961", "date_of_birth", "The date of birth")
    assert info.value.field == "date_of_birth"


def test_patient_rows_are_plain_values_in_one_query(db, owner):
    _create(db, owner, precautions="Fall risk")
    _create(db, owner, first_name="Zoe", last_name="Adams")
    with db.session() as s:
        rows = patients.list_patient_rows(s)
    assert [r.sort_name for r in rows] == ["Adams, Zoe", "Lopez, Ana"]
    assert rows[1].precaution_list == ["Fall risk"]


def test_missing_patient_and_permissions(db, owner):
    with pytest.raises(NotFound), db.session() as s:
        patients.get_patient(s, 999)
    nobody = Actor(id=None, name="Visitor", role="visitor")
    with pytest.raises((PermissionDenied, KeyError)), db.session() as s:
        patients.create_patient(s, nobody, _data(), today=TODAY)


def test_record_timestamps_are_utc(db, owner):
    p = _create(db, owner)
    with db.session() as s:
        row = patients.get_patient(s, p.id)
    assert row.created_at.utcoffset() == timedelta(0)
    assert row.updated_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "change",
    [
        {"precautions": "Fall risk"},
        {"weight_kg": 80.0},
        {"height_cm": 170.0},
        {"weight_bearing": "partial"},
        {"upper_limb_strength_left": False},
        {"cooperation": "unpredictable"},
        {"assistance_level": "stand_by"},
        {"assistive_device": "Walker"},
    ],
)
def test_only_clinical_staff_change_precautions_and_mobility(db, owner, change):
    desk = Actor(id=None, name="Dee Desk", role="front_desk")
    tech = Actor(id=None, name="Tia Tech", role="technician")
    aide = Actor(id=None, name="Ada Assistant", role="assistant")
    row = _create(db, owner)
    for who in (desk, tech):
        with pytest.raises(PermissionDenied), db.session() as s:
            patients.update_patient(s, who, row.id, _data(**change), today=TODAY)
        with pytest.raises(PermissionDenied), db.session() as s:
            patients.create_patient(s, who, _data(last_name="New", **change), today=TODAY)
    with db.session() as s:  # other details stay open to everyone
        patients.update_patient(s, desk, row.id, _data(phone="555-201-3344"), today=TODAY)
        patients.update_patient(s, aide, row.id, _data(phone="555-201-3344", **change), today=TODAY)
        got = patients.get_patient(s, row.id)
    key, value = next(iter(change.items()))
    assert getattr(got, key) == value and got.phone == "555-201-3344"


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"weight_kg": -70.0}, "weight_kg"), ({"height_cm": -170.0}, "height_cm")],
)
def test_negative_weight_or_height_is_refused_not_dropped(db, owner, changes, field):
    with pytest.raises(ValidationError) as err, db.session() as s:
        patients.create_patient(s, owner, _data(**changes), today=TODAY)
    assert err.value.field == field


def test_a_date_that_does_not_exist_says_so():
    for typed in ("2001-02-29", "02/29/2001", "2026-04-31"):
        with pytest.raises(ValidationError, match="does not exist") as err:
            patients.parse_date(typed, "date_of_birth", "The date of birth")
        assert typed in err.value.message
    assert patients.parse_date("2000-02-29", "d", "D") == date(2000, 2, 29)


@pytest.mark.parametrize(
    ("weight", "height", "ok"),
    [(2.0, 40.0, True), (400.0, 250.0, True), (1.9, 170.0, False), (401.0, 170.0, False),
     (70.0, 39.0, False), (70.0, 251.0, False)],
)  # fmt: skip
def test_patients_and_transfer_assessments_share_one_human_range(weight, height, ok):
    from ptdesk.services import transfers as tr

    outcomes = []
    for check in (
        lambda: patients.validate(_data(weight_kg=weight, height_cm=height), today=TODAY),
        lambda: tr.validate_assessment(
            tr.Assessment("full", True, True, "cooperative", height, weight)
        ),
    ):
        try:
            check()
            outcomes.append(True)
        except ValidationError:
            outcomes.append(False)
    assert outcomes == [ok, ok]
