"""Table models of the transfers screens: checklists, their checks, decision table, templates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from ptdesk.models import TransferMethod, UpperLimbs, WeightBearing
from ptdesk.services.transfers import (
    APPLIES_WHEN,
    PHASES,
    ChecklistData,
    Choice,
    ItemData,
    TemplateItemData,
    default_method,
    local_time,
)
from ptdesk.ui.widgets.table import ROW_ROLE, SORT_ROLE, Column, Index, RowTableModel


def _when(c: ChecklistData) -> datetime:
    return local_time(c.started_at) or datetime.min


def _staff(c: ChecklistData) -> str:
    names = [n for n in (c.performed_by or c.started_by, c.assisted_by) if n]
    return " + ".join(names)


def _incident(c: ChecklistData) -> str:
    return "" if c.incident == "none" else c.incident_label


class ChecklistTableModel(RowTableModel[ChecklistData]):
    """Checklists, newest first: one row each."""

    columns = (
        # Sorted by ISO text: the proxy cannot compare Python datetimes.
        Column(
            "Started", lambda c: f"{_when(c):%Y-%m-%d %H:%M}", sort=lambda c: _when(c).isoformat()
        ),
        Column("Patient", lambda c: c.patient_name),
        Column("Chart", lambda c: c.chart_number),
        Column("Transfer", lambda c: c.transfer_label),
        Column(
            "Method",
            lambda c: c.method_label or "not planned yet",
            tooltip=lambda c: c.less_support_reason and f"Less support: {c.less_support_reason}",
        ),
        Column("Status", lambda c: c.status_label),
        Column("Incident", _incident, tooltip=lambda c: c.incident_description),
        Column("Staff", _staff),
    )


class ChoiceTableModel(RowTableModel[Choice]):
    columns = (Column("Patient", lambda c: c.label),)


class ChecklistItemsModel(QAbstractTableModel):
    """The checks of one checklist; the first column is ticked with Space or a click."""

    HEADERS = ("Done", "Check", "Required")
    toggled = Signal(int, bool)  # item id, done

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list[ItemData] = []
        self.editable = True
        self.on_toggle: Callable[[int, bool], bool] | None = None

    def set_items(self, items: list[ItemData]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def update_items(self, items: list[ItemData]) -> None:
        """Same checks, new ticks: refresh in place so the current row stays put."""
        if [i.id for i in items] != [i.id for i in self._items]:
            self.set_items(items)
            return
        self._items = list(items)
        if items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(items) - 1, 2))

    def items(self) -> list[ItemData]:
        return list(self._items)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0 and self.editable:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return "Done" if item.done else "Open"
            if col == 1:
                phase = "Before" if item.phase == "before" else "After"
                return f"{phase}: {item.text}"
            return "Required" if item.required else "Optional"
        if role == Qt.ItemDataRole.CheckStateRole and col == 0:
            return Qt.CheckState.Checked if item.done else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.AccessibleTextRole and col == 0:
            return f"{'Done' if item.done else 'Open'}: {item.text}"
        if role == Qt.ItemDataRole.FontRole and col == 2 and item.required and not item.done:
            font = QFont()
            font.setBold(True)
            return font
        if role == ROW_ROLE:
            return item
        if role == SORT_ROLE:
            return item.position
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 0 or role != Qt.ItemDataRole.CheckStateRole:
            return False
        if not self.editable:
            return False
        done = Qt.CheckState(value) == Qt.CheckState.Checked
        return self.toggle(index.row(), done)

    def toggle(self, row: int, done: bool | None = None) -> bool:
        if not self.editable or not 0 <= row < len(self._items):
            return False
        item = self._items[row]
        done = (not item.done) if done is None else done
        if self.on_toggle is not None and not self.on_toggle(item.id, done):
            return False
        self.toggled.emit(item.id, done)
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None


DECISION_ROWS = [(wb.value, a.value) for wb in WeightBearing for a in UpperLimbs]
COOPERATION_COLUMNS = {2: "cooperative", 3: "unpredictable"}


class DecisionTableModel(QAbstractTableModel):
    """One transfer type's decision table: weight bearing x arms by cooperation."""

    HEADERS = ("Weight bearing", "Arms", "Cooperative", "Unpredictable")
    EDIT_ROLE_METHOD = Qt.ItemDataRole.UserRole + 10

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.transfer_type = "wheelchair_table"
        self._table: dict[tuple[str, str, str, str], str] = {}
        self.editable = False
        self.on_change: Callable[[tuple[str, str, str, str], str], bool] | None = None

    def set_table(self, transfer_type: str, table: dict[tuple[str, str, str, str], str]) -> None:
        self.beginResetModel()
        self.transfer_type = transfer_type
        self._table = dict(table)
        self.endResetModel()

    def key(self, index: Index) -> tuple[str, str, str, str] | None:
        if not index.isValid() or index.column() not in COOPERATION_COLUMNS:
            return None
        wb, arms = DECISION_ROWS[index.row()]
        return (self.transfer_type, wb, arms, COOPERATION_COLUMNS[index.column()])

    def method_at(self, index: Index) -> str:
        key = self.key(index)
        if key is None:
            return ""
        return self._table.get(key) or default_method(*key)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(DECISION_ROWS)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable and index.column() in COOPERATION_COLUMNS:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(DECISION_ROWS):
            return None
        wb, arms = DECISION_ROWS[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == 0:
                return WeightBearing(wb).label
            if col == 1:
                return UpperLimbs(arms).label
            method = self.method_at(index)
            label = TransferMethod(method).label
            key = self.key(index)
            assert key is not None
            return label if method == default_method(*key) else f"{label} (changed)"
        if role == Qt.ItemDataRole.EditRole and col in COOPERATION_COLUMNS:
            return self.method_at(index)
        if role == Qt.ItemDataRole.ToolTipRole and col in COOPERATION_COLUMNS:
            key = self.key(index)
            assert key is not None
            return f"Default: {TransferMethod(default_method(*key)).label}"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        key = self.key(index)
        if key is None or role != Qt.ItemDataRole.EditRole or not self.editable:
            return False
        method = str(value)
        if method not in TransferMethod._value2member_map_ or method == self.method_at(index):
            return False
        if self.on_change is not None and not self.on_change(key, method):
            return False
        self._table[key] = method
        self.dataChanged.emit(index, index)
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None


class TemplateTableModel(RowTableModel[TemplateItemData]):
    columns = (
        Column("When", lambda t: PHASES[t.phase], sort=lambda t: t.position),
        Column("Check", lambda t: t.text, sort=lambda t: t.position),
        Column("Required", lambda t: "Required" if t.required else "Optional"),
        Column("Applies", lambda t: APPLIES_WHEN.get(t.applies_when, t.applies_when)),
    )
