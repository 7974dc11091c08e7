"""Every released schema has a kept clinic file, and each upgrades to today's with nothing lost.

The files in data/ were written by make_old_file.py: a fresh file upgraded to exactly one
released revision and filled with a few rows in every table that revision has.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from ptdesk.db import head_revision, make_engine, open_database, script_directory, upgrade
from tests.migrations.schema_helpers import file_rows, file_shape, model_drift

DATA = Path(__file__).parent / "data"

# Every released migration: its file, its revision id and the one it follows. A released
# migration keeps these for ever (clinic files record the id); a new one goes after the last.
RELEASED: list[tuple[str, str, str | None]] = [
    ("0001_core_tables.py", "0001", None),
    ("0002_patient_profile.py", "0002", "0001"),
    ("0004_schedule.py", "0004", "0002"),
    ("0005_equipment.py", "0005", "0004"),
    ("0006_exercises.py", "0006", "0005"),
    ("0007_transfers.py", "0007", "0006"),
    ("0008_sessions.py", "0008", "0007"),
    ("0009_sign_in.py", "0009", "0008"),
    ("0011_outages_closed_days.py", "0011", "0009"),
    ("0012_audit_append_only.py", "0012", "0011"),
    ("0013_report_indexes.py", "0013", "0012"),
]
REVISIONS = [revision for _, revision, _ in RELEASED]


def _old_file(revision: str) -> Path:
    return DATA / f"schema-{revision}.sqlite3"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clinic file made today: migrated from empty to the head."""
    path = tmp_path_factory.mktemp("fresh") / "fresh.sqlite3"
    engine = make_engine(path)
    upgrade(engine)
    engine.dispose()
    return path


def test_released_migrations_keep_their_ids_and_order():
    chain = list(reversed(list(script_directory().walk_revisions())))
    found = [(Path(r.path).name, r.revision, r.down_revision) for r in chain[: len(RELEASED)]]
    assert found == RELEASED


def test_every_released_migration_has_its_old_file():
    kept = sorted(p.stem.removeprefix("schema-") for p in DATA.glob("schema-*.sqlite3"))
    assert kept == REVISIONS
    for revision in REVISIONS:
        con = sqlite3.connect(f"{_old_file(revision).as_uri()}?mode=ro", uri=True)
        try:
            assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [
                (revision,)
            ]
        finally:
            con.close()


@pytest.mark.parametrize("revision", REVISIONS)
def test_old_file_has_rows_in_every_table(revision):
    empty = [t for t, rows in file_rows(_old_file(revision)).items() if not rows]
    assert empty == [], f"schema-{revision} has tables without rows: {empty}"


@pytest.mark.parametrize("revision", REVISIONS)
def test_old_file_upgrades_to_the_models_schema_keeping_every_row(revision, tmp_path, fresh):
    path = tmp_path / "clinic.sqlite3"
    shutil.copy(_old_file(revision), path)
    before = file_rows(path)

    db = open_database(path)
    try:
        assert db.revision() == head_revision()
    finally:
        db.close()

    after = file_rows(path)
    for table, rows in before.items():
        assert table in after, f"table {table} is gone"
        assert len(after[table]) == len(rows), f"{table} had {len(rows)} rows"
        for key, row in rows.items():
            assert key in after[table], f"{table} row {key} is gone"
            now = after[table][key]
            assert [c for c in row if c not in now] == [], f"{table} lost columns"
            assert {c: now[c] for c in row} == row, f"{table} row {key} changed"

    engine = make_engine(path)
    try:
        drift = model_drift(engine)
    finally:
        engine.dispose()
    assert drift == [], f"the upgraded schema-{revision} differs from the models: {drift}"
    old, today = file_shape(path), file_shape(fresh)
    differs = sorted(k for k in old.keys() | today.keys() if old.get(k) != today.get(k))
    assert differs == [], f"the upgraded schema-{revision} differs from a new file in {differs}"
