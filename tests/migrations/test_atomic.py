"""A migration that fails part-way leaves the clinic file exactly as it was."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import alembic.command
import pytest

from ptdesk.db import head_revision, make_engine, upgrade

DATA = Path(__file__).parent / "data"


def _tables(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        con.close()


def _revision(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


def test_failed_upgrade_is_rolled_back_whole(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite3"
    shutil.copy(DATA / "schema-0001.sqlite3", path)
    before_tables = _tables(path)
    real = alembic.command.upgrade

    def half_then_fail(cfg, target):
        real(cfg, "0005")  # several migrations run: tables created, columns added...
        raise RuntimeError("power dipped")

    monkeypatch.setattr(alembic.command, "upgrade", half_then_fail)
    engine = make_engine(path)
    with pytest.raises(RuntimeError):
        upgrade(engine)
    engine.dispose()
    assert _revision(path) == "0001"
    assert _tables(path) == before_tables
    monkeypatch.setattr(alembic.command, "upgrade", real)
    engine = make_engine(path)
    upgrade(engine)  # and the file still upgrades afterwards
    engine.dispose()
    assert _revision(path) == head_revision()
