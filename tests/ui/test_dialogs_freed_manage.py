"""Dialogs opened from Equipment and Settings are destroyed when they close: none stays hidden.

Each dialog is also held from Python while the test runs, standing for whatever may still refer
to it (a closure, a connection): the screen must destroy it itself, not leave it to whenever
the last Python reference goes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from ptdesk.services import cleaning, equipment
from ptdesk.services import staff as staff_service
from ptdesk.services.equipment import EquipmentData
from ptdesk.services.staff import StaffData
from ptdesk.ui.equipment.dialogs import CleaningDetailsDialog, CorrectionDialog
from ptdesk.ui.equipment.view import EquipmentView
from ptdesk.ui.settings.staff_tab import StaffDialog, StaffTab

TIMES = 20


def live_widgets() -> int:
    """Widgets alive once everything waiting to be deleted is gone."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    return len(QApplication.allWidgets())


def cancel_next_dialog(opened: list[str]) -> None:
    """Press Cancel on the next modal dialog as soon as it is up."""

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(5, cancel)
            return
        opened.append(type(dialog).__name__)
        dialog.reject()

    QTimer.singleShot(0, cancel)


def open_and_close(
    monkeypatch, action: Callable[[], object], kind: type[QDialog]
) -> tuple[int, int]:
    """Run ``action`` (which opens a ``kind`` dialog) 20 times, cancelling the dialog each time;
    the live widget counts after the first time and after the last."""
    held: list[QDialog] = []

    def held_exec(dialog: QDialog) -> int:
        held.append(dialog)
        return QDialog.exec(dialog)

    monkeypatch.setattr(kind, "exec", held_exec)
    opened: list[str] = []
    cancel_next_dialog(opened)
    action()  # the first time may build what every later one shares
    before = live_widgets()
    for _ in range(TIMES):
        cancel_next_dialog(opened)
        action()
    after = live_widgets()
    assert opened == [kind.__name__] * (TIMES + 1) and len(held) == TIMES + 1
    assert not [w for w in QApplication.allWidgets() if isinstance(w, kind)]
    monkeypatch.undo()
    return before, after


def test_cleaning_dialogs_are_freed_after_closing(qtbot, ctx, monkeypatch):
    with ctx.db.session() as s:
        item = equipment.create_equipment(
            s,
            ctx.actor,
            EquipmentData(
                name="Treadmill",
                category="exercise_equipment",
                cleaning_interval="daily",
                product="Quat wipes",
                contact_minutes=3,
            ),
        )
        cleaning.log_cleaning(s, ctx.actor, [item.id])
    view = EquipmentView(ctx)
    qtbot.addWidget(view)
    view.show()
    view.board_tab.table.selectRow(0)
    view.log_tab.table.selectRow(0)

    before, after = open_and_close(
        monkeypatch, view.board_tab.log_with_details, CleaningDetailsDialog
    )
    assert after <= before
    before, after = open_and_close(monkeypatch, view.log_tab.correct_selected, CorrectionDialog)
    assert after <= before


def test_staff_dialog_is_freed_after_closing(qtbot, ctx, monkeypatch):
    with ctx.db.session() as s:
        member = staff_service.create_staff(s, ctx.actor, StaffData(name="Tara", role="technician"))
    tab = StaffTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.select_id(member.id)

    before, after = open_and_close(monkeypatch, tab.edit, StaffDialog)
    assert after <= before
