"""Database errors are told apart by SQLite's result code: a problem with the clinic file is
explained in words; a mistake in a query is a program error, never "the file is damaged"."""

from __future__ import annotations

import logging
import shutil
import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from ptdesk.db import MSG_CORRUPT, MSG_DISK_ERROR, MSG_LOCKED, file_problem, open_database
from ptdesk.errors import DatabaseProblem


def damage(path) -> None:
    """Overwrite pages in the middle of the file; the header and schema page stay intact."""
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.seek((size // 2) // 4096 * 4096)
        fh.write(b"\xa5" * 4096 * 16)


def test_a_misspelt_column_is_a_program_error_not_a_damaged_file(db, caplog):
    caplog.set_level(logging.ERROR, logger="ptdesk.db")
    with pytest.raises(OperationalError) as raised, db.session() as s:
        s.exec(text("SELECT chart_numbr FROM patient"))
    assert not isinstance(raised.value, DatabaseProblem)
    assert raised.value.orig.sqlite_errorname == "SQLITE_ERROR"
    assert "no such column" in str(raised.value)
    logged = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert logged and "program error" in logged[0].getMessage()
    with db.session() as s:  # the file is fine: the next unit of work goes ahead
        assert s.exec(text("SELECT count(*) FROM patient")).one() == (0,)


def test_a_really_damaged_file_is_still_reported_as_damaged(demo_template, tmp_path):
    path = tmp_path / "clinic" / "ptdesk.sqlite3"
    path.parent.mkdir()
    shutil.copy(demo_template, path)
    damage(path)
    db = open_database(path, check=False)  # the whole-file check is left for later
    try:
        with pytest.raises(DatabaseProblem) as problem, db.session() as s:
            for (table,) in s.exec(
                text("SELECT name FROM sqlite_master WHERE type = 'table'")
            ).all():
                s.exec(text(f'SELECT * FROM "{table}"')).all()
    finally:
        db.close()
    assert (problem.value.kind, problem.value.message) == ("corrupt", MSG_CORRUPT)
    assert problem.value.__cause__.orig.sqlite_errorcode & 0xFF == 11  # SQLITE_CORRUPT


def _error(code: int) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError("some words that do not matter")
    exc.sqlite_errorcode = code
    return exc


@pytest.mark.parametrize(
    ("code", "kind", "message"),
    [
        (11, "corrupt", MSG_CORRUPT),  # SQLITE_CORRUPT
        (5, "locked", MSG_LOCKED),  # SQLITE_BUSY
        (262, "locked", MSG_LOCKED),  # SQLITE_LOCKED_SHAREDCACHE
        (10, "disk_error", MSG_DISK_ERROR),  # SQLITE_IOERR
        (778, "disk_error", MSG_DISK_ERROR),  # SQLITE_IOERR_WRITE
        (13, "disk_full", None),  # SQLITE_FULL
        (8, "readonly", None),  # SQLITE_READONLY
        (26, "not_sqlite", None),  # SQLITE_NOTADB
    ],
)
def test_file_problems_are_known_by_their_code_not_their_words(tmp_path, code, kind, message):
    problem = file_problem(_error(code), tmp_path / "clinic.sqlite3")
    assert problem is not None and problem.kind == kind
    if message is not None:
        assert problem.message == message


@pytest.mark.parametrize("code", [1, 19, 2067, 20])  # ERROR, CONSTRAINT(_UNIQUE), MISMATCH
def test_other_codes_are_not_file_problems_even_if_their_words_sound_like_one(tmp_path, code):
    exc = sqlite3.OperationalError("database disk image is malformed; disk is full; locked")
    exc.sqlite_errorcode = code
    assert file_problem(exc, tmp_path / "clinic.sqlite3") is None


def test_an_error_not_from_sqlite_is_not_a_file_problem(tmp_path):
    assert file_problem(RuntimeError("disk is full"), tmp_path / "clinic.sqlite3") is None
