"""Migrations give exactly the schema the models declare, and upgrade files that hold data."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from ptdesk.backup import list_backups
from ptdesk.db import head_revision, make_engine, open_database, script_directory, upgrade
from tests.migrations.schema_helpers import model_drift

DATA = Path(__file__).parent / "data"


def test_migrating_from_empty_gives_the_models_schema(tmp_path):
    engine = make_engine(tmp_path / "fresh.sqlite3")
    upgrade(engine)
    drift = model_drift(engine)
    engine.dispose()
    assert drift == [], f"models and migrations differ: {drift}"


def test_revisions_form_one_line():
    revisions = list(script_directory().walk_revisions())
    assert len(script_directory().get_heads()) == 1
    assert sum(1 for r in revisions if r.down_revision is None) == 1


def _counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "AND name != 'alembic_version'"
            )
        ]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


OLD_FILES = sorted(DATA.glob("schema-*.sqlite3"))


@pytest.mark.parametrize("old", OLD_FILES, ids=[p.stem for p in OLD_FILES])
def test_each_released_schema_upgrades_with_its_rows(old, tmp_path):
    path = tmp_path / "clinic.sqlite3"
    shutil.copy(old, path)
    before = _counts(path)
    assert before["appointment"] > 0 and before["patient"] > 0
    db = open_database(path)
    try:
        assert db.revision() == head_revision()
    finally:
        db.close()
    after = _counts(path)
    for table, n in before.items():
        assert after[table] == n, f"{table} lost rows in the upgrade"
    con = sqlite3.connect(path)
    try:
        first = con.execute(
            "SELECT p.last_name, a.start, a.status FROM appointment a JOIN patient p "
            "ON p.id = a.patient_id ORDER BY a.id LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    assert first == ("Rivera", "2026-03-02 09:00:00.000000", "completed")
    if old.stem.removeprefix("schema-") != head_revision():
        assert any(b.reason == "before-upgrade" for b in list_backups(path))


def test_every_step_upgrades_a_database_with_rows(tmp_path):
    """Walk the chain one revision at a time from the oldest kept file."""
    from alembic import command

    from ptdesk.db import alembic_config

    path = tmp_path / "steps.sqlite3"
    shutil.copy(OLD_FILES[0], path)
    before = _counts(path)
    engine = make_engine(path)
    revisions = [r.revision for r in reversed(list(script_directory().walk_revisions()))]
    start = revisions.index(OLD_FILES[0].stem.removeprefix("schema-"))
    for rev in revisions[start + 1 :]:
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, rev)
        counts = _counts(path)
        for table, n in before.items():
            assert counts[table] == n, f"{table} lost rows going to {rev}"
    engine.dispose()
