"""The Audit page: every recorded change and record viewing, filtered, and exported as CSV."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ptdesk.errors import PtdeskError
from ptdesk.services import audit_trail, clock
from ptdesk.services import staff as staff_service
from ptdesk.services.audit_trail import AuditFilter, AuditRow
from ptdesk.services.permissions import allowed
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import Op, query, show_problem
from ptdesk.ui.widgets.table import ROW_ROLE, Column, RowTableModel, make_table


class AuditModel(RowTableModel[AuditRow]):
    columns = (
        Column("When", lambda r: f"{r.at_local:%Y-%m-%d %H:%M:%S}", sort=lambda r: (r.at, r.id)),
        Column("Who", lambda r: r.actor_name),
        Column("Action", lambda r: r.action.replace("_", " ")),
        Column("What", lambda r: f"{r.entity.replace('_', ' ')} {r.entity_id}".strip()),
        Column("Patient", lambda r: r.patient_name),
        Column("Summary", lambda r: r.summary, tooltip=lambda r: r.summary),
        Column(
            "Changes (before → after)", lambda r: r.changes_text, tooltip=lambda r: r.changes_text
        ),
    )


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class AuditView(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._loaded = False
        self.person = QComboBox()
        self.person.setObjectName("auditPerson")
        self.person.setAccessibleName("Person")
        self.patient = QLineEdit()
        self.patient.setObjectName("auditPatient")
        self.patient.setAccessibleName("Patient")
        self.patient.setPlaceholderText("Patient name or chart number")
        self.patient.setClearButtonEnabled(True)
        self.kind = QComboBox()
        self.kind.setObjectName("auditKind")
        self.kind.setAccessibleName("Kind of change")
        self.kind.addItem("Every kind", None)
        for label in audit_trail.KINDS:
            self.kind.addItem(label, label)
        today = clock.today()
        self.start = QDateEdit(_qdate(today - timedelta(days=30)))
        self.start.setObjectName("auditFrom")
        self.end = QDateEdit(_qdate(today))
        self.end.setObjectName("auditTo")
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.apply_button = QPushButton("&Show")
        self.apply_button.setObjectName("auditShow")
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.reload)
        self.export_button = QPushButton("E&xport CSV…")
        self.export_button.setObjectName("auditExport")
        self.export_button.setShortcut(QKeySequence("Ctrl+E"))
        self.export_button.clicked.connect(lambda: self.export_csv())

        filters = QHBoxLayout()
        for text, widget in (
            ("P&erson:", self.person),
            ("P&atient:", self.patient),
            ("&Kind:", self.kind),
            ("&From:", self.start),
            ("&To:", self.end),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget, 2 if widget is self.patient else 0)
        filters.addWidget(self.apply_button)
        filters.addWidget(self.export_button)

        self.model = AuditModel(self)
        self.table, self.proxy = make_table(
            "auditTable",
            self.model,
            accessible="Audit trail",
            descending=True,
            multi=True,
            fit=QHeaderView.ResizeMode.Interactive,
            row_height=24,
        )
        for column, width in ((0, 140), (1, 130), (2, 80), (3, 120), (4, 140), (5, 260)):
            self.table.setColumnWidth(column, width)
        # The selected event in full: long summaries and changes do not fit a column.
        self.detail = QLabel("Select an event to read it in full here.")
        self.detail.setObjectName("auditDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAccessibleName("The selected event in full")
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())
        self.count = QLabel()
        self.count.setObjectName("auditCount")
        note = QLabel(
            "The trail is append-only: nothing here can be changed or deleted. Times are local."
        )
        note.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count)
        bottom.addStretch(1)
        bottom.addWidget(note)
        layout.addLayout(bottom)
        self.patient.returnPressed.connect(self.reload)
        for combo in (self.person, self.kind):
            combo.currentIndexChanged.connect(lambda _i: self.reload() if self._loaded else None)
        self._stale = False
        ctx.bus.changed.connect(self._on_changed)

    def _on_changed(self, topic: str) -> None:
        """A new event was recorded: show it now if the page is in view, else when it is."""
        if not self._loaded or not topics.concerns(topic, topics.AUDIT, topics.STAFF):
            return
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        if not self._loaded:
            self.load_people()
            self.reload()
        elif self._stale:
            self.reload()
        super().showEvent(event)

    def _show_detail(self) -> None:
        row = self.table.currentIndex().data(ROW_ROLE)
        if not isinstance(row, AuditRow):
            self.detail.setText("Select an event to read it in full here.")
            return
        lines = [f"{row.at_local:%Y-%m-%d %H:%M:%S} · {row.actor_name} · {row.summary}"]
        if row.changes_text:
            lines.append(f"Changes (before → after): {row.changes_text}")
        self.detail.setText("\n".join(lines))

    def load_people(self) -> None:
        people = query(self.ctx, lambda s: staff_service.list_staff(s, include_inactive=True))
        self.person.blockSignals(True)
        self.person.clear()
        self.person.addItem("Everyone", None)
        for p in people:
            self.person.addItem(p.name if p.active else f"{p.name} (inactive)", p.id)
        self.person.blockSignals(False)

    def current_filter(self) -> AuditFilter:
        return AuditFilter(
            actor_id=self.person.currentData(),
            patient_text=self.patient.text(),
            start=_pydate(self.start.date()),
            end=_pydate(self.end.date()),
            kind=self.kind.currentData(),
        )

    def reload(self) -> None:
        self._loaded = True
        self._stale = False
        if not allowed(self.ctx.actor, "view_audit"):
            self.model.set_rows([])
            self.count.setText("Only the owner can read the audit trail.")
            self.export_button.setEnabled(False)
            return
        actor, wanted = self.ctx.actor, self.current_filter()
        try:
            rows = query(self.ctx, lambda s: audit_trail.search(s, actor, wanted))
        except PtdeskError as exc:  # a read refused (the permission changed meanwhile)
            show_problem(self, "Audit trail", exc.message)
            return
        self.model.set_rows(rows)
        self.count.setText(f"{len(rows)} event{'s' if len(rows) != 1 else ''}")
        self.export_button.setEnabled(bool(rows))

    def export_csv(self, path: str | None = None) -> Path | None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export the audit trail", f"audit-{clock.today()}.csv", "CSV files (*.csv)"
            )
        if not path:
            return None
        actor, wanted = self.ctx.actor, self.current_filter()
        try:
            with open(path, "w", newline="", encoding="utf-8") as out:
                # The export itself is written to the trail: a change, not a read.
                n = Op(
                    self.ctx,
                    self,
                    lambda s: audit_trail.write_csv(s, actor, wanted, out),
                    title="Export failed",
                ).run()
        except OSError as exc:
            show_problem(self, "Export failed", str(exc))
            return None
        if n is None:
            return None
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(f"Exported {n} events to {path}", 5000)
        self.reload()
        return Path(path)
