"""The monthly report in other formats: spreadsheet rows (CSV), JSON and the PDF."""

from __future__ import annotations

import csv
import io

from ptdesk.services.reporting.figures import MonthlyReport

CSV_COLUMNS = ["section", "item", "figure", "value"]


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(value)


def report_rows(report: MonthlyReport) -> list[dict[str, str]]:
    """The report as long-format rows (section, item, figure, value) for a spreadsheet."""
    data = report.to_dict()
    rows: list[dict[str, str]] = []

    def add(section: str, item: str, figure: str, value: object) -> None:
        rows.append({"section": section, "item": item, "figure": figure, "value": _text(value)})

    add("month", "", "month", data["month"])
    for k, v in data["appointments"].items():
        add("appointments", "", k, v)
    for k in (
        "arrival_rate",
        "no_show_rate",
        "cancellation_rate",
        "patients_seen",
        "new_patients",
        "evaluations",
    ):
        add("patients", "", k, data[k])
    for name, figures in data["by_staff"].items():
        for k, v in figures.items():
            add("by_staff", name, k, v)
    for code, units in data["units_by_code"].items():
        add("units_by_code", code, "units", units)
    add("units", "", "total_units", data["total_units"])
    add("units", "", "units_per_visit", data["units_per_visit"])
    for k, v in data["cleaning"].items():
        add("cleaning", "", k, v)
    for item, period in report.cleaning.missed_items:
        add("cleaning", item, "missed_period", period)
    for k, v in data["transfers"].items():
        add("transfers", "", k, v)
    for a in report.authorizations_expiring:
        item = f"{a.chart_number} {a.patient} ({a.payer})"
        add("authorizations_expiring", item, "end_date", a.end_date.isoformat())
        add("authorizations_expiring", item, "visits_left", a.remaining)
        add("authorizations_expiring", item, "visits_booked", a.visits_booked)
        add("authorizations_expiring", item, "reason", a.reason)
    return rows


def report_csv(report: MonthlyReport) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(report_rows(report))
    return buffer.getvalue()


def report_json(report: MonthlyReport) -> str:
    import json

    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
