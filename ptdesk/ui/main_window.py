"""The main window: navigation list, pages, menus and the status bar."""

from __future__ import annotations

import linecache
import logging
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from ptdesk.backup import latest_backup
from ptdesk.config import data_dir
from ptdesk.errors import PtdeskError
from ptdesk.models.staff import ROLE_LABELS, Role
from ptdesk.services import auth, clock
from ptdesk.services.audit import Actor
from ptdesk.services.permissions import allowed
from ptdesk.ui import bus as topics
from ptdesk.ui.about import show_about
from ptdesk.ui.backups import BackupScheduler
from ptdesk.ui.context import AppContext
from ptdesk.ui.idle import IdleWatcher
from ptdesk.ui.lock import LockScreen
from ptdesk.ui.operations import query
from ptdesk.ui.pages import PageSpec, all_pages

log = logging.getLogger(__name__)


class LazyPages(Mapping[str, QWidget]):
    """The window's pages by key; a page's widget is made on first access."""

    def __init__(self, build: Callable[[PageSpec], QWidget]) -> None:
        self.specs: dict[str, PageSpec] = {}
        self.built: dict[str, QWidget] = {}
        self._build = build

    def __getitem__(self, key: str) -> QWidget:
        if key not in self.built:
            self.built[key] = self._build(self.specs[key])
        return self.built[key]

    def __contains__(self, key: object) -> bool:
        return key in self.specs

    def __iter__(self) -> Iterator[str]:
        return iter(self.specs)

    def __len__(self) -> int:
        return len(self.specs)


def window_settings() -> QSettings:
    """Window layout lives beside the data (so tests and the demo keep their own)."""
    return QSettings(str(data_dir() / "window.ini"), QSettings.Format.IniFormat)


