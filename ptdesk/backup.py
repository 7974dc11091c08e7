"""Backups of the clinic file: SQLite online backup, verification, thinning, restore."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ptdesk.config import backup_dir_for, make_database_private, make_private
from ptdesk.errors import DatabaseProblem, PtdeskError
from ptdesk.services import clock

log = logging.getLogger(__name__)

KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12
SAFETY_REASONS = {"manual", "before-restore", "before-upgrade"}
SAFETY_COPY_DAYS = timedelta(days=30)
NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<reason>[a-z-]+))?\.sqlite3$")
STAMP = "%Y%m%d-%H%M%S"


class BackupError(PtdeskError):
    """A backup or restore that could not be done; the message says what to do."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime  # local time, from the file name
    reason: str

    @property
    def size_bytes(self) -> int:
        return self.path.stat().st_size


def _stamp_name(db_path: Path, when: datetime, reason: str) -> str:
    suffix = f"-{reason}" if reason else ""
    return f"{db_path.stem}-{when.strftime(STAMP)}{suffix}.sqlite3"


def list_backups(db_path: Path, folder: Path | None = None) -> list[BackupInfo]:
    """Backups of this database, newest first."""
    folder = folder or backup_dir_for(db_path)
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        m = NAME_RE.match(entry.name)
        if not m or m.group("stem") != Path(db_path).stem or not entry.is_file():
            continue
        taken = datetime.strptime(m.group("stamp"), STAMP)
        found.append(BackupInfo(entry, taken, m.group("reason") or ""))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def latest_backup(db_path: Path) -> BackupInfo | None:
    backups = list_backups(db_path)
    return backups[0] if backups else None


def verify_copy(path: Path) -> None:
    """Raise BackupError unless ``path`` is an intact SQLite file."""
    try:
        con = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            result = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise BackupError(f"The file {Path(path).name} is not a readable backup.") from exc
    if result != ["ok"]:
        raise BackupError(f"The file {Path(path).name} is damaged and cannot be used.")


