"""A day at the front desk: the real main window driven through what a front desk does all day.

Day switches, every page, the dialogs reachable from the schedule (open an appointment, book
one, cancel, correct a status, record a session, a transfer checklist, the day sheet), patients,
equipment, sessions and settings dialogs opened and closed, check-ins and their corrections,
Today refreshes, About and the screen lock. Everything is done the way a person does it:
keys on the schedule grid, buttons and actions found by the words on them, rows chosen in
tables. A dialog that would wait for an answer (``exec()``) is shown and then answered like a
person who cancels (a status correction is answered: back to "scheduled").

Shared by the leak test (tests/ui/test_leaks.py) and the benchmark (benchmarks/run.py,
"a day at the front desk"). Its choices come from a seeded random generator: the same seed
gives the same day.
"""

from __future__ import annotations

import contextlib
import gc
import linecache
import os
import random
import re
import resource
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import shiboken6
from PySide6 import QtPrintSupport, QtWidgets
from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QTableView,
    QTabWidget,
    QWidget,
)

from ptdesk.services import clock
from ptdesk.services import staff as staff_service
from ptdesk.services.audit import Actor
from ptdesk.ui.bus import Bus
from ptdesk.ui.context import AppContext
from ptdesk.ui.main_window import MainWindow

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class DriveError(AssertionError):
    """The window no longer offers something the day needs (a button, an action, a table)."""


# -- what is alive ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Census:
    """What is alive after deferred deletes ran and the garbage collector collected."""

    widgets: int
    objects: int
    rss_mb: float
    widget_kinds: Counter[str]
    object_kinds: Counter[str]
    dialogs: Counter[str]  # dialogs alive (shown or not), by object name or class


def settle() -> None:
    """Let Qt delete what waits for deletion and finish what it queued."""
    app = QApplication.instance()
    assert app is not None
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()


