"""The Today page's content per role, on a hand-made day."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import select

from ptdesk.models import Appointment, Authorization, Equipment, Patient
from ptdesk.services import equipment, staff, today
from ptdesk.services.audit import Actor

DAY = date(2026, 3, 9)  # a Monday
NOW = datetime.combine(DAY, time(10, 30))


def _at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute))


@pytest.fixture
def day(db, owner):
    with db.session() as s:
        tina = Actor.from_staff(staff.create_staff(s, owner, "Tina Tech", "technician"))
        ana = Actor.from_staff(staff.create_staff(s, owner, "Ana Therapist", "therapist"))
        dee = Actor.from_staff(staff.create_staff(s, owner, "Dee Desk", "front_desk"))
        p1 = Patient(
            chart_number="1",
            first_name="Mia",
            last_name="Lopez",
            precautions="Fall risk",
            assistance_level="min",
            assistive_device="Rolling walker",
            weight_bearing="partial",
        )
        p2 = Patient(chart_number="2", first_name="Noah", last_name="Kim")
        p3 = Patient(chart_number="3", first_name="Lena", last_name="Smith")
        p4 = Patient(chart_number="4", first_name="Omar", last_name="Haddad")
        s.add_all([p1, p2, p3, p4])
        s.flush()

        def visit(p, who, start, status="scheduled"):
            s.add(
                Appointment(
                    patient_id=p.id,
                    staff_id=who.id,
                    start=start,
                    end=start + timedelta(minutes=45),
                    status=status,
                )
            )

        visit(p1, tina, _at(9), "completed")
        visit(p2, tina, _at(11))
        visit(p3, tina, _at(13), "cancelled")
        visit(p4, ana, _at(10))  # not here yet at 10:30: late
        visit(p3, ana, _at(10, 20), "checked_in")
        visit(p2, ana, _at(15, 0, DAY - timedelta(days=3)))  # never given an outcome
        visit(p2, ana, _at(15, 0, DAY - timedelta(days=10)), "completed")
        s.add(
            Authorization(
                patient_id=p2.id,
                payer="Aetna",
                visits_authorized=2,
                start_date=DAY - timedelta(days=20),
                end_date=DAY + timedelta(days=60),
            )
        )
        long_ago = datetime(2026, 3, 1, 8, tzinfo=UTC)
        table = equipment.create_equipment(s, owner, equipment.EquipmentData(name="Table 1"))
        sound = equipment.create_equipment(
            s,
            owner,
            equipment.EquipmentData(
                name="Ultrasound",
                category="ultrasound",
                cleaning_interval="monthly",
                safety_check_due=DAY - timedelta(days=1),
            ),
        )
        s.flush()
        for item_id in (table.id, sound.id):
            s.get(Equipment, item_id).created_at = long_ago
    return {"tina": tina, "ana": ana, "dee": dee, "owner": owner}


def _sections(db, actor):
    with db.session() as s:
        return {x.key: x for x in today.today_sections(s, actor, now=NOW)}


def _titles(section):
    return [i.title for i in section.items]


def test_technician_sees_their_patients_in_order_and_cleaning(db, day):
    got = _sections(db, day["tina"])
    assert list(got) == ["my_patients", "cleaning_due"]
    mine = got["my_patients"]
    assert _titles(mine) == ["Mia Lopez", "Noah Kim"]  # the cancelled visit is left out
    first = mine.items[0]
    assert "Fall risk" in first.detail and "Rolling walker" in first.detail
    assert "min assist" in first.detail and "partial" in first.detail
    assert first.target == "schedule" and first.target_args["day"] == DAY
    assert "print_sheets" in mine.actions
    assert _titles(got["cleaning_due"]) == ["Table 1"]
    assert got["cleaning_due"].items[0].target == "equipment"


def test_front_desk_sees_arrivals_late_unresolved_and_authorizations(db, day):
    got = _sections(db, day["dee"])
    assert list(got) == ["arrivals", "late", "unresolved", "authorizations"]
    assert _titles(got["arrivals"]) == ["Lena Smith", "Noah Kim"]
    assert got["arrivals"].items[0].flag == "✓ Checked in"
    assert _titles(got["late"]) == ["Omar Haddad"]
    assert "30 min late" in got["late"].items[0].detail
    assert _titles(got["unresolved"]) == ["Noah Kim"]
    auths = got["authorizations"]
    assert _titles(auths) == ["Kim, Noah"]
    assert "1 authorized visit left" in auths.items[0].flag
    assert auths.items[0].target == "patients"


def test_an_expired_authorization_shows_no_visits_left(db, day):
    with db.session() as s:
        noah = s.exec(select(Patient).where(Patient.first_name == "Noah")).one()
        for auth in s.exec(select(Authorization).where(Authorization.patient_id == noah.id)):
            auth.start_date = DAY - timedelta(days=400)
            auth.end_date = DAY - timedelta(days=200)
    item = _sections(db, day["dee"])["authorizations"].items[0]
    assert item.title == "Kim, Noah"
    assert "expired" in item.detail and "left" not in item.detail
    assert "expired" in item.flag


def test_therapist_sees_their_patients(db, day):
    got = _sections(db, day["ana"])
    assert list(got) == ["awaiting_cosign", "my_patients"]
    assert got["awaiting_cosign"].items == []  # nothing waits for Ana today
    assert _titles(got["my_patients"]) == ["Omar Haddad", "Lena Smith"]
    assert got["my_patients"].items[0].flag == "⏰ Late"


def test_licensed_therapist_sees_records_awaiting_their_co_sign_first(db, day, owner):
    from sqlmodel import select

    from ptdesk.services import sessions

    with db.session() as s:
        pat = Actor.from_staff(staff.create_staff(s, owner, "Pat Physio", "therapist", "PT, DPT"))
        visit = s.exec(
            select(Appointment).where(Appointment.status == "completed").order_by(Appointment.id)
        ).first()
        data = sessions.new_input(s, visit.id)
        data.supervisor_id = pat.id
        sessions.save_record(s, day["tina"], visit.id, data, sign=True)
    got = _sections(db, pat)
    assert list(got)[0] == "awaiting_cosign"
    assert _titles(got["awaiting_cosign"]) == ["Mia Lopez (1)"]
    assert got["awaiting_cosign"].items[0].target == "sessions"
    assert "awaiting_cosign" not in _sections(db, day["tina"])  # technicians do not co-sign


def test_owner_sees_figures_and_overdue_checks(db, day):
    got = _sections(db, day["owner"])
    assert list(got) == ["figures", "overdue_checks", "unresolved"]  # no patients of their own
    figures = dict(i.title.split(": ") for i in got["figures"].items)
    assert figures == {
        "Visits booked": "4",
        "Checked in now": "1",
        "Completed": "1",
        "No-shows": "0",
        "Cancelled": "1",
    }
    assert _titles(got["overdue_checks"]) == ["Ultrasound"]


def test_other_parts_add_sections(db, day, monkeypatch):
    monkeypatch.setattr(today, "_SECTIONS", copy.deepcopy(today._SECTIONS))

    def awaiting(session, actor, now):
        return today.TodaySection("co_sign", "Records awaiting your co-sign", [])

    today.register_section({"therapist"}, "co_sign", awaiting, before="my_patients")
    assert today.section_keys("therapist") == ["awaiting_cosign", "co_sign", "my_patients"]
    assert list(_sections(db, day["ana"])) == ["awaiting_cosign", "co_sign", "my_patients"]
