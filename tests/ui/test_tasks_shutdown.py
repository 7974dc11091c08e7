"""A background job that finishes while the app is shutting down does not raise."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtCore import QThreadPool

from ptdesk.ui.tasks import run_in_background


def test_result_for_a_relay_already_gone_is_dropped_quietly(qtbot):
    gate = threading.Event()
    delivered = []
    relay = run_in_background(lambda: gate.wait(5) and 42, delivered.append, delivered.append)
    shiboken6.delete(relay)  # what happens to it when the app is torn down first
    gate.set()
    assert QThreadPool.globalInstance().waitForDone(5000)
    qtbot.wait(10)
    assert delivered == []
