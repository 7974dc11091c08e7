"""An unexpected error inside a slot is logged and shown, and the window goes on working."""

from __future__ import annotations

import logging
import os
import sys

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from ptdesk.db import MSG_READONLY
from ptdesk.services import patients as patient_service
from ptdesk.services.patients import PatientData
from ptdesk.ui import bus as topics
from ptdesk.ui.app import install_exception_hook
from ptdesk.ui.main_window import MainWindow
from ptdesk.ui.patients.view import PatientsView
from tests.reliability import faults
from tests.reliability.cases import count
from tests.reliability.checks import file_digest


@pytest.mark.qt_no_exception_capture
def test_error_in_a_slot_is_logged_shown_and_the_window_stays_usable(
    qtbot, ctx, monkeypatch, caplog
):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    install_exception_hook()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.show_page("patients")
    assert view is not None

    def broken(_session):
        raise RuntimeError("list query failed")

    shown: list[str] = []

    def close_dialog() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, close_dialog)
            return
        shown.append(box.text())
        box.accept()

    monkeypatch.setattr(patient_service, "list_patient_rows", broken)
    QTimer.singleShot(0, close_dialog)
    with caplog.at_level(logging.ERROR):
        ctx.bus.announce(topics.PATIENTS)  # the patients page's slot reloads, and fails
        qtbot.waitUntil(lambda: bool(shown))
    assert "Something went wrong inside ptdesk. Your saved work is safe." in shown[0]
    assert "RuntimeError: list query failed" in shown[0]
    assert any("list query failed" in r.getMessage() for r in caplog.records)
    assert window.isVisible()

    # The window still works: the same slot succeeds once the fault is gone, and pages switch.
    monkeypatch.undo()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    with ctx.db.session() as s:
        patient_service.create_patient(
            s, ctx.actor, PatientData(first_name="Ana", last_name="Ruiz")
        )
    ctx.bus.announce(topics.PATIENTS)
    assert view.model.rowCount() == 1
    assert window.show_page("schedule") is window.pages["schedule"]
    count("UI: unhandled error in a slot")


def test_a_save_the_file_refuses_is_explained_in_the_window(qtbot, ctx, monkeypatch):
    """The clinic file turns read-only while the window is open: the save says why."""
    with ctx.db.session() as s:
        row = patient_service.create_patient(
            s, ctx.actor, PatientData(first_name="Ben", last_name="Okafor")
        )
    view = PatientsView(ctx)
    qtbot.addWidget(view)
    view.show()
    view.select_patient(row.id)
    monkeypatch.setattr(view, "confirm", lambda *_: True)
    shown: list[str] = []

    def close_dialog() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, close_dialog)
            return
        shown.append(box.text())
        box.accept()

    path = ctx.db.path
    ctx.db.engine.dispose()  # closes (and checkpoints) the open connections first
    before = file_digest(path)
    os.chmod(path, 0o444)
    try:
        with faults.permissions_apply():
            QTimer.singleShot(0, close_dialog)
            qtbot.mouseClick(view.discharge_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: bool(shown))
            ctx.db.engine.dispose()
    finally:
        os.chmod(path, 0o644)
    assert shown == [MSG_READONLY]
    assert file_digest(path) == before
    with ctx.db.session() as s:
        assert patient_service.get_patient(s, row.id).active
    qtbot.mouseClick(view.discharge_button, Qt.MouseButton.LeftButton)  # writable again: works
    with ctx.db.session() as s:
        assert not patient_service.get_patient(s, row.id).active
    count("read-only: file, a save in the window (UI)")
