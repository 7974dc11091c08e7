"""Migration 0006 adds the exercise tables to a clinic file that already holds patients."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import inspect, text

from ptdesk.db import alembic_config, make_engine, open_database
from ptdesk.services import exercises, programs


def test_upgrade_keeps_patients_and_adds_empty_programs(tmp_path):
    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0002")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO patient (chart_number, first_name, last_name, phone, email, address,"
                " emergency_contact_name, emergency_contact_phone, notes, precautions,"
                " weight_bearing, cooperation, assistance_level, assistive_device, active,"
                " created_at, updated_at) VALUES ('000001', 'Ana', 'Diaz', '', '', '', '', '',"
                " '', 'Fall risk', '', '', '', '', 1, '2026-01-01', '2026-01-01')"
            )
        )
    engine.dispose()
    db = open_database(path, backup=False)
    try:
        tables = set(inspect(db.engine).get_table_names())
        assert {"exercise", "home_program", "program_exercise"} <= tables
        with db.session() as s:
            assert programs.get_program(s, 1) is None
            assert len(exercises.list_exercises(s)) == len(exercises.library())
            rows = programs.list_program_patients(s, today=date(2026, 3, 2))
        assert [(r.name, r.status) for r in rows] == [("Ana Diaz", "No program")]
    finally:
        db.close()
