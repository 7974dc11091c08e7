"""Automatic backups in the running app: after a day on start, hourly when data changed, on close."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from ptdesk.backup import backup_if_changed, create_backup, thin_backups
from ptdesk.ui.tasks import run_in_background

log = logging.getLogger(__name__)

TIMER_INTERVAL_MS = 60 * 60 * 1000


class BackupScheduler(QObject):
    """Takes backups off the UI thread and says when one is written or has failed."""

    backed_up = Signal(object)  # Path
    failed = Signal(str)

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.busy = False
        # True while the file's integrity check is still running (or found damage): a backup
        # of a damaged file must never rotate a good one out, so none is taken then.
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
            out = create_backup(path, reason="manual")
            thin_backups(path)
            return out

        run_in_background(work, self._done, self._failed)

    def on_close(self) -> None:
        """Synchronous: the window is going away."""
        self.stop()
        if self.suspended:
            return
        try:
            out = backup_if_changed(self.db_path, reason="close")
            if out:
                log.info("backup on close: %s", out)
        except Exception:  # never keep the window from closing
            log.exception("backup on close failed")

    def _done(self, path: object) -> None:
        self.busy = False
        if path is not None:
            self.backed_up.emit(path)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        log.error("backup failed: %s", exc)
        self.failed.emit(str(exc))
