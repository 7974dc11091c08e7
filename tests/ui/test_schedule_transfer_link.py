"""The schedule opens a transfer checklist for the selected appointment, and previews the day sheet."""

from __future__ import annotations

from datetime import datetime

from ptdesk.ui.schedule.view import ScheduleView


def test_transfer_checklist_from_an_appointment(qtbot, demo_db, monkeypatch):
    from ptdesk.services import staff
    from ptdesk.services.audit import Actor
    from ptdesk.ui.bus import Bus
    from ptdesk.ui.context import AppContext

    with demo_db.session() as s:
        actor = Actor.from_staff(staff.default_actor(s))
    ctx = AppContext(db=demo_db, actor=actor, bus=Bus())
    view = ScheduleView(ctx)
    qtbot.addWidget(view)
    view.clock = lambda: datetime(2026, 3, 11, 12, 30)
    view.go_today()
    first = next(a for a in view.day_items if a.status in ("scheduled", "checked_in", "completed"))
    view.select(first.id)
    assert view.act_transfer.isEnabled()
    calls = []
    import ptdesk.ui.transfers.runner as runner

    monkeypatch.setattr(runner, "run_checklist", lambda ctx, **kw: calls.append(kw))
    view.act_transfer.trigger()
    assert calls and calls[0]["appointment_id"] == first.id


def test_print_day_sheet_opens_the_preview(qtbot, demo_db):
    from ptdesk.services import staff
    from ptdesk.services.audit import Actor
    from ptdesk.ui.bus import Bus
    from ptdesk.ui.context import AppContext

    with demo_db.session() as s:
        actor = Actor.from_staff(staff.default_actor(s))
    view = ScheduleView(AppContext(db=demo_db, actor=actor, bus=Bus()))
    qtbot.addWidget(view)
    view.act_print.trigger()
    qtbot.waitUntil(lambda: getattr(view, "preview_dialog", None) is not None, timeout=15_000)
    assert view.preview_dialog.preview.page_count >= 1
    view.preview_dialog.reject()