def rss_mb() -> float:
    """Resident memory now (Linux: /proc/self/statm), else the peak the system reports."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * PAGE_SIZE / 1e6
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def census(*, engine: Any = None, kinds: bool = True) -> Census:
    """Count what is alive. ``engine``: its cache of compiled statements (bounded, filled as
    new queries are met) is emptied first, so that only what the screens keep is counted."""
    settle()
    if engine is not None:
        engine.clear_compiled_cache()
    linecache.clearcache()
    re.purge()
    gc.collect()
    widgets = QApplication.allWidgets()
    objects = gc.get_objects()
    widget_kinds: Counter[str] = Counter()
    object_kinds: Counter[str] = Counter()
    dialogs = Counter(w.objectName() or type(w).__name__ for w in widgets if isinstance(w, QDialog))
    if kinds:
        widget_kinds = Counter(
            f"{type(w).__name__}({w.objectName()})" if w.objectName() else type(w).__name__
            for w in widgets
        )
        object_kinds = Counter(type(o).__name__ for o in objects)
    found = Census(len(widgets), len(objects), rss_mb(), widget_kinds, object_kinds, dialogs)
    del widgets, objects
    return found


def growth(before: Counter[str], after: Counter[str], top: int = 12) -> list[tuple[str, int]]:
    """The kinds that grew most from ``before`` to ``after``."""
    grown = {k: after[k] - before.get(k, 0) for k in after}
    return sorted(((k, n) for k, n in grown.items() if n > 0), key=lambda kn: -kn[1])[:top]


# -- dialogs answered without waiting -----------------------------------------------------------
def _plain(text: str) -> str:
    return text.replace("&", "").replace("…", "").replace("...", "").strip()


def answer_correction(dialog: QDialog) -> None:
    """A wrongly recorded check-in is put back to "scheduled", with a reason."""
    for combo in dialog.findChildren(QComboBox):
        index = combo.findData("scheduled")
        if index >= 0:
            combo.setCurrentIndex(index)
            break
    else:
        raise DriveError("the status correction offers no way back to 'scheduled'")
    edits = [e for e in dialog.findChildren(QLineEdit) if not e.objectName().startswith("qt_")]
    if not edits:
        raise DriveError("the status correction has no field for the reason")
    edits[0].setText("Checked in by mistake")
    boxes = dialog.findChildren(QDialogButtonBox)
    accept = [
        b
        for box in boxes
        for b in box.buttons()
        if box.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole
    ]
    if not accept:
        raise DriveError("the status correction has no button to confirm it")
    accept[0].click()


class Answers:
    """While active, dialogs that wait for an answer are shown and answered at once: the
    default answer is to cancel (close); ``answers`` holds other answers by object name."""

    STATIC_TEXT = ("information", "warning", "critical")

    def __init__(self, answers: dict[str, Callable[[QDialog], None]] | None = None) -> None:
        self.answers = dict(answers or {})
        self.shown: Counter[str] = Counter()  # object name (or class) of each dialog shown
        self.shown_at: dict[str, float] = {}  # when each was last on screen (perf_counter)
        self._saved: list[tuple[type, str, Any]] = []

    def _patch(self, owner: type, name: str, value: Any) -> None:
        self._saved.append((owner, name, owner.__dict__[name]))
        setattr(owner, name, value)

    def _exec(self, dialog: QDialog) -> int:
        """What a person does with a dialog that waits: looks at it, then answers or closes."""
        key = dialog.objectName() or type(dialog).__name__
        self.shown[key] += 1
        deletes = dialog.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        dialog.show()
        QApplication.processEvents()
        self.shown_at[key] = time.perf_counter()
        answer = self.answers.get(dialog.objectName())
        if answer is not None and shiboken6.isValid(dialog) and dialog.isVisible():
            answer(dialog)
        if shiboken6.isValid(dialog) and dialog.isVisible():
            dialog.reject()
        if shiboken6.isValid(dialog) and dialog.isVisible():
            dialog.done(QDialog.DialogCode.Rejected)  # a dialog that asks "are you sure?"
        if not shiboken6.isValid(dialog):
            return QDialog.DialogCode.Rejected.value
        result = dialog.result()
        if deletes:  # as QDialog.exec does: deleted before it returns
            shiboken6.delete(dialog)
        return result

    def _static(self, key: str, reply: Any) -> Callable[..., Any]:
        def static(*_args: Any, **_kwargs: Any) -> Any:
            self.shown[key] += 1
            return reply

        return staticmethod(static)

    def __enter__(self) -> Answers:
        seen: set[type] = set()
        for module in (QtWidgets, QtPrintSupport):
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, QDialog)
                    and "exec" in value.__dict__
                    and value not in seen
                ):
                    seen.add(value)
                    self._patch(value, "exec", lambda d, _self=self: _self._exec(d))
        ok, no = QMessageBox.StandardButton.Ok, QMessageBox.StandardButton.No
        for name in self.STATIC_TEXT:
            self._patch(QMessageBox, name, self._static(f"QMessageBox.{name}", ok))
        self._patch(QMessageBox, "question", self._static("QMessageBox.question", no))
        self._patch(QMessageBox, "about", self._static("QMessageBox.about", None))
        dialogs = QtWidgets.QInputDialog
        self._patch(dialogs, "getText", self._static("QInputDialog", ("", False)))
        self._patch(dialogs, "getItem", self._static("QInputDialog", ("", False)))
        self._patch(dialogs, "getInt", self._static("QInputDialog", (0, False)))
        self._patch(dialogs, "getMultiLineText", self._static("QInputDialog", ("", False)))
        files = QtWidgets.QFileDialog
        for name in ("getSaveFileName", "getOpenFileName"):
            self._patch(files, name, self._static("QFileDialog", ("", "")))
        self._patch(files, "getExistingDirectory", self._static("QFileDialog", ""))
        self._patch(QtWidgets.QColorDialog, "getColor", self._static("QColorDialog", QColor()))
        return self

    def __exit__(self, *_exc: object) -> None:
        while self._saved:
            owner, name, value = self._saved.pop()
            setattr(owner, name, value)


# -- the window ---------------------------------------------------------------------------------
def open_window(db: Any, *, demo: bool = True, size: tuple[int, int] = (1280, 800)) -> MainWindow:
    """The main window as the clinic's default member of staff (the owner) sees it."""
    with db.session() as s:
        actor = Actor.from_staff(staff_service.default_actor(s))
    window = MainWindow(AppContext(db=db, actor=actor, bus=Bus(), demo=demo))
    window.resize(*size)
    window.show()
    settle()
    return window


