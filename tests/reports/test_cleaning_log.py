"""The printable cleaning log: the entries in the range and none outside, and the summary."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from ptdesk.cli import run
from ptdesk.services import cleaning, documents, equipment
from ptdesk.services.equipment import EquipmentData


def local(text: str) -> datetime:
    return cleaning.local_to_utc(datetime.fromisoformat(text))


def pages(data: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def logged(db, owner):
    """Notes name each entry by date, so the text shows which ones made it in."""
    with db.session() as s:
        ids = []
        for name, interval in [("Treadmill", "daily"), ("Balls", "weekly")]:
            row = equipment.create_equipment(
                s,
                owner,
                EquipmentData(
                    name=name, cleaning_interval=interval, product="Quat wipes", contact_minutes=3
                ),
            )
            row.created_at = local("2026-02-01 08:00")
            ids.append(row.id)
        equipment.create_equipment(
            s,
            owner,
            EquipmentData(
                name="Ultrasound",
                category="ultrasound",
                cleaning_interval="after_use",
                safety_check_due=date(2026, 3, 2),
            ),
        )
        for day in range(1, 32):
            when = local(f"2026-03-{day:02d} 23:40")  # late: tests the day edge too
            cleaning.log_cleaning(s, owner, [ids[0]], when=when, notes=f"entry-03-{day:02d}")
        (first,) = cleaning.log_cleaning(
            s,
            owner,
            [ids[1]],
            when=local("2026-03-10 12:00"),
            contact_minutes=1,
            notes="entry-balls",
        )
        cleaning.correct_cleaning(s, owner, first.id, reason="Timer misread", contact_minutes=3)
        cleaning.log_cleaning(
            s, owner, [ids[0]], when=local("2026-04-01 00:10"), notes="entry-04-01"
        )
        cleaning.log_cleaning(
            s, owner, [ids[0]], when=local("2026-02-28 23:59"), notes="entry-02-28"
        )
    return ids


def test_pdf_lists_every_entry_in_the_range_and_none_outside(db, owner, logged):
    with db.session() as s:
        data = documents.cleaning_log(
            s,
            owner,
            date(2026, 3, 9),
            date(2026, 3, 20),
            now=datetime(2026, 4, 10, 9, 0),
            printed_on=date(2026, 4, 10),
        )
    texts = pages(data)
    text = " ".join(" ".join(texts).split())
    for day in range(9, 21):
        assert f"entry-03-{day:02d}" in text
    for day in [*range(1, 9), *range(21, 32)]:
        assert f"entry-03-{day:02d}" not in text
    assert "entry-04-01" not in text and "entry-02-28" not in text
    # the corrected entry and its correction both appear, each naming the other
    assert text.count("entry-balls") == 2
    assert "Corrected by" in text and "Corrects #" in text and "Timer misread" in text
    assert "SHORT: label 3" in text
    assert "14 log entries from 2026-03-09 to 2026-03-20" in text
    # due versus done: 10 weekdays for the treadmill, two weeks for the balls (one missed)
    assert "11 of 12 due periods had a cleaning (92%)" in text
    assert "Week of 2026-03-16" in text
    assert "OVERDUE: Electrical-safety check" in text
    for page_text in texts:
        assert "Cleaning log" in page_text and "2026-03-09 to 2026-03-20" in page_text
        assert "Page " in page_text
    width, height = PdfReader(io.BytesIO(data)).pages[0].mediabox.upper_right
    assert width > height  # landscape


def test_long_log_runs_over_pages_with_the_frame_on_each(db, owner, logged):
    with db.session() as s:
        item = logged[0]
        for hour in range(8, 18):
            for day in range(2, 28):
                cleaning.log_cleaning(
                    s, owner, [item], when=local(f"2026-03-{day:02d} {hour:02d}:05")
                )
        data = documents.cleaning_log(s, owner, date(2026, 3, 1), date(2026, 3, 31))
    texts = pages(data)
    assert len(texts) > 3
    for n, page_text in enumerate(texts, start=1):
        assert f"Page {n} of {len(texts)}" in page_text
        assert "My Physical Therapy Clinic" in page_text


def test_cli_writes_the_cleaning_log(db, owner, logged, tmp_path, capsys):
    db.close()
    out = tmp_path / "log.pdf"
    args = [
        "export",
        "cleaning-log",
        "--db",
        str(db.path),
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--out",
        str(out),
    ]
    assert run(args) == 0
    assert "entries written" in capsys.readouterr().err
    text = " ".join(" ".join(pages(out.read_bytes())).split())
    assert "entry-03-31" in text and "entry-04-01" not in text
    backwards = [*args[:5], "2026-04-01", "--to", "2026-03-01", "--out", str(out)]
    assert run(backwards) == 2
    err = capsys.readouterr().err
    assert "--to is before --from" in err and "Traceback" not in err


def test_notes_of_the_longest_allowed_length_split_across_pages(db, owner, logged):
    words = ("Wiped the frame, rails and belt; left to dry by the window. " * 20)[:1000]
    with db.session() as s:
        for day in (5, 6):
            cleaning.log_cleaning(
                s, owner, [logged[0]], when=local(f"2026-03-{day:02d} 12:00"), notes=words
            )
        data = documents.cleaning_log(s, owner, date(2026, 3, 1), date(2026, 3, 31))
    text = " ".join(" ".join(pages(data)).split())
    assert "entry-03-31" in text and "Due versus done" in text
    assert text.count("left to dry") >= 2 * 16 - 2  # a page break may fall inside one
