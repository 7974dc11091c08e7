"""One ptdesk per clinic file: an operating-system lock beside the database."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt
else:
    import fcntl


def lock_path(db_path: Path) -> Path:
    return Path(f"{db_path}.lock")


def server_name(db_path: Path) -> str:
    """A per-file name for the local socket that brings the running window to front."""
    digest = hashlib.sha1(str(Path(db_path).resolve()).encode()).hexdigest()[:16]
    return f"ptdesk-{digest}"


class InstanceLock:
    """Held for as long as a window has the clinic file open; released by the OS on exit."""

    def __init__(self, db_path: Path) -> None:
        self.path = lock_path(Path(db_path))
        self._fh = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+")  # noqa: SIM115 - kept open while the lock is held
        try:
            if os.name == "nt":  # pragma: no cover
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            return False
        self._fh = fh
        return True

    def release(self) -> None:
        if self._fh is not None:
            try:
                if os.name != "nt":
                    fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            finally:
                self._fh.close()
                self._fh = None

    @property
    def held(self) -> bool:
        return self._fh is not None


def is_running(db_path: Path) -> bool:
    """Whether a ptdesk window holds this clinic file open right now."""
    if not lock_path(Path(db_path)).exists():
        return False
    probe = InstanceLock(db_path)
    if probe.acquire():
        probe.release()
        return False
    return True
