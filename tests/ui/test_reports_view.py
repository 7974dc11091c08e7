"""The Reports page: month picker, report made off the UI thread, preview, figures, CSV in and out."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import func, select

from ptdesk.models import Patient
from ptdesk.services.audit import Actor
from ptdesk.ui.bus import Bus
from ptdesk.ui.context import AppContext
from ptdesk.ui.main_window import MainWindow
from ptdesk.ui.reports.import_dialog import ImportDialog
from ptdesk.ui.reports.view import ReportsView
from tests.report_helpers import MARCH, build_march


@pytest.fixture
def march_ctx(ctx):
    build_march(ctx.db)
    return ctx


def _made(qtbot, view: ReportsView) -> None:
    qtbot.waitUntil(lambda: view.made is not None and view.progress is None, timeout=30000)


def test_make_report_shows_preview_and_figures(qtbot, qtmodeltester, march_ctx):
    view = ReportsView(march_ctx)
    qtbot.addWidget(view)
    view.show()
    assert not view.json_button.isEnabled()
    view.set_month(MARCH)
    assert view.month.currentText() == "March 2026"
    qtbot.mouseClick(view.make_button, qtbot_button())
    _made(qtbot, view)
    qtmodeltester.check(view.figures)
    assert view.preview.page_count >= 2
    assert view.preview.suggested_name == "monthly-report-2026-03.pdf"
    rows = {view.figures.index(r, 0).data(): r for r in range(view.figures.rowCount())}
    completed = rows["Visits completed"]
    assert [view.figures.index(completed, c).data() for c in range(4)] == [
        "Visits completed",
        "3",
        "1",
        "+2",
    ]
    assert view.figures.index(rows["Arrival rate"], 1).data() == "42.9%"
    assert "March 2026" in view.status.text()
    assert view.json_button.isEnabled()


def test_figures_saved_as_json(qtbot, march_ctx, tmp_path):
    view = ReportsView(march_ctx)
    qtbot.addWidget(view)
    view.set_month(MARCH)
    view.make()
    _made(qtbot, view)
    out = tmp_path / "march.json"
    assert view.save_figures_to(out, "json")
    assert json.loads(out.read_text())["appointments"]["completed"] == 3


def test_report_is_marked_stale_when_the_schedule_changes(qtbot, march_ctx):
    view = ReportsView(march_ctx)
    qtbot.addWidget(view)
    view.set_month(MARCH)
    view.make()
    _made(qtbot, view)
    march_ctx.bus.announce("schedule")
    assert "Data changed" in view.status.text()


def test_front_desk_cannot_make_the_report(qtbot, db, owner):
    desk = AppContext(db=db, actor=Actor(id=None, name="Dana", role="front_desk"), bus=Bus())
    view = ReportsView(desk)
    qtbot.addWidget(view)
    assert not view.make_button.isEnabled()
    assert not view.import_button.isEnabled()
    assert view.export_button.isEnabled()
    assert "Only the owner" in view.status.text()


def test_page_is_registered_before_settings(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert isinstance(window.pages["reports"], ReportsView)  # built when first used
    keys = window.page_keys
    assert keys.index("sessions") < keys.index("reports") < keys.index("settings")


def test_export_csv_from_the_page(qtbot, march_ctx, tmp_path):
    view = ReportsView(march_ctx)
    qtbot.addWidget(view)
    view.export_kind.setCurrentIndex(view.export_kind.findData("appointments"))
    view.export_from.setDate(date(2026, 3, 1))
    view.export_to.setDate(date(2026, 3, 31))
    out = tmp_path / "appointments.csv"
    assert view.export_to_file(out)
    qtbot.waitUntil(lambda: view.last_export is not None, timeout=10000)
    assert view.last_export == (out, 9)
    assert "9 rows exported" in view.status.text()
    assert out.read_text().startswith("chart_number,patient,staff")
    view.export_from.setDate(date(2026, 4, 1))
    assert not view.export_to_file(out)
    assert "before the 'From' date" in view.status.text()
    view.export_kind.setCurrentIndex(view.export_kind.findData("staff"))
    assert not view.export_from.isEnabled()


def test_import_dialog_shows_problems_and_imports_only_a_valid_file(
    qtbot, qtmodeltester, ctx, tmp_path
):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "chart_number,first_name,last_name,date_of_birth,shoe_size\n"
        "A1,Ada,Lovelace,1950-12-10,38\n"
        "A1,Alan,Turing,1954-06-23,44\n"
    )
    dialog = ImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("patients"))
    dialog.load_file(bad)
    qtbot.waitUntil(lambda: dialog.preview is not None and not dialog.busy, timeout=10000)
    qtmodeltester.check(dialog.rows_model)
    qtmodeltester.check(dialog.problems_model)
    assert dialog.rows_model.rowCount() == 2
    assert dialog.problems_model.index(0, 0).data() == "3"
    assert "also on row 2" in dialog.problems_model.index(0, 2).data()
    assert not dialog.import_button.isEnabled()
    assert "shoe_size" in dialog.warnings.text()
    assert "nothing will be imported" in dialog.summary.text()

    good = tmp_path / "good.csv"
    good.write_text(
        "chart_number,first_name,last_name,date_of_birth\n"
        "A1,Ada,Lovelace,1950-12-10\nA2,Alan,Turing,1954-06-23\n"
    )
    dialog.load_file(good)
    qtbot.waitUntil(lambda: dialog.preview.ok and not dialog.busy, timeout=10000)
    assert dialog.import_button.isEnabled()
    assert dialog.import_button.text() == "&Import 2 rows"
    with qtbot.waitSignal(ctx.bus.changed, timeout=10000) as signal:
        qtbot.mouseClick(dialog.import_button, qtbot_button())
    assert signal.args == ["patients"]
    assert "Imported 2 patients" in dialog.summary.text()
    with ctx.db.session() as s:
        assert s.exec(select(func.count()).select_from(Patient)).one() == 2


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
