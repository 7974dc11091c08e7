"""The schedule's list tabs: the agenda (filtered by text and status) and the unresolved visits."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QObject, QSortFilterProxyModel
from PySide6.QtWidgets import QHeaderView, QTableView

from ptdesk.services.scheduling import AppointmentInfo
from ptdesk.ui.widgets.table import (
    ROW_ROLE,
    SORT_ROLE,
    Column,
    RowTableModel,
    make_table,
    table_view,
)


class AgendaModel(RowTableModel[AppointmentInfo]):
    columns = (
        Column(
            "Time", lambda a: a.time_text, sort=lambda a: f"{a.start:%Y-%m-%d %H:%M} {a.id:09d}"
        ),
        Column("Patient", lambda a: a.patient_name, sort=lambda a: a.patient_name.lower()),
        Column("Chart", lambda a: a.chart_number),
        Column("Visit", lambda a: a.kind_label),
        Column("With", lambda a: a.staff_name),
        Column("Room", lambda a: a.room_name or "—"),
        Column("Status", lambda a: f"{a.status_mark} {a.status_label}", sort=lambda a: a.status),
        Column("Precautions", lambda a: "⚠ " + "; ".join(a.precautions) if a.precautions else ""),
        Column("Notes", lambda a: a.cancel_reason or a.notes),
    )


class UnresolvedModel(RowTableModel[AppointmentInfo]):
    columns = (
        Column("Date", lambda a: f"{a.start:%a %Y-%m-%d}", sort=lambda a: a.start.isoformat()),
        Column("Time", lambda a: a.time_text),
        Column("Patient", lambda a: a.patient_name),
        Column("With", lambda a: a.staff_name),
        Column("Visit", lambda a: a.kind_label),
        Column("Status", lambda a: f"{a.status_mark} {a.status_label}"),
    )


class AgendaFilter(QSortFilterProxyModel):
    """Filters the agenda by free text (any column) and by status."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.status = ""
        self.setSortRole(SORT_ROLE)

    def set_filter(self, text: str, status: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9 and later
            self.beginFilterChange()
            self.text, self.status = text.strip().lower(), status
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.text, self.status = text.strip().lower(), status
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: N802 - Qt's name
        model = self.sourceModel()
        a: AppointmentInfo = model.index(row, 0, parent).data(ROW_ROLE)
        if a is None:
            return False
        if self.status and a.status != self.status:
            return False
        if not self.text:
            return True
        haystack = " ".join(
            str(model.index(row, c, parent).data() or "") for c in range(model.columnCount())
        ).lower()
        return all(word in haystack for word in self.text.split())


def list_table(
    name: str, model: QAbstractItemModel, proxy: QSortFilterProxyModel | None = None
) -> QTableView:
    """A read-only table of appointments, one selected row at a time (sortable with a proxy,
    earliest first)."""
    options: dict[str, Any] = {
        "fit": QHeaderView.ResizeMode.ResizeToContents,
        "stripes": False,
        "wrap": True,
    }
    if proxy is None:
        return table_view(name, model, **options)
    return make_table(name, proxy, **options)[0]
