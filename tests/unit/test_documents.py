"""Every printable document: a PDF that reads back with its patient and clinic, for those allowed."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from pypdf import PdfReader
from sqlmodel import Session

from ptdesk.errors import PermissionDenied
from ptdesk.services import cleaning, documents, equipment, sessions
from ptdesk.services import transfers as tr
from ptdesk.services.audit import Actor
from ptdesk.services.equipment import EquipmentData
from ptdesk.services.permissions import PERMISSIONS
from tests.session_helpers import DAY, make_clinic

CLINIC = "My Physical Therapy Clinic"  # the clinic profile's name until someone changes it
MARCH = date(2026, 3, 1)
EVENING = datetime(2026, 3, 11, 18, 0)  # clinic wall-clock time, the day of the visit
# Someone whose role is none of the clinic's: every document refuses them.
VISITOR = Actor(id=None, name="Vera Visitor", role="visitor")


def _text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def world(db, owner):
    """Maria Lopez's recorded visit on DAY, her home program, a transfer checklist and a
    cleaned bike."""
    clinic = make_clinic(db, owner)
    with db.session() as s:
        data = sessions.new_input(s, clinic.appointment_id)
        sessions.save_record(s, clinic.therapist, clinic.appointment_id, data, sign=True)
        checklist = tr.start_checklist(s, clinic.therapist, clinic.patient_id)
        bike = equipment.create_equipment(
            s,
            owner,
            EquipmentData(
                name="Recumbent bike",
                cleaning_interval="daily",
                product="Quat wipes",
                contact_minutes=3,
            ),
        )
        cleaning.log_cleaning(s, clinic.technician, [bike.id], when=cleaning.local_to_utc(EVENING))
    return SimpleNamespace(clinic=clinic, checklist_id=checklist.id)


# document -> (a call that makes it for ``actor``, words its text must hold)
Make = Callable[[Session, Actor, SimpleNamespace], bytes]
DOCUMENTS: dict[str, tuple[Make, list[str]]] = {
    "day sheet": (
        lambda s, a, w: documents.day_sheet(s, a, DAY),
        [CLINIC, "Maria Lopez", "Tara Therapist", "Wednesday 11 March 2026"],
    ),
    "exercise sheets of the day": (
        lambda s, a, w: documents.exercise_sheets_for_day(s, a, DAY).pdf,
        [CLINIC, "Maria Lopez", "Bridge"],
    ),
    "one patient's exercise sheet": (
        lambda s, a, w: documents.exercise_sheet_for_patient(s, a, w.clinic.patient_id, DAY),
        [CLINIC, "Maria Lopez", "Clamshell"],
    ),
    "session summary": (
        lambda s, a, w: documents.session_summary(s, a, w.clinic.appointment_id),
        [CLINIC, "Session summary", "Maria Lopez", "Recorded and signed by Tara Therapist"],
    ),
    "patient copy": (
        lambda s, a, w: documents.patient_copy(s, a, w.clinic.appointment_id),
        [CLINIC, "Your visit today, Maria Lopez"],
    ),
    "cleaning log": (
        lambda s, a, w: documents.cleaning_log(s, a, DAY, DAY, now=EVENING),
        [CLINIC, "Cleaning log", "Recumbent bike", "Quat wipes", "Ted Tech"],
    ),
    "monthly report": (
        lambda s, a, w: documents.monthly_report(s, a, MARCH, now=EVENING),
        [CLINIC, "Monthly report: March 2026", "Tara Therapist"],
    ),
    "transfer record": (
        lambda s, a, w: documents.transfer_record(s, a, w.checklist_id),
        [CLINIC, "Transfer record", "Maria Lopez (chart C-100)", "Started"],
    ),
}


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_each_document_is_a_pdf_naming_its_patient_and_clinic(db, world, name):
    make, words = DOCUMENTS[name]
    with db.session() as s:
        data = make(s, world.clinic.owner, world)
    assert data.startswith(b"%PDF")
    text = _text(data)
    for word in words:
        assert word in text, word


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_each_document_refuses_someone_without_the_permission(db, world, name):
    make, _ = DOCUMENTS[name]
    with db.session() as s, pytest.raises(PermissionDenied) as refused:
        make(s, VISITOR, world)
    assert "Vera Visitor may not" in refused.value.message


def test_the_monthly_report_is_the_owners(db, world):
    with db.session() as s:
        for actor in (world.clinic.therapist, world.clinic.front_desk):
            with pytest.raises(PermissionDenied):
                documents.monthly_report(s, actor, MARCH, now=EVENING)


def test_everyone_on_the_staff_prints_the_days_paper(db, world):
    """Printing stays open to every role that could print before (no one lost a document)."""
    c = world.clinic
    with db.session() as s:
        for actor in (c.therapist, c.assistant, c.technician, c.front_desk):
            assert documents.day_sheet(s, actor, DAY).startswith(b"%PDF")
            assert documents.patient_copy(s, actor, c.appointment_id).startswith(b"%PDF")
            assert documents.transfer_record(s, actor, world.checklist_id).startswith(b"%PDF")


def test_the_monthly_report_comes_with_the_figures_it_shows(db, world):
    with db.session() as s:
        made = documents.monthly_report_and_figures(s, world.clinic.owner, MARCH, now=EVENING)
    assert made.figures.month == MARCH and made.figures.appointments.scheduled == 1
    assert "Monthly report: March 2026" in _text(made.pdf)


def test_every_document_names_a_permission_that_exists():
    assert set(documents.PERMISSION.values()) <= set(PERMISSIONS)


def test_the_days_batch_says_whose_sheets_it_holds(db, world):
    with db.session() as s:
        batch = documents.exercise_sheets_for_day(s, world.clinic.technician, DAY)
    assert batch.patients == ["Maria Lopez"] and batch.left_out == []


def test_nothing_to_print_is_said_in_words(db, world):
    with db.session() as s:
        with pytest.raises(documents.NothingToPrint, match="Nobody booked on 2026-03-12"):
            documents.exercise_sheets_for_day(s, world.clinic.owner, date(2026, 3, 12))
        with pytest.raises(documents.NothingToPrint, match="Maria Lopez has no active"):
            documents.exercise_sheet_for_patient(
                s, world.clinic.owner, world.clinic.patient_id, date(2026, 2, 1)
            )
