"""The Schedule page: day, week and room grids, the agenda list and unresolved visits, with the
selected appointment's details (its actions and the day sheet are in their own modules)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ptdesk.models import AppointmentStatus
from ptdesk.services import clinic as clinic_service
from ptdesk.services import clock as clinic_clock
from ptdesk.services import scheduling as sched
from ptdesk.services.permissions import allowed
from ptdesk.services.scheduling import AppointmentInfo
from ptdesk.services.sessions import RECORDABLE
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import query
from ptdesk.ui.schedule.actions import NO_ROOM, ScheduleActions
from ptdesk.ui.schedule.agenda import AgendaFilter, AgendaModel, UnresolvedModel, list_table
from ptdesk.ui.schedule.day_sheet import DaySheetPrinting
from ptdesk.ui.schedule.dialogs import ask_override
from ptdesk.ui.schedule.grid import GridColumn, ScheduleGrid
from ptdesk.ui.widgets.table import ROW_ROLE


class ScheduleView(ScheduleActions, DaySheetPrinting):
    """The front desk's screen: one query per day change feeds the day grid, rooms and agenda."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.clock: Callable[[], datetime] = clinic_clock.now
        self.day: date = self.clock().date()
        self.undo_stack = QUndoStack(self)
        # Hooks a test can replace; by default they open dialogs.
        self.ask_override: Callable[[list[sched.Conflict]], str | None] = lambda c: ask_override(
            self, c
        )
        self.ask_cancel: Callable[[AppointmentInfo], tuple[str, str] | None] = self._ask_cancel
        self.day_items: list[AppointmentInfo] = []
        self._dirty: set[int] = set()  # tabs to fill when they are next shown
        self._load_reference()
        self._build()
        ctx.bus.changed.connect(self._on_changed)
        self.refresh()
        # Move the current-time line along (a repaint only, no query).
        self._minute = QTimer(self)
        self._minute.setInterval(60_000)
        self._minute.timeout.connect(self._tick)
        self._minute.start()

    def _tick(self) -> None:
        grid = self.current_grid()
        if grid is not None:
            grid.viewport().update()

    # -- building ----------------------------------------------------------------------
    def _load_reference(self) -> None:
        self.profile, closed, self.staff, self.room_list = query(
            self.ctx,
            lambda s: (
                sched.get_profile(s),
                clinic_service.closed_days(s),
                sched.bookable_staff(s),
                sched.rooms(s),
            ),
        )
        self.closed_days = {c.day: c.note for c in closed}

    def _action(
        self, text: str, slot: Callable[[], Any], shortcut: str | QKeySequence | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _button(self, action: QAction) -> QToolButton:
        b = QToolButton()
        b.setDefaultAction(action)
        b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        b.setAutoRaise(False)
        if not action.shortcut().isEmpty():
            b.setToolTip(f"{action.text().replace('&', '')} ({action.shortcut().toString()})")
        return b

    def _build(self) -> None:
        self.act_prev = self._action("◀ &Previous", lambda: self.step(-1), "PgUp")
        self.act_today = self._action("&Today", self.go_today, "T")
        self.act_next = self._action("&Next ▶", lambda: self.step(1), "PgDown")
        self.act_new = self._action("&New appointment…", self.new_appointment, "Ctrl+N")
        self.act_open = self._action("&Open…", self.open_selected)
        self.act_check_in = self._action("Check &in", self.check_in_selected, "Ctrl+I")
        self.act_complete = self._action("&Completed", self.complete_selected, "Ctrl+D")
        self.act_no_show = self._action("No-sho&w", self.no_show_selected)
        self.act_record = self._action("Record session…", self.record_session_selected, "Ctrl+R")
        self.act_cancel = self._action("Cance&l…", self.cancel_selected, "Delete")
        self.act_correct = self._action("Correct &status…", self.correct_selected)
        self.act_transfer = self._action(
            "T&ransfer checklist…", self.transfer_checklist_selected, "Ctrl+Shift+T"
        )
        self.act_undo = self.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.act_undo.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.act_undo)
        self.act_redo = self.undo_stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.act_redo.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.act_redo)
        self.act_print = self._action("&Print day sheet…", self.print_day_sheet, "Ctrl+P")
        self.act_save_pdf = self._action("Save day sheet &PDF…", lambda: self.save_day_sheet())

        nav = QHBoxLayout()
        nav.addWidget(self._button(self.act_prev))
        nav.addWidget(self._button(self.act_today))
        nav.addWidget(self._button(self.act_next))
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("scheduleDate")
        self.date_edit.setAccessibleName("Date shown")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.dateChanged.connect(self._date_picked)
        nav.addWidget(self.date_edit)
        self.title = QLabel()
        self.title.setObjectName("scheduleTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        nav.addWidget(self.title, 1)
        self.show_cancelled = QCheckBox("S&how cancelled")
        self.show_cancelled.setObjectName("showCancelled")
        self.show_cancelled.toggled.connect(lambda _on: self._fill_day())
        nav.addWidget(self.show_cancelled)

        actions = QHBoxLayout()
        for act in (
            self.act_new,
            self.act_open,
            self.act_check_in,
            self.act_complete,
            self.act_no_show,
            self.act_record,
            self.act_cancel,
            self.act_correct,
            self.act_transfer,
            self.act_undo,
        ):
            actions.addWidget(self._button(act))
        actions.addStretch(1)
        actions.addWidget(self._button(self.act_print))
        actions.addWidget(self._button(self.act_save_pdf))

        self.tabs = QTabWidget()
        self.tabs.setObjectName("scheduleTabs")
        # Day
        self.day_grid = ScheduleGrid()
        self.day_grid.setObjectName("dayGrid")
        self.day_grid.setAccessibleName("Day schedule")
        self.tabs.addTab(self.day_grid, "&Day")
        # Week
        week = QWidget()
        wl = QVBoxLayout(week)
        wl.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("Week of:"))
        self.week_staff = QComboBox()
        self.week_staff.setObjectName("weekStaff")
        self.week_staff.setAccessibleName("Staff member for the week")
        self.week_staff.currentIndexChanged.connect(lambda _i: self._week_staff_changed())
        row.addWidget(self.week_staff)
        row.addStretch(1)
        wl.addLayout(row)
        self.week_grid = ScheduleGrid()
        self.week_grid.setObjectName("weekGrid")
        self.week_grid.setAccessibleName("Week schedule")
        wl.addWidget(self.week_grid)
        self.tabs.addTab(week, "W&eek")
        # Rooms
        self.room_grid = ScheduleGrid()
        self.room_grid.setObjectName("roomGrid")
        self.room_grid.setAccessibleName("Rooms schedule")
        self.tabs.addTab(self.room_grid, "&Rooms")
        # Agenda
        agenda = QWidget()
        al = QVBoxLayout(agenda)
        al.setContentsMargins(0, 4, 0, 0)
        frow = QHBoxLayout()
        self.agenda_search = QLineEdit()
        self.agenda_search.setObjectName("agendaFilter")
        self.agenda_search.setPlaceholderText("Filter: patient, staff, room, visit…")
        self.agenda_search.setAccessibleName("Filter the agenda")
        self.agenda_status = QComboBox()
        self.agenda_status.setObjectName("agendaStatus")
        self.agenda_status.setAccessibleName("Status shown")
        self.agenda_status.addItem("All statuses", "")
        for st in AppointmentStatus:
            self.agenda_status.addItem(f"{sched.STATUS_MARKS[st.value]} {st.label}", st.value)
        frow.addWidget(self.agenda_search, 1)
        frow.addWidget(self.agenda_status)
        al.addLayout(frow)
        self.agenda_model = AgendaModel(self)
        self.agenda_proxy = AgendaFilter(self)
        self.agenda_proxy.setSourceModel(self.agenda_model)
        self.agenda_table = list_table("agendaTable", self.agenda_model, self.agenda_proxy)
        self.agenda_table.doubleClicked.connect(lambda _i: self.open_selected())
        self.agenda_table.activated.connect(lambda _i: self.open_selected())
        self.agenda_table.selectionModel().currentRowChanged.connect(
            lambda _c, _p: self._show_details(self.selected())
        )
        al.addWidget(self.agenda_table)
        self.agenda_search.textChanged.connect(self._filter_agenda)
        self.agenda_status.currentIndexChanged.connect(self._filter_agenda)
        self.tabs.addTab(agenda, "&Agenda")
        # Unresolved
        unresolved = QWidget()
        ul = QVBoxLayout(unresolved)
        ul.setContentsMargins(0, 4, 0, 0)
        self.unresolved_note = QLabel()
        self.unresolved_note.setWordWrap(True)
        ul.addWidget(self.unresolved_note)
        self.unresolved_model = UnresolvedModel(self)
        self.unresolved_table = list_table("unresolvedTable", self.unresolved_model)
        self.unresolved_table.selectionModel().currentRowChanged.connect(
            lambda _c, _p: self._show_details(self.selected())
        )
        ul.addWidget(self.unresolved_table)
        self.tabs.addTab(unresolved, "&Unresolved")
        self.tabs.currentChanged.connect(lambda _i: self._tab_changed())

        for grid in (self.day_grid, self.week_grid, self.room_grid):
            grid.now_provider = lambda: self.clock()
            grid.selection_changed.connect(self._show_details)
            grid.open_requested.connect(lambda _id: self.open_selected())
            grid.cancel_requested.connect(lambda _id: self.cancel_selected())
            grid.day_step.connect(self.step)
            grid.today_requested.connect(self.go_today)
            grid.new_requested.connect(self._new_at)
            grid.dropped.connect(self._dropped)

        self.details = QLabel()
        self.details.setObjectName("appointmentDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setMinimumWidth(220)
        self.details.setMaximumWidth(300)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        splitter = QSplitter()
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 1)
        splitter.setCollapsible(0, False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(nav)
        layout.addLayout(actions)
        layout.addWidget(splitter, 1)
        self._fill_week_staff()

    def _fill_week_staff(self) -> None:
        current = self.week_staff.currentData()
        self.week_staff.blockSignals(True)
        self.week_staff.clear()
        for st in self.staff:
            self.week_staff.addItem(st.name, st.id)
        index = self.week_staff.findData(current)
        self.week_staff.setCurrentIndex(index if index >= 0 else 0)
        self.week_staff.blockSignals(False)

    # -- loading -----------------------------------------------------------------------
    def _on_changed(self, topic: str) -> None:
        if topics.concerns(topic, topics.STAFF, topics.ROOMS, topics.CLINIC):
            self._load_reference()
            self._fill_week_staff()
        if topics.concerns(
            topic, topics.SCHEDULE, topics.STAFF, topics.ROOMS, topics.CLINIC, topics.PATIENTS
        ):
            self.refresh()

    def refresh(self) -> None:
        """Reload what is shown for the current day (one query for the day)."""
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(self.day.year, self.day.month, self.day.day))
        self.date_edit.blockSignals(False)
        day = self.day
        self.day_items = query(self.ctx, lambda s: sched.day_appointments(s, day))
        self._fill_day()

    def set_day(self, day: date) -> None:
        if day != self.day:
            self.day = day
            self.refresh()

    def step(self, direction: int) -> None:
        days = 7 if self.tabs.currentIndex() == 1 else 1
        self.set_day(self.day + timedelta(days=days * direction))

    def go_today(self) -> None:
        self.set_day(self.clock().date())

    def _date_picked(self, q: QDate) -> None:
        self.set_day(date(q.year(), q.month(), q.day()))

    def _visible(self, items: list[AppointmentInfo]) -> list[AppointmentInfo]:
        if self.show_cancelled.isChecked():
            return items
        return [a for a in items if a.status != AppointmentStatus.CANCELLED.value]

    def _fill_day(self) -> None:
        """The day's data changed: fill the tab on screen now, the others when they are shown."""
        p = self.profile
        n = sum(1 for a in self.day_items if a.status != AppointmentStatus.CANCELLED.value)
        cancelled = len(self.day_items) - n
        shown = f" + {cancelled} cancelled" if cancelled and self.show_cancelled.isChecked() else ""
        closed = "" if self.day.isoweekday() in p.clinic_weekdays else " — clinic closed"
        if self.day in self.closed_days:
            note = self.closed_days[self.day]
            closed = " — clinic closed" + (f" ({note})" if note else "")
        self.title.setText(f"{self.day:%A %d %B %Y} · {n} appointments{shown}{closed}")
        self._dirty = {0, 1, 2, 3, 4}
        self._tab_changed()

    def _fill_day_grid(self) -> None:
        p = self.profile
        items = self._visible(self.day_items)
        working = sched.working_staff(self.staff, self.day, p, items)
        known = {s.id for s in working}
        columns = [
            GridColumn(
                s.id, s.name, self.day, hours=sched.hours_on(s, self.day, p) or (time(0), time(0))
            )
            for s in working
        ]
        # Someone booked who no longer appears as bookable (left the clinic) keeps a column.
        for a in items:
            if a.staff_id not in known:
                known.add(a.staff_id)
                columns.append(GridColumn(a.staff_id, a.staff_name, self.day))
        self.day_grid.grid_model.set_grid(
            columns, items, lambda a: a.staff_id, p.opens_at, p.closes_at, p.slot_minutes
        )

    def _fill_room_grid(self) -> None:
        p = self.profile
        items = self._visible(self.day_items)
        room_cols = [GridColumn(r.id, r.name, self.day) for r in self.room_list]
        if any(a.room_id is None for a in items):
            room_cols.append(GridColumn(NO_ROOM, "No room", self.day))
        self.room_grid.grid_model.set_grid(
            room_cols,
            items,
            lambda a: a.room_id if a.room_id is not None else NO_ROOM,
            p.opens_at,
            p.closes_at,
            p.slot_minutes,
        )

    def _tab_changed(self) -> None:
        index = self.tabs.currentIndex()
        if index in self._dirty:
            self._dirty.discard(index)
            fill = {
                0: self._fill_day_grid,
                1: self._fill_week,
                2: self._fill_room_grid,
                3: lambda: self.agenda_model.set_rows(self._visible(self.day_items)),
                4: self._fill_unresolved,
            }[index]
            fill()
        self._show_details(self.selected())

    def _week_staff_changed(self) -> None:
        self._dirty.add(1)
        self._tab_changed()

    def monday(self) -> date:
        return self.day - timedelta(days=self.day.weekday())

    def _fill_week(self) -> None:
        staff_id = self.week_staff.currentData()
        p = self.profile
        monday = self.monday()
        if staff_id is None:
            self.week_grid.grid_model.set_grid(
                [], [], lambda a: a.start.date(), p.opens_at, p.closes_at, p.slot_minutes
            )
            return
        items = self._visible(
            query(self.ctx, lambda s: sched.week_appointments(s, staff_id, monday))
        )
        person = next(st for st in self.staff if st.id == staff_id)
        columns = []
        for i in range(7):
            d = monday + timedelta(days=i)
            hours = sched.hours_on(person, d, p)
            booked = any(a.start.date() == d for a in items)
            if hours is None and not booked and d.isoweekday() not in p.clinic_weekdays:
                continue
            columns.append(GridColumn(d, f"{d:%a %d %b}", d, hours=hours, off_day=hours is None))
        self.week_grid.grid_model.set_grid(
            columns, items, lambda a: a.start.date(), p.opens_at, p.closes_at, p.slot_minutes
        )

    def _fill_unresolved(self) -> None:
        now = self.clock()
        rows = query(self.ctx, lambda s: sched.unresolved_visits(s, now=now))
        self.unresolved_model.set_rows(rows)
        self.unresolved_note.setText(
            f"{len(rows)} past appointment(s) are still 'scheduled' or 'checked in'. Mark each "
            "completed, no-show or cancelled so visits are counted right."
            if rows
            else "✔ Every past appointment has an outcome."
        )
        self.tabs.setTabText(4, f"&Unresolved ({len(rows)})")

    def _filter_agenda(self) -> None:
        self.agenda_proxy.set_filter(self.agenda_search.text(), self.agenda_status.currentData())

    # -- selection ---------------------------------------------------------------------
    def current_grid(self) -> ScheduleGrid | None:
        return {0: self.day_grid, 1: self.week_grid, 2: self.room_grid}.get(
            self.tabs.currentIndex()
        )

    def selected(self) -> AppointmentInfo | None:
        grid = self.current_grid()
        if grid is not None:
            return grid.selected()
        table = self.agenda_table if self.tabs.currentIndex() == 3 else self.unresolved_table
        index = table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def select(self, appointment_id: int) -> None:
        grid = self.current_grid()
        if grid is not None:
            grid.select_appointment(appointment_id)

    def _show_details(self, a: AppointmentInfo | None) -> None:
        has = a is not None
        for act in (self.act_open, self.act_cancel):
            act.setEnabled(has)
        self.act_cancel.setEnabled(has and allowed(self.ctx.actor, "cancel_appointment"))
        self.act_new.setEnabled(allowed(self.ctx.actor, "book"))
        self.act_correct.setEnabled(has and allowed(self.ctx.actor, "correct_appointment_status"))
        self.act_check_in.setEnabled(has and a.status == AppointmentStatus.SCHEDULED.value)
        self.act_transfer.setEnabled(
            has
            and a.status not in (AppointmentStatus.CANCELLED.value, AppointmentStatus.NO_SHOW.value)
            and allowed(self.ctx.actor, "run_transfer_checklist")
        )
        self.act_complete.setEnabled(has and a.status in sched.OPEN)
        self.act_no_show.setEnabled(has and a.status == AppointmentStatus.SCHEDULED.value)
        self.act_record.setEnabled(
            has and a.status in RECORDABLE and allowed(self.ctx.actor, "record_session")
        )
        if a is None:
            self.details.setText("Select an appointment to see it here.\n\nArrows move between "
                                 "appointments, Enter opens, Ctrl+N books, Delete cancels, "
                                 "PgUp/PgDn change day, T goes to today.")  # fmt: skip
            return
        lines = [
            a.patient_name,
            f"Chart #{a.chart_number}",
            "",
            f"{a.start:%A %Y-%m-%d}",
            f"{a.time_text} ({a.duration_min} min)",
            f"{a.kind_label} with {a.staff_name}",
            f"Room: {a.room_name or 'none'}",
            f"Status: {a.status_mark} {a.status_label}",
        ]
        if a.arrived_at:
            lines.append(f"Arrived {clinic_clock.exact_local(a.arrived_at):%H:%M}")
        if a.cancel_reason:
            lines.append(f"Reason: {a.cancel_reason}")
        if a.precautions:
            lines += ["", "⚠ PRECAUTIONS", *(f"• {p}" for p in a.precautions)]
        if a.notes:
            lines += ["", f"Notes: {a.notes}"]
        if a.series_id:
            lines += ["", "Part of a recurring series"]
        if a.override_reason:
            lines += [f"Booked despite warnings: {a.override_reason}"]
        history = query(self.ctx, lambda s: sched.status_history(s, a.id))
        if history:
            lines += ["", "History:"]
            for h in history[-6:]:
                what = AppointmentStatus(h.to_status).label
                fix = " (correction)" if h.correction else ""
                at = clinic_clock.exact_local(h.at)
                lines.append(f"{at:%m-%d %H:%M} {what}{fix} — {h.actor_name}")
        self.details.setText("\n".join(lines))
