"""What the migration tests compare: the models' schema against a file's, and a file's rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine
from sqlmodel import SQLModel

import ptdesk.models  # noqa: F401  (registers every table in SQLModel.metadata)


def model_drift(engine: Engine) -> list[Any]:
    """Alembic's differences between the database behind ``engine`` and the models."""
    with engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), SQLModel.metadata))


def _tables(con: sqlite3.Connection) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version' ORDER BY name"
        )
    ]


def file_shape(path: Path) -> dict[str, Any]:
    """Every table's columns, indexes and triggers, as SQLite reports them (not the SQL text,
    which differs between a table made whole and one grown by ALTER TABLE)."""
    con = sqlite3.connect(path)
    try:
        shape: dict[str, Any] = {}
        for table in _tables(con):
            columns = {
                r[1]: (r[2].upper(), r[3], r[4], r[5])
                for r in con.execute(f'PRAGMA table_info("{table}")')
            }
            indexes = {}
            for _, name, unique, origin, partial in con.execute(f'PRAGMA index_list("{table}")'):
                cols = tuple(r[2] for r in con.execute(f'PRAGMA index_info("{name}")'))
                key = name if origin == "c" else f"{origin}:{cols}"
                indexes[key] = (unique, partial, cols)
            keys = sorted(tuple(r[2:5]) for r in con.execute(f'PRAGMA foreign_key_list("{table}")'))
            shape[table] = {"columns": columns, "indexes": indexes, "foreign_keys": keys}
        shape["triggers"] = sorted(
            con.execute("SELECT name, tbl_name FROM sqlite_master WHERE type='trigger'").fetchall()
        )
        return shape
    finally:
        con.close()


def file_rows(path: Path) -> dict[str, dict[tuple[Any, ...], dict[str, Any]]]:
    """Every row of every table, keyed by its primary key, as SQLite stores it."""
    con = sqlite3.connect(path)
    try:
        rows: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
        for table in _tables(con):
            info = list(con.execute(f'PRAGMA table_info("{table}")'))
            names = [r[1] for r in info]
            key_at = [names.index(r[1]) for r in sorted(info, key=lambda r: r[5]) if r[5]]
            assert key_at, f"{table} has no primary key to find its rows by"
            found: dict[tuple[Any, ...], dict[str, Any]] = {}
            for values in con.execute(f'SELECT * FROM "{table}"'):
                found[tuple(values[i] for i in key_at)] = dict(zip(names, values, strict=True))
            rows[table] = found
        return rows
    finally:
        con.close()
