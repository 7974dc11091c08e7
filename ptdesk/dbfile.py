"""The clinic file on disk: a read-only look at it, SQLite's error codes in words, the
whole-file integrity check, and the revisions the shipped migrations know.

Both the database layer (``db``) and the backups (``backup``) build on this module, so neither
has to import the other to understand a file.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ptdesk.errors import DatabaseProblem

if TYPE_CHECKING:  # Alembic loads only when a file needs migrating (it is slow to import).
    from alembic.config import Config
    from alembic.script import ScriptDirectory

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

MSG_NEWER = (
    "This clinic file was saved by a newer version of ptdesk. "
    "Install the newer ptdesk to open it; the file has not been changed."
)
MSG_CORRUPT = (
    "The clinic file is damaged and cannot be opened safely. "
    "Restore the latest backup, or contact support. The damaged file has not been changed."
)
MSG_NOT_SQLITE = (
    "This file is not a ptdesk clinic file. Choose the clinic file (ending in .sqlite3) "
    "or restore a backup. The file has not been changed."
)
MSG_NOT_PTDESK = (
    "This is a database file, but not one made by ptdesk. Choose the clinic file or restore "
    "a backup. The file has not been changed."
)
MSG_LOCKED = (
    "The clinic file is busy: another program is writing to it. "
    "Close the other program (or the other ptdesk window) and try again."
)
MSG_READONLY = (
    "ptdesk may not write to the clinic file or its folder. "
    "Ask whoever manages this computer to give you write permission, or move the file."
)
MSG_MISSING = "There is no clinic file at {path}."
MSG_DISK_ERROR = (
    "The disk refused to read or write the clinic file (it may be full, unplugged or failing), "
    "so nothing was saved and nothing was half-saved. Free some space or check the drive, "
    "then try again; if it keeps happening, contact support."
)
MSG_EMPTIED = (
    "The clinic file is empty: its data was lost, but ptdesk has backups of it. "
    "Restore the latest backup. The empty file has not been changed."
)


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


_REVISION = re.compile(r"^revision(?:\s*:[^=]+)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision(?:\s*:[^=]+)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)


@cache
def _revision_chain() -> tuple[frozenset[str], str]:
    """Every shipped revision and the head, read from the migration files' headers.

    Opening a file that is already current then needs no Alembic import; migrating still goes
    through Alembic, and a test proves this agrees with Alembic's own view.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        found = _REVISION.search(source)
        if found is None:
            continue
        revisions.add(found.group(1))
        down = _DOWN.search(source)
        if down is not None:
            parents.add(down.group(1))
    heads = revisions - parents
    if len(heads) != 1:  # a branched history: let Alembic say what is what
        script = script_directory()
        head = script.get_current_head()
        assert head is not None
        return frozenset(r.revision for r in script.walk_revisions()), head
    return frozenset(revisions), heads.pop()


def head_revision() -> str:
    return _revision_chain()[1]


def known_revisions() -> set[str]:
    return set(_revision_chain()[0])


@dataclass
class FileState:
    """What a read-only look at a database file found."""

    path: Path
    exists: bool
    revision: str | None = None
    tables: list[str] = field(default_factory=list)

    @property
    def is_blank(self) -> bool:
        return not self.tables


MSG_DISK_FULL = (
    "The disk is full, so ptdesk could not save. Free some space and try again; "
    "nothing was half-saved."
)

# SQLite's primary result codes (https://www.sqlite.org/rescode.html). Python reports the
# extended code (e.g. SQLITE_IOERR_WRITE = 778); its low byte is the primary code.
SQLITE_ERROR = 1  # a mistake in the statement ("no such column"): a program error
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_PROTOCOL = 15
SQLITE_NOLFS = 22
SQLITE_AUTH = 23
SQLITE_NOTADB = 26


