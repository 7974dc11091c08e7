"""Migration 0005 (equipment): upgrades a file that has data, and steps back down cleanly."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from ptdesk.db import alembic_config, head_revision, make_engine, script_directory

EQUIPMENT_TABLES = {"equipment", "cleaning_log", "water_reading", "equipment_settings"}


def _run(engine, fn, target: str) -> None:
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        fn(cfg, target)


def test_equipment_tables_come_and_go_without_touching_other_data(tmp_path):
    engine = make_engine(tmp_path / "clinic.sqlite3")
    before = script_directory().get_revision("0005").down_revision
    assert isinstance(before, str)
    try:
        _run(engine, command.upgrade, before)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO room (name, kind, active, created_at, updated_at) "
                    "VALUES ('Gym', 'gym', 1, '2026-01-01', '2026-01-01')"
                )
            )
        assert not EQUIPMENT_TABLES & set(inspect(engine).get_table_names())
        _run(engine, command.upgrade, head_revision())
        assert set(inspect(engine).get_table_names()) >= EQUIPMENT_TABLES
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO equipment (name, category, room_id, asset_tag, serial_number, "
                    "cleaning_interval, product, contact_minutes, in_service, out_of_service_reason,"
                    " notes, active, created_at, updated_at) VALUES ('Bike', 'other', 1, '', '', "
                    "'daily', '', 0, 1, '', '', 1, '2026-01-01', '2026-01-01')"
                )
            )
        _run(engine, command.downgrade, before)
        assert not EQUIPMENT_TABLES & set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM room")).scalars().all() == ["Gym"]
    finally:
        engine.dispose()
