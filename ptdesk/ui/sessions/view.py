"""The Sessions page: the day's visits to record, all records by date, and those awaiting co-sign."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ptdesk.services import clock, sessions
from ptdesk.services.permissions import allowed
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import query
from ptdesk.ui.sessions.dialogs import AddendumDialog, RecordDialog, preview_summary
from ptdesk.ui.sessions.models import RecordsModel, VisitsModel
from ptdesk.ui.widgets.table import ROW_ROLE, SORT_ROLE, make_table

ALL_THERAPISTS = -1


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _table(model, name: str, accessible: str) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setFilterKeyColumn(-1)
    # Latest first by time (the first column): the order Qt gives a table made sortable.
    view, _ = make_table(
        name,
        proxy,
        accessible=accessible,
        descending=True,
        fit=QHeaderView.ResizeMode.ResizeToContents,
        stripes=False,
        wrap=True,
    )
    view.setTabKeyNavigation(False)
    return view, proxy


class SessionsView(QWidget):
    def __init__(self, ctx: AppContext, today: Callable[[], date] = clock.today) -> None:
        super().__init__()
        self.setObjectName("sessionsView")
        self.ctx = ctx
        self.today = today
        self._build()
        ctx.bus.changed.connect(self._on_changed)
        self.refresh()

    # -- layout --------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _button(self, action: QAction) -> QToolButton:
        b = QToolButton()
        b.setDefaultAction(action)
        b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return b

    def _build(self) -> None:
        self.act_open = self._action("&Record / open…", self.open_selected, "Ctrl+R")
        self.act_addendum = self._action("Add adden&dum…", self.addendum_selected)
        self.act_summary = self._action(
            "Summary &PDF…", lambda: self.preview_selected(False), "Ctrl+P"
        )
        self.act_patient = self._action("Patien&t copy…", lambda: self.preview_selected(True))
        actions = QHBoxLayout()
        for act in (self.act_open, self.act_addendum):
            actions.addWidget(self._button(act))
        actions.addStretch(1)
        for act in (self.act_summary, self.act_patient):
            actions.addWidget(self._button(act))

        self.tabs = QTabWidget()
        self.tabs.setObjectName("sessionsTabs")

        # Visits of a day
        visits = QWidget()
        vl = QVBoxLayout(visits)
        row = QHBoxLayout()
        self.visit_day = QDateEdit()
        self.visit_day.setObjectName("visitDay")
        self.visit_day.setCalendarPopup(True)
        self.visit_day.setDisplayFormat("yyyy-MM-dd")
        self.visit_day.setDate(qdate(self.today()))
        self.visit_day.dateChanged.connect(lambda _d: self.refresh_visits())
        label = QLabel("&Day:")
        label.setBuddy(self.visit_day)
        row.addWidget(label)
        row.addWidget(self.visit_day)
        row.addWidget(
            QLabel("Checked-in and completed visits. Enter records or opens the visit's record."),
            1,
        )
        vl.addLayout(row)
        self.visits_model = VisitsModel(self)
        self.visits_table, self.visits_proxy = _table(
            self.visits_model, "visitsTable", "Visits to record"
        )
        vl.addWidget(self.visits_table)
        self.tabs.addTab(visits, "&Visits to record")

        # All records in a date range
        records = QWidget()
        rl = QVBoxLayout(records)
        row = QHBoxLayout()
        self.records_from = QDateEdit()
        self.records_from.setObjectName("recordsFrom")
        self.records_to = QDateEdit()
        self.records_to.setObjectName("recordsTo")
        for edit, value in (
            (self.records_from, self.today() - timedelta(days=13)),
            (self.records_to, self.today()),
        ):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(qdate(value))
            edit.dateChanged.connect(lambda _d: self.refresh_records())
        self.records_filter = QLineEdit()
        self.records_filter.setObjectName("recordsFilter")
        self.records_filter.setPlaceholderText("Filter: patient, chart, staff, status…")
        self.records_filter.setAccessibleName("Filter the records")
        label_from = QLabel("&From:")
        label_from.setBuddy(self.records_from)
        label_to = QLabel("T&o:")
        label_to.setBuddy(self.records_to)
        for w in (label_from, self.records_from, label_to, self.records_to):
            row.addWidget(w)
        row.addWidget(self.records_filter, 1)
        rl.addLayout(row)
        self.records_model = RecordsModel(self)
        self.records_table, self.records_proxy = _table(
            self.records_model, "recordsTable", "Session records"
        )
        self.records_filter.textChanged.connect(self.records_proxy.setFilterFixedString)
        rl.addWidget(self.records_table)
        self.tabs.addTab(records, "&All records")

        # Awaiting co-sign
        waiting = QWidget()
        wl = QVBoxLayout(waiting)
        row = QHBoxLayout()
        self.cosigner = QComboBox()
        self.cosigner.setObjectName("cosignerChoice")
        self.cosigner.currentIndexChanged.connect(lambda _i: self.refresh_waiting())
        label = QLabel("T&herapist:")
        label.setBuddy(self.cosigner)
        row.addWidget(label)
        row.addWidget(self.cosigner)
        self.waiting_note = QLabel()
        self.waiting_note.setObjectName("waitingNote")
        row.addWidget(self.waiting_note, 1)
        wl.addLayout(row)
        self.waiting_model = RecordsModel(self)
        self.waiting_table, self.waiting_proxy = _table(
            self.waiting_model, "waitingTable", "Records awaiting co-sign"
        )
        wl.addWidget(self.waiting_table)
        self.waiting_index = self.tabs.addTab(waiting, "Awaiting &co-sign")

        for table in (self.visits_table, self.records_table, self.waiting_table):
            table.activated.connect(lambda _i: self.open_selected())
            table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._update_actions())
        self.tabs.currentChanged.connect(lambda _i: self._update_actions())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(actions)
        layout.addWidget(self.tabs, 1)
        self._fill_cosigners()

    def _fill_cosigners(self) -> None:
        current = self.cosigner.currentData()
        people = query(self.ctx, sessions.signers)
        self.cosigner.blockSignals(True)
        self.cosigner.clear()
        self.cosigner.addItem("All therapists", ALL_THERAPISTS)
        for p in people:
            self.cosigner.addItem(p.label, p.id)
        wanted = current if current is not None else self.ctx.actor.id
        index = self.cosigner.findData(wanted)
        self.cosigner.setCurrentIndex(max(0, index))
        self.cosigner.blockSignals(False)

    # -- data ----------------------------------------------------------------------------
    def _on_changed(self, topic: str) -> None:
        if topics.concerns(topic, topics.STAFF):
            self._fill_cosigners()
        if topics.concerns(topic, topics.SESSIONS, topics.SCHEDULE, topics.PATIENTS, topics.STAFF):
            self.refresh()

    def refresh(self) -> None:
        self.refresh_visits()
        self.refresh_records()
        self.refresh_waiting()

    def refresh_visits(self) -> None:
        day = pydate(self.visit_day.date())
        self.visits_model.set_rows(query(self.ctx, lambda s: sessions.visits_to_record(s, day)))
        self._update_actions()

    def refresh_records(self) -> None:
        first, last = pydate(self.records_from.date()), pydate(self.records_to.date())
        self.records_model.set_rows(
            query(self.ctx, lambda s: sessions.list_records(s, first, last))
        )
        self._update_actions()

    def refresh_waiting(self) -> None:
        who = self.cosigner.currentData()
        therapist = None if who in (None, ALL_THERAPISTS) else who
        rows = query(self.ctx, lambda s: sessions.awaiting_cosign(s, therapist))
        self.waiting_model.set_rows(rows)
        n = len(rows)
        self.tabs.setTabText(self.waiting_index, f"Awaiting &co-sign ({n})")
        self.waiting_note.setText(
            f"{n} record{'s' if n != 1 else ''} waiting. Open one to read it, add the "
            "assessment and co-sign."
            if n
            else "Nothing is waiting for a co-sign."
        )
        self._update_actions()

    # -- selection and actions -----------------------------------------------------------
    def current_table(self) -> QTableView:
        return [self.visits_table, self.records_table, self.waiting_table][self.tabs.currentIndex()]

    def selected(self):
        index = self.current_table().currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def open_target(self, appointment_id: int | None = None, **_ignored) -> None:
        """From the Today page: show the records awaiting co-sign with this visit's selected."""
        self.tabs.setCurrentIndex(self.waiting_index)
        if appointment_id is None:
            return
        proxy = self.waiting_proxy
        for row in range(proxy.rowCount()):
            record = proxy.index(row, 0).data(ROW_ROLE)
            if record is not None and record.appointment_id == appointment_id:
                self.waiting_table.selectRow(row)
                self.waiting_table.setFocus()
                return

    def _selected_ids(self) -> tuple[int | None, int | None]:
        """(appointment id, record id) of the selected line."""
        row = self.selected()
        if row is None:
            return None, None
        if isinstance(row, sessions.VisitRow):
            return row.appointment_id, row.record_id
        return row.appointment_id, row.id

    def _update_actions(self) -> None:
        appointment_id, record_id = self._selected_ids()
        row = self.selected()
        signed = getattr(row, "status", getattr(row, "record_status", "")) == "signed"
        self.act_open.setEnabled(appointment_id is not None)
        self.act_open.setText(
            "&Record session…" if appointment_id is not None and record_id is None
            else "&Open record…"
        )  # fmt: skip
        self.act_addendum.setEnabled(signed and allowed(self.ctx.actor, "amend_session"))
        self.act_summary.setEnabled(record_id is not None)
        self.act_patient.setEnabled(record_id is not None)

    def record_dialog(self, appointment_id: int) -> RecordDialog:
        """The record dialog, parented here (tests drive it directly)."""
        return RecordDialog(self.ctx, appointment_id, self)

    def open_selected(self) -> None:
        appointment_id, _ = self._selected_ids()
        if appointment_id is None:
            return
        dialog = self.record_dialog(appointment_id)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exec()
        self.refresh()

    def addendum_selected(self) -> None:
        _, record_id = self._selected_ids()
        if record_id is None:
            return
        dialog = AddendumDialog(self.ctx, record_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if dialog.exec():
            self.refresh()

    def preview_selected(self, patient: bool) -> None:
        appointment_id, record_id = self._selected_ids()
        if appointment_id is None or record_id is None:
            return
        preview_summary(self.ctx, self, appointment_id, patient)
