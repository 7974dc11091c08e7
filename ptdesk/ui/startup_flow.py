"""The start-up as named stages: open the file, check it, sign in, show the window, close.

``Startup`` decides what happens next; everything it touches (the file, dialogs, the window,
the event loop, the integrity check running in the background) is reached through a host
(``StartupHost``), so the order of the start-up can be driven and tested without Qt.

The whole-file integrity check runs in the background from the moment the file is open; its
verdict may arrive at any stage. Damage found before the window is shown ends the sign-in and
leads to the offer of the latest backup; damage found after it sets the window aside (no
backup of that file is taken) and leads to the same offer. The start-up check (installers,
smoke tests) asks nobody, never backs up and reports one line.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable, Iterator
from enum import Enum
from typing import Any, Protocol

from ptdesk.db import MSG_CORRUPT
from ptdesk.errors import DatabaseProblem

log = logging.getLogger(__name__)


class Stage(Enum):
    """Where the start-up is."""

    OPENING_FILE = "opening the file"
    CHECKING = "checking the file"  # open; the integrity check has started in the background
    SIGNING_IN = "signing in"  # someone is asked who they are (the check may still run)
    WINDOW_SHOWN = "window shown"
    DAMAGED = "damaged"  # the check (or a read) found damage: the backup is offered
    CLOSING = "closing"  # the window has closed; the file is being closed
    ENDED = "ended"


class Verdict(Enum):
    """What the background integrity check has said so far."""

    PENDING = "pending"
    PASSED = "passed"
    DAMAGED = "damaged"


def is_damage(exc: BaseException | None) -> bool:
    """SQLite reporting a damaged file, however wrapped."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, DatabaseProblem) and exc.kind == "corrupt":
            return True
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            text = str(exc).lower()
            if "malformed" in text or "not a database" in text:
                return True
        exc = getattr(exc, "orig", None) or exc.__cause__
        seen += 1
    return False


class OpenFile(Protocol):
    """An open clinic file as the start-up sees it (``ptdesk.db.Database``)."""

    def close(self) -> None: ...


