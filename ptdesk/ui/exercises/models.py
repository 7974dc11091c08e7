"""Table models for the Exercises page (plain rows only)."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt

from ptdesk.services import clock
from ptdesk.services.exercises import ExerciseInfo
from ptdesk.services.programs import DaySheetRow, HistoryEntry, ProgramItem, ProgramPatient
from ptdesk.ui.widgets.table import Column, RowTableModel

RIGHT = Qt.AlignmentFlag.AlignRight


class ProgramPatientsModel(RowTableModel[ProgramPatient]):
    columns = (
        Column("Chart", lambda r: r.chart_number),
        Column("Patient", lambda r: r.sort_name, sort=lambda r: r.sort_name.lower()),
        Column(
            "Exercises",
            lambda r: str(r.exercises) if r.exercises else "",
            lambda r: r.exercises,
            RIGHT,
        ),
        Column("Program", lambda r: r.status),
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

    # Drag a row to a new place (the buttons do the same from the keyboard).
    MIME = "application/x-ptdesk-program-row"
    moved_by_drag = None  # set by the editor: called with the new row after a drop

    def flags(self, index):
        base = super().flags(index) | Qt.ItemFlag.ItemIsDropEnabled
        if index.isValid() and self.editable:
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return base

    editable = True

    def supportedDropActions(self):  # noqa: N802 - Qt's name
        return Qt.DropAction.MoveAction

    def mimeTypes(self):  # noqa: N802 - Qt's name
        return [self.MIME]

    def mimeData(self, indexes):  # noqa: N802 - Qt's name
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        data.setData(self.MIME, str(rows[0] if rows else -1).encode())
        return data

    def dropMimeData(self, data, action, row, column, parent):  # noqa: N802 - Qt's name
        """Move the dragged row; returns False so the view never deletes the source row."""
        if not self.editable or not data.hasFormat(self.MIME):
            return False
        source = int(bytes(data.data(self.MIME).data()).decode() or -1)
        if row < 0:
            row = parent.row() if parent.isValid() else len(self._rows)
        target = row - 1 if row > source else row
        target = max(0, min(len(self._rows) - 1, target))
        if not 0 <= source < len(self._rows) or target == source:
            return False
        step = 1 if target > source else -1
        current = source
        while current != target:
            current = self.move(current, step)
        if self.moved_by_drag:
            self.moved_by_drag(target)
        return False

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
        Column("When", lambda r: f"{clock.exact_local(r.at):%Y-%m-%d %H:%M}", lambda r: r.at),
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
