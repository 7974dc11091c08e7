"""Writes tests/migrations/data/schema-REV.sqlite3: a small clinic at one schema revision.

Run once when a release changes the schema: python tests/migrations/make_old_file.py REV
The rows are written with plain SQL so the file does not depend on today's models.
"""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from sqlalchemy import text

from ptdesk.db import alembic_config, make_engine

ROWS = [
    "INSERT INTO staff (id, name, role, credentials, active, created_at, updated_at) VALUES "
    "(1, 'Olivia Owner', 'owner', 'PT, DPT', 1, '2026-01-05 09:00:00', '2026-01-05 09:00:00'),"
    "(2, 'Terry Tech', 'technician', 'PT Aide', 1, '2026-01-05 09:00:00', '2026-01-05 09:00:00')",
    "INSERT INTO room (id, name, kind, active, created_at, updated_at) VALUES "
    "(1, 'Gym', 'gym', 1, '2026-01-05 09:00:00', '2026-01-05 09:00:00')",
    "INSERT INTO patient (id, chart_number, first_name, last_name, date_of_birth, phone, email, "
    "notes, active, created_at, updated_at) VALUES "
    "(1, '000001', 'Maria', 'Rivera', '1961-04-02', '555-201-1111', '', 'Left knee', 1, "
    "'2026-02-20 10:00:00', '2026-02-20 10:00:00'),"
    "(2, '000002', 'Sam', 'Lee', '1990-11-30', '', 'sam@example.com', '', 1, "
    "'2026-02-21 10:00:00', '2026-02-21 10:00:00')",
    'INSERT INTO appointment (id, patient_id, staff_id, room_id, start, "end", status, kind, '
    "notes, cancelled_at, cancel_reason, created_at, updated_at) VALUES "
    "(1, 1, 1, 1, '2026-03-02 09:00:00.000000', '2026-03-02 09:45:00.000000', 'completed', "
    "'evaluation', '', NULL, '', '2026-02-20 10:00:00', '2026-02-20 10:00:00'),"
    "(2, 1, 2, 1, '2026-03-04 09:00:00.000000', '2026-03-04 09:45:00.000000', 'cancelled', "
    "'treatment', '', '2026-03-03 15:00:00', 'Patient ill', '2026-02-20 10:00:00', "
    "'2026-03-03 15:00:00'),"
    "(3, 2, 1, NULL, '2026-03-05 14:00:00.000000', '2026-03-05 14:45:00.000000', 'scheduled', "
    "'treatment', 'bring shoes', NULL, '', '2026-02-21 10:00:00', '2026-02-21 10:00:00')",
    "INSERT INTO audit_event (id, at, actor_id, actor_name, action, entity, entity_id, summary, "
    "changes) VALUES (1, '2026-02-20 10:00:00', 1, 'Olivia Owner', 'create', 'patient', '1', "
    "'Patient added', '{}')",
]


def main(rev: str) -> Path:
    out = Path(__file__).parent / "data" / f"schema-{rev}.sqlite3"
    out.unlink(missing_ok=True)
    engine = make_engine(out)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, rev)
        for sql in ROWS:
            conn.execute(text(sql))
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
    engine.dispose()
    return out


if __name__ == "__main__":
    print(main(sys.argv[1]))