class StartupHost(Protocol):
    """Everything the start-up does outside its own decisions."""

    def open_file(self) -> OpenFile | None:
        """Open (or create) the clinic file; None when it cannot be used (already explained)."""

    def start_check(
        self,
        db: OpenFile,
        passed: Callable[[], None],
        damaged: Callable[[DatabaseProblem], None],
    ) -> None:
        """Start the whole-file integrity check in the background; writes wait for it."""

    def listen_for_damage(self, handler: Callable[[DatabaseProblem], None] | None) -> None:
        """Send damage met by any read (the error hook) to ``handler`` (None: stop)."""

    def choose_actor(self, db: OpenFile, *, again: bool) -> Any | None:
        """Who is working (sign-in, setup or the default); None when nobody goes on."""

    def show_window(self, db: OpenFile, actor: Any) -> Any:
        """Build and show the main window, its backups held back; return it."""

    def begin_backups(self, window: Any) -> None:
        """The file passed its check: the window's automatic backups may run."""

    def set_aside(self, window: Any) -> None:
        """Close the window without asking and without a backup (its file is damaged)."""

    def end_sign_in(self) -> None:
        """Close a sign-in or setup dialog that is open (its writes would be refused)."""

    def wait_for_check(self) -> None:
        """Let the integrity check finish reading before the file is replaced."""

    def recover(self, problem: DatabaseProblem) -> OpenFile | None:
        """Explain the damage, offer the latest backup and open it; None if not."""

    @contextlib.contextmanager
    def staying_open(self) -> Iterator[None]:
        """Keep the application running while no window is shown."""
        yield

    def later(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` once the event loop runs."""

    def describe(self, window: Any, db: OpenFile) -> tuple[bool, str]:
        """For the start-up check: whether the window is fine, and the line that says so."""

    def close_window(self, window: Any) -> None: ...

    def say(self, line: str, *, error: bool = False) -> None:
        """A line of the start-up check's output (``error``: to the error stream)."""

    def run_event_loop(self) -> int: ...

    def exit(self, code: int) -> None:
        """End the running event loop with ``code``."""


class Startup:
    """One start of ptdesk on one clinic file, from opening it to closing it."""

    def __init__(self, host: StartupHost, *, startup_check: bool = False) -> None:
        self.host = host
        self.startup_check = startup_check
        self.stage = Stage.OPENING_FILE
        self.stages: list[Stage] = [Stage.OPENING_FILE]  # every stage passed through, in order
        self.verdict = Verdict.PENDING
        self.problem: DatabaseProblem | None = None
        self.db: OpenFile | None = None
        self.window: Any | None = None
        self.said_shown = False  # the start-up check said "window shown"
        self.reported = False  # and then its verdict line

    def _enter(self, stage: Stage) -> None:
        self.stage = stage
        self.stages.append(stage)
        log.debug("start-up: %s", stage.value)

    # -- the run ------------------------------------------------------------------------------
    def run(self) -> int:
        """Start, run the window until it closes, and return the exit code."""
        db = self.host.open_file()
        if db is None:
            self._enter(Stage.ENDED)
            return 1
        self.db = db
        self._enter(Stage.CHECKING)
        self.host.listen_for_damage(self.damaged)
        # Started before anyone signs in and before the window is built: its verdict arrives
        # through the event loop, at whatever stage the start-up is then.
        self.host.start_check(db, self.passed, self.damaged)
        self._enter(Stage.SIGNING_IN)
        actor = None
        try:
            actor = self.host.choose_actor(db, again=False)
            if actor is not None and self.verdict is not Verdict.DAMAGED:
                self._show(db, actor, checked=self.verdict is Verdict.PASSED)
        except Exception as exc:
            if not is_damage(exc):
                raise
            self.damage_met(exc)
            if self.window is not None:
                window, self.window = self.window, None
                self.host.set_aside(window)
            actor = None
        if self.verdict is Verdict.DAMAGED and self.window is None:
            self.host.listen_for_damage(None)
            db.close()
            self.db = None
            if self.startup_check:
                self._say_failed()
                self._enter(Stage.ENDED)
                return 1
            code = self._recover_and_show()
            if code is not None:
                return code
        elif self.window is None:  # nobody signed in
            self.host.listen_for_damage(None)
            db.close()
            self.db = None
            self._enter(Stage.ENDED)
            return 0
        elif self.startup_check:
            self.host.later(self._say_shown)
        code = self.host.run_event_loop()
        self._enter(Stage.CLOSING)
        self.host.listen_for_damage(None)
        if self.db is not None:
            self.db.close()
            self.db = None
        self._enter(Stage.ENDED)
        return code

    def _show(self, db: OpenFile, actor: Any, *, checked: bool) -> None:
        self.window = self.host.show_window(db, actor)
        self.db = db
        self._enter(Stage.WINDOW_SHOWN)
        if checked and not self.startup_check:  # the start-up check never backs up
            self.host.begin_backups(self.window)

    def _recover_and_show(self) -> int | None:
        """Offer the latest backup and open it; an exit code if the person does not go on."""
        assert self.problem is not None
        self._enter(Stage.DAMAGED)
        self.host.wait_for_check()  # its own reading ends before the file is replaced
        restored = self.host.recover(self.problem)
        if restored is None:
            self._enter(Stage.ENDED)
            return 1
        self._enter(Stage.SIGNING_IN)
        actor = self.host.choose_actor(restored, again=True)
        if actor is None:
            restored.close()
            self._enter(Stage.ENDED)
            return 1
        self._show(restored, actor, checked=True)  # a restored backup was verified whole
        return None

    # -- the check's verdict, whenever it comes -------------------------------------------------
    def passed(self) -> None:
        if self.verdict is not Verdict.PENDING:
            return
        self.verdict = Verdict.PASSED
        self.host.listen_for_damage(None)
        if self.startup_check:
            self.report()
        elif self.window is not None:
            self.host.begin_backups(self.window)

    def damaged(self, problem: DatabaseProblem) -> None:
        if self.verdict is not Verdict.PENDING:
            return
        self.verdict = Verdict.DAMAGED
        self.problem = problem
        self.host.listen_for_damage(None)
        if self.startup_check:
            self.report()
        elif self.window is not None:
            self._damaged_after_show()
        else:  # before the window: end the sign-in (its writes are refused); run() goes on
            self.host.end_sign_in()

    def damage_met(self, exc: BaseException) -> DatabaseProblem:
        """A read met damage before the check said so: the same verdict."""
        log.error("damage met on opening the clinic file: %r", exc)
        self.damaged(DatabaseProblem("corrupt", MSG_CORRUPT))
        assert self.problem is not None
        return self.problem

    def _damaged_after_show(self) -> None:
        # Set the window aside (no backup of this file is taken), then as on opening.
        window, self.window = self.window, None
        db, self.db = self.db, None
        with self.host.staying_open():  # the app goes on to the question below
            self.host.set_aside(window)
            if db is not None:
                db.close()
            code = self._recover_and_show()
        if code is not None:
            self.host.exit(code)

    # -- the start-up check's report ------------------------------------------------------------
    def _say_failed(self) -> None:
        assert self.problem is not None
        self.host.say(f"startup FAILED: {self.problem.message}", error=True)

    def _say_shown(self) -> None:
        # The first line says when the window was up (what a person waits for); the verdict
        # line follows once the integrity check has finished too.
        self.host.say("window shown")
        self.said_shown = True
        self.report()

    def report(self) -> None:
        """Say the start-up check's verdict once both are known: the window shown (and said
        so) and the integrity check's verdict."""
        if not self.said_shown or self.verdict is Verdict.PENDING or self.reported:
            return
        self.reported = True
        window = self.window
        if self.verdict is Verdict.DAMAGED:
            self._say_failed()
            self.host.close_window(window)
            self.host.exit(1)
            return
        assert self.db is not None
        ok, line = self.host.describe(window, self.db)
        self.host.say(line)
        self.host.close_window(window)
        self.host.exit(0 if ok else 1)
