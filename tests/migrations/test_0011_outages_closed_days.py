"""Migration 0011 rebuilds out-of-service history and retirement dates from a file with data."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import inspect, text

from ptdesk.db import alembic_config, make_engine

NEW_TABLES = {"equipment_outage", "clinic_closed_day"}


def _run(engine, fn, target: str) -> None:
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        fn(cfg, target)


def _item(conn, name: str, in_service: int, since: str | None, reason: str, active: int) -> None:
    conn.execute(
        text(
            "INSERT INTO equipment (name, category, asset_tag, serial_number, cleaning_interval,"
            " product, contact_minutes, in_service, out_of_service_reason, out_of_service_since,"
            " notes, active, created_at, updated_at) VALUES (:name, 'other', '', '', 'daily', '',"
            " 0, :in_service, :reason, :since, '', :active, '2026-01-01 00:00:00',"
            " '2026-03-25 12:00:00')"
        ),
        dict(name=name, in_service=in_service, reason=reason, since=since, active=active),
    )


def _event(conn, at: str, action: str, entity_id: int, changes: str) -> None:
    conn.execute(
        text(
            "INSERT INTO audit_event (at, actor_name, action, entity, entity_id, summary, "
            "changes) VALUES (:at, 'Ana', :action, 'equipment', :id, '', :changes)"
        ),
        dict(at=at, action=action, id=str(entity_id), changes=changes),
    )


def test_upgrade_rebuilds_outages_and_retirement_and_steps_back_down(tmp_path):
    engine = make_engine(tmp_path / "clinic.sqlite3")
    try:
        _run(engine, command.upgrade, "0009")
        with engine.begin() as conn:
            _item(conn, "Treadmill", 1, None, "", 1)  # was out 10..17 March, back since
            _item(conn, "Bike", 0, "2026-03-20", "Lost pedal", 1)  # out now
            _item(conn, "Old table", 1, None, "", 0)  # retired
            _event(
                conn,
                "2026-03-10 12:00:00",
                "out_of_service",
                1,
                '{"in_service": [true, false], "out_of_service_since": [null, "2026-03-10"]}',
            )
            _event(conn, "2026-03-17 12:00:00", "in_service", 1,
                   '{"in_service": [false, true], "out_of_service_since": ["2026-03-10", null],'
                   ' "out_of_service_reason": ["Belt torn", ""]}')  # fmt: skip
            _event(conn, "2026-03-05 12:00:00", "retire", 3, '{"active": [true, false]}')
        _run(engine, command.upgrade, "0011")
        with engine.connect() as conn:
            outages = conn.execute(
                text(
                    'SELECT equipment_id, start, "end", reason FROM equipment_outage '
                    "ORDER BY equipment_id"
                )  # fmt: skip
            ).all()
            retired = dict(conn.execute(text("SELECT id, retired_on FROM equipment")).all())
        assert [tuple(map(str, o)) for o in outages] == [
            ("1", "2026-03-10", "2026-03-17", "Belt torn"),
            ("2", "2026-03-20", "None", "Lost pedal"),
        ]
        assert retired[1] is None and retired[2] is None
        assert str(retired[3]) == str(date(2026, 3, 5))
        _run(engine, command.downgrade, "0009")
        assert not NEW_TABLES & set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            names = conn.execute(text("SELECT name FROM equipment ORDER BY id")).scalars().all()
            columns = {c["name"] for c in inspect(conn).get_columns("equipment")}
        assert names == ["Treadmill", "Bike", "Old table"] and "retired_on" not in columns
    finally:
        engine.dispose()
