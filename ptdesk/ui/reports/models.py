"""Table models of the Reports page: the month's figures, and an import's rows and problems."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt

from ptdesk.reports.monthly import NONE, change, percent
from ptdesk.services.imports import ADD, ON_FILE, PreviewRow, RowError
from ptdesk.services.reporting import MonthlyReport
from ptdesk.ui.widgets.table import Column, RowTableModel

RIGHT = Qt.AlignmentFlag.AlignRight


@dataclass(frozen=True)
class FigureRow:
    figure: str
    value: str
    before: str
    change: str
    order: int


def figure_rows(report: MonthlyReport) -> list[FigureRow]:
    """The headline figures beside the month before, as the PDF's first table has them."""
    a = report.appointments
    p = report.previous
    b = p.appointments if p else None
    rows: list[tuple[str, float | int | None, float | int | None, bool]] = [
        ("Appointments scheduled", a.scheduled, b.scheduled if b else None, False),
        ("Visits completed", a.completed, b.completed if b else None, False),
        ("No-shows", a.no_show, b.no_show if b else None, False),
        ("Cancelled in time", a.cancelled, b.cancelled if b else None, False),
        ("Late cancellations", a.late_cancelled, b.late_cancelled if b else None, False),
        ("Unresolved (past, still open)", a.unresolved, b.unresolved if b else None, False),
        ("Arrival rate", a.arrival_rate, b.arrival_rate if b else None, True),
        ("No-show rate", a.no_show_rate, b.no_show_rate if b else None, True),
        ("Cancellation rate", a.cancellation_rate, b.cancellation_rate if b else None, True),
        ("Patients seen", report.patients_seen, p.patients_seen if p else None, False),
        ("New patients", report.new_patients, p.new_patients if p else None, False),
        ("Evaluations", report.evaluations, p.evaluations if p else None, False),
        ("Billing units", report.total_units, p.total_units if p else None, False),
        ("Cleaning compliance", report.cleaning.compliance, None, True),
        ("Transfer near misses", report.transfers.near_misses, None, False),
        ("Transfer falls", report.transfers.falls, None, False),
        ("Authorizations ending soon", len(report.authorizations_expiring), None, False),
    ]

    def shown(value, rate: bool) -> str:
        if rate:
            return percent(value)
        return NONE if value is None else str(value)

    return [
        FigureRow(
            label,
            shown(now, rate),
            shown(before, rate) if before is not None else NONE,
            change(now, before, rate=rate),
            i,
        )
        for i, (label, now, before, rate) in enumerate(rows)
    ]


class FiguresModel(RowTableModel[FigureRow]):
    columns = (
        Column("Figure", lambda r: r.figure, sort=lambda r: r.order),
        Column("This month", lambda r: r.value, align=RIGHT),
        Column("Month before", lambda r: r.before, align=RIGHT),
        Column("Change", lambda r: r.change, align=RIGHT),
    )


ACTION_TEXT = {ADD: "Add", ON_FILE: "Already on file (left as is)"}


class ImportRowsModel(RowTableModel[PreviewRow]):
    """The file's rows; the columns depend on the file, so they are set with the rows."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.columns = self._columns([])

    @staticmethod
    def _columns(names: list[str]) -> tuple[Column[PreviewRow], ...]:
        base: list[Column[PreviewRow]] = [
            Column("Row", lambda r: str(r.row), sort=lambda r: r.row, align=RIGHT),
            Column("What happens", lambda r: ACTION_TEXT.get(r.action, "⚠ Problem")),
        ]
        for name in names:
            base.append(Column(name, lambda r, n=name: r.values.get(n, "")))
        return tuple(base)

    def set_preview(self, names: list[str], rows: list[PreviewRow]) -> None:
        self.beginResetModel()
        self.columns = self._columns(names)
        self._rows = list(rows)
        self.endResetModel()


class ProblemsModel(RowTableModel[RowError]):
    columns = (
        Column("Row", lambda e: str(e.row), sort=lambda e: e.row, align=RIGHT),
        Column("Column", lambda e: e.column or "(whole row)"),
        Column("Problem", lambda e: e.message, tooltip=lambda e: e.message),
    )