@contextlib.contextmanager
def clinic_day(moment: datetime) -> Iterator[None]:
    """The clinic clock pinned to ``moment`` while the day is driven."""
    clock.pin(moment)
    try:
        yield
    finally:
        clock.pin(None)


class FrontDeskDay:
    """Drives ``window`` one action at a time; ``run(n)`` does ``n`` of them."""

    def __init__(
        self,
        window: MainWindow,
        *,
        today: date,
        seed: int = 7,
        pin: str | None = None,
        day_sheet_every: int = 250,
        window_only: bool = False,
        answers: Answers | None = None,
    ) -> None:
        self.window = window
        self.answers = answers  # when given: how long the appointment dialog takes to show
        self.today = today
        self.rng = random.Random(seed)
        self.pin = pin  # the signed-in person's PIN: the screen is locked and unlocked
        self.day_sheet_every = day_sheet_every
        self.done: Counter[str] = Counter()  # actions done, by name
        self.timings: dict[str, list[float]] = {}
        self.count = 0
        schedule = self.page("schedule")
        if hasattr(schedule, "clock"):
            schedule.clock = clock.now  # the schedule's own clock follows the clinic clock
        # (action, weight): the schedule is where the front desk spends its day.
        self.mix: list[tuple[Callable[[], None], int]] = [
            (self.switch_day, 14),
            (self.open_appointment, 12),
            (self.new_appointment, 6),
            (self.cancel_dialog, 4),
            (self.check_in_and_correct, 8),
            (self.schedule_tab, 4),
            (self.agenda_open, 3),
            (self.transfer_checklist, 2),
            (self.switch_page, 8),
            (self.today_refresh, 5),
            (self.today_open_item, 2),
            (self.patient_select, 5),
            (self.patient_dialog, 4),
            (self.authorization_dialog, 2),
            (self.equipment_dialog, 4),
            (self.sessions_record, 3),
            (self.settings_dialog, 4),
            (self.about, 1),
        ]
        if pin is not None:
            self.mix.append((self.lock_and_return, 1))
        if window_only:  # what the window itself opens: pages, About, the lock, the day sheet
            mine = (self.switch_page, self.about, self.lock_and_return)
            self.mix = [(a, 1) for a, _ in self.mix if a in mine]
        self._actions = [a for a, _ in self.mix]
        self._weights = [w for _, w in self.mix]

    # -- running --------------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Every page built and every kind of action done a few times (what is made once and
        kept, such as a page or a combo box's popup, is then in place)."""
        nav = self.window.navigation
        for row in range(nav.count()):
            if not nav.item(row).isHidden():
                nav.setCurrentRow(row)
                QApplication.processEvents()
        for act in self._actions:
            for _ in range(3):
                act()
                self._close_left_open()
        self.day_sheet()
        self._close_left_open()

    def run(self, n: int) -> None:
        for _ in range(n):
            self.step()

    def step(self) -> None:
        self.count += 1
        if self.day_sheet_every and self.count % self.day_sheet_every == 0:
            self.day_sheet()
        else:
            self.rng.choices(self._actions, self._weights)[0]()
        self._close_left_open()

    def _note(self, name: str, started: float | None = None) -> None:
        self.done[name] += 1
        if started is not None:
            self.timings.setdefault(name, []).append(time.perf_counter() - started)

    def _close_left_open(self) -> None:
        """A person closes what an action left open (a preview, a note) before going on; the
        event loop meanwhile deletes what was handed to ``deleteLater`` (it does so only
        when it runs, and here nothing runs it between actions but this)."""
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        settle()

    # -- finding things as a person does ---------------------------------------------------------
    def page(self, key: str) -> QWidget:
        page = self.window.show_page(key)
        if page is None:
            raise DriveError(f"the {key} page cannot be opened")
        return page

    def action(self, widget: QWidget, text: str) -> QAction:
        for act in [*widget.actions(), *widget.findChildren(QAction)]:
            if _plain(act.text()) == text:
                return act
        raise DriveError(f"{widget.objectName()}: no action {text!r}")

    def button(self, widget: QWidget, text: str) -> QAbstractButton:
        for b in widget.findChildren(QAbstractButton):
            if _plain(b.text()) == text and b.isVisibleTo(widget):
                return b
        raise DriveError(f"{widget.objectName()}: no button {text!r}")

    def child(self, widget: QWidget, kind: type, name: str) -> Any:
        found = widget.findChild(kind, name)
        if found is None:
            raise DriveError(f"{widget.objectName()}: no {kind.__name__} {name!r}")
        return found

    def tab(self, widget: QWidget, name: str, title: str | None = None) -> QWidget:
        tabs: QTabWidget = self.child(widget, QTabWidget, name)
        if title is None:
            index = self.rng.randrange(tabs.count())
        else:
            titles = [_plain(tabs.tabText(i)) for i in range(tabs.count())]
            matches = [i for i, t in enumerate(titles) if t.startswith(title)]
            if not matches:
                raise DriveError(f"{name}: no tab {title!r} among {titles}")
            index = matches[0]
        tabs.setCurrentIndex(index)
        return tabs.currentWidget()

    def choose_row(self, table: QTableView, row: int | None = None) -> bool:
        model = table.model()
        if model is None or model.rowCount() == 0:
            return False
        if row is None:
            row = self.rng.randrange(model.rowCount())
        table.setCurrentIndex(model.index(min(row, model.rowCount() - 1), 0))
        return True

    # -- the schedule -------------------------------------------------------------------------
    def grid(self) -> QTableView:
        schedule = self.page("schedule")
        self.tab(schedule, "scheduleTabs", "Day")
        return self.child(schedule, QTableView, "dayGrid")

    def select_appointment(self, *, moves: int | None = None) -> QTableView:
        """Put the cursor at the top of someone's column and go down to a visit."""
        grid = self.grid()
        model = grid.model()
        if model.columnCount():
            grid.setFocus()
            grid.setCurrentIndex(model.index(0, self.rng.randrange(model.columnCount())))
            for _ in range(moves if moves is not None else self.rng.randint(1, 3)):
                QTest.keyClick(grid, Qt.Key.Key_Down)
        return grid

    def switch_day(self) -> None:
        grid = self.grid()
        started = time.perf_counter()
        how = self.rng.random()
        if how < 0.45:
            QTest.keyClick(grid, Qt.Key.Key_PageDown)
        elif how < 0.9:
            QTest.keyClick(grid, Qt.Key.Key_PageUp)
        else:  # a day picked in the calendar, near today
            day = self.today + timedelta(days=self.rng.randint(-10, 10))
            edit: QDateEdit = self.child(self.page("schedule"), QDateEdit, "scheduleDate")
            edit.setDate(QDate(day.year, day.month, day.day))
        self._note("day switch", started)
        self._keep_near_today()

    def _keep_near_today(self) -> None:
        schedule = self.page("schedule")
        edit: QDateEdit = self.child(schedule, QDateEdit, "scheduleDate")
        shown = edit.date().toPython()
        if abs((shown - self.today).days) > 12:  # back to the busy days
            edit.setDate(QDate(self.today.year, self.today.month, self.today.day))

    def open_appointment(self) -> None:
        grid = self.select_appointment()
        started = time.perf_counter()
        QTest.keyClick(grid, Qt.Key.Key_Return)
        self._note("open appointment", started)
        shown = self.answers.shown_at.get("bookingDialog", 0.0) if self.answers else 0.0
        if shown > started:
            self.timings.setdefault("appointment dialog", []).append(shown - started)

    def new_appointment(self) -> None:
        grid = self.grid()
        model = grid.model()
        if not model.rowCount() or not model.columnCount():
            return
        row = self.rng.randrange(model.rowCount())
        grid.setCurrentIndex(model.index(row, self.rng.randrange(model.columnCount())))
        started = time.perf_counter()
        QTest.keyClick(grid, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        self._note("new appointment", started)

    def cancel_dialog(self) -> None:
        grid = self.select_appointment()
        QTest.keyClick(grid, Qt.Key.Key_Delete)  # asks for a reason; the person keeps it
        self._note("cancel dialog")

    def check_in_and_correct(self) -> None:
        """Check a patient in, sometimes open the session record, then put it right."""
        schedule = self.page("schedule")
        check_in = self.action(schedule, "Check in")
        for _ in range(6):
            self.select_appointment()
            if check_in.isEnabled():
                break
        else:
            return
        check_in.trigger()
        self._note("check in")
        record = self.action(schedule, "Record session")
        if record.isEnabled() and self.rng.random() < 0.4:
            record.trigger()
            self._note("record session dialog")
        correct = self.action(schedule, "Correct status")
        if correct.isEnabled():
            correct.trigger()
            self._note("status correction")

    def schedule_tab(self) -> None:
        schedule = self.page("schedule")
        self.tab(schedule, "scheduleTabs")
        self._note("schedule tab")

    def agenda_open(self) -> None:
        schedule = self.page("schedule")
        self.tab(schedule, "scheduleTabs", "Agenda")
        table: QTableView = self.child(schedule, QTableView, "agendaTable")
        if self.choose_row(table):
            table.activated.emit(table.currentIndex())
            self._note("agenda open")

    def transfer_checklist(self) -> None:
        schedule = self.page("schedule")
        act = self.action(schedule, "Transfer checklist")
        for _ in range(4):
            self.select_appointment()
            if act.isEnabled():
                act.trigger()
                self._note("transfer checklist")
                return

    def day_sheet(self) -> None:
        """Print the day sheet: it is made in the background and shown in a preview."""
        schedule = self.page("schedule")
        self.tab(schedule, "scheduleTabs", "Day")
        self.action(schedule, "Print day sheet").trigger()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            QApplication.processEvents()
            shown = [
                w
                for w in QApplication.topLevelWidgets()
                if w.objectName() == "pdfPreviewDialog" and w.isVisible()
            ]
            if shown:
                shown[0].reject()
                self._note("day sheet")
                return
            time.sleep(0.01)
        raise DriveError("the day sheet's preview never appeared")

    # -- the other pages -------------------------------------------------------------------------
    def switch_page(self) -> None:
        nav = self.window.navigation
        rows = [r for r in range(nav.count()) if not nav.item(r).isHidden()]
        started = time.perf_counter()
        nav.setCurrentRow(self.rng.choice(rows))
        self._note("page", started)

    def today_refresh(self) -> None:
        today = self.page("today")
        started = time.perf_counter()
        self.button(today, "Refresh").click()
        self._note("today refresh", started)

    def today_open_item(self) -> None:
        today = self.page("today")
        tables = [t for t in today.findChildren(QTableView) if t.model().rowCount()]
        if tables and self.choose_row(table := self.rng.choice(tables)):
            table.activated.emit(table.currentIndex())  # goes to the screen of that item
            self._note("today item")

    def patient_select(self) -> None:
        patients = self.page("patients")
        search: QLineEdit = self.child(patients, QLineEdit, "patientSearch")
        if self.rng.random() < 0.3:
            search.setText(self.rng.choice(["a", "ma", "son", "1", ""]))
        else:
            search.clear()
        table: QTableView = self.child(patients, QTableView, "patientTable")
        self.choose_row(table)
        self.tab(patients, "patientTabs")
        self._note("patient select")

    def patient_dialog(self) -> None:
        patients = self.page("patients")
        self.child(patients, QLineEdit, "patientSearch").clear()
        table: QTableView = self.child(patients, QTableView, "patientTable")
        if self.rng.random() < 0.5 and self.choose_row(table):
            table.doubleClicked.emit(table.currentIndex())  # edit the patient
            self._note("patient dialog (edit)")
        else:
            self.button(patients, "New patient").click()
            self._note("patient dialog (new)")

    def authorization_dialog(self) -> None:
        patients = self.page("patients")
        self.child(patients, QLineEdit, "patientSearch").clear()
        if self.choose_row(self.child(patients, QTableView, "patientTable")):
            self.tab(patients, "patientTabs", "Insurance")
            add = self.child(patients, QAbstractButton, "addAuthorization")
            if add.isEnabled():
                add.click()
                self._note("authorization dialog")

    def equipment_dialog(self) -> None:
        equipment = self.page("equipment")
        choice = self.rng.random()
        if choice < 0.4:
            tab = self.tab(equipment, "equipmentTabs", "Due board")
            table: QTableView = self.child(tab, QTableView, "dueBoard")
            if self.choose_row(table):
                self.child(tab, QAbstractButton, "cleanedDetailsButton").click()
                self._note("cleaning details dialog")
        elif choice < 0.7:
            tab = self.tab(equipment, "equipmentTabs", "Inventory")
            self.child(tab, QAbstractButton, "addEquipment").click()
            self._note("equipment dialog")
        else:
            self.tab(equipment, "equipmentTabs")
            self._note("equipment tab")

    def sessions_record(self) -> None:
        sessions = self.page("sessions")
        tab = self.tab(sessions, "sessionsTabs", "Visits")
        day = self.today - timedelta(days=self.rng.randint(0, 3))
        edit: QDateEdit = self.child(sessions, QDateEdit, "visitDay")
        edit.setDate(QDate(day.year, day.month, day.day))
        table: QTableView = self.child(tab, QTableView, "visitsTable")
        if self.choose_row(table):
            table.activated.emit(table.currentIndex())  # Enter records or opens the record
            self._note("session record dialog")

    def settings_dialog(self) -> None:
        settings = self.page("settings")
        choice = self.rng.random()
        if choice < 0.35:
            tab = self.tab(settings, "settingsTabs", "Staff")
            table: QTableView = self.child(tab, QTableView, "staffTable")
            if self.rng.random() < 0.5 and self.choose_row(table):
                self.child(tab, QAbstractButton, "setPinButton").click()
                self._note("PIN dialog")
            else:
                self.button(tab, "Add").click()
                self._note("staff dialog")
        elif choice < 0.6:
            tab = self.tab(settings, "settingsTabs", "Rooms")
            self.button(tab, "Add").click()
            self._note("room dialog")
        elif choice < 0.8:
            tab = self.tab(settings, "settingsTabs", "Billing codes")
            self.button(tab, "Add code").click()
            self._note("billing code dialog")
        else:
            self.tab(settings, "settingsTabs")
            self._note("settings tab")

    def about(self) -> None:
        help_menu = next(
            a.menu() for a in self.window.menuBar().actions() if _plain(a.text()) == "Help"
        )
        help_menu.actions()[0].trigger()
        self._note("about")

    def lock_and_return(self) -> None:
        """Lock the screen, then sign in again on the lock screen."""
        assert self.pin is not None
        self.window.action_lock.trigger()
        panel = self.window.lock_screen.panel
        names: QListWidget = panel.names
        if names.currentRow() < 0:
            raise DriveError("the lock screen does not show who was signed in")
        panel.pin.setText(self.pin)
        panel.button.click()
        if self.window.locked:
            raise DriveError(f"could not sign in again: {panel.error.text()}")
        self._note("lock and sign in")
