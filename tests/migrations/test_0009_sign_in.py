"""Migration 0009 adds PINs, lockout, the idle-lock setting and audit patient links to a file with data."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from ptdesk.db import alembic_config, make_engine, open_database
from ptdesk.services import auth


def _to(engine, revision: str, down: bool = False) -> None:
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(cfg, revision)


def test_upgrade_gives_existing_staff_no_pin_and_the_clinic_a_five_minute_lock(tmp_path):
    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    _to(engine, "0006")
    with engine.begin() as c:
        c.execute(text("INSERT INTO staff (name, role, credentials, color, working_hours, active, "
                       "created_at, updated_at) VALUES ('Ana', 'owner', '', '#123456', '{}', 1, "
                       "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"))  # fmt: skip
        c.execute(text("UPDATE clinic_profile SET name = 'Old PT'"))
        c.execute(text("INSERT INTO audit_event (at, actor_id, actor_name, action, entity, "
                       "entity_id, summary, changes) VALUES ('2026-01-01 00:00:00', 1, 'Ana', "
                       "'create', 'staff', '1', '', '{}')"))  # fmt: skip
    engine.dispose()
    db = open_database(path)
    try:
        with db.engine.connect() as c:
            staff = c.execute(text("SELECT pin_hash, failed_pins, locked_until FROM staff")).one()
            minutes = c.execute(text("SELECT idle_lock_minutes FROM clinic_profile")).scalar()
            patient = c.execute(text("SELECT patient_id FROM audit_event")).scalar()
        assert tuple(staff) == ("", 0, None) and minutes == 5 and patient is None
        with db.session() as s:
            assert auth.may_claim_owner_pin(s, 1)  # the owner chooses a PIN at first sign-in
    finally:
        db.close()
    engine = make_engine(path)
    _to(engine, "0006", down=True)
    with engine.connect() as c:
        columns = {r[1] for r in c.execute(text("PRAGMA table_info(staff)"))}
        names = c.execute(text("SELECT name FROM staff")).scalars().all()
    engine.dispose()
    assert "pin_hash" not in columns and names == ["Ana"]
