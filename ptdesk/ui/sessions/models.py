"""Table models of the Sessions page: record lists, the visit's exercises and interventions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from ptdesk.models import AppointmentStatus
from ptdesk.services.billing import billable_units
from ptdesk.services.sessions import ExerciseEntry, InterventionEntry, RecordRow, VisitRow
from ptdesk.ui.widgets.table import ROW_ROLE, SORT_ROLE, Column, Index, RowTableModel

RIGHT = Qt.AlignmentFlag.AlignRight
STATUS_MARKS = {"": "○", "draft": "✎", "awaiting_cosign": "◐", "signed": "✔"}


def _mark(status: str) -> str:
    return STATUS_MARKS.get(status, "")


class RecordsModel(RowTableModel[RecordRow]):
    columns = (
        Column("Visit", lambda r: f"{r.start:%Y-%m-%d %H:%M}", lambda r: r.start),
        Column("Patient", lambda r: r.patient_name),
        Column("Chart", lambda r: r.chart_number),
        Column("Given by", lambda r: r.provider_name),
        Column("Co-signer", lambda r: r.supervisor_name or "—"),
        Column("Status", lambda r: f"{_mark(r.status)} {r.status_label}", lambda r: r.status),
        Column("Units", lambda r: str(r.units), lambda r: r.units, RIGHT),
        Column(
            "Addenda", lambda r: str(r.addenda) if r.addenda else "", lambda r: r.addenda, RIGHT
        ),
    )


class VisitsModel(RowTableModel[VisitRow]):
    columns = (
        Column("Time", lambda v: f"{v.start:%H:%M}", lambda v: v.start),
        Column("Patient", lambda v: v.patient_name),
        Column("Chart", lambda v: v.chart_number),
        Column("Booked with", lambda v: v.staff_name),
        Column("Visit", lambda v: AppointmentStatus(v.appointment_status).label),
        Column(
            "Record",
            lambda v: f"{_mark(v.record_status)} {v.record_label}",
            lambda v: v.record_status,
        ),
    )


class _EditableModel(QAbstractTableModel):
    """An editable list of dataclass rows; ``headers``/``fields`` say which column is which."""

    edited = Signal()
    headers: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    editable: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self.read_only = False

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()
        self.edited.emit()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None

    def display(self, row: Any, name: str) -> str:
        value = getattr(row, name)
        return "" if value is None else str(value)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        name = self.fields[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return self.display(row, name)
        if role == Qt.ItemDataRole.EditRole:
            value = getattr(row, name)
            if name in self.numbers:
                return 0 if value is None else int(value)
            return value
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and name in self.numbers:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and not self.read_only and self.fields[index.column()] in self.editable:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        name = self.fields[index.column()]
        if name not in self.editable or self.read_only:
            return False
        row = self._rows[index.row()]
        if name in self.numbers:
            try:
                number = int(value) if value not in (None, "") else None
            except (TypeError, ValueError):
                return False
            setattr(row, name, number)
        else:
            setattr(row, name, str(value or ""))
        self.changed_row(index.row())
        self.edited.emit()
        return True

    def changed_row(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def append(self, item: Any) -> None:
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append(item)
        self.endInsertRows()
        self.edited.emit()

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
            self.edited.emit()


class ExercisesModel(_EditableModel):
    """The exercises of the visit: prescribed dose and what was done (editable)."""

    headers = ("Exercise", "Prescribed", "Sets", "Reps", "Load", "Minutes", "Tolerance / notes")
    fields = ("name", "prescribed", "sets", "reps", "load", "duration_min", "notes")
    editable = frozenset({"name", "sets", "reps", "load", "duration_min", "notes"})
    numbers = frozenset({"sets", "reps", "duration_min"})

    def display(self, row: ExerciseEntry, name: str) -> str:
        value = getattr(row, name)
        if name == "prescribed":
            return value or "Not in the program"
        if name in self.numbers and not value:
            return "—"
        return "" if value is None else str(value)


class InterventionsModel(_EditableModel):
    """Interventions with their CPT code and minutes; units follow the 8-minute rule live."""

    headers = ("Code", "Intervention", "Minutes", "Units")
    fields = ("code", "description", "minutes", "units")
    editable = frozenset({"minutes"})
    numbers = frozenset({"minutes", "units"})

    def __init__(self, timed_codes: Callable[[], set[str]], parent=None) -> None:
        super().__init__(parent)
        self._timed_codes = timed_codes
        self.edited.connect(self.recount)

    def display(self, row: InterventionEntry, name: str) -> str:
        if name == "description":
            return row.description + ("" if row.timed else " (untimed)")
        if name == "minutes" and not row.minutes:
            return "—"
        return str(getattr(row, name))

    def recount(self) -> None:
        """Units for every line from the minutes now typed."""
        minutes = {}
        for r in self._rows:
            minutes[r.code] = minutes.get(r.code, 0) + max(0, r.minutes or 0)
        units = billable_units(minutes, self._timed_codes())
        changed = False
        for r in self._rows:
            new = units.get(r.code, 0)
            if r.units != new:
                r.units = new
                changed = True
        if changed and self._rows:
            column = self.fields.index("units")
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))

    @property
    def timed_minutes(self) -> int:
        return sum(r.minutes or 0 for r in self._rows if r.timed)

    @property
    def total_units(self) -> int:
        return sum(r.units for r in self._rows)
