"""A list of things the clinic keeps (staff, rooms) with Add, Edit, Deactivate and Delete."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from ptdesk.services.permissions import allowed
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import Op, query
from ptdesk.ui.widgets.dialogs import run_dialog
from ptdesk.ui.widgets.table import ROW_ROLE, RowTableModel, make_table


class ManageTab(QWidget):
    """A sortable list with Add, Edit, Deactivate/Reactivate and Delete.

    A subclass names its ``topic`` (announced when the list changes), the ``action`` that
    allows changes, the ``noun`` of one row and the notice shown to those who may not change
    it, and provides the hooks below. Rows carry ``id`` and ``active``.
    """

    topic = ""
    action = ""
    noun = ""
    owner_notice = ""

    def __init__(
        self, ctx: AppContext, model: RowTableModel, *, name: str, accessible: str
    ) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)
        self.show_inactive = QCheckBox(f"Show &inactive {self.noun}s too")
        self.show_inactive.toggled.connect(self.refresh)
        layout.addWidget(self.show_inactive)
        self.model = model
        model.setParent(self)
        self.table, self.proxy = make_table(
            name,
            model,
            accessible=accessible,
            fit=QHeaderView.ResizeMode.ResizeToContents,
            stripes=False,
            wrap=True,
        )
        self.table.doubleClicked.connect(lambda _i: self.edit())
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add…")
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.clicked.connect(self.edit)
        self.toggle_button = QPushButton("&Deactivate…")
        self.toggle_button.clicked.connect(self.toggle_active)
        self.delete_button = QPushButton("De&lete…")
        self.delete_button.setToolTip(f"Only for a {self.noun} added by mistake, with no history")
        self.delete_button.clicked.connect(self.delete)
        for b in (self.add_button, self.edit_button, self.toggle_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.button_row = buttons
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        ctx.bus.changed.connect(self._on_changed)
        self.refresh()

    # -- what a subclass provides ------------------------------------------------------------
    def load_rows(self, session: Session, include_inactive: bool) -> list[Any]:
        """The rows to list."""
        raise NotImplementedError

    def open_dialog(self, row_id: int | None) -> QDialog:
        """The dialog that adds (None) or edits a row; it saves itself and sets ``saved_id``."""
        raise NotImplementedError

    def set_active(self, session: Session, row_id: int, active: bool) -> None:
        raise NotImplementedError

    def remove(self, session: Session, row_id: int) -> None:
        raise NotImplementedError

    def label(self, row: Any) -> str:
        """How a row is named in questions ("Deactivate …?")."""
        raise NotImplementedError

    # -- the list ----------------------------------------------------------------------------
    def _on_changed(self, topic: str) -> None:
        if topics.concerns(topic, self.topic):
            self.refresh()

    def refresh(self) -> None:
        keep = self.selected()
        include_inactive = self.show_inactive.isChecked()
        self.model.set_rows(query(self.ctx, lambda s: self.load_rows(s, include_inactive)))
        if keep is not None:
            self.select_id(keep.id)
        self._update_buttons()

    def select_id(self, row_id: int) -> None:
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data(ROW_ROLE).id == row_id:
                self.table.selectRow(r)
                return

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _update_buttons(self) -> None:
        may = allowed(self.ctx.actor, self.action)
        row = self.selected()
        self.notice.setText(
            f"Deactivate a {self.noun} that is no longer used: the history stays on file. "
            f"Delete is only for a {self.noun} added by mistake."
            if may
            else self.owner_notice
        )
        self.add_button.setEnabled(may)
        for b in (self.edit_button, self.toggle_button, self.delete_button):
            b.setEnabled(may and row is not None)
        inactive = row is not None and not row.active
        self.toggle_button.setText("&Reactivate…" if inactive else "&Deactivate…")

    # -- actions -----------------------------------------------------------------------------
    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _run_dialog(self, row_id: int | None) -> int | None:
        """Open the add/edit dialog; the id it saved (the list was told by its save)."""
        dialog = self.open_dialog(row_id)
        accepted = run_dialog(dialog) == QDialog.DialogCode.Accepted
        return getattr(dialog, "saved_id", None) if accepted else None

    def add(self) -> None:
        saved = self._run_dialog(None)
        if saved is not None:
            self.select_id(saved)

    def edit(self) -> None:
        row = self.selected()
        if row is None or not allowed(self.ctx.actor, self.action):
            return
        if self._run_dialog(row.id) is not None:
            self.select_id(row.id)

    def toggle_active(self) -> None:
        row = self.selected()
        if row is None:
            return
        make_active = not row.active
        verb = "Reactivate" if make_active else "Deactivate"
        text = (
            f"Make {self.label(row)} active again?"
            if make_active
            else f"Deactivate {self.label(row)}? The history stays on file; the {self.noun} "
            "leaves the lists used for booking and can be reactivated later."
        )
        if not self.confirm(f"{verb} {self.noun}?", text):
            return
        still_listed = make_active or self.show_inactive.isChecked()
        Op(
            self.ctx, self, lambda s: self.set_active(s, row.id, make_active), title="Not changed"
        ).announcing(self.topic).success(
            lambda _r: self.select_id(row.id) if still_listed else None
        ).run()

    def delete(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not self.confirm(
            f"Delete {self.noun}?",
            f"Delete {self.label(row)} for good? This is only possible when nothing on file "
            "refers to it.",
        ):
            return
        Op(self.ctx, self, lambda s: self.remove(s, row.id), title="Not deleted").announcing(
            self.topic
        ).run()
