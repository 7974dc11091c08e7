"""Table models for the Equipment page: due board, out of service, inventory, log, water."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from ptdesk.models import CleaningInterval, Equipment, EquipmentCategory, WaterReading
from ptdesk.services import clock
from ptdesk.services.cleaning import BoardRow, CleaningEntry, DueState, to_local
from ptdesk.services.equipment import format_temperature
from ptdesk.ui.widgets.table import ROW_ROLE, SORT_ROLE, Column, RowTableModel

Index = QModelIndex | QPersistentModelIndex

# Soft fills that keep black text readable; the state is also spelled out with a symbol.
STATE_FILL = {
    DueState.OVERDUE: QColor("#f8d0d0"),
    DueState.DUE: QColor("#fbe7b5"),
    DueState.CLEAN: QColor("#d4edd9"),
    DueState.AFTER_USE: QColor("#e3e8f0"),
    DueState.OUT_OF_SERVICE: QColor("#dddddd"),
}
MUTED = QColor("#666666")


def _date(value: date | None) -> str:
    return value.isoformat() if value else ""


def _check_date(value: date | None) -> str:
    """A safety-check or calibration date, marked when it has passed."""
    if value is None:
        return ""
    return f"⚠ {value.isoformat()} overdue" if value < clock.today() else value.isoformat()


def _due_sort(row: BoardRow) -> str:
    """A plain string key (Qt compares strings and numbers, not tuples)."""
    return f"{(row.due_by or date.max).isoformat()} {row.name.lower()}"


def _product(row: BoardRow) -> str:
    return f"{row.product} ({row.contact_minutes} min)" if row.product else ""


def _state_sort(row: BoardRow) -> str:
    return f"{row.state.urgency} {_due_sort(row)}"


class BoardModel(RowTableModel[BoardRow]):
    """Items in service with their cleaning state."""

    STATE, ITEM, ROOM, INTERVAL, DUE, LAST, CHECKS, PRODUCT = range(8)
    columns = (
        Column("State", lambda r: r.state_text, _state_sort),
        Column("Item", lambda r: r.name, lambda r: r.name.lower()),
        Column("Room", lambda r: r.room_name or "Whole clinic", lambda r: r.room_name.lower()),
        Column(
            "Interval",
            lambda r: r.interval_label,
            lambda r: list(CleaningInterval).index(CleaningInterval(r.interval)),
        ),
        Column("Due by", lambda r: r.due_text, _due_sort),
        Column(
            "Last cleaned",
            lambda r: r.last_cleaned_text,
            lambda r: r.last_cleaned_at.timestamp() if r.last_cleaned_at else 0.0,
        ),
        Column(
            "Checks and warnings",
            lambda r: "; ".join(r.flags),
            tooltip=lambda r: "\n".join(r.flags),
        ),
        Column(
            "Product (contact time)",
            _product,
            tooltip=_product,
        ),
    )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == self.STATE:
            return QBrush(STATE_FILL[row.state])
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == self.STATE:
            return QBrush(QColor("#000000"))
        if role == Qt.ItemDataRole.AccessibleTextRole and index.column() == self.STATE:
            return row.state.label
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.STATE:
            return f"{row.state.label}: {row.due_text}" if row.due_text else row.state.label
        return super().data(index, role)


class BoardFilter(QSortFilterProxyModel):
    """Filters the board by room, by state (or 'checks overdue') and by a search word."""

    ANY = "any"
    CHECKS = "checks"
    NO_ROOM = -1

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.room_id: int | None = None
        self.state: str = self.ANY
        self.text = ""
        self.setSortRole(SORT_ROLE)

    def _refilter(self, name: str, value: object) -> None:
        changing = getattr(self, "beginFilterChange", None)
        if changing is not None:  # Qt 6.9 and later
            changing()
            setattr(self, name, value)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            setattr(self, name, value)
            self.invalidateRowsFilter()

    def set_room(self, room_id: int | None) -> None:
        self._refilter("room_id", room_id)

    def set_state(self, state: str) -> None:
        self._refilter("state", state)

    def set_text(self, text: str) -> None:
        self._refilter("text", text.strip().lower())

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        row: BoardRow = model.index(source_row, 0, source_parent).data(ROW_ROLE)
        if row is None:
            return False
        if self.room_id == self.NO_ROOM and row.room_id is not None:
            return False
        if self.room_id not in (None, self.NO_ROOM) and row.room_id != self.room_id:
            return False
        if self.state == self.CHECKS and not row.checks_overdue:
            return False
        if self.state not in (self.ANY, self.CHECKS) and row.state.value != self.state:
            return False
        return not self.text or self.text in f"{row.name} {row.asset_tag}".lower()


class OutOfServiceModel(RowTableModel[BoardRow]):
    columns = (
        Column("Item", lambda r: f"{DueState.OUT_OF_SERVICE.symbol} {r.name}", lambda r: r.name),
        Column("Room", lambda r: r.room_name or "Whole clinic"),
        Column(
            "Since",
            lambda r: _date(r.out_of_service_since),
            lambda r: r.out_of_service_since or date.min,
        ),
        Column("Reason", lambda r: r.out_of_service_reason),
        Column("Last cleaned", lambda r: r.last_cleaned_text),
    )


class InventoryRow:
    """An inventory row with its room name resolved (plain values only)."""

    def __init__(self, item: Equipment, room_name: str) -> None:
        self.id = item.id or 0
        self.name = item.name
        self.category = EquipmentCategory(item.category)
        self.room_name = room_name
        self.asset_tag = item.asset_tag
        self.serial_number = item.serial_number
        self.interval = CleaningInterval(item.cleaning_interval)
        self.product = item.product
        self.contact_minutes = item.contact_minutes
        self.safety_check_due = item.safety_check_due
        self.calibration_due = item.calibration_due
        self.in_service = item.in_service
        self.out_of_service_reason = item.out_of_service_reason


class InventoryModel(RowTableModel[InventoryRow]):
    columns = (
        Column("Name", lambda r: r.name, lambda r: r.name.lower()),
        Column(
            "Service",
            lambda r: (
                "In service"
                if r.in_service
                else f"{DueState.OUT_OF_SERVICE.symbol} Out: {r.out_of_service_reason}"
            ),
        ),
        Column("Category", lambda r: r.category.label),
        Column("Room", lambda r: r.room_name or "Whole clinic"),
        Column("Asset tag", lambda r: r.asset_tag),
        Column("Serial", lambda r: r.serial_number),
        Column(
            "Cleaning",
            lambda r: r.interval.label,
            lambda r: list(CleaningInterval).index(r.interval),
        ),
        Column("Product", lambda r: r.product),
        Column(
            "Label contact",
            lambda r: f"{r.contact_minutes} min" if r.product else "",
            lambda r: r.contact_minutes,
            Qt.AlignmentFlag.AlignRight,
        ),
        Column(
            "Safety check due",
            lambda r: _check_date(r.safety_check_due),
            lambda r: _date(r.safety_check_due) or "9999",
        ),
        Column(
            "Calibration due",
            lambda r: _check_date(r.calibration_due),
            lambda r: _date(r.calibration_due) or "9999",
        ),
    )


class LogModel(RowTableModel[CleaningEntry]):
    """The cleaning log; entries replaced by a correction are shown greyed with a note."""

    columns = (
        Column("#", lambda e: str(e.id), lambda e: e.id, Qt.AlignmentFlag.AlignRight),
        Column(
            "Date / time",
            lambda e: f"{e.cleaned_local:%Y-%m-%d %H:%M}",
            lambda e: e.cleaned_at.timestamp(),
        ),
        Column("Item", lambda e: e.item_name),
        Column("Room", lambda e: e.room_name or "Whole clinic"),
        Column("Method", lambda e: e.method_label),
        Column("Product", lambda e: e.product),
        Column(
            "Contact",
            lambda e: f"{'⚠ ' if e.short_contact and not e.voids else ''}{e.contact_minutes} min",
            lambda e: e.contact_minutes,
        ),
        Column("Staff", lambda e: e.staff_name),
        Column(
            "Status and notes",
            lambda e: " · ".join(
                x
                for x in (
                    e.status,
                    e.correction_reason and f"Reason: {e.correction_reason}",
                    e.notes,
                )
                if x
            ),
        ),
    )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and index.isValid()
            and 0 <= index.row() < len(self._rows)
            and not self._rows[index.row()].counts
        ):
            return QBrush(MUTED)
        return super().data(index, role)


class WaterRow:
    def __init__(self, reading: WaterReading, unit: str, lo: float | None, hi: float | None):
        self.id = reading.id or 0
        self.taken_at = reading.taken_at
        self.temperature = format_temperature(reading.temperature_c, unit)
        self.temperature_c = reading.temperature_c
        self.in_range = (lo is None or reading.temperature_c >= lo) and (
            hi is None or reading.temperature_c <= hi
        )
        self.water_changed = reading.water_changed
        self.staff_name = reading.staff_name
        self.notes = reading.notes


class WaterModel(RowTableModel[WaterRow]):
    columns = (
        Column(
            "Date / time",
            lambda r: f"{to_local(r.taken_at):%Y-%m-%d %H:%M}",
            lambda r: r.taken_at.timestamp(),
        ),
        Column(
            "Temperature",
            lambda r: r.temperature,
            lambda r: r.temperature_c,
            Qt.AlignmentFlag.AlignRight,
        ),
        Column("Safe range", lambda r: "✓ In range" if r.in_range else "⚠ Out of range"),
        Column("Water changed", lambda r: "Yes" if r.water_changed else ""),
        Column("Staff", lambda r: r.staff_name),
        Column("Notes", lambda r: r.notes),
    )
