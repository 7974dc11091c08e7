"""The day sheet: per staff member, times, patient, kind, room, precautions; from the CLI too."""

from __future__ import annotations

import io
from datetime import date, datetime, time

import pytest
from pypdf import PdfReader
from sqlmodel import select

from ptdesk import cli
from ptdesk.models import Patient, Role, Room, Staff
from ptdesk.services import documents
from ptdesk.services import scheduling as sched
from ptdesk.services.scheduling import BookingRequest

DAY = date(2026, 3, 11)


def _text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def _fill(db, owner):
    with db.session() as s:
        ana = Staff(name="Ana Therapist", role=Role.THERAPIST.value)
        ben = Staff(name="Ben Assistant", role=Role.ASSISTANT.value)
        gym = Room(name="Gym")
        p1 = Patient(chart_number="000101", first_name="Mia", last_name="Lopez")
        p2 = Patient(
            chart_number="000102", first_name="Noah", last_name="Kim", precautions="Fall risk"
        )
        p3 = Patient(chart_number="000103", first_name="Cara", last_name="Dunn")
        s.add_all([ana, ben, gym, p1, p2, p3])
        s.flush()
        sched.book(s, owner, BookingRequest(p1.id, ana.id, datetime.combine(DAY, time(9)), 45,
                                            kind="evaluation", room_id=gym.id))  # fmt: skip
        sched.book(s, owner, BookingRequest(p2.id, ben.id, datetime.combine(DAY, time(10)), 45))
        gone = sched.book(s, owner, BookingRequest(p3.id, ben.id, datetime.combine(DAY, time(11))))
        sched.cancel(s, owner, gone.id, "Weather", now=datetime(2026, 3, 1, 9))


def test_day_sheet_lists_each_staff_members_day(db, owner):
    _fill(db, owner)
    with db.session() as s:
        data = documents.day_sheet(s, owner, DAY)
    text = _text(data)
    assert "Day sheet" in text and "Wednesday 2026-03-11" in text
    assert text.index("Ana Therapist") < text.index("Ben Assistant")
    assert "09:00–09:45" in text and "Mia Lopez" in text and "Evaluation" in text and "Gym" in text
    assert "Noah Kim" in text and "Fall risk" in text
    assert "Cara Dunn" not in text  # cancelled visits are left off
    assert "2 appointments" in text


def test_cli_exports_the_day_sheet(db, owner, db_path, tmp_path, capsys):
    _fill(db, owner)
    db.close()
    out = tmp_path / "sheet.pdf"
    code = cli.run(["export", "day-sheet", "--date", DAY.isoformat(), "--out", str(out),
                    "--db", str(db_path)])  # fmt: skip
    assert code == 0
    assert "Noah Kim" in _text(out.read_bytes())
    assert "2 appointments" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        cli.run(["export", "day-sheet", "--date", "2026-13-01", "--out", str(out)])
    assert exited.value.code == 2
    missing = tmp_path / "no-such-folder" / "sheet.pdf"
    code = cli.run(["export", "day-sheet", "--date", DAY.isoformat(), "--out", str(missing),
                    "--db", str(db_path)])  # fmt: skip
    assert code == 1
    assert "does not exist" in capsys.readouterr().err


def test_notes_of_the_longest_allowed_length_split_across_pages(db, owner):
    words = ("Bring the knee brace and the referral letter; " * 60)[:2000]
    _fill(db, owner)
    with db.session() as s:
        ana = s.exec(select(Staff).where(Staff.name == "Ana Therapist")).one()
        mia = s.exec(select(Patient).where(Patient.first_name == "Mia")).one()
        for hour in (13, 14):
            sched.book(s, owner, BookingRequest(mia.id, ana.id, datetime.combine(DAY, time(hour)),
                                                45, notes=words))  # fmt: skip
        data = documents.day_sheet(s, owner, DAY)
    text = " ".join(_text(data).split())
    assert "13:00–13:45" in text and "14:00–14:45" in text and "Noah Kim" in text
    assert text.count("referral letter") >= 2 * 40  # a page break may fall inside one or two
