"""The About dialog: version and where the data lives."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from ptdesk import __version__


def about_text(db_path: Path) -> str:
    return (
        f"<h3>ptdesk {__version__}</h3>"
        "<p>The desktop assistant for a physical therapy clinic: schedule, patients, "
        "transfers, equipment cleaning, session records and printouts.</p>"
        f"<p><b>Clinic file:</b> {db_path}<br><b>Data folder:</b> {db_path.parent}</p>"
    )


def show_about(parent: QWidget, db_path: Path) -> None:
    box = QMessageBox(QMessageBox.Icon.NoIcon, "About ptdesk", about_text(db_path), parent=parent)
    box.setObjectName("aboutBox")
    icon = box.windowIcon()  # the application's, as Qt's own about box shows it
    box.setIconPixmap(icon.pixmap(icon.actualSize(QSize(64, 64))))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.exec()
