"""The demo clinic: staff hours match their shifts, patients have realistic profiles."""

from __future__ import annotations

from sqlmodel import func, select

from ptdesk.models import Appointment, Authorization, Patient, Role, Staff
from ptdesk.services import authorizations as auth_service
from ptdesk.services import staff as staff_service
from tests.conftest import DEMO_TODAY


def test_demo_staff_work_the_hours_of_their_shifts(demo_db):
    with demo_db.session() as s:
        members = s.exec(select(Staff)).all()
        appointments = s.exec(select(Appointment)).all()
    assert len({m.color for m in members}) == len(members)
    by_id = {m.id: m for m in members}
    spans = {tuple(m.working_hours["1"]) for m in members}
    assert spans <= {("07:00", "16:00"), ("10:00", "19:00")}
    for m in members:
        assert sorted(m.working_hours) == ["1", "2", "3", "4", "5"]
    outside = [
        a
        for a in appointments
        if not staff_service.works_during(by_id[a.staff_id].working_hours, a.start, a.end)
    ]
    assert appointments and outside == []
    desk = [m for m in members if m.role == Role.FRONT_DESK.value]
    assert desk and all(m.working_hours for m in desk)


def test_demo_patients_have_precautions_mobility_and_authorizations(demo_db):
    with demo_db.session() as s:
        patients = s.exec(select(Patient)).all()
        n_auth_patients = s.exec(select(func.count(func.distinct(Authorization.patient_id)))).one()
        auths = s.exec(select(Authorization)).all()
        statuses = [auth_service.status_of(s, a, today=DEMO_TODAY) for a in auths]
    n = len(patients)
    with_precautions = sum(1 for p in patients if p.precaution_list)
    with_measures = sum(1 for p in patients if p.bmi is not None)
    assert 0.25 * n <= with_precautions <= 0.65 * n
    assert 0.45 * n <= with_measures <= 0.9 * n
    assert 0.55 * n <= n_auth_patients <= 0.9 * n
    assert all(15 <= p.bmi <= 50 for p in patients if p.bmi is not None)
    assert all(p.weight_bearing for p in patients if p.bmi is not None)
    assert any(p.weight_bearing == "partial" for p in patients)
    assert any(not p.active and p.discharged_on for p in patients)
    # Some authorizations need attention, most do not.
    warned = sum(1 for st in statuses if st.warnings)
    assert 0 < warned < len(statuses)
    assert any(st.visits_used > 0 for st in statuses)


def test_demo_is_the_same_for_the_same_seed(tmp_path):
    from ptdesk.db import open_database
    from ptdesk.demo import create_demo_file
    from tests.conftest import DEMO_NOW

    def snapshot(path):
        create_demo_file(path, years=0.1, seed=3, today=DEMO_TODAY, now=DEMO_NOW)
        db = open_database(path)
        try:
            with db.session() as s:
                patients = [
                    (p.chart_number, p.precautions, p.weight_kg, p.assistance_level, p.active)
                    for p in s.exec(select(Patient).order_by(Patient.id))
                ]
                auths = [
                    (a.patient_id, a.payer, a.visits_authorized, a.start_date, a.end_date)
                    for a in s.exec(select(Authorization).order_by(Authorization.id))
                ]
                hours = [m.working_hours for m in s.exec(select(Staff).order_by(Staff.id))]
        finally:
            db.close()
        return patients, auths, hours

    assert snapshot(tmp_path / "a.sqlite3") == snapshot(tmp_path / "b.sqlite3")
