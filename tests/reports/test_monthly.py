"""The monthly report PDF: its text read back holds the figures of the hand-made March."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from ptdesk.reports import monthly
from ptdesk.reports.common import Letterhead
from ptdesk.services import documents, reporting
from tests.report_helpers import MARCH, NOW, build_march


def _text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    # Table cells come back one per line: compare with single spaces.
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    return text, len(reader.pages)


def test_pdf_holds_the_headline_figures(db, owner):
    build_march(db)
    with db.session() as s:
        data = documents.monthly_report(s, owner, MARCH, now=NOW, printed_on=date(2026, 4, 1))
    text, pages = _text(data)
    assert data.startswith(b"%PDF")
    assert 2 <= pages <= 5
    assert "My Physical Therapy Clinic" in text
    assert "Monthly report · March 2026" in text
    assert f"Page {pages} of {pages}" in text
    assert "Printed 2026-04-01" in text
    assert "Generated 2026-03-25 12:00" in text
    # Headline figures and their change from February (1 completed, 100% arrival).
    assert "3 visits completed of 9 scheduled; arrival rate 42.9%" in text
    assert "Arrival rate 42.9% 100.0% −57.1 pts" in text
    assert "Visits completed 3 1 +2" in text
    assert "Late cancellations 2 0 +2" in text
    assert "New patients 1 1 0" in text
    # Tables.
    assert "Ann Avery PT 2 1 1 1 3.25 176 1.1%" in text
    assert "97110 5 71.4%" in text
    assert "Total 7 100.0%" in text
    assert "2 of 3 due cleanings done on time (66.7%); 1 missed" in text
    assert "Recumbent bike Week of 2026-03-16" in text
    assert "Near misses: 1; falls: 1" in text
    assert "Slid to the floor" in text
    assert "Petra Two (C002) Blue Plan 2026-06-30 2 / 3 1 Runs out" in text


def test_empty_month_prints_dashes_not_errors(db, owner):
    with db.session() as s:
        report = reporting.monthly_report(s, owner, date(2026, 1, 1), now=NOW)
    text, _ = _text(monthly.build(report, Letterhead("Quiet Clinic")))
    assert "Arrival rate – – –" in text
    assert "No visits with an outcome in these months" in text
    assert "Nobody saw patients this month." not in text  # the owner is listed with zeros
    assert "Authorizations ending or running out in the next 30 days None." in text


def test_change_formatting():
    assert monthly.change(5, 3) == "+2"
    assert monthly.change(3, 5) == "−2"
    assert monthly.change(0.5, 0.25, rate=True) == "+25.0 pts"
    assert monthly.change(None, 0.2, rate=True) == "–"
    assert monthly.change(4, 4) == "0"
