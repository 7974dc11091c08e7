"""Table models for the Exercises page (plain rows only)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ptdesk.services.exercises import ExerciseInfo
from ptdesk.services.programs import DaySheetRow, HistoryEntry, ProgramItem, ProgramPatient
from ptdesk.ui.widgets.table import Column, RowTableModel

RIGHT = Qt.AlignmentFlag.AlignRight


class ProgramPatientsModel(RowTableModel[ProgramPatient]):
    columns = (
        Column("Chart", lambda r: r.chart_number),
        Column("Patient", lambda r: r.sort_name, sort=lambda r: r.sort_name.lower()),
        Column("Program", lambda r: r.status),
        Column(
            "Exercises",
            lambda r: str(r.exercises) if r.exercises else "",
            lambda r: r.exercises,
            RIGHT,
        ),
    )


class ProgramItemsModel(RowTableModel[ProgramItem]):
    """The program being edited, in sheet order."""

    columns = (
        Column("#", lambda r: "", align=RIGHT),
        Column("Exercise", lambda r: r.exercise_name),
        Column("Dose", lambda r: r.dose, tooltip=lambda r: r.line()),
    )

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid() and index.column() == 0 and role == Qt.ItemDataRole.DisplayRole:
            return str(index.row() + 1)
        return super().data(index, role)

    def replace_row(self, row: int, item: ProgramItem) -> None:
        self._rows[row] = item
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def move(self, row: int, delta: int) -> int:
        """Move a row up (-1) or down (+1); returns its new row."""
        target = row + delta
        if not (0 <= row < len(self._rows) and 0 <= target < len(self._rows)):
            return row
        dest = target + 1 if delta > 0 else target
        self.beginMoveRows(self.index(row, 0).parent(), row, row, self.index(row, 0).parent(), dest)
        self._rows.insert(target, self._rows.pop(row))
        self.endMoveRows()
        self.dataChanged.emit(self.index(min(row, target), 0), self.index(max(row, target), 0))
        return target

    def append(self, item: ProgramItem) -> int:
        n = len(self._rows)
        self.beginInsertRows(self.index(0, 0).parent(), n, n)
        self._rows.append(item)
        self.endInsertRows()
        return n

    def remove(self, row: int) -> None:
        if not 0 <= row < len(self._rows):
            return
        self.beginRemoveRows(self.index(0, 0).parent(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        if row < len(self._rows):
            self.dataChanged.emit(self.index(row, 0), self.index(len(self._rows) - 1, 0))


class ExerciseModel(RowTableModel[ExerciseInfo]):
    columns = (
        Column("Exercise", lambda r: r.name),
        Column("Region", lambda r: r.region_label),
        Column("Source", lambda r: "ptdesk library" if r.is_library else "Clinic's own"),
        Column("Photo", lambda r: "Clinic photo" if r.has_photo else ""),
        Column("Shown", lambda r: "Yes" if r.active else "Hidden"),
    )


class HistoryModel(RowTableModel[HistoryEntry]):
    columns = (
        Column("When", lambda r: r.at.astimezone().strftime("%Y-%m-%d %H:%M"), lambda r: r.at),
        Column("Who", lambda r: r.actor_name),
        Column("What changed", lambda r: r.summary),
    )


class DaySheetsModel(RowTableModel[DaySheetRow]):
    columns = (
        Column("Time", lambda r: r.first_visit.strftime("%H:%M"), lambda r: r.first_visit),
        Column("Chart", lambda r: r.chart_number),
        Column("Patient", lambda r: r.name),
        Column("With", lambda r: r.staff_name),
        Column("Sheet", lambda r: r.status),
    )
