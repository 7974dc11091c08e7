"""Settings → Data and backups: where the data lives, backups, restore, check database."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ptdesk.backup import BackupError, BackupInfo, list_backups
from ptdesk.config import backup_dir_for
from ptdesk.db import DatabaseProblem, check_database, open_database
from ptdesk.errors import PermissionDenied
from ptdesk.services import audit, data_files
from ptdesk.services.permissions import allowed
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import Op, show_problem
from ptdesk.ui.tasks import run_in_background
from ptdesk.ui.widgets.table import ROW_ROLE, Column, RowTableModel, make_table

REASONS = {
    "": "Backup",
    "manual": "Backed up by hand",
    "auto": "Automatic",
    "daily": "Automatic (daily)",
    "close": "On closing",
    "before-upgrade": "Before an upgrade",
    "before-restore": "Before a restore",
}


def _size(b: BackupInfo) -> str:
    try:
        return f"{b.size_bytes / 1_048_576:.1f} MB"
    except OSError:
        return "?"


class BackupTableModel(RowTableModel[BackupInfo]):
    FILE = 3
    columns = (
        Column("Taken", lambda b: f"{b.taken_at:%Y-%m-%d %H:%M}", sort=lambda b: b.taken_at),
        Column("Why", lambda b: REASONS.get(b.reason, b.reason)),
        Column(
            "Size",
            _size,
            sort=lambda b: b.size_bytes if b.path.exists() else 0,
            align=Qt.AlignmentFlag.AlignRight,
        ),
        Column("File", lambda b: b.path.name, tooltip=lambda b: str(b.path)),
    )


class DataTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)

        where = QGroupBox("Where the data lives")
        where_box = QVBoxLayout(where)
        self.location = QLabel()
        self.location.setObjectName("dataLocation")
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.location.setWordWrap(True)
        where_box.addWidget(self.location)
        open_folder = QPushButton("&Open data folder")
        open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.ctx.db.path.parent)))
        )
        row = QHBoxLayout()
        row.addWidget(open_folder)
        row.addStretch(1)
        where_box.addLayout(row)
        layout.addWidget(where)

        backups = QGroupBox("Backups (kept: 7 daily, 4 weekly, 12 monthly)")
        backups_box = QVBoxLayout(backups)
        self.model = BackupTableModel(self)
        self.table, self.proxy = make_table(
            "backupTable",
            self.model,
            accessible="Backups",
            descending=True,
            stretch=BackupTableModel.FILE,
            stripes=False,
            wrap=True,
        )
        backups_box.addWidget(self.table)
        buttons = QHBoxLayout()
        self.backup_button = QPushButton("&Back up now")
        self.backup_button.setObjectName("backupNow")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton("&Restore selected…")
        self.restore_button.setObjectName("restoreSelected")
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton("Restore from &file…")
        self.restore_file_button.clicked.connect(self.restore_from_file)
        self.check_button = QPushButton("&Check database")
        self.check_button.setObjectName("checkDatabase")
        self.check_button.clicked.connect(self.check_database)
        for b in (
            self.backup_button,
            self.restore_button,
            self.restore_file_button,
            self.check_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        backups_box.addLayout(buttons)
        layout.addWidget(backups, 1)

        check = QGroupBox("Database check")
        check_box = QVBoxLayout(check)
        self.report = QPlainTextEdit()
        self.report.setObjectName("checkReport")
        self.report.setAccessibleName("Database check report")
        self.report.setReadOnly(True)
        self.report.setPlaceholderText("Press Check database to look the clinic file over.")
        self.report.setMaximumHeight(140)
        check_box.addWidget(self.report)
        layout.addWidget(check)

        ctx.bus.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, topic: str) -> None:
        if topics.concerns(topic, topics.BACKUPS):
            self.refresh()

    def refresh(self) -> None:
        path = self.ctx.db.path
        self.location.setText(f"Clinic file: {path}\nBackups: {backup_dir_for(path)}")
        self.model.set_rows(list_backups(path))
        may_restore = allowed(self.ctx.actor, "restore_backup")
        self.restore_button.setEnabled(may_restore)
        self.restore_file_button.setEnabled(may_restore)
        if not may_restore:
            self.restore_button.setToolTip("Only the owner can restore a backup.")

    def selected_backup(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return rows[0].data(ROW_ROLE)

    def backup_now(self) -> None:
        window = self.window()
        scheduler = getattr(window, "backups", None)
        if scheduler is not None:
            window.backup_now()
            return
        from ptdesk.backup import create_backup

        try:
            create_backup(self.ctx.db.path, reason="manual")
        except BackupError as exc:
            show_problem(self, "Backup failed", exc.message)
            return
        self.ctx.bus.announce(topics.BACKUPS)

    def restore_selected(self) -> None:
        backup = self.selected_backup()
        if backup is None:
            QMessageBox.information(self, "Restore", "Choose a backup in the list first.")
            return
        self.restore(backup.path, f"the backup taken {backup.taken_at:%Y-%m-%d %H:%M}")

    def restore_from_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Choose a backup to restore",
            str(backup_dir_for(self.ctx.db.path)),
            "ptdesk backups (*.sqlite3);;All files (*)",
        )
        if path:
            self.restore(Path(path), Path(path).name)

    def confirm_restore(self, what: str) -> bool:
        answer = QMessageBox.question(
            self,
            "Restore a backup?",
            f"Replace all current data with {what}?\n\nEverything entered since then will no "
            "longer show. The current data is backed up first, so this can be undone by "
            "restoring that copy.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def restore(self, path: Path, what: str, *, confirmed: bool = False) -> bool:
        if not allowed(self.ctx.actor, "restore_backup"):
            show_problem(self, "Not allowed", "Only the owner can restore a backup.")
            return False
        if not confirmed and not self.confirm_restore(what):
            return False
        try:
            safety, error = self.replace_clinic_file(path)
        except DatabaseProblem as exc:
            QMessageBox.critical(self, "Restore", exc.message)
            return False
        if error:
            show_problem(self, "Nothing was restored", error)
            return False
        actor = self.ctx.actor
        Op(
            self.ctx,
            self,
            lambda s: audit.record(
                s, actor, "restore", "database", None, summary=f"Restored from {what}"
            ),
            title="Restore",
        ).announcing(topics.ALL).run()
        note = f"\n\nThe data it replaced is kept as {safety.name}." if safety else ""
        QMessageBox.information(self, "Restored", f"The clinic data now comes from {what}.{note}")
        return True

    def replace_clinic_file(self, backup_file: Path) -> tuple[Path | None, str | None]:
        """The one place a screen closes and reopens the clinic database: a restore copies
        ``backup_file`` over the clinic file, which needs every connection closed first.

        Returns the safety copy of the replaced file and, when nothing was restored, why not.
        The database is open again afterwards (``ctx.db`` is the reopened one) either way;
        raises ``DatabaseProblem`` when it cannot be reopened.
        """
        db_path = self.ctx.db.path
        self.ctx.db.close()
        try:
            safety, error = data_files.restore(self.ctx.actor, db_path, backup_file), None
        except (BackupError, PermissionDenied) as exc:
            safety, error = None, exc.message
        self.ctx.db = open_database(db_path)
        return safety, error

    def check_database(self) -> None:
        self.check_button.setEnabled(False)
        self.report.setPlainText("Checking the clinic file…")
        path = self.ctx.db.path
        run_in_background(
            lambda: check_database(path, optimize=True), self._check_done, self._check_failed
        )

    def _check_done(self, report) -> None:
        self.check_button.setEnabled(True)
        verdict = "The clinic file is healthy." if report.ok else "Problems were found."
        self.report.setPlainText(f"{verdict}\n{report.text}")

    def _check_failed(self, exc: BaseException) -> None:
        self.check_button.setEnabled(True)
        self.report.setPlainText(f"The check could not run: {exc}")
