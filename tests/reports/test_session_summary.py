"""The session summary PDF: every section on the chart copy, no codes on the patient's copy."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from ptdesk import cli
from ptdesk.services import documents, sessions
from ptdesk.services.sessions import InterventionEntry
from tests.session_helpers import make_clinic


def _text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def recorded(db, owner):
    clinic = make_clinic(db, owner)
    with db.session() as s:
        data = sessions.new_input(s, clinic.appointment_id)
    data.exercises[0].sets, data.exercises[0].reps = 2, 8
    data.exercises[0].notes = "Mild ache at end range"
    data.pain_before, data.pain_after = 7, 3
    data.bp_systolic, data.bp_diastolic, data.heart_rate, data.spo2 = 132, 84, 71, 98
    data.subjective = "Slept badly after the last visit."
    data.treatment = "Hip strengthening, soft tissue work, heat."
    data.interventions = [
        InterventionEntry("97110", 24),
        InterventionEntry("97140", 23),
        InterventionEntry("97010", 10),
    ]
    with db.session() as s:
        rec = sessions.save_record(s, clinic.technician, clinic.appointment_id, data, sign=True)
        sessions.cosign(s, clinic.therapist, rec.id, "Improving hip control.", "Add step-ups.")
        sessions.add_addendum(
            s,
            clinic.therapist,
            rec.id,
            "Heat pack time corrected to 10 minutes.",
            now=datetime(2026, 3, 12, 10, 0, tzinfo=UTC),
        )
    return clinic


def test_clinical_summary_holds_every_section(db, recorded):
    with db.session() as s:
        text = _text(
            documents.session_summary(
                s,
                recorded.therapist,
                recorded.appointment_id,
                printed_on=datetime(2026, 3, 12).date(),
            )
        )
    for expected in [
        "Session summary",
        "Maria Lopez",
        "C-100",
        "2026-03-11",
        "09:00",
        "Ted Tech, PT Tech",  # who gave the care
        "Supervised by",
        "Tara Therapist",
        "No lifting over 10 lb",
        "Pain before",
        "7",
        "132/84 mmHg",
        "71 bpm",
        "98%",
        "Bridge",
        "Prescribed",
        "2 × 8",
        "Mild ache at end range",
        "97110",
        "97140",
        "97010",
        "Total timed minutes",
        "47",
        "Slept badly after the last visit.",
        "Hip strengthening, soft tissue work, heat.",
        "Improving hip control.",
        "Add step-ups.",
        "Recorded and signed by Ted Tech",
        "Co-signed by Tara Therapist",
        "Addenda",
        "Heat pack time corrected to 10 minutes.",
        "Page 1 of",
    ]:
        assert expected in text, expected
    # 47 timed minutes are 3 units: 97110 gets 2 (24 = 15 + 9), 97140 gets 1; plus the heat pack.
    assert re.search(r"Total timed minutes / total units\s+47\s+4\b", text)


def test_patient_copy_has_no_billing_codes(db, recorded):
    with db.session() as s:
        text = _text(documents.patient_copy(s, recorded.front_desk, recorded.appointment_id))
    assert "Your visit today" in text
    assert "Maria Lopez" in text and "Bridge" in text and "Therapeutic exercise" in text
    assert "out of 10" in text
    for code in ("97110", "97140", "97010"):
        assert code not in text
    assert "Units" not in text and "Improving hip control." not in text


def test_awaiting_cosign_is_shown(db, owner):
    clinic = make_clinic(db, owner)
    with db.session() as s:
        data = sessions.new_input(s, clinic.appointment_id)
        sessions.save_record(s, clinic.technician, clinic.appointment_id, data, sign=True)
        text = _text(documents.session_summary(s, clinic.technician, clinic.appointment_id))
    assert "awaiting co-sign by Tara Therapist" in text


def test_cli_writes_the_summary(db, db_path, recorded, tmp_path, capsys):
    out = tmp_path / "summary.pdf"
    argv = ["export", "session-summary", "--db", str(db_path)]
    code = cli.run([*argv, "--appointment", str(recorded.appointment_id), "--out", str(out)])
    assert code == 0
    assert "Co-signed by Tara Therapist" in _text(out.read_bytes())
    patient = tmp_path / "patient.pdf"
    code = cli.run(
        [
            *argv,
            "--appointment",
            str(recorded.appointment_id),
            "--patient-copy",
            "--out",
            str(patient),
        ]
    )
    assert code == 0 and "97110" not in _text(patient.read_bytes())


def test_cli_refuses_an_unrecorded_or_missing_visit(db, db_path, owner, tmp_path, capsys):
    clinic = make_clinic(db, owner)
    out = tmp_path / "x.pdf"
    argv = ["export", "session-summary", "--db", str(db_path), "--out", str(out)]
    assert cli.run([*argv, "--appointment", str(clinic.appointment_id)]) == 1
    assert "No session has been recorded" in capsys.readouterr().err
    assert cli.run([*argv, "--appointment", "999"]) == 1
    assert "no longer exists" in capsys.readouterr().err
    assert not out.exists()
