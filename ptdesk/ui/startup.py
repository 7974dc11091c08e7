"""Dialogs shown while ptdesk starts: the first owner, who is working, a database problem."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ptdesk.errors import DatabaseProblem, ValidationError
from ptdesk.models import Staff
from ptdesk.models.staff import ROLE_LABELS, Role
from ptdesk.ui.widgets.forms import ErrorForm


class FirstOwnerDialog(QDialog):
    """A new clinic file: ask for the owner's name so every change has a name on it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to ptdesk")
        self.setObjectName("firstOwnerDialog")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "This is a new clinic file. Enter the owner's name: it is recorded with every change "
            "so the clinic always knows who did what. More staff can be added in Settings."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form_layout = QFormLayout()
        self.form = ErrorForm(form_layout)
        self.name = self.form.add_row("name", "Owner's &name:", QLineEdit())
        self.credentials = self.form.add_row(
            "credentials", "&Credentials (e.g. PT, DPT):", QLineEdit()
        )
        layout.addLayout(form_layout)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(440, 220)

    def show_error(self, exc: ValidationError) -> None:
        if not self.form.show_error(exc.field, exc.message):
            self.form.show_error("name", exc.message)


class WhoIsWorkingDialog(QDialog):
    """Pick who is working at this PC; the owner is chosen by default."""

    def __init__(
        self, staff: list[Staff], default_id: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is working?")
        self.setObjectName("whoIsWorkingDialog")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Choose your name. Changes you make are recorded under it."))
        self.list = QListWidget()
        self.list.setObjectName("staffList")
        self.list.setAccessibleName("Staff members")
        for member in staff:
            label = (
                ROLE_LABELS.get(Role(member.role), member.role)
                if member.role in Role._value2member_map_
                else member.role
            )
            item = QListWidgetItem(f"{member.name} — {label}")
            item.setData(Qt.ItemDataRole.UserRole, member.id)
            self.list.addItem(item)
            if member.id == default_id:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(360, 320)

    def chosen_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))


def ask_database_problem(
    problem: DatabaseProblem, has_backup: bool, parent: QWidget | None = None
) -> str:
    """Explain a database problem; return 'restore' or 'quit'."""
    box = QMessageBox(parent)
    box.setObjectName("databaseProblemDialog")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("ptdesk cannot open the clinic file")
    box.setText(problem.message)
    restore = None
    if has_backup and problem.kind in {"corrupt", "not_sqlite", "not_ptdesk"}:
        box.setInformativeText(
            "ptdesk can set the damaged file aside (it is kept, not deleted) and restore the "
            "latest backup."
        )
        restore = box.addButton("Restore latest backup", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return "restore" if restore is not None and box.clickedButton() is restore else "quit"
