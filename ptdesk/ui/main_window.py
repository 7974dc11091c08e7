"""The main window: navigation list, pages, menus and the status bar."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from ptdesk.backup import latest_backup
from ptdesk.config import data_dir
from ptdesk.ui import bus as topics
from ptdesk.ui.about import show_about
from ptdesk.ui.backups import BackupScheduler
from ptdesk.ui.context import AppContext
from ptdesk.ui.pages import PageSpec, all_pages


def window_settings() -> QSettings:
    """Window layout lives beside the data (so tests and the demo keep their own)."""
    return QSettings(str(data_dir() / "window.ini"), QSettings.Format.IniFormat)


def describe_backup(db_path: Path) -> str:
    last = latest_backup(db_path)
    if last is None:
        return "Last backup: never"
    when = last.taken_at
    if when.date() == datetime.now().date():
        return f"Last backup: today {when:%H:%M}"
    return f"Last backup: {when:%Y-%m-%d %H:%M}"


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, pages: list[PageSpec] | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("mainWindow")
        title = "ptdesk — demo clinic" if ctx.demo else "ptdesk"
        self.setWindowTitle(title)
        self.backups = BackupScheduler(ctx.db.path, self)
        self.backups.backed_up.connect(self._backup_written)
        self.backups.failed.connect(self._backup_failed)

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName("Navigation")
        self.navigation.setFixedWidth(170)
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        self.pages: dict[str, QWidget] = {}
        self.page_keys: list[str] = []
        for spec in pages if pages is not None else all_pages():
            widget = spec.factory(ctx)
            widget.setObjectName(spec.object_name)
            widget.setAccessibleName(spec.title)
            self.pages[spec.key] = widget
            self.page_keys.append(spec.key)
            self.stack.addWidget(widget)
            QListWidgetItem(spec.title, self.navigation)
        self.navigation.currentRowChanged.connect(self.stack.setCurrentIndex)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self._build_status_bar()
        ctx.bus.changed.connect(self._on_changed)
        self._restore_geometry()
        if self.navigation.count():
            self.navigation.setCurrentRow(0)

    # -- menus -----------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.action_backup = QAction("&Back up now", self)
        self.action_backup.setShortcut(QKeySequence("Ctrl+B"))
        self.action_backup.triggered.connect(self.backup_now)
        file_menu.addAction(self.action_backup)
        self.action_restore = QAction("&Restore from backup…", self)
        self.action_restore.triggered.connect(lambda: self.show_page("settings", "data"))
        file_menu.addAction(self.action_restore)
        self.action_check = QAction("&Check database…", self)
        self.action_check.triggered.connect(lambda: self.show_page("settings", "data", check=True))
        file_menu.addAction(self.action_check)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        go_menu = self.menuBar().addMenu("&Go")
        for i, key in enumerate(self.page_keys):
            item = self.navigation.item(i)
            action = QAction(item.text(), self)
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(
                lambda _checked=False, row=i: self.navigation.setCurrentRow(row)
            )
            go_menu.addAction(action)
            self.addAction(action)
            del key

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About ptdesk", self)
        about.triggered.connect(lambda: show_about(self, self.ctx.db.path))
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.actor_label = QLabel()
        self.actor_label.setObjectName("actorLabel")
        self.location_label = QLabel()
        self.location_label.setObjectName("locationLabel")
        self.location_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.backup_label = QLabel()
        self.backup_label.setObjectName("backupLabel")
        bar.addWidget(self.actor_label)
        bar.addWidget(self.location_label, 1)
        bar.addPermanentWidget(self.backup_label)
        self.refresh_status()

    def refresh_status(self) -> None:
        actor = self.ctx.actor
        demo = " (demo clinic)" if self.ctx.demo else ""
        self.actor_label.setText(f"Signed in: {actor.name}{demo}")
        self.location_label.setText(f"Data: {self.ctx.db.path}")
        self.backup_label.setText(describe_backup(self.ctx.db.path))

    # -- pages -----------------------------------------------------------------
    def show_page(self, key: str, *args, **kwargs) -> QWidget | None:
        if key not in self.pages:
            return None
        self.navigation.setCurrentRow(self.page_keys.index(key))
        page = self.pages[key]
        focus = getattr(page, "focus_section", None)
        if focus is not None and (args or kwargs):
            focus(*args, **kwargs)
        return page

    def _on_changed(self, topic: str) -> None:
        if topics.concerns(topic, topics.BACKUPS):
            self.refresh_status()

    # -- backups ---------------------------------------------------------------
    def backup_now(self) -> None:
        self.statusBar().showMessage("Backing up…", 3000)
        self.backups.backup_now()

    def _backup_written(self, path: object) -> None:
        self.statusBar().showMessage(f"Backup written: {Path(str(path)).name}", 5000)
        self.ctx.bus.announce(topics.BACKUPS)

    def _backup_failed(self, message: str) -> None:
        QMessageBox.warning(self, "Backup failed", message)

    # -- geometry --------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = window_settings().value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 780)

    def closeEvent(self, event: QCloseEvent) -> None:
        for key, page in self.pages.items():  # a page with unsaved work may ask first
            confirm_leave = getattr(page, "confirm_leave", None)
            if confirm_leave is not None and not confirm_leave():
                self.navigation.setCurrentRow(self.page_keys.index(key))
                event.ignore()
                return
        settings = window_settings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.sync()
        self.backups.on_close()
        super().closeEvent(event)
