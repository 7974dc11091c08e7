"""The start-up's stages, driven without Qt: a fake host stands in for files, dialogs and windows."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ptdesk.errors import DatabaseProblem
from ptdesk.ui.startup_flow import Stage, Startup, Verdict, is_damage

S = Stage
DAMAGE = DatabaseProblem("corrupt", "The clinic file is damaged.")


class FakeFile:
    def __init__(self, name: str) -> None:
        self.name = name
        self.closed = False

    def close(self) -> None:
        self.closed = True


class FakeWindow:
    def __init__(self, db: FakeFile, actor: str) -> None:
        self.db = db
        self.actor = actor
        self.backups = False
        self.set_aside = False
        self.closed = False


class FakeHost:
    """Records what the start-up asks for; the tests script what the outside world answers."""

    def __init__(self) -> None:
        self.file: FakeFile | None = FakeFile("clinic")
        self.restored: FakeFile | None = FakeFile("backup")
        self.actors: list[Any] = ["Olivia"]  # answers of the sign-ins, in order
        self.during_sign_in: Callable[[], None] | None = None
        self.during_loop: Callable[[], None] | None = None
        self.passed: Callable[[], None] | None = None
        self.damaged: Callable[[DatabaseProblem], None] | None = None
        self.damage_handler: Any = None
        self.windows: list[FakeWindow] = []
        self.lines: list[tuple[str, bool]] = []
        self.calls: list[str] = []
        self.pending: list[Callable[[], None]] = []
        self.exit_code: int | None = None
        self.staying_open_now = False

    # -- the host's side -----------------------------------------------------------------------
    def open_file(self) -> FakeFile | None:
        self.calls.append("open_file")
        return self.file

    def start_check(self, db, passed, damaged) -> None:
        self.calls.append("start_check")
        self.passed, self.damaged = passed, damaged

    def listen_for_damage(self, handler) -> None:
        self.damage_handler = handler

    def choose_actor(self, db, *, again: bool):
        self.calls.append(f"choose_actor({db.name}, again={again})")
        if self.during_sign_in is not None:
            step, self.during_sign_in = self.during_sign_in, None
            step()
        return self.actors.pop(0) if self.actors else None

    def show_window(self, db, actor) -> FakeWindow:
        window = FakeWindow(db, actor)
        self.windows.append(window)
        self.calls.append(f"show_window({db.name})")
        return window

    def begin_backups(self, window: FakeWindow) -> None:
        window.backups = True

    def set_aside(self, window: FakeWindow) -> None:
        assert self.staying_open_now or window is self.windows[-1]
        window.set_aside = True

    def end_sign_in(self) -> None:
        self.calls.append("end_sign_in")

    def wait_for_check(self) -> None:
        self.calls.append("wait_for_check")

    def recover(self, problem) -> FakeFile | None:
        self.calls.append(f"recover({problem.kind})")
        return self.restored

    @contextlib.contextmanager
    def staying_open(self) -> Iterator[None]:
        self.staying_open_now = True
        try:
            yield
        finally:
            self.staying_open_now = False

    def later(self, fn) -> None:
        self.pending.append(fn)

    def describe(self, window, db) -> tuple[bool, str]:
        return True, f"startup ok: window shown=True, database={db.name}"

    def close_window(self, window: FakeWindow) -> None:
        window.closed = True

    def say(self, line: str, *, error: bool = False) -> None:
        self.lines.append((line, error))

    def run_event_loop(self) -> int:
        self.calls.append("event_loop")
        while self.pending:
            self.pending.pop(0)()
        if self.during_loop is not None:
            self.during_loop()
        return 0 if self.exit_code is None else self.exit_code

    def exit(self, code: int) -> None:
        self.exit_code = code


@pytest.fixture
def host() -> FakeHost:
    return FakeHost()


def test_a_sound_file_goes_through_every_stage_in_order(host):
    host.during_sign_in = lambda: host.passed()  # the check finishes while the person types
    flow = Startup(host)
    assert flow.run() == 0
    assert flow.stages == [S.OPENING_FILE, S.CHECKING, S.SIGNING_IN, S.WINDOW_SHOWN,
                           S.CLOSING, S.ENDED]  # fmt: skip
    assert host.calls[:3] == ["open_file", "start_check", "choose_actor(clinic, again=False)"]
    (window,) = host.windows
    assert window.actor == "Olivia" and window.backups  # the check had passed: backups run
    assert host.file.closed and flow.verdict is Verdict.PASSED
    assert host.damage_handler is None  # the error hook no longer watches for damage


def test_backups_wait_for_a_check_that_ends_after_the_window(host):
    flow = Startup(host)

    def check_ends_now() -> None:
        (window,) = host.windows
        assert flow.stage is S.WINDOW_SHOWN and not window.backups
        host.passed()
        assert window.backups

    host.during_loop = check_ends_now
    assert flow.run() == 0


def test_the_damage_watch_is_on_while_the_check_runs(host):
    seen = []
    host.during_sign_in = lambda: seen.append(host.damage_handler)
    flow = Startup(host)
    flow.run()
    assert seen == [flow.damaged]


def test_nobody_signing_in_ends_quietly(host):
    host.actors = [None]
    flow = Startup(host)
    assert flow.run() == 0
    assert flow.stages[-2:] == [S.SIGNING_IN, S.ENDED]
    assert host.windows == [] and host.file.closed and "event_loop" not in host.calls


def test_a_file_that_cannot_be_opened_ends_with_an_error(host):
    host.file = None
    flow = Startup(host)
    assert flow.run() == 1
    assert flow.stages == [S.OPENING_FILE, S.ENDED] and host.calls == ["open_file"]


def test_damage_found_while_signing_in_offers_the_backup_and_opens_it(host):
    host.during_sign_in = lambda: host.damaged(DAMAGE)
    host.actors = [None, "Olivia"]  # the sign-in was closed; after the restore she signs in
    flow = Startup(host)
    assert flow.run() == 0
    assert "end_sign_in" in host.calls
    assert host.calls.index("wait_for_check") < host.calls.index("recover(corrupt)")
    assert flow.stages == [S.OPENING_FILE, S.CHECKING, S.SIGNING_IN, S.DAMAGED, S.SIGNING_IN,
                           S.WINDOW_SHOWN, S.CLOSING, S.ENDED]  # fmt: skip
    (window,) = host.windows
    assert window.db is host.restored and window.backups  # a restored backup is whole
    assert host.file.closed and host.restored.closed


def test_a_sign_in_that_succeeds_on_a_damaged_file_still_ends_in_the_offer(host):
    host.during_sign_in = lambda: host.damaged(DAMAGE)
    host.actors = ["Olivia", "Olivia"]
    flow = Startup(host)
    assert flow.run() == 0
    assert [w.db.name for w in host.windows] == ["backup"]  # never a window on the damaged file


def test_declining_the_backup_ends_with_an_error(host):
    host.during_sign_in = lambda: host.damaged(DAMAGE)
    host.actors = [None]
    host.restored = None
    flow = Startup(host)
    assert flow.run() == 1
    assert flow.stages[-2:] == [S.DAMAGED, S.ENDED] and host.windows == []


def test_damage_met_by_a_read_while_signing_in_is_the_same_verdict(host):
    def read_fails() -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    host.during_sign_in = read_fails
    host.actors = ["Olivia", "Olivia"]
    flow = Startup(host)
    assert flow.run() == 0
    assert flow.verdict is Verdict.DAMAGED and flow.problem.kind == "corrupt"
    assert "recover(corrupt)" in host.calls
    host.damaged(DatabaseProblem("corrupt", "again"))  # the check's own verdict comes later
    assert host.calls.count("recover(corrupt)") == 1


def test_other_errors_while_signing_in_are_not_taken_for_damage(host):
    def bug() -> None:
        raise ValueError("a bug")

    host.during_sign_in = bug
    with pytest.raises(ValueError):
        Startup(host).run()


def test_damage_found_after_the_window_sets_it_aside_and_opens_the_backup(host):
    host.actors = ["Olivia", "Tina"]
    flow = Startup(host)

    def damage_now() -> None:
        host.damaged(DAMAGE)

    host.during_loop = damage_now
    assert flow.run() == 0
    first, second = host.windows
    assert first.set_aside and not first.backups and host.file.closed
    assert second.db is host.restored and second.actor == "Tina" and second.backups
    assert S.DAMAGED in flow.stages and flow.stages[-2:] == [S.CLOSING, S.ENDED]
    assert host.restored.closed  # closed when its window ended


def test_damage_after_the_window_without_a_backup_ends_the_app_with_an_error(host):
    host.restored = None
    flow = Startup(host)
    host.during_loop = lambda: host.damaged(DAMAGE)
    assert flow.run() == 1
    assert host.windows[0].set_aside and host.exit_code == 1


def test_startup_check_reports_ok_once_both_window_and_check_are_done(host):
    flow = Startup(host, startup_check=True)
    host.during_loop = lambda: host.passed()
    assert flow.run() == 0
    assert host.lines == [("window shown", False),
                          ("startup ok: window shown=True, database=clinic", False)]  # fmt: skip
    (window,) = host.windows
    assert window.closed and not window.backups  # the start-up check never backs up
    assert host.exit_code == 0


def test_startup_check_with_the_check_done_first_reports_after_the_window(host):
    host.during_sign_in = lambda: host.passed()
    flow = Startup(host, startup_check=True)
    assert flow.run() == 0
    assert [line for line, _ in host.lines] == [
        "window shown",
        "startup ok: window shown=True, database=clinic",
    ]
    assert not host.windows[0].backups


def test_startup_check_reports_damage_found_after_the_window(host):
    flow = Startup(host, startup_check=True)
    host.during_loop = lambda: host.damaged(DAMAGE)
    assert flow.run() == 1
    assert host.lines[-1] == ("startup FAILED: The clinic file is damaged.", True)
    assert "recover(corrupt)" not in host.calls  # nobody is asked anything


def test_startup_check_reports_damage_found_before_the_window(host):
    host.during_sign_in = lambda: host.damaged(DAMAGE)
    flow = Startup(host, startup_check=True)
    assert flow.run() == 1
    assert host.lines == [("startup FAILED: The clinic file is damaged.", True)]
    assert host.windows == [] and host.file.closed


def test_damage_is_recognised_however_it_is_wrapped():
    inner = sqlite3.DatabaseError("file is not a database")
    outer = RuntimeError("while reading")
    outer.__cause__ = inner
    assert is_damage(outer)
    assert is_damage(DatabaseProblem("corrupt", "x"))
    assert not is_damage(DatabaseProblem("locked", "x"))
    assert not is_damage(sqlite3.OperationalError("database is locked"))
