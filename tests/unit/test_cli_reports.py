"""Command line: the monthly report in three formats, CSV exports, and the CSV import."""

from __future__ import annotations

import csv
import io
import json

import pytest
from pypdf import PdfReader
from sqlmodel import func, select

from ptdesk.cli import run
from ptdesk.models import Patient
from tests.report_helpers import build_march


@pytest.fixture
def clinic_file(db, owner):
    build_march(db)
    return str(db.path)


def test_monthly_report_json(clinic_file, tmp_path, capsys):
    out = tmp_path / "march.json"
    code = run(["export", "monthly-report", "--db", clinic_file, "--month", "2026-03",
                "--format", "json", "--out", str(out)])  # fmt: skip
    assert code == 0
    data = json.loads(out.read_text())
    assert data["month"] == "2026-03"
    assert data["appointments"]["scheduled"] == 9
    assert data["appointments"]["late_cancelled"] == 2
    assert data["units_by_code"] == {"97110": 5, "97140": 1, "97161": 1}
    assert "March 2026" in capsys.readouterr().err


def test_monthly_report_csv(clinic_file, tmp_path):
    out = tmp_path / "march.csv"
    assert run(["export", "monthly-report", "--db", clinic_file, "--month", "2026-03",
                "--format", "csv", "--out", str(out)]) == 0  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert {"section": "appointments", "item": "", "figure": "completed", "value": "3"} in rows


def test_monthly_report_pdf_is_the_default(clinic_file, tmp_path):
    out = tmp_path / "march.pdf"
    assert run(["export", "monthly-report", "--db", clinic_file, "--month", "2026-03",
                "--out", str(out)]) == 0  # fmt: skip
    text = " ".join(PdfReader(out).pages[0].extract_text().split())
    assert "Monthly report: March 2026" in text


def test_monthly_report_bad_month_is_a_usage_error(clinic_file, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        run(["export", "monthly-report", "--db", clinic_file, "--month", "March",
             "--out", str(tmp_path / "x.pdf")])  # fmt: skip
    assert exit_.value.code == 2
    assert "not a month like 2026-03" in capsys.readouterr().err


def test_monthly_report_into_missing_folder_fails(clinic_file, tmp_path, capsys):
    code = run(["export", "monthly-report", "--db", clinic_file, "--month", "2026-03",
                "--out", str(tmp_path / "nowhere" / "x.pdf")])  # fmt: skip
    assert code == 1
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["patients", "cleaning", "sessions"])
def test_csv_exports_with_a_range(clinic_file, tmp_path, kind, capsys):
    out = tmp_path / f"{kind}.csv"
    assert run(["export", kind, "--db", clinic_file, "--from", "2026-03-01",
                "--to", "2026-03-31", "--format", "csv", "--out", str(out)]) == 0  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert rows
    assert f"rows of {kind} written" in capsys.readouterr().err


def test_import_dry_run_then_real(db, owner, tmp_path, capsys):
    path = tmp_path / "patients.csv"
    path.write_text("chart_number,first_name,last_name,date_of_birth\nA1,Ada,Lovelace,1950-12-10\n")
    args = ["import", "patients", str(path), "--db", str(db.path)]
    assert run([*args, "--dry-run"]) == 0
    assert "1 patients would be added" in capsys.readouterr().err
    with db.session() as s:
        assert s.exec(select(func.count()).select_from(Patient)).one() == 0
    assert run(args) == 0
    with db.session() as s:
        assert s.exec(select(func.count()).select_from(Patient)).one() == 1


def test_import_of_a_bad_file_fails_with_rows(db, owner, tmp_path, capsys):
    path = tmp_path / "patients.csv"
    path.write_text("chart_number,first_name,last_name,date_of_birth\nA1,Ada,,1950-12-10\n")
    assert run(["import", "patients", str(path), "--db", str(db.path)]) == 1
    err = capsys.readouterr().err
    assert "Row 2, last_name: The last name is required." in err
    assert "Traceback" not in err
