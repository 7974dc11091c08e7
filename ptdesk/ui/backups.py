"""Automatic backups in the running app: after a day on start, hourly when data changed, on close."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ptdesk.backup import backup_if_changed, checkpoint, create_backup, thin_backups
from ptdesk.ui.tasks import run_in_background

log = logging.getLogger(__name__)

TIMER_INTERVAL_MS = 60 * 60 * 1000
# A backup on close that takes longer than this says so (a large clinic: a second or two).
CLOSE_NOTE_AFTER_MS = 1000
CLOSE_NOTE = "Backing up the clinic file before ptdesk closes…"


class BackupScheduler(QObject):
    """Takes backups off the UI thread and says when one is written or has failed.

    A backup is taken only when the clinic file changed since the last one (``backup_if_changed``:
    the file, or its write-ahead log with changes in it, written after that backup was started),
    except the one asked for with "Back up now"."""

    backed_up = Signal(object)  # Path
    failed = Signal(str)

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.busy = False
        # True while the file's integrity check is still running (or found damage), and for
        # the whole start-up check: a backup of a damaged file must never rotate a good one
        # out, so none is taken then.
        self.suspended = False
        self.timer = QTimer(self)
        self.timer.setInterval(TIMER_INTERVAL_MS)
        self.timer.timeout.connect(lambda: self.run(reason="auto", min_age=timedelta(hours=1)))

    def start(self) -> None:
        self.run(reason="daily", min_age=timedelta(days=1))
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def run(self, *, reason: str, min_age: timedelta | None) -> None:
        if self.busy or self.suspended:
            return
        self.busy = True
        path = self.db_path
        run_in_background(
            lambda: backup_if_changed(path, reason=reason, min_age=min_age),
            self._done,
            self._failed,
        )

    def backup_now(self) -> None:
        """A backup the user asked for: always taken (once the file has passed its check)."""
        if self.busy or self.suspended:
            return
        self.busy = True
        path = self.db_path

        def work() -> Path:
            checkpoint(path)
            out = create_backup(path, reason="manual")
            thin_backups(path)
            return out

        run_in_background(work, self._done, self._failed)

    def on_close(self, parent: QWidget | None = None) -> Path | None:
        """The window is going away: back up if anything changed since the last backup, and
        wait for it. The copy runs off the UI thread so that, when it takes longer than a
        second, a note over ``parent`` says what is happening; input waits meanwhile."""
        self.stop()
        if self.suspended:
            return None
        path = self.db_path
        outcome: dict[str, object] = {}
        loop = QEventLoop()

        def finished(key: str, value: object) -> None:
            outcome[key] = value
            loop.quit()

        note: list[QProgressDialog] = []
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: note.append(_closing_note(parent)))
        run_in_background(
            lambda: backup_if_changed(path, reason="close"),
            lambda value: finished("path", value),
            lambda exc: finished("error", exc),
        )
        timer.start(CLOSE_NOTE_AFTER_MS)
        if not outcome:
            loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        timer.stop()
        for shown in note:
            shown.close()
        error = outcome.get("error")
        if isinstance(error, BaseException):  # never keep the window from closing
            log.error("backup on close failed", exc_info=error)
            return None
        out = outcome.get("path")
        if isinstance(out, Path):
            log.info("backup on close: %s", out)
            return out
        return None

    def _done(self, path: object) -> None:
        self.busy = False
        if path is not None:
            self.backed_up.emit(path)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        log.error("backup failed: %s", exc)
        self.failed.emit(str(exc))


def _closing_note(parent: QWidget | None) -> QProgressDialog:
    """A busy note (no button: the backup cannot be stopped halfway) shown while closing."""
    note = QProgressDialog(CLOSE_NOTE, "", 0, 0, parent)
    note.setObjectName("closingBackupNote")
    note.setWindowTitle("ptdesk")
    note.setCancelButton(None)  # no button
    note.setWindowModality(Qt.WindowModality.WindowModal)
    note.setMinimumDuration(0)
    note.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    note.show()
    return note
