"""The one path from a screen to a service: a unit of work, errors in words, changes announced.

A screen never opens a database session itself. It hands a function of the session to one of
the helpers here:

- ``Op``: a change. It runs the function in one unit of work (committed as a whole, or rolled
  back), shows a ``ValidationError`` beside its field when the screen has a form for it and any
  other ``PtdeskError`` in one kind of message box, then announces on the signal hub the kinds
  of data the service marked as changed (``ptdesk.services.changes``). It can run in the
  background with a progress window instead.
- ``query``: a read. Same unit of work, nothing announced; unexpected errors are left to the
  application's error hook (which also recognises a damaged file).

    result = Op(ctx, self, lambda s: sched.check_in(s, ctx.actor, appt_id)).run()
    Op(ctx, self, work, title="Could not save").form(self.form).success(self.accept).run()
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget
from sqlmodel import Session

from ptdesk.errors import PtdeskError, ValidationError
from ptdesk.services import changes
from ptdesk.ui.context import AppContext
from ptdesk.ui.tasks import run_in_background

log = logging.getLogger(__name__)

T = TypeVar("T")
E = TypeVar("E", bound=PtdeskError)

# A form that can show a message beside a field: ``ErrorForm.show_error`` (False when the form
# has no such field, and the message then goes to the message box).
FieldShower = Callable[[str, str], bool]

DEFAULT_TITLE = "Could not do that"


def show_problem(parent: QWidget | None, title: str, message: str) -> None:
    """The one kind of message box for an expected failure: plain text, a warning, OK."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent
    )
    box.setObjectName("problemBox")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.exec()


def query(ctx: AppContext, fn: Callable[[Session], T]) -> T:
    """Run a read in one unit of work and return what it returns."""
    with ctx.db.session() as session:
        return fn(session)


def announce(ctx: AppContext, topics: Any) -> None:
    """Announce each changed topic once (the audit trail last: it follows every change),
    everything ("*") alone when it is among them."""
    wanted = set(topics)
    if changes.ALL in wanted:
        ctx.bus.announce(changes.ALL)
        return
    for topic in changes.ordered(wanted):
        ctx.bus.announce(topic)


class _Progress(QObject):
    """Carries "N of M" from a worker thread to the progress window (queued to the UI)."""

    total = Signal(int)
    done = Signal(int)
    text = Signal(str)


class Progress:
    """What background work is handed to report how far it is (safe to call from the worker)."""

    def __init__(self, relay: _Progress | None) -> None:
        self._relay = relay  # None: nobody shows it
        self._total = -1

    def __call__(self, done: int, total: int) -> None:
        if self._relay is None:
            return
        if total != self._total:
            self._total = total
            self._relay.total.emit(total)
        self._relay.done.emit(done)

    def say(self, text: str) -> None:
        if self._relay is not None:
            self._relay.text.emit(text)


class Op(Generic[T]):
    """A change made by a screen through a service (see the module's docstring)."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None,
        fn: Callable[[Session], T],
        *,
        title: str = DEFAULT_TITLE,
    ) -> None:
        self.ctx = ctx
        self.parent = parent
        self.fn = fn
        self.title = title
        self._form: FieldShower | None = None
        self._success: Callable[[T], Any] | None = None
        self._failure: Callable[[BaseException], Any] | None = None
        self._also: set[str] = set()
        self._expected: list[tuple[type[PtdeskError], Callable[[Any], Any]]] = []
        self.ok = False
        self.error: BaseException | None = None

    # -- configuration (each returns the op, so calls chain) ----------------------------------
    def form(self, shower: Any) -> Op[T]:
        """Show a ``ValidationError`` beside its field: an ``ErrorForm`` or a callable
        ``(field, message) -> bool``."""
        self._form = getattr(shower, "show_error", shower)
        return self

    def success(self, callback: Callable[[T], Any]) -> Op[T]:
        """Called on the main thread with the result, after the commit and the announcement."""
        self._success = callback
        return self

    def failure(self, callback: Callable[[BaseException], Any]) -> Op[T]:
        """Called after an expected failure was shown (e.g. to reload a form)."""
        self._failure = callback
        return self

    def expect(self, kind: type[E], handler: Callable[[E], Any]) -> Op[T]:
        """Hand an expected failure of ``kind`` to ``handler`` (after the rollback) instead of
        the message box: a question for the user (a conflict, a possible duplicate) or an error
        the screen shows in its own place. The first matching ``expect`` wins."""
        self._expected.append((kind, handler))
        return self

    def announcing(self, *topics: str) -> Op[T]:
        """Topics to announce besides those the service marked (a change made outside the
        database, such as a file written)."""
        self._also.update(topics)
        return self

    # -- running ---------------------------------------------------------------------------
    def _unit_of_work(self) -> tuple[T, frozenset[str]]:
        with self.ctx.db.session() as session:
            result = self.fn(session)
            marked = changes.marked(session)
        return result, marked

    def _finish(self, result: T, marked: frozenset[str]) -> None:
        self.ok = True
        announce(self.ctx, marked | self._also)
        if self._success is not None:
            self._success(result)

    def _fail(self, exc: PtdeskError) -> None:
        self.error = exc
        shown = False
        if isinstance(exc, ValidationError) and self._form is not None:
            shown = bool(self._form(exc.field, exc.message))
        if not shown:
            for kind, handler in self._expected:
                if isinstance(exc, kind):
                    handler(exc)
                    shown = True
                    break
        if not shown:
            show_problem(self.parent, self.title, exc.message)
        if self._failure is not None:
            self._failure(exc)

    def run(self) -> T | None:
        """Run now, on the main thread; the result, or None after an expected failure."""
        try:
            result, marked = self._unit_of_work()
        except PtdeskError as exc:
            self._fail(exc)
            return None
        self._finish(result, marked)
        return result

    def run_in_background(
        self,
        progress: str | None = None,
        *,
        work: Callable[[Session, Progress], T] | None = None,
    ) -> None:
        """Run in a worker thread; the callbacks run on the main thread when it is done.

        With ``progress`` a window says so meanwhile; ``work`` (instead of the op's function)
        is also handed a ``Progress`` to report "N of M" with.
        """
        dialog: QProgressDialog | None = None
        reporter: Progress | None = None
        if progress is not None:
            dialog = QProgressDialog(progress, "", 0, 0, self.parent)
            dialog.setObjectName("operationProgress")
            dialog.setWindowTitle(self.title if self.title != DEFAULT_TITLE else "Working")
            dialog.setCancelButton(None)  # no button
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(0)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            relay = _Progress(dialog)
            relay.total.connect(dialog.setMaximum)
            relay.done.connect(dialog.setValue)
            relay.text.connect(dialog.setLabelText)
            reporter = Progress(relay)
            dialog.show()
        if work is not None:
            step, handed = work, reporter or Progress(None)
            self.fn = lambda session: step(session, handed)

        def close_progress() -> None:
            if dialog is not None:
                dialog.close()

        def done(value: tuple[T, frozenset[str]]) -> None:
            close_progress()
            self._finish(*value)

        def failed(exc: BaseException) -> None:
            close_progress()
            if isinstance(exc, PtdeskError):
                self._fail(exc)
                return
            raise exc  # to the application's error hook, like any unexpected error

        run_in_background(self._unit_of_work, done, failed)
