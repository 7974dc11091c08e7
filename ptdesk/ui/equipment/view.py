"""The Equipment page: the due board with one-action cleaning, the inventory, the log, water."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QDate,
    QItemSelectionModel,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ptdesk.errors import PtdeskError
from ptdesk.models import EquipmentCategory, TemperatureUnit
from ptdesk.reports import cleaning_log as cleaning_log_pdf
from ptdesk.reports.common import Letterhead
from ptdesk.services import cleaning, equipment
from ptdesk.services import staff as staff_service
from ptdesk.services.cleaning import DueState
from ptdesk.services.clinic import get_profile
from ptdesk.services.equipment import EquipmentData, format_temperature
from ptdesk.services.permissions import allowed
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.equipment.dialogs import (
    CleaningDetailsDialog,
    CorrectionDialog,
    DeviceCheckDialog,
    EquipmentDialog,
    OutOfServiceDialog,
    pydate,
)
from ptdesk.ui.equipment.models import (
    BoardFilter,
    BoardModel,
    InventoryModel,
    InventoryRow,
    LogModel,
    OutOfServiceModel,
    WaterModel,
    WaterRow,
)
from ptdesk.ui.tasks import run_in_background
from ptdesk.ui.widgets.table import ROW_ROLE, SORT_ROLE

REFRESH_MS = 5 * 60 * 1000
STATE_CHOICES = [
    ("All states", BoardFilter.ANY),
    (f"{DueState.OVERDUE.symbol} Overdue", DueState.OVERDUE.value),
    (f"{DueState.DUE.symbol} Due", DueState.DUE.value),
    (f"{DueState.CLEAN.symbol} Clean", DueState.CLEAN.value),
    (f"{DueState.AFTER_USE.symbol} After each use", DueState.AFTER_USE.value),
    ("⚠ Safety check or calibration overdue", BoardFilter.CHECKS),
]


def make_table(
    name: str, model, *, multi: bool = False
) -> tuple[QTableView, QSortFilterProxyModel]:
    """A sortable, read-only table over ``model`` (through a proxy unless one is passed)."""
    if isinstance(model, QSortFilterProxyModel):
        proxy = model
    else:
        proxy = QSortFilterProxyModel()
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
    view = QTableView()
    view.setObjectName(name)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    return view, proxy


def selected_rows(view: QTableView) -> list:
    rows = sorted({i.row() for i in view.selectionModel().selectedRows()})
    return [view.model().index(r, 0).data(ROW_ROLE) for r in rows]


class EquipmentView(QWidget):
    """Due board, inventory, cleaning log and hydrocollator water log, as tabs."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.tabs = QTabWidget()
        self.tabs.setObjectName("equipmentTabs")
        self.board_tab = BoardTab(ctx)
        self.inventory_tab = InventoryTab(ctx)
        self.log_tab = LogTab(ctx)
        self.water_tab = WaterTab(ctx)
        self.tabs.addTab(self.board_tab, "&Due board")
        self.tabs.addTab(self.inventory_tab, "&Inventory")
        self.tabs.addTab(self.log_tab, "Cleaning &log")
        self.tabs.addTab(self.water_tab, "&Hydrocollator water")
        self.board_tab.history_requested.connect(self.show_history)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def show_history(self, equipment_id: int) -> None:
        self.log_tab.show_item(equipment_id)
        self.tabs.setCurrentWidget(self.log_tab)

    def focus_section(self, key: str = "board", **_kwargs) -> None:
        tab = {
            "board": self.board_tab,
            "inventory": self.inventory_tab,
            "log": self.log_tab,
            "water": self.water_tab,
        }.get(key)
        if tab is not None:
            self.tabs.setCurrentWidget(tab)


def _warn(parent: QWidget, title: str, exc: Exception) -> None:
    message = exc.message if isinstance(exc, PtdeskError) else str(exc)
    QMessageBox.warning(parent, title, message)


# -- due board ------------------------------------------------------------------------------


