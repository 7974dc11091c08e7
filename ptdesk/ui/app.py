"""Starting the app: logging, QApplication, one window per file, opening the data, who is working."""

from __future__ import annotations

import contextlib
import gc
import logging
import sys
import traceback
from collections.abc import Callable, Iterator
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog, QWidget

from ptdesk import __version__
from ptdesk.backup import BackupError, latest_backup, restore_backup
from ptdesk.config import APP_NAME, ORGANIZATION, log_dir, make_private, private_folder
from ptdesk.db import MSG_CORRUPT, Database, IntegrityCheck, open_database
from ptdesk.errors import DatabaseProblem, PtdeskError
from ptdesk.resources import resource_path
from ptdesk.services import staff as staff_service
from ptdesk.services.audit import SYSTEM, Actor
from ptdesk.single_instance import InstanceLock, server_name
from ptdesk.ui.bus import Bus
from ptdesk.ui.context import AppContext
from ptdesk.ui.lock import demo_pins
from ptdesk.ui.signin import SetupWizard, SignInDialog
from ptdesk.ui.startup import ask_database_problem
from ptdesk.ui.startup_flow import Startup, is_damage

log = logging.getLogger(__name__)


class PrivateLogHandler(RotatingFileHandler):
    """A rotating log whose files only this user account can read (names and actions appear)."""

    def _open(self) -> TextIOWrapper:
        stream = super()._open()
        make_private(self.baseFilename)
        return stream


def setup_logging() -> Path | None:
    folder = log_dir()
    try:
        private_folder(folder)
        make_private(folder, folder=True)
        handler = PrivateLogHandler(
            folder / "ptdesk.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for existing in root.handlers:  # the console stays quiet; the file gets the detail
        existing.setLevel(logging.WARNING)
    handler.setLevel(logging.INFO)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return folder / "ptdesk.log"


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("ptdesk")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(resource_path("icons", "ptdesk.svg"))))
    return app


def exception_dialog_text(exc: BaseException) -> str:
    if isinstance(exc, PtdeskError):
        return exc.message
    return (
        "Something went wrong inside ptdesk. Your saved work is safe. The details were written "
        f"to the log file in {log_dir()}; please send it to support.\n\n{type(exc).__name__}: {exc}"
    )


# While the start-up integrity check runs, a screen may read a damaged page first: that error
# goes here (once), to the same explanation and offer of the backup as the check's finding.
on_damage: Callable[[DatabaseProblem], None] | None = None