def create_backup(
    db_path: Path,
    out: Path | None = None,
    *,
    reason: str = "",
    now: datetime | None = None,
) -> Path:
    """Copy the database with SQLite's online backup API, verify it, and return its path.

    The copy is written to a temporary name and renamed when complete, so a
    half-written backup never looks like a real one.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        raise BackupError(f"There is no clinic file at {db_path} to back up.")
    now = now or clock.now()
    # File times are the computer's own (not the clinic clock's): the copy is compared with the
    # clinic file's modification time to tell whether anything changed since.
    started = datetime.now().timestamp()
    if out is None:
        folder = backup_dir_for(db_path)
        target = folder / _stamp_name(db_path, now, reason)
        n = 1
        while target.exists():
            target = folder / _stamp_name(db_path, now + timedelta(seconds=n), reason)
            n += 1
    else:
        target = Path(out)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if out is None:
            make_private(target.parent, folder=True)
    except OSError as exc:
        raise BackupError(
            f"Cannot create the backup folder {target.parent}: {exc.strerror}."
        ) from exc
    partial = target.with_name(target.name + ".partial")
    try:
        src = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        verify_copy(partial)
        make_private(partial)
        with partial.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, target)
        # The copy's time is when it started, so a write during the copy counts as a change.
        os.utime(target, (started, started))
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise _backup_error(exc) from exc
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(
            f"The backup could not be written to {target.parent}: {exc.strerror}."
        ) from exc
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    log.info("backup written: %s", target)
    return target


def _backup_error(exc: sqlite3.Error) -> BackupError:
    """What a SQLite error during a backup means, by its result code."""
    from ptdesk.dbfile import SQLITE_BUSY, SQLITE_FULL, SQLITE_LOCKED, sqlite_code

    primary = (sqlite_code(exc) or 0) & 0xFF
    if primary == SQLITE_FULL:
        return BackupError("The disk is full, so the backup could not be written.")
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return BackupError("The clinic file is busy; try the backup again in a moment.")
    log.error("backup failed with a database error: %r", exc, exc_info=exc)
    return BackupError(f"The backup could not be made: {exc}.")


def backups_to_delete(backups: list[BackupInfo], now: datetime | None = None) -> list[BackupInfo]:
    """Thin to the newest backup of each of the last 7 days, 4 weeks and 12 months.

    The days, weeks and months counted are those that have a backup, newest first.
    The newest backup of all is always kept, and so is every safety copy (taken by hand,
    before a restore or before an upgrade) for its first 30 days: a person may be told
    "the data it replaced is kept as ..." and must find it there.
    """
    now = now or clock.now()
    ordered = sorted(backups, key=lambda b: b.taken_at, reverse=True)
    keep: set[Path] = {
        b.path
        for b in ordered
        if b.reason in SAFETY_REASONS and now - b.taken_at <= SAFETY_COPY_DAYS
    }
    if ordered:
        keep.add(ordered[0].path)
    for limit, key in (
        (KEEP_DAILY, lambda b: b.taken_at.date()),
        (KEEP_WEEKLY, lambda b: b.taken_at.isocalendar()[:2]),
        (KEEP_MONTHLY, lambda b: (b.taken_at.year, b.taken_at.month)),
    ):
        seen: list[object] = []
        for b in ordered:
            k = key(b)
            if k in seen:
                continue
            if len(seen) >= limit:
                break
            seen.append(k)
            keep.add(b.path)
    return [b for b in ordered if b.path not in keep]


def thin_backups(db_path: Path) -> list[Path]:
    """Delete backups beyond the keep rules; return what was deleted."""
    removed = []
    for b in backups_to_delete(list_backups(db_path)):
        try:
            b.path.unlink()
            removed.append(b.path)
        except OSError as exc:  # pragma: no cover - logged, not fatal
            log.warning("could not remove old backup %s: %s", b.path, exc)
    return removed


def data_changed_since(db_path: Path, stamp: float) -> bool:
    """Whether the clinic file was written after ``stamp`` (epoch seconds): the file itself, or
    its write-ahead log with changes in it. An empty log says nothing: SQLite makes one each
    time the file is opened, even only to read it."""
    main, wal = Path(db_path), Path(f"{db_path}-wal")
    if main.exists() and main.stat().st_mtime > stamp:
        return True
    if wal.exists():
        info = wal.stat()
        return info.st_size > 0 and info.st_mtime > stamp
    return False


def checkpoint(db_path: Path) -> None:
    """Copy the changes waiting in the write-ahead log into the clinic file (as far as readers
    allow; best effort), so that a backup taken next is stamped after every write to the file:
    closing the file later has nothing left to copy, and nothing looks changed that was not."""
    db_path = Path(db_path)
    if not Path(f"{db_path}-wal").exists():
        return
    try:
        con = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=rw", uri=True, timeout=10)
        try:
            con.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            con.close()
    except sqlite3.Error as exc:
        log.info("no checkpoint before backing up %s: %s", db_path, exc)


def backup_if_changed(
    db_path: Path, *, reason: str, min_age: timedelta | None = None
) -> Path | None:
    """Back up when data changed since the last backup (and that one is older than min_age)."""
    last = latest_backup(db_path)
    if last is not None:
        if min_age is not None and clock.now() - last.taken_at < min_age:
            return None
        if not data_changed_since(db_path, last.path.stat().st_mtime):
            return None
    checkpoint(db_path)
    path = create_backup(db_path, reason=reason)
    thin_backups(db_path)
    return path


def check_backup_candidate(path: Path) -> str:
    """Verify a file chosen for restore; return its schema revision."""
    from ptdesk.dbfile import inspect_file

    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no file at {path}.")
    try:
        state = inspect_file(path)
    except DatabaseProblem as exc:
        why = {
            "newer": "it was saved by a newer version of ptdesk; install that version first",
            "corrupt": "the backup itself is damaged; choose an older backup",
            "not_sqlite": "it is not a ptdesk backup",
            "not_ptdesk": "it is a database of another program, not a ptdesk backup",
            "locked": "another program is using it; close that program and try again",
            "readonly": "ptdesk may not read it",
        }.get(exc.kind, exc.message)
        raise BackupError(f"{path.name} cannot be restored: {why}. Nothing was changed.") from exc
    if state.revision is None:
        raise BackupError("That file is empty or is not a ptdesk backup.")
    verify_copy(path)
    return state.revision


def _is_damaged(db_path: Path) -> bool:
    from ptdesk.dbfile import inspect_file

    try:
        inspect_file(db_path)
    except DatabaseProblem as exc:
        return exc.kind in {"corrupt", "not_sqlite", "not_ptdesk"}
    return False


def set_aside(db_path: Path) -> Path:
    """Move a damaged clinic file (and its journal files) aside, untouched, and return its new name."""
    stamp = clock.now().strftime(STAMP)
    target = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    os.replace(db_path, target)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{db_path}{suffix}")
        if side.exists():
            os.replace(side, Path(f"{target}{suffix}"))
    log.warning("damaged clinic file set aside as %s", target)
    return target


def restore_backup(db_path: Path, backup_file: Path) -> Path | None:
    """Replace the clinic file with a verified backup, after backing up the current file.

    Returns the safety copy of the file that was replaced (None if there was none).
    The caller must have closed its own connections first.
    """
    db_path = Path(db_path)
    backup_file = Path(backup_file)
    check_backup_candidate(backup_file)
    safety = None
    if db_path.exists() and db_path.stat().st_size > 0:
        if _is_damaged(db_path):
            safety = set_aside(db_path)
        else:
            try:
                safety = create_backup(db_path, reason="before-restore")
            except BackupError as exc:
                raise BackupError(
                    f"The current clinic file could not be backed up first, so nothing was "
                    f"restored. {exc.message}"
                ) from exc
    db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        src = sqlite3.connect(f"{backup_file.resolve().as_uri()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(db_path, timeout=10)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=WAL")
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise BackupError(
            f"The restore could not finish: {exc}. The previous file is saved as {safety}."
        ) from exc
    verify_copy(db_path)
    make_database_private(db_path)
    log.info("restored %s from %s (safety copy %s)", db_path, backup_file, safety)
    return safety
