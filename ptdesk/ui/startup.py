"""Dialogs shown while ptdesk starts: a database problem (sign-in lives in ptdesk.ui.signin)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from ptdesk.errors import DatabaseProblem


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
    answer = "restore" if restore is not None and box.clickedButton() is restore else "quit"
    box.deleteLater()
    return answer
