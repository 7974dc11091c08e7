"""The demo clinic's equipment: a realistic inventory and a cleaning history with some misses."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import func, select

from ptdesk.models import CleaningLog, Equipment, WaterReading
from ptdesk.services import cleaning

# The moment the shared demo clinic (tests/conftest.py demo_template) is generated at.
DEMO_NOW = datetime(2026, 3, 11, 12, 30)
DEMO_TODAY = DEMO_NOW.date()


def test_demo_inventory_and_history_look_like_a_real_clinic(demo_db):
    with demo_db.session() as s:
        items = s.exec(select(Equipment)).all()
        assert 30 <= len(items) <= 50
        assert {i.cleaning_interval for i in items} == {"after_use", "daily", "weekly", "monthly"}
        assert sum(1 for i in items if not i.in_service) == 1
        logs = s.exec(select(func.count()).select_from(CleaningLog)).one()
        assert logs > 1000
        newest = s.exec(select(func.max(CleaningLog.cleaned_at))).one()
        assert cleaning.to_local(newest) <= DEMO_NOW  # nothing logged in the future
        assert s.exec(select(func.count()).select_from(WaterReading)).one() > 20
        month = cleaning.compliance(
            s, DEMO_TODAY - timedelta(days=35), DEMO_TODAY - timedelta(days=5), now=DEMO_NOW
        )
        board = cleaning.board(s, now=DEMO_NOW)
    # mostly done, with occasional misses
    assert month.share is not None and 0.85 < month.share < 1.0
    assert len(month.missed) >= 3
    assert month.overdue_checks  # one safety check has slipped
    states = {r.state for r in board}
    assert cleaning.DueState.AFTER_USE in states and cleaning.DueState.OUT_OF_SERVICE in states


def test_same_seed_same_equipment_history(tmp_path):
    from ptdesk.db import open_database
    from ptdesk.demo import generate

    def history(name: str) -> list[tuple]:
        db = open_database(tmp_path / name)
        try:
            generate(
                db, years=0.05, seed=3, today=date(2026, 3, 11), now=datetime(2026, 3, 11, 12, 0)
            )
            with db.session() as s:
                rows = s.exec(select(CleaningLog).order_by(CleaningLog.id)).all()
                return [
                    (r.equipment_id, r.cleaned_at, r.staff_name, r.contact_minutes) for r in rows
                ]
        finally:
            db.close()

    first = history("a.sqlite3")
    assert first and first == history("b.sqlite3")
