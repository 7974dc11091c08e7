"""What the schedule does to appointments: book and open, check in, complete, no-show, cancel,
correct a status, record the session, start a transfer checklist, and move a block by drag and
drop (with undo)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QComboBox, QLabel, QMessageBox, QTabWidget, QWidget

from ptdesk.models import AppointmentStatus
from ptdesk.services import scheduling as sched
from ptdesk.services.clinic import ClinicProfileData
from ptdesk.services.permissions import allowed
from ptdesk.services.scheduling import AppointmentInfo, ConflictWarning
from ptdesk.services.sessions import RECORDABLE
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import Op
from ptdesk.ui.schedule.dialogs import BookingDialog, CancelDialog, CorrectStatusDialog

if TYPE_CHECKING:
    from ptdesk.ui.schedule.grid import ScheduleGrid

NO_ROOM = "no-room"  # the rooms grid's column of visits without a room
FINISHED = (
    AppointmentStatus.CANCELLED.value,
    AppointmentStatus.NO_SHOW.value,
    AppointmentStatus.COMPLETED.value,
)


def run_dialog(dialog: Any) -> bool:
    """Run a modal dialog to its end, then free it: what it holds can still be read until the
    event loop next turns. (A test may hand in a stand-in that is not a Qt object.)"""
    try:
        return bool(dialog.exec())
    finally:
        if isinstance(dialog, QObject):
            dialog.deleteLater()


class MoveCommand(QUndoCommand):
    """A block moved by drag and drop; undo puts it back where it was."""

    def __init__(
        self, view: ScheduleActions, before: AppointmentInfo, after: AppointmentInfo
    ) -> None:
        super().__init__(f"Move {before.patient_name} to {after.start:%a %H:%M}")
        self.view = view
        self.before = before
        self.after = after
        self._done = True  # the move already happened when the command is pushed

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        # the usual checks run again; warnings are asked about, and a refusal changes nothing
        if self.view.apply_move(self.after.id, self.after, reason="") is None:
            self.setObsolete(True)

    def undo(self) -> None:
        if self.view.apply_move(self.before.id, self.before, reason="") is None:
            self.setObsolete(True)


class ScheduleActions(QWidget):
    """The schedule's actions on appointments. ``ScheduleView`` builds the grids and holds the
    state declared here; the actions run every change through one operation."""

    ctx: AppContext
    clock: Callable[[], datetime]
    day: date
    profile: ClinicProfileData
    tabs: QTabWidget
    day_grid: ScheduleGrid
    week_grid: ScheduleGrid
    room_grid: ScheduleGrid
    week_staff: QComboBox
    details: QLabel
    undo_stack: QUndoStack
    # Hooks a test can replace; by default they open dialogs.
    ask_override: Callable[[list[sched.Conflict]], str | None]
    ask_cancel: Callable[[AppointmentInfo], tuple[str, str] | None]

    if TYPE_CHECKING:  # the screen's own (ScheduleView)

        def selected(self) -> AppointmentInfo | None: ...

        def select(self, appointment_id: int) -> None: ...

        def current_grid(self) -> ScheduleGrid | None: ...

        def set_day(self, day: date) -> None: ...

    # -- booking -------------------------------------------------------------------------
    def _new_at(self, t: time | None, key: Any) -> None:
        staff_id = None
        room_id = None
        day = self.day
        grid = self.current_grid()
        if grid is self.day_grid:
            staff_id = key
        elif grid is self.room_grid and key != NO_ROOM:
            room_id = key
        elif grid is self.week_grid and isinstance(key, date):
            day = key
            staff_id = self.week_staff.currentData()
        start = datetime.combine(day, t or self.profile.opens_at)
        self.new_appointment(start=start, staff_id=staff_id, room_id=room_id)

    def booking_dialog(self, **kwargs: Any) -> BookingDialog:
        """The booking dialog, parented here (tests drive it directly)."""
        return BookingDialog(self.ctx, self, **kwargs)

    def new_appointment(
        self,
        *,
        start: datetime | None = None,
        staff_id: int | None = None,
        room_id: int | None = None,
    ) -> None:
        if not allowed(self.ctx.actor, "book"):
            return
        if start is None:
            grid = self.current_grid()
            slot = grid.current_slot() if grid is not None else None
            if slot is not None:
                self._new_at(*slot)
                return
            start = datetime.combine(self.day, self.profile.opens_at)
        dialog = self.booking_dialog(start=start, staff_id=staff_id, room_id=room_id)
        if run_dialog(dialog):
            self.booked(dialog.result_appointments)

    def booked(self, appointments: list[AppointmentInfo]) -> None:
        """After a booking or edit (already announced by its save): show the (first)
        appointment's day and select it."""
        if appointments:
            self.set_day(appointments[0].start.date())
            self.select(appointments[0].id)

    def open_selected(self) -> None:
        a = self.selected()
        if a is None:
            return
        if a.status in FINISHED:
            QMessageBox.information(
                self,
                "Appointment",
                f"This appointment is {a.status_label.lower()}; it can no longer be changed. "
                "Use Correct status if it was recorded wrongly.",
            )
            return
        dialog = self.booking_dialog(existing=a)
        if run_dialog(dialog):
            self.booked(dialog.result_appointments)

    # -- status changes ------------------------------------------------------------------
    def _ask_cancel(self, a: AppointmentInfo) -> tuple[str, str] | None:
        dialog = CancelDialog(a, self.profile.late_cancel_hours, self)
        return dialog.values() if run_dialog(dialog) else None

    def cancel_selected(self) -> None:
        a = self.selected()
        if a is None:
            return
        answer = self.ask_cancel(a)
        if answer is None:
            return
        reason, scope = answer
        actor, now = self.ctx.actor, self.clock()
        Op(
            self.ctx,
            self,
            lambda s: sched.cancel(s, actor, a.id, reason, scope=scope, now=now),
            title="Could not cancel",
        ).run()

    def _status(self, change: Callable[..., AppointmentInfo]) -> None:
        a = self.selected()
        if a is None:
            return
        actor, now = self.ctx.actor, self.clock()
        Op(self.ctx, self, lambda s: change(s, actor, a.id, now=now)).run()
        self.select(a.id)

    def check_in_selected(self) -> None:
        self._status(sched.check_in)

    def complete_selected(self) -> None:
        self._status(sched.complete)

    def no_show_selected(self) -> None:
        self._status(sched.no_show)

    def correct_selected(self) -> None:
        a = self.selected()
        if a is None:
            return
        dialog = CorrectStatusDialog(a, self)
        if not run_dialog(dialog):
            return
        status, note = dialog.values()
        actor, now = self.ctx.actor, self.clock()
        Op(
            self.ctx, self, lambda s: sched.correct_status(s, actor, a.id, status, note, now=now)
        ).run()
        self.select(a.id)

    # -- other screens for the selected visit -----------------------------------------------
    def record_session_selected(self) -> None:
        """Record (or open the record of) a checked-in or completed visit."""
        from ptdesk.ui.sessions.dialogs import RecordDialog

        a = self.selected()
        if a is None or a.status not in RECORDABLE:
            return
        run_dialog(RecordDialog(self.ctx, a.id, self))

    def transfer_checklist_selected(self) -> None:
        """Run a transfer checklist for the selected appointment's patient."""
        a = self.selected()
        if a is None:
            return
        from ptdesk.ui.transfers.runner import run_checklist

        run_checklist(self.ctx, appointment_id=a.id, parent=self)

    # -- moving (drag and drop, with undo) ---------------------------------------------
    def _dropped(self, appointment_id: int, t: time, key: Any) -> None:
        grid = self.current_grid()
        before = grid.grid_model.appointment(appointment_id) if grid else None
        if before is None:
            return
        day, staff_id, room_id = before.start.date(), before.staff_id, before.room_id
        if grid is self.day_grid:
            staff_id = key
        elif grid is self.room_grid:
            room_id = None if key == NO_ROOM else key
        elif grid is self.week_grid:
            day = key
        start = datetime.combine(day, t)
        if (start, staff_id, room_id) == (before.start, before.staff_id, before.room_id):
            return
        target = replace(before, start=start, staff_id=staff_id, room_id=room_id)
        after = self.apply_move(appointment_id, target, reason="")
        if after is not None:
            self.undo_stack.push(MoveCommand(self, before, after))

    def apply_move(
        self, appointment_id: int, target: AppointmentInfo, *, reason: str
    ) -> AppointmentInfo | None:
        """Move with the usual checks; warnings ask for a reason unless one is given."""
        actor = self.ctx.actor
        changes = sched.AppointmentChanges(
            start=target.start,
            staff_id=target.staff_id,
            room_id=target.room_id,
            clear_room=target.room_id is None,
        )

        while True:
            warned: list[ConflictWarning] = []
            outcome = (
                Op(
                    self.ctx,
                    self,
                    lambda s, why=reason: sched.update_appointment(
                        s, actor, appointment_id, changes, override_reason=why
                    )[0],
                    title="Could not move the appointment",
                )
                .expect(ConflictWarning, warned.append)
                .run()
            )
            if not warned:
                break
            reason = self.ask_override(warned[0].conflicts) or ""
            if not reason:
                return None
        if outcome is None:
            return None
        if outcome.start.date() != self.day and self.tabs.currentIndex() != 1:
            self.set_day(outcome.start.date())
        self.select(outcome.id)
        return outcome
