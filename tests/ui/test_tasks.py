"""A background job's relay and callbacks are let go once its result has been delivered."""

from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QThreadPool

from ptdesk.ui.tasks import run_in_background


class _Screen:
    """Stands for a screen whose methods are a job's callbacks."""

    def __init__(self) -> None:
        self.results: list[object] = []

    def done(self, value: object) -> None:
        self.results.append(value)


def _finished(qtbot, outcome: str) -> tuple[weakref.ref, weakref.ref]:
    screen = _Screen()

    def work() -> int:
        if outcome == "failure":
            raise ValueError("no")
        return 42

    relay = run_in_background(work, screen.done, screen.done)
    refs = weakref.ref(relay), weakref.ref(screen)
    assert QThreadPool.globalInstance().waitForDone(5000)
    qtbot.waitUntil(lambda: bool(screen.results))
    if outcome == "result":
        assert screen.results == [42]
    else:
        assert isinstance(screen.results[0], ValueError)
    return refs


def test_a_delivered_result_frees_the_relay_and_the_callbacks(qtbot):
    for outcome in ("result", "failure"):
        relay, screen = _finished(qtbot, outcome)
        qtbot.wait(20)  # the relay is let go on the next turn of the event loop
        gc.collect()
        assert relay() is None, f"the relay of a {outcome} is still alive"
        assert screen() is None, f"the callbacks of a {outcome} are still held"