def install_exception_hook() -> None:
    """Log every unexpected error and show it in a dialog instead of vanishing."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log.error("unhandled error:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
        handler = on_damage
        if handler is not None and is_damage(exc):
            problem = DatabaseProblem("corrupt", MSG_CORRUPT)
            QTimer.singleShot(0, lambda: handler(problem))
            return
        if QApplication.instance() is not None:
            QMessageBox.critical(None, "ptdesk", exception_dialog_text(exc))

    sys.excepthook = hook


class InstanceGuard:
    """One window per clinic file; a second start brings the first window forward."""

    def __init__(self, db_path: Path) -> None:
        self.lock = InstanceLock(db_path)
        self.name = server_name(db_path)
        self.server: QLocalServer | None = None
        self.window: QWidget | None = None

    def claim(self) -> bool:
        if not self.lock.acquire():
            return False
        QLocalServer.removeServer(self.name)
        self.server = QLocalServer()
        self.server.newConnection.connect(self._raise_window)
        self.server.listen(self.name)
        return True

    def ask_first_to_raise(self) -> bool:
        sock = QLocalSocket()
        sock.connectToServer(self.name)
        if not sock.waitForConnected(1000):
            return False
        sock.write(b"raise\n")
        sock.waitForBytesWritten(1000)
        sock.disconnectFromServer()
        return True

    def _raise_window(self) -> None:
        assert self.server is not None
        conn = self.server.nextPendingConnection()
        if conn is not None:
            conn.disconnected.connect(conn.deleteLater)
        if self.window is not None:
            self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
        self.lock.release()


def open_or_recover(path: Path, *, check: bool = True) -> Database | None:
    """Open the clinic file; on a problem explain it and offer the latest backup.

    ``check=False``: the whole-file integrity check is run after the window is shown
    (``check_in_background``); everything else is checked here as before.
    """
    try:
        return open_database(path, check=check)
    except DatabaseProblem as problem:
        return recover(path, problem)


def recover(path: Path, problem: DatabaseProblem) -> Database | None:
    """Explain ``problem``; if the person chooses, restore the latest backup and open it."""
    log.error("cannot open %s: %s (%s)", path, problem.kind, problem.message)
    backup = latest_backup(path)
    if ask_database_problem(problem, backup is not None) != "restore" or backup is None:
        return None
    try:
        restore_backup(path, backup.path)
        return open_database(path)
    except (BackupError, DatabaseProblem) as exc:
        QMessageBox.critical(None, "ptdesk", exc.message)
        return None
    except OSError as exc:  # the damaged file could not be moved aside (in use, no rights)
        log.error("restoring %s failed: %r", path, exc)
        QMessageBox.critical(
            None,
            "ptdesk",
            "The backup could not be put in place of the damaged file: "
            f"{exc.strerror or exc}. Close other programs that may use it and start ptdesk "
            "again, or contact support. The damaged file has not been changed.",
        )
        return None


def check_in_background(
    check: IntegrityCheck,
    on_ok: Callable[[], None],
    on_damaged: Callable[[DatabaseProblem], None],
) -> None:
    """The whole-file integrity check, off the UI thread, while the person signs in and the
    window is built. It only reads (its own read-only connection); writes wait for it (see
    ``Database.hold_writes_until``) and no backup is taken until it passes: a copy of a
    damaged file must not rotate a good backup out."""
    from ptdesk.ui.tasks import run_in_background

    def failed(exc: BaseException) -> None:
        if isinstance(exc, DatabaseProblem):
            on_damaged(exc)
        else:
            log.error("integrity check of %s could not run: %r", check.path, exc)
            on_damaged(DatabaseProblem("corrupt", MSG_CORRUPT))

    run_in_background(check.run, lambda _: on_ok(), failed)


def create_demo_with_progress(path: Path) -> bool:
    from ptdesk.demo import create_demo_file
    from ptdesk.ui.tasks import run_in_background

    dialog = QProgressDialog("Creating the demo clinic…", "", 0, 0)
    dialog.setWindowTitle("ptdesk")
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(0)
    outcome: dict[str, object] = {}

    def done(value: object) -> None:
        outcome["ok"] = value
        dialog.accept()

    def failed(exc: BaseException) -> None:
        outcome["error"] = exc
        dialog.accept()

    run_in_background(lambda: create_demo_file(path), done, failed)
    dialog.exec()
    dialog.deleteLater()
    error = outcome.get("error")
    if isinstance(error, BaseException):  # failed() ran
        QMessageBox.critical(None, "ptdesk", exception_dialog_text(error))
        return False
    return True


def choose_actor(
    db: Database, *, ask: bool, startup_check: bool = False, demo: bool = False
) -> Actor | None:
    """Who is working: a new file runs the setup wizard; otherwise the person signs in.

    The start-up check (installers, smoke tests) asks nobody: on a new file it opens the window
    as ptdesk itself, which only looks and is closed at once, and leaves the setup to the first
    real start; on a file with staff it opens as the first owner, as ``ask=False`` does.
    """
    with db.session() as session:
        has_staff = staff_service.has_any_staff(session)
    if not has_staff and (startup_check or not ask):
        return SYSTEM if startup_check else None
    if not has_staff:
        wizard = SetupWizard(db)
        accepted = wizard.exec() == QDialog.DialogCode.Accepted
        actor = wizard.actor if accepted else None
        wizard.deleteLater()
        return actor
    if not ask or startup_check:
        with db.session() as session:
            default = staff_service.default_actor(session)
        return None if default is None else Actor.from_staff(default)
    dialog = SignInDialog(db, demo_pins=demo_pins(demo))
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    actor = dialog.actor if accepted else None
    dialog.deleteLater()
    return actor


def collect_garbage_again(*, collect_first: bool = False) -> None:
    """After start-up: what it made lives as long as the app, so it is set aside from the
    garbage collector's scans (``gc.freeze``), which then runs as usual; its full passes stay
    short all day instead of re-reading every library object each time. ``collect_first``
    when start-up also left garbage behind (building the demo clinic does)."""
    if collect_first:
        gc.collect()
    gc.freeze()
    gc.enable()


class QtStartup:
    """The start-up's host in the running application: Qt dialogs, the window, the event loop
    (the decisions are ``ptdesk.ui.startup_flow.Startup``'s)."""

    def __init__(
        self,
        app: QApplication,
        guard: InstanceGuard,
        path: Path,
        *,
        demo: bool,
        startup_check: bool,
    ) -> None:
        self.app = app
        self.guard = guard
        self.path = path
        self.demo = demo
        self.startup_check = startup_check
        self.check: IntegrityCheck | None = None

    def open_file(self) -> Database | None:
        # The whole-file integrity check reads every page (a large clinic: most of the start-up
        # time), so it runs in the background while the window is built and shown; the header,
        # schema version and refusal of newer or foreign files are checked here first.
        path = self.path
        new_demo = self.demo and not path.exists()
        if self.startup_check:
            try:
                if new_demo:
                    from ptdesk.demo import create_demo_file

                    create_demo_file(path)
                db = open_database(path, check=False)
            except PtdeskError as exc:
                print(f"startup FAILED: {exc.message}", file=sys.stderr)
                return None
        else:
            if new_demo and not create_demo_with_progress(path):
                return None
            db = open_or_recover(path, check=False)
            if db is None:
                return None
        # The libraries are loaded (and a sign-in may wait for minutes).
        collect_garbage_again(collect_first=new_demo)
        return db

    def start_check(
        self,
        db: Database,
        passed: Callable[[], None],
        damaged: Callable[[DatabaseProblem], None],
    ) -> None:
        # Reads go ahead while the check runs; every write waits for its verdict.
        self.check = IntegrityCheck(self.path)
        db.hold_writes_until(self.check)
        check_in_background(self.check, passed, damaged)
        import ptdesk.ui.main_window  # noqa: F401 - the window's code loads while the check reads

    def listen_for_damage(self, handler: Callable[[DatabaseProblem], None] | None) -> None:
        global on_damage
        on_damage = handler

    def choose_actor(self, db: Database, *, again: bool) -> Actor | None:
        if again:
            return choose_actor(db, ask=True, demo=self.demo)
        sc = self.startup_check
        return choose_actor(db, ask=not sc, startup_check=sc, demo=self.demo)

    def show_window(self, db: Database, actor: Actor) -> QWidget:
        from ptdesk.ui.main_window import MainWindow

        window = MainWindow(AppContext(db=db, actor=actor, bus=Bus(), demo=self.demo))
        self.guard.window = window
        window.backups.suspended = True  # until the file has passed its check
        window.show()
        return window

    def begin_backups(self, window: Any) -> None:
        window.backups.suspended = False
        window.backups.start()

    def set_aside(self, window: Any) -> None:
        if self.guard.window is window:
            self.guard.window = None
        window.set_aside()

    def end_sign_in(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()

    def wait_for_check(self) -> None:
        if self.check is not None:
            with contextlib.suppress(DatabaseProblem):
                self.check.wait()

    def recover(self, problem: DatabaseProblem) -> Database | None:
        return recover(self.path, problem)

    @contextlib.contextmanager
    def staying_open(self) -> Iterator[None]:
        self.app.setQuitOnLastWindowClosed(False)
        try:
            yield
        finally:
            self.app.setQuitOnLastWindowClosed(True)

    def later(self, fn: Callable[[], None]) -> None:
        QTimer.singleShot(0, fn)

    def describe(self, window: Any, db: Database) -> tuple[bool, str]:
        visible = window.isVisible()
        # the SVG icon draws only when Qt's image plugins came along (matters in a build)
        icon = not self.app.windowIcon().pixmap(32, 32).isNull()
        ok = visible and icon
        return ok, (
            f"startup {'ok' if ok else 'FAILED'}: window shown={visible}, icon={icon}, "
            f"database={self.path}, schema={db.revision()}, version={__version__}"
        )

    def close_window(self, window: Any) -> None:
        window.close()

    def say(self, line: str, *, error: bool = False) -> None:
        print(line, file=sys.stderr if error else sys.stdout, flush=True)

    def run_event_loop(self) -> int:
        return self.app.exec()

    def exit(self, code: int) -> None:
        self.app.exit(code)


def run_app(path: Path, *, demo: bool = False, startup_check: bool = False) -> int:
    setup_logging()
    app = make_application()
    install_exception_hook()
    with contextlib.suppress(OSError):  # a new data folder is private from the start
        private_folder(path.parent)
    guard = InstanceGuard(path)
    if not guard.claim():
        if startup_check:  # installers and scripts: say it and stop, never wait on a dialog
            print(f"startup FAILED: ptdesk is already open on {path}", file=sys.stderr)
            return 1
        raised = guard.ask_first_to_raise()
        QMessageBox.information(
            None,
            "ptdesk is already open",
            "ptdesk is already open on this clinic file"
            + (", so that window was brought to the front." if raised else ".")
            + "\n\nUse that window; only one can work on the file at a time.",
        )
        return 0
    try:
        host = QtStartup(app, guard, path, demo=demo, startup_check=startup_check)
        return Startup(host, startup_check=startup_check).run()
    finally:
        guard.release()
