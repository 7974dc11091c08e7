"""Slow work off the UI thread: run a function in the pool, get its result on the main thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Carries one job's outcome to the main thread and hands it to the job's callbacks.

    Its signals are connected to its own methods, never to closures that hold the relay: a
    connection is kept on the C++ side, where the garbage collector cannot see it, so a
    closure holding the relay would keep it (and all it captured) alive for good.
    """

    done = Signal(object)
    failed = Signal(object)

    def __init__(
        self, on_done: Callable[[Any], None], on_error: Callable[[BaseException], None]
    ) -> None:
        super().__init__()
        self._callbacks: tuple[Callable[[Any], None], Callable[[BaseException], None]] | None = (
            on_done,
            on_error,
        )
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_failure)

    def _deliver_done(self, value: Any) -> None:
        self._finish(0, value)

    def _deliver_failure(self, exc: BaseException) -> None:
        self._finish(1, exc)

    def _finish(self, which: int, value: Any) -> None:
        callbacks, self._callbacks = self._callbacks, None
        if callbacks is None:  # delivered already
            return
        try:
            callbacks[which](value)
        finally:
            # Let go of the relay only after its signal has been delivered.
            QTimer.singleShot(0, self._release)

    def _release(self) -> None:
        _alive.discard(self)


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
    relay = _Relay(on_done, on_error)
    _alive.add(relay)
    QThreadPool.globalInstance().start(_Job(fn, relay))
    return relay
