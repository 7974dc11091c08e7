"""Opening the clinic database: the one engine factory, pragmas, checks and migrations."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from ptdesk.config import make_database_private, private_folder
from ptdesk.dbfile import (  # noqa: F401  (re-exported: the file checks were here first)
    _DOWN,
    _REVISION,
    BUSY_TIMEOUT_MS,
    MIGRATIONS_DIR,
    MSG_CORRUPT,
    MSG_DISK_ERROR,
    MSG_DISK_FULL,
    MSG_EMPTIED,
    MSG_LOCKED,
    MSG_MISSING,
    MSG_NEWER,
    MSG_NOT_PTDESK,
    MSG_NOT_SQLITE,
    MSG_READONLY,
    SQLITE_AUTH,
    SQLITE_BUSY,
    SQLITE_CANTOPEN,
    SQLITE_CORRUPT,
    SQLITE_ERROR,
    SQLITE_FULL,
    SQLITE_HEADER,
    SQLITE_IOERR,
    SQLITE_LOCKED,
    SQLITE_NOLFS,
    SQLITE_NOTADB,
    SQLITE_PERM,
    SQLITE_PROTOCOL,
    SQLITE_READONLY,
    FileState,
    IntegrityCheck,
    _damaged_header,
    _map_sqlite_error,
    _open_read_only,
    _quick_check,
    _reads_only,
    _revision_chain,
    alembic_config,
    file_problem,
    head_revision,
    inspect_file,
    known_revisions,
    quick_check,
    script_directory,
    sqlite_code,
)
from ptdesk.errors import DatabaseProblem
from ptdesk.services import clock

log = logging.getLogger(__name__)


def _set_sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
    finally:
        cursor.close()


def make_engine(path_or_url: str | Path) -> Engine:
    """The only place an engine is made. A plain path means a local SQLite file."""
    text = str(path_or_url)
    if "://" in text:  # a server database (PostgreSQL) for a clinic that outgrew one PC
        return create_engine(text, pool_pre_ping=True)
    engine = create_engine(
        f"sqlite:///{Path(text)}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )
    event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


class Database:
    """An open clinic database: its file and its engine."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = Path(path)
        self.engine = engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed as a whole on success, rolled back on any error.

        A SQLite error that reports a problem with the file (its result code says which) comes
        out as a :class:`DatabaseProblem`; any other database error (a misspelt column, a broken
        constraint) is logged as the program error it is and raised as it came.
        """
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except DBAPIError as exc:
                session.rollback()
                problem = file_problem(exc, self.path)
                if problem is None:
                    log.error(
                        "database error in a unit of work on %s (a program error)",
                        self.path,
                        exc_info=exc,
                    )
                    raise
                # "Not a database" from a file already open and in use: it was damaged since.
                raise _damaged_header(problem) from exc
            except BaseException:
                session.rollback()
                raise

    def revision(self) -> str | None:
        with self.engine.connect() as conn:
            try:
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            except OperationalError:  # no version table: a blank file
                return None

    def hold_writes_until(self, check: IntegrityCheck) -> None:
        """Let reads go ahead while ``check`` runs, but make each write wait for its verdict
        (and fail with its problem if the file is damaged)."""

        def gate(_conn, _cursor, statement: str, _params, _context, _many) -> None:
            if check.passed:
                return
            if not _reads_only(statement):
                check.wait()

        event.listen(self.engine, "before_cursor_execute", gate)

    def close(self) -> None:
        self.engine.dispose()


def _migration_engine(url) -> Engine:
    """An engine whose transactions cover schema changes too, so a migration is all or nothing.

    Python's sqlite3 module normally commits before CREATE/ALTER/DROP; here ptdesk issues
    BEGIN itself. Foreign keys are off while tables are rebuilt and checked before commit.
    """
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    def connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=OFF")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
        finally:
            cursor.close()

    def begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    event.listen(engine, "connect", connect)
    event.listen(engine, "begin", begin)
    return engine


def upgrade(engine: Engine, target: str = "head") -> None:
    """Migrate to ``target`` in one transaction (on SQLite); a failure leaves the file as it was."""
    from alembic import command

    cfg = alembic_config()
    if engine.dialect.name != "sqlite":
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, target)
        return
    engine.dispose()
    migration = _migration_engine(engine.url)
    try:
        with migration.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, target)
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise DatabaseProblem(
                    "corrupt",
                    "Upgrading the clinic file would leave records pointing at records that do "
                    "not exist, so nothing was changed. Contact support.",
                )
    finally:
        migration.dispose()


def open_database(
    path: Path | str, *, create: bool = True, backup: bool = True, check: bool = True
) -> Database:
    """Check, back up if a migration is due, migrate to head, and return the open database.

    ``check=False`` leaves the whole-file integrity check (``quick_check``) to the caller, who
    runs it right after the window is shown; a file that needs a migration is still checked
    here first, since migrating rewrites it.
    """
    path = Path(path)
    state = inspect_file(path, check=check)
    if not check and not state.is_blank and state.revision != head_revision():
        quick_check(path)
    if state.exists and path.stat().st_size == 0:
        from ptdesk.backup import latest_backup

        if latest_backup(path) is not None:  # emptied, not new: never start over silently
            raise DatabaseProblem("corrupt", MSG_EMPTIED)
    if not state.exists:
        if not create:
            raise DatabaseProblem("missing", MSG_MISSING.format(path=path))
        try:
            private_folder(path.parent)
        except OSError as exc:
            raise DatabaseProblem("readonly", MSG_READONLY) from exc
    needs_upgrade = state.revision != head_revision()
    if needs_upgrade and backup and not state.is_blank:
        from ptdesk.backup import create_backup

        create_backup(path, reason="before-upgrade")
    engine = make_engine(path)
    try:
        if needs_upgrade:
            log.info("migrating %s from %s to %s", path, state.revision, head_revision())
            upgrade(engine)
        # Connect once now, so a locked or unreadable file fails here; the clinic's time zone
        # is read on the way, so the clock runs in it before anything is shown.
        with engine.connect() as connection:
            zone = clinic_time_zone(connection)
    except DBAPIError as exc:
        engine.dispose()
        problem = _map_sqlite_error(exc, path)
        if problem.kind == "missing" and create:  # it could not be made: the folder is read-only
            problem = DatabaseProblem("readonly", MSG_READONLY)
        raise problem from exc
    clock.use_stored_zone(zone)
    make_database_private(path)
    return Database(path, engine)


def clinic_time_zone(connection: Connection) -> str:
    """The clinic's time zone as the clinic profile keeps it ("" for the computer's own)."""
    row = connection.execute(text("SELECT time_zone FROM clinic_profile WHERE id = 1")).first()
    return row[0] if row is not None and row[0] else ""


@dataclass
class CheckReport:
    """The result of 'Check database', in sentences."""

    ok: bool
    lines: list[str]
    revision: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def check_database(path: Path | str, *, optimize: bool = False) -> CheckReport:
    """Full integrity check, foreign keys and schema version, without changing the data.

    With ``optimize`` (the UI's Check database), SQLite's statistics are refreshed too.
    """
    path = Path(path)
    if not path.exists():
        return CheckReport(False, [MSG_MISSING.format(path=path)])
    try:
        state = inspect_file(path)
    except DatabaseProblem as exc:
        return CheckReport(False, [exc.message])
    if state.is_blank:
        return CheckReport(False, ["The file is empty: it holds no clinic yet."])
    lines: list[str] = []
    ok = True
    mode = "rw" if optimize else "ro"
    con = sqlite3.connect(
        f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
    )
    try:
        result = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
        if result == ["ok"]:
            lines.append("Integrity check: no damage found.")
        else:
            ok = False
            lines.append(
                "Integrity check found damage: restore the latest backup or contact support."
            )
            lines.extend(f"  {r}" for r in result[:10])
        fk = con.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            ok = False
            lines.append(f"{len(fk)} records point at records that no longer exist.")
        else:
            lines.append("Links between records: all intact.")
        if optimize and ok:  # nothing is written to a file found damaged
            con.execute("PRAGMA optimize")
            lines.append("Search statistics refreshed.")
    except sqlite3.Error as exc:
        problem = _map_sqlite_error(exc, path)
        return CheckReport(False, [*lines, problem.message], state.revision)
    finally:
        con.close()
    head = head_revision()
    if state.revision == head:
        lines.append(f"Data format: version {state.revision}, current.")
    else:
        lines.append(
            f"Data format: version {state.revision}; ptdesk will upgrade it to {head} when it opens."
        )
    size_mb = path.stat().st_size / 1_048_576
    lines.append(f"File size: {size_mb:.1f} MB.")
    return CheckReport(ok, lines, state.revision)
