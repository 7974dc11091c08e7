"""Equipment → Due board: what is due, one action to log a cleaning, items out of service."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from ptdesk.services import cleaning, equipment
from ptdesk.services.cleaning import DueState
from ptdesk.services.permissions import allowed
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.equipment.dialogs import CleaningDetailsDialog, OutOfServiceDialog, pydate
from ptdesk.ui.equipment.models import BoardFilter, BoardModel, OutOfServiceModel
from ptdesk.ui.operations import Op, query
from ptdesk.ui.widgets.dialogs import run_dialog
from ptdesk.ui.widgets.table import ROW_ROLE, make_table, selected_rows

REFRESH_MS = 5 * 60 * 1000
STATE_CHOICES = [
    ("All states", BoardFilter.ANY),
    (f"{DueState.OVERDUE.symbol} Overdue", DueState.OVERDUE.value),
    (f"{DueState.DUE.symbol} Due", DueState.DUE.value),
    (f"{DueState.CLEAN.symbol} Clean", DueState.CLEAN.value),
    (f"{DueState.AFTER_USE.symbol} After each use", DueState.AFTER_USE.value),
    ("⚠ Safety check or calibration overdue", BoardFilter.CHECKS),
]


class BoardTab(QWidget):
    """Items in service with their cleaning state; the ones out of service below."""

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
        self.table, _ = make_table(
            "dueBoard",
            self.proxy,
            accessible="Due board",
            multi=True,
            sort_column=BoardModel.STATE,
            fit=QHeaderView.ResizeMode.Interactive,
        )
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
        self.out_table, _ = make_table("outOfService", self.out_model, accessible="Out of service")
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
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(REFRESH_MS)
        self.refresh_timer.timeout.connect(self._clock_tick)
        self.refresh_timer.start()
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
        rows, rooms = query(self.ctx, lambda s: (cleaning.board(s), equipment.room_names(s)))
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

    def log_selected(self, **details: Any) -> bool:
        ids = self.selected_ids()
        if not ids:
            QMessageBox.information(
                self, "Log cleaning", "Select the items you cleaned first (Ctrl+click for several)."
            )
            return False
        actor = self.ctx.actor
        entries = (
            Op(
                self.ctx,
                self,
                lambda s: cleaning.log_cleaning(s, actor, ids, **details),
                title="Could not log the cleaning",
            )
            .announcing(topics.CLEANING)
            .run()
        )
        if entries is None:
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
        ids, actor = [r.equipment_id for r in rows], self.ctx.actor

        def log(session: Session) -> list[cleaning.CleaningEntry]:
            values = dialog.values()
            # Left as suggested, product and contact time stay each item's own defaults.
            if values["product"] == first.product:
                values["product"] = None
                if values["contact_minutes"] == first.contact_minutes:
                    values["contact_minutes"] = None
            return cleaning.log_cleaning(session, actor, ids, **values)

        dialog.submit_with(self.ctx, log, "Could not log the cleaning", topics.CLEANING)
        run_dialog(dialog)

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
        actor = self.ctx.actor

        def take_out(session: Session) -> object:
            return equipment.set_out_of_service(
                session,
                actor,
                row.equipment_id,
                dialog.reason.text(),
                pydate(dialog.since.date()),
            )

        dialog.submit_with(
            self.ctx, take_out, "Could not take the item out of service", topics.EQUIPMENT
        )
        run_dialog(dialog)

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
        actor = self.ctx.actor
        Op(
            self.ctx,
            self,
            lambda s: equipment.return_to_service(s, actor, row.equipment_id),
            title="Could not change the item",
        ).announcing(topics.EQUIPMENT).run()
