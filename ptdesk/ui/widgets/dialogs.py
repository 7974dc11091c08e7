"""Running a dialog modally so that it is destroyed once it has been answered."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog


def run_dialog(dialog: QDialog) -> int:
    """``dialog.exec()``, then free the dialog (and its popups) when control is back in the
    event loop; the result code. Read what is needed from it before the caller returns."""
    try:
        return dialog.exec()
    finally:
        dialog.deleteLater()
