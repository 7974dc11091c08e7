"""The operations helper: one unit of work, errors in words, changed topics announced."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QFormLayout, QLineEdit, QMessageBox, QWidget
from sqlmodel import select

from ptdesk.errors import PtdeskError
from ptdesk.models import Room
from ptdesk.services import rooms
from ptdesk.ui import bus as topics
from ptdesk.ui.operations import Op, query
from ptdesk.ui.widgets.forms import ErrorForm


def _heard(ctx) -> list[str]:
    heard: list[str] = []
    ctx.bus.changed.connect(heard.append)
    return heard


def _problem_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]


def _answer_boxes(monkeypatch) -> list[str]:
    shown: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box.text())
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return shown


def test_a_change_is_committed_and_its_topics_announced(qtbot, ctx):
    heard = _heard(ctx)
    parent = QWidget()
    qtbot.addWidget(parent)
    room = Op(
        ctx, parent, lambda s: rooms.create_room(s, ctx.actor, rooms.RoomData("Gym", "gym"))
    ).run()
    assert room is not None and room.name == "Gym"
    assert topics.ROOMS in heard and topics.AUDIT in heard
    assert heard.count(topics.ROOMS) == 1
    names = query(ctx, lambda s: [r.name for r in s.exec(select(Room))])
    assert names == ["Gym"]


def test_a_validation_error_goes_to_its_field_and_nothing_is_written(qtbot, ctx, monkeypatch):
    shown = _answer_boxes(monkeypatch)
    heard = _heard(ctx)
    parent = QWidget()
    qtbot.addWidget(parent)
    form = ErrorForm(QFormLayout(parent))
    form.add_row("name", "Name:", QLineEdit())
    done: list[object] = []
    result = (
        Op(ctx, parent, lambda s: rooms.create_room(s, ctx.actor, rooms.RoomData("  ", "gym")))
        .form(form)
        .success(done.append)
        .run()
    )
    assert result is None and done == []
    assert form.errors["name"].isVisibleTo(parent)
    assert "name" in form.errors["name"].text().lower()
    assert shown == []  # beside the field, not in a box
    assert heard == []
    assert query(ctx, lambda s: list(s.exec(select(Room)))) == []


def test_an_expected_failure_rolls_back_and_shows_one_message(qtbot, ctx, monkeypatch):
    shown = _answer_boxes(monkeypatch)
    heard = _heard(ctx)
    failures: list[BaseException] = []

    def half_then_fail(s):
        rooms.create_room(s, ctx.actor, rooms.RoomData("Gym", "gym"))
        raise PtdeskError("The second step could not be done.")

    op = Op(ctx, None, half_then_fail, title="Not saved").failure(failures.append)
    assert op.run() is None
    assert shown == ["The second step could not be done."]
    assert not op.ok and len(failures) == 1
    assert heard == []
    assert query(ctx, lambda s: list(s.exec(select(Room)))) == []


def test_background_work_reports_progress_and_announces_on_the_main_thread(qtbot, ctx):
    heard = _heard(ctx)
    parent = QWidget()
    qtbot.addWidget(parent)
    results: list[list[str]] = []

    def work(s, progress):
        made = []
        for i in range(3):
            made.append(rooms.create_room(s, ctx.actor, rooms.RoomData(f"Room {i}", "gym")).name)
            progress(i + 1, 3)
        return made

    Op(ctx, parent, lambda s: None).success(results.append).run_in_background(
        "Adding rooms…", work=work
    )
    qtbot.waitUntil(lambda: results != [])
    assert results == [["Room 0", "Room 1", "Room 2"]]
    assert topics.ROOMS in heard
    assert query(ctx, lambda s: len(list(s.exec(select(Room))))) == 3


def test_an_expected_failure_can_be_answered_by_the_screen_instead_of_a_box(ctx, monkeypatch):
    shown = _answer_boxes(monkeypatch)
    asked: list[str] = []

    def refuse(s):
        rooms.create_room(s, ctx.actor, rooms.RoomData("Gym", "gym"))
        raise PtdeskError("Ask the user first.")

    assert (
        Op(ctx, None, refuse).expect(PtdeskError, lambda e: asked.append(e.message)).run() is None
    )
    assert asked == ["Ask the user first."] and shown == []
    assert query(ctx, lambda s: list(s.exec(select(Room)))) == []


def test_the_audit_trail_is_announced_after_the_data_it_describes(qtbot, ctx):
    heard = _heard(ctx)
    Op(ctx, None, lambda s: rooms.create_room(s, ctx.actor, rooms.RoomData("Gym", "gym"))).run()
    assert heard[-1] == topics.AUDIT and heard[0] == topics.ROOMS