def describe_backup(db_path: Path) -> str:
    last = latest_backup(db_path)
    if last is None:
        return "Last backup: never"
    when = last.taken_at
    if when.date() == clock.today():
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
        # A page is built the first time it is shown (start-up builds only the first one).
        self.pages = LazyPages(self._build_page)
        self.page_keys: list[str] = []
        self.page_specs = list(pages if pages is not None else all_pages())
        for spec in self.page_specs:
            self.pages.specs[spec.key] = spec
            self.page_keys.append(spec.key)
            self.stack.addWidget(QWidget())  # stands in until the page is first shown
            QListWidgetItem(spec.title, self.navigation)
        self.navigation.currentRowChanged.connect(self._switch_to_row)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        # The lock screen covers everything (patient data included) until someone signs in.
        self.outer = QStackedWidget()
        self.outer.setObjectName("outer")
        self.outer.addWidget(central)
        self._lock_screen: LockScreen | None = None  # built the first time the screen locks
        self._kept_on_lock: tuple[int | None, list[str]] = (None, [])
        self._set_aside = False
        self.setCentralWidget(self.outer)
        self.locked = False
        self._return_to: str | None = None

        self._build_menus()
        self._build_status_bar()
        self._apply_role()
        ctx.bus.changed.connect(self._on_changed)
        ctx.bus.navigate.connect(self.open_target)
        self.idle = IdleWatcher(self._idle_minutes(), self)
        self.idle.idle.connect(self.lock)
        self.idle.start()
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
        self.action_lock = QAction("&Lock screen", self)
        self.action_lock.setObjectName("lockAction")
        self.action_lock.setShortcut(QKeySequence("Ctrl+L"))
        self.action_lock.setToolTip("Hide patient information until someone signs in (Ctrl+L)")
        self.action_lock.triggered.connect(self.lock)
        file_menu.addAction(self.action_lock)
        self.addAction(self.action_lock)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        go_menu = self.menuBar().addMenu("&Go")
        self.go_actions: dict[str, QAction] = {}
        for i, key in enumerate(self.page_keys):
            item = self.navigation.item(i)
            action = QAction(item.text(), self)
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(
                lambda _checked=False, row=i: self.navigation.setCurrentRow(row)
            )
            go_menu.addAction(action)
            self.addAction(action)
            self.go_actions[key] = action

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
        self.lock_button = QPushButton("Lock")
        self.lock_button.setObjectName("lockButton")
        self.lock_button.setToolTip("Lock the screen (Ctrl+L)")
        self.lock_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lock_button.clicked.connect(self.lock)
        bar.addWidget(self.actor_label)
        bar.addWidget(self.location_label, 1)
        bar.addPermanentWidget(self.backup_label)
        bar.addPermanentWidget(self.lock_button)
        self.refresh_status()

    def refresh_status(self) -> None:
        actor = self.ctx.actor
        demo = " (demo clinic)" if self.ctx.demo else ""
        if self.locked:
            self.actor_label.setText(f"Locked — sign in to continue{demo}")
        else:
            role = (
                ROLE_LABELS.get(Role(actor.role)) if actor.role in Role._value2member_map_ else ""
            )
            self.actor_label.setText(
                f"Signed in: {actor.name}" + (f" ({role})" if role else "") + demo
            )
        self.location_label.setText(f"Data: {self.ctx.db.path}")
        self.backup_label.setText(describe_backup(self.ctx.db.path))

    # -- pages -----------------------------------------------------------------
    def _build_page(self, spec: PageSpec) -> QWidget:
        widget = spec.factory(self.ctx)
        # Qt's bindings kept the source text of the modules the page loaded: drop it.
        linecache.clearcache()
        widget.setObjectName(spec.object_name)
        widget.setAccessibleName(spec.title)
        row = self.page_keys.index(spec.key)
        stand_in = self.stack.widget(row)
        self.stack.insertWidget(row, widget)
        self.stack.removeWidget(stand_in)
        stand_in.deleteLater()
        return widget

    def _switch_to_row(self, row: int) -> None:
        if 0 <= row < len(self.page_keys):
            self.pages[self.page_keys[row]]  # builds it on first use
        self.stack.setCurrentIndex(row)

    def show_page(self, key: str, *args, **kwargs) -> QWidget | None:
        if key not in self.pages or self.navigation.item(self.page_keys.index(key)).isHidden():
            return None
        self.navigation.setCurrentRow(self.page_keys.index(key))
        page = self.pages[key]
        focus = getattr(page, "focus_section", None)
        if focus is not None and (args or kwargs):
            focus(*args, **kwargs)
        return page

    def current_key(self) -> str | None:
        row = self.navigation.currentRow()
        return self.page_keys[row] if 0 <= row < len(self.page_keys) else None

    def open_target(self, key: str, args: object = None) -> QWidget | None:
        """Open a screen at one item (used by the Today page)."""
        kwargs = dict(args) if isinstance(args, dict) else {}
        page = self.show_page(key)
        if page is None:
            return None
        opener = getattr(page, "open_target", None)
        if opener is not None:
            opener(**kwargs)
            return page
        if "day" in kwargs and hasattr(page, "set_day"):
            page.set_day(kwargs["day"])
        if "appointment_id" in kwargs and hasattr(page, "select"):
            page.select(kwargs["appointment_id"])
        patient_id = kwargs.get("patient_id")
        if patient_id is not None and hasattr(page, "select_patient"):
            opened = page.select_patient(patient_id)
            if not opened and hasattr(page, "search"):
                page.search.clear()
                page.select_patient(patient_id)
        if "section" in kwargs and hasattr(page, "focus_section"):
            page.focus_section(kwargs["section"])
        return page

    def _build_pages(self) -> None:
        """Forget the pages built so far (another person signed in); each is made again on use."""
        for key, old in list(self.pages.built.items()):
            row = self.page_keys.index(key)
            self.stack.insertWidget(row, QWidget())
            self.stack.removeWidget(old)
            old.deleteLater()
        self.pages.built.clear()

    def _apply_role(self) -> None:
        """Pages the person may not use leave the navigation and the Go menu."""
        for i, spec in enumerate(self.page_specs):
            may = not spec.needs or allowed(self.ctx.actor, spec.needs)
            self.navigation.item(i).setHidden(not may)
            self.go_actions[spec.key].setVisible(may)
            self.go_actions[spec.key].setEnabled(may)

    def _idle_minutes(self) -> int:
        return query(self.ctx, auth.idle_lock_minutes)

    # -- locking ---------------------------------------------------------------
    def lock(self) -> None:
        """Hide everything behind the sign-in panel; open dialogs are closed (a dialog that can
        keep what was typed, such as a session record as a draft, keeps it first)."""
        if self.locked:
            return
        self.locked = True
        self._return_to = self.current_key()
        kept: list[str] = []
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                keep = getattr(dialog, "keep_on_lock", None)
                note = keep() if callable(keep) else None
                if note:
                    kept.append(note)
                dialog.reject()
        self._kept_on_lock = (self.ctx.actor.id, kept)
        self.idle.stop()
        actor = self.ctx.actor
        try:  # no message box here: nobody may be at the desk (the idle lock)
            query(self.ctx, lambda s: auth.record_sign_out(s, actor, "locked the screen"))
        except PtdeskError as exc:  # locking must never fail; the trail misses one line
            log.warning("could not record the screen lock: %s", exc)
        self.menuBar().setEnabled(False)
        for action in self.actions():
            action.setEnabled(False)
        self.lock_button.setEnabled(False)
        self.outer.setCurrentWidget(self.lock_screen)
        self.lock_screen.panel.reset()
        if self.ctx.actor.id is not None:
            self.lock_screen.panel.select(self.ctx.actor.id)
        self.lock_screen.panel.pin.setFocus()
        self.refresh_status()

    @property
    def lock_screen(self) -> LockScreen:
        if self._lock_screen is None:
            self._lock_screen = LockScreen(self.ctx)
            self._lock_screen.panel.signed_in.connect(self.unlock)
            self.outer.addWidget(self._lock_screen)
        return self._lock_screen

    def unlock(self, actor: Actor) -> None:
        """Back to where the person was; someone else starts afresh on their Today page."""
        same = actor.id == self.ctx.actor.id
        self.ctx.actor = actor
        self.locked = False
        self.outer.setCurrentIndex(0)
        self.menuBar().setEnabled(True)
        for action in self.actions():
            action.setEnabled(True)
        self.lock_button.setEnabled(True)
        if not same:
            self._build_pages()
            self._return_to = "today" if "today" in self.pages else None
        self._apply_role()
        self.navigation.setCurrentRow(-1)
        key = self._return_to if self._return_to in self.pages else None
        if key is not None:
            self.show_page(key)
        elif self.navigation.count():
            self.navigation.setCurrentRow(0)
        self._switch_to_row(self.navigation.currentRow())
        self.idle.set_minutes(self._idle_minutes())
        self.idle.start()
        self.refresh_status()
        owner_id, kept = self._kept_on_lock
        self._kept_on_lock = (None, [])
        if kept and owner_id == actor.id:  # only the person whose work it was hears of it
            box = QMessageBox(
                QMessageBox.Icon.Information, "Kept while the screen was locked", "\n\n".join(kept)
            )
            box.setObjectName("keptOnLock")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.setParent(self, box.windowFlags())
            box.open()

    def _on_changed(self, topic: str) -> None:
        if topics.concerns(topic, topics.BACKUPS):
            self.refresh_status()
        if topics.concerns(topic, topics.CLINIC):
            self.idle.set_minutes(self._idle_minutes())

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

    def set_aside(self) -> None:
        """Close without asking about unsaved work and without a backup: the file under the
        window was found damaged, so nothing more may be saved to it or copied from it."""
        self.backups.suspended = True
        self.backups.stop()
        self._set_aside = True
        self.close()
        self.deleteLater()

    def closeEvent(self, event: QCloseEvent) -> None:
        # A page with unsaved work may ask first (only pages already built can hold any).
        for key, page in list(self.pages.built.items()) if not self._set_aside else []:
            confirm_leave = getattr(page, "confirm_leave", None)
            if confirm_leave is not None and not confirm_leave():
                self.navigation.setCurrentRow(self.page_keys.index(key))
                event.ignore()
                return
        self.idle.remove()
        settings = window_settings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.sync()
        self.backups.on_close(self)
        super().closeEvent(event)