def sqlite_code(exc: BaseException | None) -> int | None:
    """The SQLite result code of an error (extended, as SQLite gave it), looking through
    SQLAlchemy's wrapper and the causes; None when it did not come from SQLite."""
    seen = 0
    while exc is not None and seen < 5:
        code = getattr(exc, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code
        exc = getattr(exc, "orig", None) or exc.__cause__
        seen += 1
    return None


def file_problem(exc: BaseException, path: Path) -> DatabaseProblem | None:
    """The problem with the clinic file that a SQLite error reports, by its result code.

    None for an error that says nothing about the file (a misspelt column, a broken rule of
    the schema, an error not from SQLite): that is a program error, not the clinic's to fix.
    """
    code = sqlite_code(exc)
    if code is None:
        return None
    primary = code & 0xFF
    if primary in (SQLITE_BUSY, SQLITE_LOCKED, SQLITE_PROTOCOL):
        return DatabaseProblem("locked", MSG_LOCKED)
    if primary == SQLITE_NOTADB:
        return DatabaseProblem("not_sqlite", MSG_NOT_SQLITE)
    if primary == SQLITE_CORRUPT:
        return DatabaseProblem("corrupt", MSG_CORRUPT)
    if primary in (SQLITE_READONLY, SQLITE_PERM, SQLITE_AUTH):
        return DatabaseProblem("readonly", MSG_READONLY)
    if primary == SQLITE_CANTOPEN:
        if path.exists():
            return DatabaseProblem("readonly", MSG_READONLY)
        return DatabaseProblem("missing", MSG_MISSING.format(path=path))
    if primary == SQLITE_FULL:
        return DatabaseProblem("disk_full", MSG_DISK_FULL)
    if primary in (SQLITE_IOERR, SQLITE_NOLFS):  # the drive refused; the file is not damaged
        return DatabaseProblem("disk_error", MSG_DISK_ERROR)
    return None


def _map_sqlite_error(exc: BaseException, path: Path) -> DatabaseProblem:
    """``file_problem``, or, for an error that is not a file problem, the error itself raised
    again after logging it as the program error it is."""
    problem = file_problem(exc, path)
    if problem is None:
        log.error(
            "database error that is not a problem of the file %s (a program error): %r",
            path,
            exc,
            exc_info=exc,
        )
        raise exc
    return problem


def _damaged_header(problem: DatabaseProblem) -> DatabaseProblem:
    """A file that starts like SQLite but that SQLite cannot read is a damaged clinic file."""
    if problem.kind == "not_sqlite":
        return DatabaseProblem("corrupt", MSG_CORRUPT)
    return problem


def _quick_check(con: sqlite3.Connection, path: Path) -> None:
    rows = con.execute("PRAGMA quick_check").fetchall()
    if [r[0] for r in rows] != ["ok"]:
        log.error("quick_check on %s: %s", path, rows[:10])
        raise DatabaseProblem("corrupt", MSG_CORRUPT)


def _open_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot change a byte of the file."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise _damaged_header(_map_sqlite_error(exc, path)) from exc


def quick_check(path: Path | str) -> None:
    """SQLite's quick integrity check of the whole file, read-only (it reads every page, so it
    takes a moment on a large clinic). Raises :class:`DatabaseProblem` when damage is found."""
    path = Path(path)
    con = _open_read_only(path)
    try:
        _quick_check(con, path)
    except sqlite3.Error as exc:
        raise _damaged_header(_map_sqlite_error(exc, path)) from exc
    finally:
        con.close()


def _reads_only(statement: str) -> bool:
    """A SELECT, or a PRAGMA that sets nothing; anything else counts as a write."""
    head = statement.lstrip()[:6].upper()
    return head == "SELECT" or (head == "PRAGMA" and "=" not in statement)


class IntegrityCheck:
    """The whole-file integrity check, run beside the start-up instead of before it.

    ``run`` (in a worker thread) reads the file on its own read-only connection; a database
    gated with :meth:`Database.hold_writes_until` lets reads go ahead meanwhile but makes every
    write wait for the verdict, and refuses it if damage was found. So nothing is ever written
    to a file that has not passed its check, and reading a damaged page fails as it always
    does (SQLite reports it).
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.problem: DatabaseProblem | None = None
        self._done = threading.Event()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    @property
    def passed(self) -> bool:
        return self._done.is_set() and self.problem is None

    def run(self) -> None:
        """Check now (blocking); raises the problem found, as :func:`quick_check` does."""
        try:
            quick_check(self.path)
        except DatabaseProblem as problem:
            self.problem = problem
            raise
        except Exception as exc:  # could not even run: treat the file as unproven
            log.error("integrity check of %s could not run: %r", self.path, exc)
            self.problem = DatabaseProblem("corrupt", MSG_CORRUPT)
            raise self.problem from exc
        finally:
            self._done.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the verdict (True when it came); raises the problem if damage was found."""
        if not self._done.wait(timeout):
            return False
        if self.problem is not None:
            raise DatabaseProblem(self.problem.kind, self.problem.message)
        return True


def inspect_file(path: Path, *, check: bool = True) -> FileState:
    """Look at a database file without changing a byte of it.

    Raises :class:`DatabaseProblem` for a file that is not SQLite, is damaged,
    is locked, or was written by a newer ptdesk. With ``check=False`` the whole-file integrity
    check is left to the caller (``quick_check``); the header, schema version and the refusal
    of newer or foreign files stay.
    """
    path = Path(path)
    if not path.exists():
        return FileState(path=path, exists=False)
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except PermissionError as exc:
        raise DatabaseProblem("readonly", MSG_READONLY) from exc
    if path.stat().st_size == 0:
        return FileState(path=path, exists=True)
    if header != SQLITE_HEADER:
        raise DatabaseProblem("not_sqlite", MSG_NOT_SQLITE)
    con = _open_read_only(path)
    try:
        if check:
            _quick_check(con, path)
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        revision = None
        if "alembic_version" in tables:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    except sqlite3.Error as exc:
        raise _damaged_header(_map_sqlite_error(exc, path)) from exc
    finally:
        con.close()
    state = FileState(path=path, exists=True, revision=revision, tables=tables)
    if revision is not None and revision not in known_revisions():
        raise DatabaseProblem("newer", MSG_NEWER)
    if revision is None and tables:
        raise DatabaseProblem("not_ptdesk", MSG_NOT_PTDESK)
    return state