class BoardTab(QWidget):
    history_requested = Signal(int)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)

        filters = QHBoxLayout()
        self.room_filter = QComboBox()
        self.room_filter.setObjectName("boardRoomFilter")
        self.room_filter.setAccessibleName("Room")
        self.state_filter = QComboBox()
        self.state_filter.setObjectName("boardStateFilter")
        self.state_filter.setAccessibleName("State")
        for label, value in STATE_CHOICES:
            self.state_filter.addItem(label, value)
        self.search = QLineEdit()
        self.search.setObjectName("boardSearch")
        self.search.setPlaceholderText("Find an item or asset tag")
        self.search.setAccessibleName("Find an item")
        self.search.setClearButtonEnabled(True)
        room_label = QLabel("&Room:")
        room_label.setBuddy(self.room_filter)
        state_label = QLabel("&Show:")
        state_label.setBuddy(self.state_filter)
        filters.addWidget(room_label)
        filters.addWidget(self.room_filter)
        filters.addWidget(state_label)
        filters.addWidget(self.state_filter)
        filters.addWidget(self.search, 1)
        layout.addLayout(filters)

        self.summary = QLabel()
        self.summary.setObjectName("boardSummary")
        layout.addWidget(self.summary)

        self.model = BoardModel(self)
        self.proxy = BoardFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table, _ = make_table("dueBoard", self.proxy, multi=True)
        self.table.setAccessibleName("Due board")
        self.table.sortByColumn(BoardModel.STATE, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.doubleClicked.connect(lambda _i: self.log_selected())

        buttons = QHBoxLayout()
        self.clean_button = QPushButton("✓ &Cleaned")
        self.clean_button.setObjectName("cleanedButton")
        self.clean_button.setToolTip("Log the selected items as cleaned now (Ctrl+Enter)")
        self.clean_button.clicked.connect(self.log_selected)
        self.details_button = QPushButton("Cleaned with &details…")
        self.details_button.setObjectName("cleanedDetailsButton")
        self.details_button.setToolTip(
            "Change product, method, contact time or notes (Ctrl+Shift+Enter)"
        )
        self.details_button.clicked.connect(self.log_with_details)
        self.history_button = QPushButton("&History of item")
        self.history_button.clicked.connect(self._history)
        self.out_button = QPushButton("&Out of service…")
        self.out_button.clicked.connect(self.take_out_of_service)
        buttons.addWidget(self.clean_button)
        buttons.addWidget(self.details_button)
        buttons.addStretch(1)
        buttons.addWidget(self.history_button)
        buttons.addWidget(self.out_button)

        self.action_clean = QAction("Cleaned", self)
        self.action_clean.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.action_clean.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.action_clean.triggered.connect(self.log_selected)
        self.action_details = QAction("Cleaned with details", self)
        self.action_details.setShortcuts(
            [QKeySequence("Ctrl+Shift+Return"), QKeySequence("Ctrl+Shift+Enter")]
        )
        self.action_details.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.action_details.triggered.connect(self.log_with_details)
        self.addAction(self.action_clean)
        self.addAction(self.action_details)

        self.out_model = OutOfServiceModel(self)
        self.out_table, _ = make_table("outOfService", self.out_model)
        self.out_table.setAccessibleName("Out of service")
        back = QPushButton("&Back in service")
        back.setObjectName("backInService")
        back.clicked.connect(self.back_in_service)
        self.back_button = back
        out_box = QGroupBox("Out of service (not on the board)")
        out_layout = QVBoxLayout(out_box)
        out_layout.addWidget(self.out_table)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(back)
        out_layout.addLayout(row)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table)
        top_layout.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(out_box)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)

        self.room_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_room(self.room_filter.currentData())
        )
        self.state_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_state(self.state_filter.currentData())
        )
        self.search.textChanged.connect(self.proxy.set_text)
        ctx.bus.changed.connect(self._on_changed)
        # Due and overdue change with the clock (a new clinic day, a new week): look again
        # every few minutes while the page is on screen.
        self.clock = QTimer(self)
        self.clock.setInterval(REFRESH_MS)
        self.clock.timeout.connect(self._clock_tick)
        self.clock.start()
        self.reload()
        self._size_columns()

    def _clock_tick(self) -> None:
        if self.isVisible():
            self.reload()

    def _size_columns(self) -> None:
        for col, width in enumerate((115, 165, 95, 90, 100, 235, 270)):
            self.table.setColumnWidth(col, width)
        for col, width in enumerate((220, 110, 100, 300)):
            self.out_table.setColumnWidth(col, width)

    def _on_changed(self, topic: str) -> None:
        if topics.concerns(
            topic, topics.CLEANING, topics.EQUIPMENT, topics.ROOMS, topics.CLINIC, topics.STAFF
        ):
            self.reload()

    def reload(self) -> None:
        with self.ctx.db.session() as s:
            rows = cleaning.board(s)
            rooms = equipment.room_names(s)
        current = self.room_filter.currentData()
        self.room_filter.blockSignals(True)
        self.room_filter.clear()
        self.room_filter.addItem("All rooms", None)
        for room_id, name in sorted(rooms.items(), key=lambda kv: kv[1]):
            self.room_filter.addItem(name, room_id)
        self.room_filter.addItem("Whole clinic (no room)", BoardFilter.NO_ROOM)
        self.room_filter.setCurrentIndex(max(0, self.room_filter.findData(current)))
        self.room_filter.blockSignals(False)
        self.proxy.set_room(self.room_filter.currentData())
        selected = {r.equipment_id for r in selected_rows(self.table)}
        self.model.set_rows([r for r in rows if r.in_service])
        self.out_model.set_rows([r for r in rows if not r.in_service])
        self._reselect(selected)
        counts = {s: sum(1 for r in rows if r.state == s) for s in DueState}
        checks = sum(1 for r in rows if r.checks_overdue)
        parts = [
            f"{DueState.OVERDUE.symbol} {counts[DueState.OVERDUE]} overdue",
            f"{DueState.DUE.symbol} {counts[DueState.DUE]} due",
            f"{DueState.CLEAN.symbol} {counts[DueState.CLEAN]} clean",
            f"{DueState.AFTER_USE.symbol} {counts[DueState.AFTER_USE]} after each use",
            f"{DueState.OUT_OF_SERVICE.symbol} {counts[DueState.OUT_OF_SERVICE]} out of service",
        ]
        if checks:
            parts.append(f"⚠ {checks} safety check or calibration overdue")
        self.summary.setText("   ·   ".join(parts))
        can_service = allowed(self.ctx.actor, "set_equipment_service")
        self.out_button.setEnabled(can_service)
        self.back_button.setEnabled(can_service)

    def _reselect(self, ids: set[int]) -> None:
        selection = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 0)
            if index.data(ROW_ROLE).equipment_id in ids:
                selection.select(index, flags)

    def selected_ids(self) -> list[int]:
        return [r.equipment_id for r in selected_rows(self.table)]

    def select_ids(self, ids: list[int]) -> None:
        self.table.clearSelection()
        self._reselect(set(ids))

    def _products(self) -> list[str]:
        return sorted({r.product for r in self.model.rows() if r.product})

    def log_selected(self, **details) -> bool:
        ids = self.selected_ids()
        if not ids:
            QMessageBox.information(
                self, "Log cleaning", "Select the items you cleaned first (Ctrl+click for several)."
            )
            return False
        try:
            with self.ctx.db.session() as s:
                entries = cleaning.log_cleaning(s, self.ctx.actor, ids, **details)
        except PtdeskError as exc:
            _warn(self, "Could not log the cleaning", exc)
            return False
        short = [e.item_name for e in entries if e.short_contact]
        message = f"Logged {len(entries)} cleaning{'s' if len(entries) != 1 else ''}."
        if short:
            message += f" ⚠ Contact time shorter than the label for: {', '.join(short)}."
        self.summary.setToolTip(message)
        window = self.window()
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(message, 8000)
        self.ctx.bus.announce(topics.CLEANING)
        return True

    def log_with_details(self) -> None:
        rows = selected_rows(self.table)
        if not rows:
            self.log_selected()
            return
        first = rows[0]
        dialog = CleaningDetailsDialog(
            [r.name for r in rows], first.product, first.contact_minutes, self._products(), self
        )
        ids = [r.equipment_id for r in rows]

        def submit():
            values = dialog.values()
            # Left as suggested, product and contact time stay each item's own defaults.
            if values["product"] == first.product:
                values["product"] = None
                if values["contact_minutes"] == first.contact_minutes:
                    values["contact_minutes"] = None
            with self.ctx.db.session() as s:
                return cleaning.log_cleaning(s, self.ctx.actor, ids, **values)

        dialog.submit = submit
        if dialog.exec():
            self.ctx.bus.announce(topics.CLEANING)

    def _history(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.history_requested.emit(ids[0])

    def take_out_of_service(self) -> None:
        rows = selected_rows(self.table)
        if len(rows) != 1:
            QMessageBox.information(self, "Out of service", "Select one item first.")
            return
        row = rows[0]
        dialog = OutOfServiceDialog(row.name, self)

        def submit():
            with self.ctx.db.session() as s:
                return equipment.set_out_of_service(
                    s,
                    self.ctx.actor,
                    row.equipment_id,
                    dialog.reason.text(),
                    pydate(dialog.since.date()),
                )

        dialog.submit = submit
        if dialog.exec():
            self.ctx.bus.announce(topics.EQUIPMENT)

    def back_in_service(self) -> None:
        rows = selected_rows(self.out_table)
        if not rows:
            QMessageBox.information(self, "Back in service", "Select an out-of-service item.")
            return
        row = rows[0]
        answer = QMessageBox.question(
            self,
            "Back in service",
            f"Put {row.name} back in service? It returns to the due board.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.ctx.db.session() as s:
                equipment.return_to_service(s, self.ctx.actor, row.equipment_id)
        except PtdeskError as exc:
            _warn(self, "Could not change the item", exc)
            return
        self.ctx.bus.announce(topics.EQUIPMENT)


# -- inventory ------------------------------------------------------------------------------


class InventoryTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        self.model = InventoryModel(self)
        self.table, self.proxy = make_table("inventory", self.model)
        self.table.setAccessibleName("Equipment inventory")
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(0)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find an item")
        self.search.setAccessibleName("Find an item")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        self.table.doubleClicked.connect(lambda _i: self.edit_item())
        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add item…")
        self.add_button.setObjectName("addEquipment")
        self.add_button.clicked.connect(self.add_item)
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.clicked.connect(self.edit_item)
        self.safety_button = QPushButton("&Safety check done…")
        self.safety_button.clicked.connect(lambda: self.device_check("safety"))
        self.calibration_button = QPushButton("&Calibration done…")
        self.calibration_button.clicked.connect(lambda: self.device_check("calibration"))
        self.retire_button = QPushButton("&Retire…")
        self.retire_button.clicked.connect(self.retire_item)
        for b in (self.add_button, self.edit_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.safety_button, self.calibration_button, self.retire_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        unit_row = QHBoxLayout()
        unit_row.addWidget(QLabel("Water temperatures in:"))
        self.unit_group = QButtonGroup(self)
        self.unit_f = QRadioButton("°&F")
        self.unit_c = QRadioButton("°C (Cel&sius)")
        self.unit_f.setObjectName("unitF")
        self.unit_c.setObjectName("unitC")
        self.unit_group.addButton(self.unit_f)
        self.unit_group.addButton(self.unit_c)
        unit_row.addWidget(self.unit_f)
        unit_row.addWidget(self.unit_c)
        unit_row.addStretch(1)
        layout.addLayout(unit_row)
        self.unit_f.toggled.connect(self._unit_toggled)
        ctx.bus.changed.connect(self._on_changed)
        self.reload()
        for col, width in enumerate((180, 150, 125, 100, 80, 80, 95, 190, 90, 120, 120)):
            self.table.setColumnWidth(col, width)

    def _on_changed(self, topic: str) -> None:
        if topics.concerns(topic, topics.EQUIPMENT, topics.ROOMS):
            self.reload()

    def reload(self) -> None:
        with self.ctx.db.session() as s:
            rooms = equipment.room_names(s)
            rows = [
                InventoryRow(i, rooms.get(i.room_id, "") if i.room_id else "")
                for i in equipment.list_equipment(s)
            ]
            self.unit = equipment.temperature_unit(s)
        self.model.set_rows(rows)
        self.unit_f.blockSignals(True)
        (self.unit_f if self.unit == "F" else self.unit_c).setChecked(True)
        self.unit_f.blockSignals(False)
        manage = allowed(self.ctx.actor, "manage_equipment")
        for w in (self.add_button, self.edit_button, self.retire_button, self.unit_f, self.unit_c):
            w.setEnabled(manage)
        checks = allowed(self.ctx.actor, "record_device_check")
        self.safety_button.setEnabled(checks)
        self.calibration_button.setEnabled(checks)

    def _unit_toggled(self) -> None:
        unit = TemperatureUnit.FAHRENHEIT.value if self.unit_f.isChecked() else "C"
        try:
            with self.ctx.db.session() as s:
                equipment.set_temperature_unit(s, self.ctx.actor, unit)
        except PtdeskError as exc:
            _warn(self, "Could not change the unit", exc)
        self.ctx.bus.announce(topics.EQUIPMENT)

    def _selected(self) -> InventoryRow | None:
        rows = selected_rows(self.table)
        if not rows:
            QMessageBox.information(self, "Equipment", "Select an item first.")
            return None
        return rows[0]

    def _dialog(self, title: str, data: EquipmentData) -> EquipmentDialog:
        with self.ctx.db.session() as s:
            rooms = sorted(equipment.room_names(s).items(), key=lambda kv: kv[1])
        products = sorted({r.product for r in self.model.rows() if r.product})
        return EquipmentDialog(title, data, rooms, self.unit, products, self)

    def add_item(self) -> None:
        dialog = self._dialog("Add equipment", EquipmentData())

        def submit():
            with self.ctx.db.session() as s:
                return equipment.create_equipment(s, self.ctx.actor, dialog.data())

        dialog.submit = submit
        if dialog.exec():
            self.ctx.bus.announce(topics.EQUIPMENT)

    def edit_item(self) -> None:
        row = self._selected()
        if row is None:
            return
        with self.ctx.db.session() as s:
            data = EquipmentData.of(equipment.get_equipment(s, row.id))
        dialog = self._dialog(f"Edit {row.name}", data)

        def submit():
            with self.ctx.db.session() as s:
                return equipment.update_equipment(s, self.ctx.actor, row.id, dialog.data())

        dialog.submit = submit
        if dialog.exec():
            self.ctx.bus.announce(topics.EQUIPMENT)

    def device_check(self, kind: str) -> None:
        row = self._selected()
        if row is None:
            return
        if not row.category.is_device:
            QMessageBox.information(
                self, "Device checks", f"{row.name} is not a device with safety checks."
            )
            return
        dialog = DeviceCheckDialog(row.name, kind, self)

        def submit():
            with self.ctx.db.session() as s:
                return equipment.record_device_check(
                    s, self.ctx.actor, row.id, kind, pydate(dialog.next_due.date())
                )

        dialog.submit = submit
        if dialog.exec():
            self.ctx.bus.announce(topics.EQUIPMENT)

    def retire_item(self) -> None:
        row = self._selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            "Retire equipment",
            f"Retire {row.name}? It leaves the inventory and the due board; "
            "its cleaning history stays in the log.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.ctx.db.session() as s:
                equipment.retire_equipment(s, self.ctx.actor, row.id)
        except PtdeskError as exc:
            _warn(self, "Could not retire the item", exc)
            return
        self.ctx.bus.announce(topics.EQUIPMENT)


# -- cleaning log ---------------------------------------------------------------------------


class LogTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-6))
        self.date_to = QDateEdit(today)
        for edit, name in ((self.date_from, "From"), (self.date_to, "To")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            edit.dateChanged.connect(lambda _d: self.reload())
        self.item_filter = QComboBox()
        self.room_filter = QComboBox()
        self.staff_filter = QComboBox()
        for combo, name in (
            (self.item_filter, "Item"),
            (self.room_filter, "Room"),
            (self.staff_filter, "Staff"),
        ):
            combo.setAccessibleName(name)
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        for text, widget in (
            ("&From:", self.date_from),
            ("&To:", self.date_to),
            ("&Item:", self.item_filter),
            ("&Room:", self.room_filter),
            ("&Staff:", self.staff_filter),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addStretch(1)
        layout.addLayout(filters)
        self.count = QLabel()
        self.count.setObjectName("logCount")
        layout.addWidget(self.count)
        self.model = LogModel(self)
        self.table, self.proxy = make_table("cleaningLog", self.model)
        self.table.setAccessibleName("Cleaning log")
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.correct_button = QPushButton("C&orrect entry…")
        self.correct_button.clicked.connect(self.correct_selected)
        self.pdf_button = QPushButton("Save &printable log (PDF)…")
        self.pdf_button.setObjectName("saveCleaningLog")
        self.pdf_button.clicked.connect(self.save_pdf)
        self.print_button = QPushButton("Print &log…")
        self.print_button.setObjectName("printCleaningLog")
        self.print_button.clicked.connect(self.print_log)
        self.preview_dialog = None
        buttons.addWidget(self.correct_button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.pdf_button)
        layout.addLayout(buttons)
        self._loading = False
        ctx.bus.changed.connect(self._on_changed)
        self._fill_filters()
        self.reload()
        for col, width in enumerate((50, 120, 180, 100, 150, 200, 70, 130)):
            self.table.setColumnWidth(col, width)

    def _on_changed(self, topic: str) -> None:
        if topics.concerns(topic, topics.EQUIPMENT, topics.ROOMS, topics.STAFF):
            self._fill_filters()
        if topics.concerns(topic, topics.CLEANING, topics.EQUIPMENT, topics.ROOMS, topics.STAFF):
            self.reload()

    def _fill_filters(self) -> None:
        with self.ctx.db.session() as s:
            items = [(i.id, i.name) for i in equipment.list_equipment(s, include_retired=True)]
            rooms = sorted(equipment.room_names(s).items(), key=lambda kv: kv[1])
            people = [(p.id, p.name) for p in staff_service.list_staff(s, include_inactive=True)]
        self._loading = True
        for combo, everyone, choices in (
            (self.item_filter, "All items", items),
            (self.room_filter, "All rooms", rooms),
            (self.staff_filter, "All staff", people),
        ):
            current = combo.currentData()
            combo.clear()
            combo.addItem(everyone, None)
            for value, text in choices:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
        self._loading = False

    def show_item(self, equipment_id: int) -> None:
        self._loading = True
        self.item_filter.setCurrentIndex(max(0, self.item_filter.findData(equipment_id)))
        self.date_from.setDate(QDate.currentDate().addDays(-90))
        self.date_to.setDate(QDate.currentDate())
        self._loading = False
        self.reload()

    def filters(self) -> dict:
        return dict(
            start=pydate(self.date_from.date()),
            end=pydate(self.date_to.date()),
            equipment_id=self.item_filter.currentData(),
            room_id=self.room_filter.currentData(),
            staff_id=self.staff_filter.currentData(),
        )

    def reload(self) -> None:
        if self._loading:
            return
        f = self.filters()
        if f["end"] < f["start"]:
            self.count.setText("⚠ The end date is before the start date.")
            self.model.set_rows([])
            return
        with self.ctx.db.session() as s:
            entries = cleaning.history(s, **f)
        self.model.set_rows(entries)
        short = sum(1 for e in entries if e.short_contact and e.counts)
        text = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
        if short:
            text += f" · ⚠ {short} with a contact time shorter than the label"
        self.count.setText(text)

    def correct_selected(self) -> None:
        rows = selected_rows(self.table)
        if not rows:
            QMessageBox.information(self, "Correct entry", "Select the entry to correct.")
            return
        entry = rows[0]
        products = sorted({e.product for e in self.model.rows() if e.product})
        dialog = CorrectionDialog(entry, products, self)

        def submit():
            with self.ctx.db.session() as s:
                return cleaning.correct_cleaning(s, self.ctx.actor, entry.id, **dialog.values())

        dialog.submit = submit
        if dialog.exec():
            self.ctx.bus.announce(topics.CLEANING)

    def build_pdf(self, start: date, end: date, room_id: int | None, staff_id: int | None):
        with self.ctx.db.session() as s:
            report = cleaning.log_report(s, start, end, room_id=room_id, staff_id=staff_id)
            letterhead = Letterhead.from_profile(get_profile(s))
        return cleaning_log_pdf.build(report, letterhead)

    def print_log(self) -> None:
        """Build the log for the chosen range off the main thread, then preview it to print."""
        f = self.filters()
        if f["end"] < f["start"]:
            QMessageBox.warning(self, "Cleaning log", "The end date is before the start date.")
            return
        self.print_button.setEnabled(False)
        self.print_button.setText("Preparing the log…")

        def work() -> bytes:
            return self.build_pdf(f["start"], f["end"], f["room_id"], f["staff_id"])

        def reset() -> None:
            self.print_button.setEnabled(True)
            self.print_button.setText("Print &log…")

        def done(data: bytes) -> None:
            reset()
            from ptdesk.ui.widgets.pdf_preview import PdfPreviewDialog

            name = f"cleaning-log-{f['start']}-to-{f['end']}.pdf"
            title = f"Cleaning log {f['start']} to {f['end']}"
            self.preview_dialog = PdfPreviewDialog(data, title, name, self)
            self.preview_dialog.open()

        def failed(exc: BaseException) -> None:
            reset()
            _warn(self, "Could not prepare the cleaning log", exc)  # type: ignore[arg-type]

        run_in_background(work, done, failed)

    def save_pdf(self) -> None:
        f = self.filters()
        if f["end"] < f["start"]:
            QMessageBox.warning(self, "Cleaning log", "The end date is before the start date.")
            return
        suggested = f"cleaning-log-{f['start']}-to-{f['end']}.pdf"
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the cleaning log", str(Path.home() / suggested), "PDF files (*.pdf)"
        )
        if not path:
            return
        self.pdf_button.setEnabled(False)
        self.pdf_button.setText("Preparing the PDF…")

        def work() -> Path:
            data = self.build_pdf(f["start"], f["end"], f["room_id"], f["staff_id"])
            from ptdesk.reports.common import write_atomically

            write_atomically(Path(path), data)
            return Path(path)

        run_in_background(work, self._pdf_done, self._pdf_failed)

    def _pdf_reset(self) -> None:
        self.pdf_button.setEnabled(True)
        self.pdf_button.setText("Save &printable log (PDF)…")

    def _pdf_done(self, path: Path) -> None:
        self._pdf_reset()
        QMessageBox.information(self, "Cleaning log", f"The cleaning log was saved as {path}.")

    def _pdf_failed(self, exc: BaseException) -> None:
        self._pdf_reset()
        if isinstance(exc, OSError):
            exc = PtdeskError(f"Could not write the file: {exc.strerror}.")
        _warn(self, "Could not save the cleaning log", exc)  # type: ignore[arg-type]


# -- hydrocollator water --------------------------------------------------------------------


class WaterTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.unit = "F"
        self._items: dict[int, object] = {}
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.hydro = QComboBox()
        self.hydro.setObjectName("hydrocollator")
        self.hydro.setAccessibleName("Hydrocollator")
        label = QLabel("&Hydrocollator:")
        label.setBuddy(self.hydro)
        top.addWidget(label)
        top.addWidget(self.hydro, 1)
        layout.addLayout(top)
        self.status = QLabel()
        self.status.setObjectName("waterStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        entry = QGroupBox("Log a reading")
        row = QHBoxLayout(entry)
        self.temperature = QDoubleSpinBox()
        self.temperature.setObjectName("waterTemperature")
        self.temperature.setAccessibleName("Water temperature")
        self.temperature.setDecimals(1)
        self.changed = QCheckBox("&Water changed")
        self.notes = QLineEdit()
        self.notes.setPlaceholderText("Notes (optional)")
        self.notes.setAccessibleName("Notes")
        self.log_button = QPushButton("&Log temperature")
        self.log_button.setObjectName("logTemperature")
        self.log_button.clicked.connect(self.log_reading)
        temp_label = QLabel("&Temperature:")
        temp_label.setBuddy(self.temperature)
        for w in (temp_label, self.temperature, self.changed, self.notes, self.log_button):
            row.addWidget(w)
        layout.addWidget(entry)
        self.model = WaterModel(self)
        self.table, _ = make_table("waterReadings", self.model)
        self.table.setAccessibleName("Water readings")
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        layout.addWidget(self.table, 1)
        self.hydro.currentIndexChanged.connect(lambda _i: self.show_readings())
        ctx.bus.changed.connect(self._on_changed)
        self.reload()
        for col, width in enumerate((140, 100, 130, 110, 150)):
            self.table.setColumnWidth(col, width)

    def _on_changed(self, topic: str) -> None:
        if topics.concerns(topic, topics.EQUIPMENT, topics.CLEANING):
            self.reload()

    def reload(self) -> None:
        with self.ctx.db.session() as s:
            self.unit = equipment.temperature_unit(s)
            items = [
                i
                for i in equipment.list_equipment(s)
                if i.category == EquipmentCategory.HYDROCOLLATOR.value
            ]
        self._items = {i.id: i for i in items}
        current = self.hydro.currentData()
        self.hydro.blockSignals(True)
        self.hydro.clear()
        for i in items:
            self.hydro.addItem(i.name, i.id)
        self.hydro.setCurrentIndex(max(0, self.hydro.findData(current)))
        self.hydro.blockSignals(False)
        symbol = TemperatureUnit(self.unit).symbol
        self.temperature.setSuffix(f" {symbol}")
        self.temperature.setRange(32, 212) if self.unit == "F" else self.temperature.setRange(
            0, 100
        )
        self.temperature.setValue(165 if self.unit == "F" else 74)
        can_log = allowed(self.ctx.actor, "log_water_temperature") and bool(items)
        self.log_button.setEnabled(can_log)
        self.show_readings()

    def show_readings(self) -> None:
        item = self._items.get(self.hydro.currentData())
        if item is None:
            self.status.setText("There is no hydrocollator in the inventory.")
            self.model.set_rows([])
            return
        with self.ctx.db.session() as s:
            readings = equipment.water_readings(s, item.id)
            status = equipment.water_status(s, item, self.unit)
        lo, hi = item.safe_min_c, item.safe_max_c
        self.model.set_rows([WaterRow(r, self.unit, lo, hi) for r in readings])
        lines = [
            f"Safe range {format_temperature(lo, self.unit)} to {format_temperature(hi, self.unit)}"
            f" · water changed every {item.water_change_days} days"
        ]
        if status.last_reading_c is not None:
            mark = "✓ in range" if status.in_range else "⚠ OUT OF RANGE"
            when = cleaning.to_local(status.last_reading_at)
            lines.append(
                f"Last reading {format_temperature(status.last_reading_c, self.unit)} "
                f"({mark}) at {when:%Y-%m-%d %H:%M}"
            )
        for w in status.warnings:
            if "outside" not in w:
                lines.append(f"⚠ {w}")
        self.status.setText("\n".join(lines))

    def log_reading(self) -> None:
        item_id = self.hydro.currentData()
        if item_id is None:
            return
        try:
            with self.ctx.db.session() as s:
                equipment.log_water_reading(
                    s,
                    self.ctx.actor,
                    item_id,
                    self.temperature.value(),
                    self.unit,
                    water_changed=self.changed.isChecked(),
                    notes=self.notes.text(),
                )
        except PtdeskError as exc:
            _warn(self, "Could not log the reading", exc)
            return
        self.changed.setChecked(False)
        self.notes.clear()
        self.ctx.bus.announce(topics.EQUIPMENT)
