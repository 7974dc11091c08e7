"""Migration 0004 upgrades a file holding appointments, and downgrades again."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from ptdesk.db import alembic_config, make_engine, open_database


def _to(engine, revision: str, down: bool = False) -> None:
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(cfg, revision)


def test_upgrade_keeps_appointments_and_fills_new_columns(tmp_path):
    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    _to(engine, "0002")
    with engine.begin() as c:
        c.execute(text("INSERT INTO staff (name, role, credentials, color, working_hours, active, "
                       "created_at, updated_at) VALUES ('Ana', 'therapist', '', '#123456', '{}', 1, "
                       "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"))  # fmt: skip
        c.execute(text("INSERT INTO patient (chart_number, first_name, last_name, phone, email, "
                       "notes, active, address, emergency_contact_name, emergency_contact_phone, "
                       "precautions, weight_bearing, cooperation, assistance_level, "
                       "assistive_device, created_at, updated_at) VALUES ('000001', 'Mia', "
                       "'Lopez', '', '', '', 1, '', '', '', '', '', '', '', '', "
                       "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"))  # fmt: skip
        c.execute(text("INSERT INTO appointment (patient_id, staff_id, start, \"end\", status, kind, "
                       "notes, cancel_reason, created_at, updated_at) VALUES (1, 1, "
                       "'2026-03-02 09:00:00', '2026-03-02 09:45:00', 'cancelled', 'treatment', "
                       "'', 'Weather', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"))  # fmt: skip
    engine.dispose()
    db = open_database(path)
    try:
        with db.engine.connect() as c:
            row = c.execute(
                text("SELECT late_cancel, override_reason, series_id, arrived_at FROM appointment")
            ).one()
        assert tuple(row) == (0, "", None, None)
    finally:
        db.close()
    engine = make_engine(path)
    _to(engine, "0002", down=True)
    with engine.connect() as c:
        columns = {r[1] for r in c.execute(text("PRAGMA table_info(appointment)"))}
        tables = {
            r[0] for r in c.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
        }
    engine.dispose()
    assert "late_cancel" not in columns and "cancel_reason" in columns
    assert "appointment_series" not in tables and "appointment_status_change" not in tables
