"""Slow work off the UI thread: run a function in the pool, get its result on the main thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # handed to the main thread, which decides what to show
            self._deliver("failed", exc)
        else:
            self._deliver("done", result)

    def _deliver(self, signal: str, value: Any) -> None:
        try:
            getattr(self.relay, signal).emit(value)
        except RuntimeError:  # the app was torn down first (e.g. a quick close): nobody waits
            log.info("a background job finished after the app closed; its result was dropped")


_alive: set[_Relay] = set()


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> _Relay:
    """Run ``fn`` in the thread pool; the callbacks run on the main thread."""
    relay = _Relay()
    _alive.add(relay)

    def finish(callback: Callable[[Any], None], value: Any) -> None:
        try:
            callback(value)
        finally:
            # Let go of the relay only after its signal has been delivered.
            QTimer.singleShot(0, lambda: _alive.discard(relay))

    relay.done.connect(lambda value: finish(on_done, value))
    relay.failed.connect(lambda exc: finish(on_error, exc))
    QThreadPool.globalInstance().start(_Job(fn, relay))
    return relay
