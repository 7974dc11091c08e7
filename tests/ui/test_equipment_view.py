"""The Equipment page: one-action cleaning on the due board, filters, dialogs, log, water, PDF."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlmodel import select

from ptdesk.models import CleaningLog, ClinicProfile, Room
from ptdesk.services import cleaning, equipment
from ptdesk.services.cleaning import DueState
from ptdesk.services.equipment import EquipmentData
from ptdesk.ui import bus as topics
from ptdesk.ui.equipment import dialogs
from ptdesk.ui.equipment.models import BoardFilter
from ptdesk.ui.equipment.view import EquipmentView
from ptdesk.ui.widgets.table import ROW_ROLE, selected_rows

LONG_AGO = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def stocked(ctx):
    """Two rooms, five daily items, a weekly hydrocollator and a device, all open every day."""
    with ctx.db.session() as s:
        s.get(ClinicProfile, 1).clinic_days = "1,2,3,4,5,6,7"
        gym, treat = Room(name="Gym"), Room(name="Treatment 1")
        s.add_all([gym, treat])
        s.flush()
        ids = {}
        for name, room in [
            ("Treadmill", gym),
            ("Bike", gym),
            ("Parallel bars", gym),
            ("Table 1", treat),
            ("Walker", None),
        ]:
            row = equipment.create_equipment(
                s,
                ctx.actor,
                EquipmentData(
                    name=name,
                    category="exercise_equipment",
                    room_id=room.id if room else None,
                    cleaning_interval="daily",
                    product="Quat wipes",
                    contact_minutes=3,
                ),
            )
            ids[name] = row.id
        hydro = equipment.create_equipment(
            s,
            ctx.actor,
            EquipmentData(
                name="Hydrocollator",
                category="hydrocollator",
                room_id=treat.id,
                cleaning_interval="weekly",
                product="Bleach",
                contact_minutes=4,
            ),
        )
        ids["Hydrocollator"] = hydro.id
        for row in equipment.list_equipment(s):
            row.created_at = LONG_AGO
        ids["rooms"] = {"Gym": gym.id, "Treatment 1": treat.id}
    return ids


def make_view(qtbot, ctx) -> EquipmentView:
    view = EquipmentView(ctx)
    qtbot.addWidget(view)
    view.resize(1300, 800)
    view.show()
    qtbot.waitExposed(view)
    return view


def board_states(view) -> dict[str, DueState]:
    model = view.board_tab.model
    return {model.row_at(r).name: model.row_at(r).state for r in range(model.rowCount())}


def select_names(view, names: list[str]) -> None:
    table = view.board_tab.table
    table.clearSelection()
    proxy = table.model()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for r in range(proxy.rowCount()):
        index = proxy.index(r, 0)
        if index.data(ROW_ROLE).name in names:
            table.selectionModel().select(index, flags)
    assert len(selected_rows(table)) == len(names)


def test_models_pass_the_model_tester(qtbot, qtmodeltester, ctx, stocked):
    with ctx.db.session() as s:
        cleaning.log_cleaning(s, ctx.actor, [stocked["Bike"]])
        equipment.log_water_reading(s, ctx.actor, stocked["Hydrocollator"], 165, "F")
        equipment.set_out_of_service(s, ctx.actor, stocked["Walker"], "Brake broken")
    view = make_view(qtbot, ctx)
    view.water_tab.reload()
    for model in (
        view.board_tab.model,
        view.board_tab.proxy,
        view.board_tab.out_model,
        view.inventory_tab.model,
        view.log_tab.model,
        view.water_tab.model,
    ):
        assert model.rowCount() > 0
        qtmodeltester.check(model)


def test_selecting_three_items_and_pressing_cleaned_logs_three_and_turns_them_clean(
    qtbot, ctx, stocked
):
    view = make_view(qtbot, ctx)
    before = board_states(view)
    assert before["Treadmill"] == DueState.OVERDUE  # never cleaned since January
    chosen = ["Treadmill", "Bike", "Table 1"]
    select_names(view, chosen)
    with qtbot.waitSignal(ctx.bus.changed) as announced:
        qtbot.mouseClick(view.board_tab.clean_button, Qt.MouseButton.LeftButton)
    assert announced.args == [topics.CLEANING]
    with ctx.db.session() as s:
        rows = s.exec(select(CleaningLog)).all()
    assert sorted(r.equipment_id for r in rows) == sorted(stocked[n] for n in chosen)
    assert {r.staff_name for r in rows} == {ctx.actor.name}
    after = board_states(view)
    for name in chosen:
        assert after[name] == DueState.CLEAN
    assert after["Parallel bars"] == DueState.OVERDUE
    # the state is spelled out, not only coloured
    model = view.board_tab.model
    texts = {model.row_at(r).name: model.index(r, 0).data() for r in range(model.rowCount())}
    assert texts["Treadmill"] == "✓ Clean" and texts["Parallel bars"] == "⚠ Overdue"
    rows = {r.name: r for r in model.rows()}
    assert rows["Treadmill"].last_cleaned_by == ctx.actor.name
    assert rows["Treadmill"].last_cleaned_text.endswith(f"by {ctx.actor.name}")
    # the log tab heard about it too
    assert view.log_tab.model.rowCount() == 3


def test_keyboard_shortcut_logs_the_selection(qtbot, ctx, stocked):
    view = make_view(qtbot, ctx)
    select_names(view, ["Walker"])
    view.board_tab.table.setFocus()
    view.activateWindow()
    qtbot.waitUntil(lambda: view.board_tab.table.hasFocus())
    with qtbot.waitSignal(ctx.bus.changed):
        qtbot.keyClick(view.board_tab.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert board_states(view)["Walker"] == DueState.CLEAN


def test_board_filters_by_room_and_state_and_keeps_out_of_service_apart(qtbot, ctx, stocked):
    with ctx.db.session() as s:
        cleaning.log_cleaning(s, ctx.actor, [stocked["Bike"]])
        equipment.set_out_of_service(s, ctx.actor, stocked["Parallel bars"], "Loose rail")
    view = make_view(qtbot, ctx)
    tab = view.board_tab
    shown = lambda: {  # noqa: E731
        tab.proxy.index(r, 0).data(ROW_ROLE).name for r in range(tab.proxy.rowCount())
    }
    assert "Parallel bars" not in shown()
    assert tab.out_model.rowCount() == 1
    assert tab.out_model.index(0, 3).data() == "Loose rail"
    tab.room_filter.setCurrentIndex(tab.room_filter.findData(stocked["rooms"]["Gym"]))
    assert shown() == {"Treadmill", "Bike"}
    tab.state_filter.setCurrentIndex(tab.state_filter.findData(DueState.CLEAN.value))
    assert shown() == {"Bike"}
    tab.room_filter.setCurrentIndex(tab.room_filter.findData(BoardFilter.NO_ROOM))
    tab.state_filter.setCurrentIndex(tab.state_filter.findData(DueState.OVERDUE.value))
    assert shown() == {"Walker"}
    assert "1 out of service" in tab.summary.text()


def test_cleaned_with_details_flags_a_short_contact_time(qtbot, ctx, stocked, monkeypatch):
    view = make_view(qtbot, ctx)
    select_names(view, ["Treadmill"])

    def fill_and_accept(dialog):
        dialog.contact.setValue(1)
        dialog.method.setCurrentIndex(dialog.method.findData("disinfect_only"))
        dialog.notes.setPlainText("Sweaty handles")
        dialog._try_accept()
        return dialog.result()

    monkeypatch.setattr(dialogs.CleaningDetailsDialog, "exec", fill_and_accept)
    with qtbot.waitSignal(ctx.bus.changed):
        view.board_tab.log_with_details()
    with ctx.db.session() as s:
        row = s.exec(select(CleaningLog)).one()
    assert (row.method, row.contact_minutes, row.short_contact) == ("disinfect_only", 1, True)
    assert row.notes == "Sweaty handles"
    assert "⚠ 1 with a contact time shorter" in view.log_tab.count.text()


def test_correction_from_the_log_keeps_the_original(qtbot, ctx, stocked, monkeypatch):
    with ctx.db.session() as s:
        (entry,) = cleaning.log_cleaning(s, ctx.actor, [stocked["Bike"]])
    view = make_view(qtbot, ctx)
    tab = view.log_tab
    tab.table.selectRow(0)

    def empty_reason_then_fix(dialog):
        dialog.void.setChecked(True)
        dialog._try_accept()
        assert not dialog.form.errors["reason"].isHidden()  # shown by the field
        dialog.reason.setText("Wrong item")
        dialog._try_accept()
        return dialog.result()

    monkeypatch.setattr(dialogs.CorrectionDialog, "exec", empty_reason_then_fix)
    with qtbot.waitSignal(ctx.bus.changed):
        tab.correct_selected()
    assert tab.model.rowCount() == 2
    statuses = {tab.model.row_at(r).id: tab.model.row_at(r).status for r in range(2)}
    assert "Corrected by" in statuses[entry.id]
    assert any("Voids" in s for s in statuses.values())
    assert board_states(view)["Bike"] == DueState.OVERDUE


def test_add_item_shows_errors_by_the_field(qtbot, ctx, stocked, monkeypatch):
    view = make_view(qtbot, ctx)

    def try_empty_then_fill(dialog):
        dialog._try_accept()
        assert not dialog.form.errors["name"].isHidden()
        dialog.name.setText("Stepper")
        dialog.product.setCurrentText("Quat wipes")
        dialog.contact.setValue(2)
        dialog._try_accept()
        return dialog.result()

    monkeypatch.setattr(dialogs.EquipmentDialog, "exec", try_empty_then_fill)
    with qtbot.waitSignal(ctx.bus.changed):
        view.inventory_tab.add_item()
    names = {
        view.inventory_tab.model.row_at(r).name for r in range(view.inventory_tab.model.rowCount())
    }
    assert "Stepper" in names
    assert "Stepper" in board_states(view)


def test_water_readings_follow_the_unit_setting(qtbot, ctx, stocked):
    view = make_view(qtbot, ctx)
    water = view.water_tab
    water.temperature.setValue(180)
    water.changed.setChecked(True)
    with qtbot.waitSignal(ctx.bus.changed):
        qtbot.mouseClick(water.log_button, Qt.MouseButton.LeftButton)
    assert water.model.rowCount() == 1
    assert water.model.index(0, 1).data() == "180 °F"
    assert water.model.index(0, 2).data() == "⚠ Out of range"
    assert "160 °F to 170 °F" in water.status.text()
    view.inventory_tab.unit_c.setChecked(True)
    assert water.model.index(0, 1).data() == "82 °C"
    assert "71 °C to 77 °C" in water.status.text()
    flags = {r.name: r.flags for r in view.board_tab.model.rows()}
    assert any("outside the safe range" in f for f in flags["Hydrocollator"])


def test_printable_log_is_saved_from_the_screen(
    qtbot, screen_clock, ctx, stocked, monkeypatch, tmp_path
):
    with ctx.db.session() as s:
        cleaning.log_cleaning(s, ctx.actor, [stocked["Bike"], stocked["Walker"]])
        cleaning.log_cleaning(
            s,
            ctx.actor,
            [stocked["Treadmill"]],
            when=screen_clock.utc_now - timedelta(days=30),
        )
    view = make_view(qtbot, ctx)
    target = tmp_path / "log.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    view.log_tab.save_pdf()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "log.pdf" in shown[0]
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert "Bike" in text and "Walker" in text
    assert "Treadmill" not in text.split("Due versus done")[0]


def test_print_log_opens_a_preview_of_the_chosen_range(qtbot, screen_clock, ctx, stocked):
    with ctx.db.session() as s:
        cleaning.log_cleaning(s, ctx.actor, [stocked["Bike"], stocked["Walker"]])
        cleaning.log_cleaning(
            s,
            ctx.actor,
            [stocked["Treadmill"]],
            when=screen_clock.utc_now - timedelta(days=30),
        )
    view = make_view(qtbot, ctx)
    tab = view.log_tab
    assert tab.print_button.text().replace("&", "") == "Print log…"
    tab.print_button.click()
    qtbot.waitUntil(lambda: tab.preview_dialog is not None, timeout=15_000)
    assert tab.print_button.isEnabled()
    dialog = tab.preview_dialog
    assert dialog.preview.page_count >= 1 and dialog.preview.print_button.isEnabled()
    data = dialog.preview.pdf_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Bike" in text and "Walker" in text
    assert "Treadmill" not in text.split("Due versus done")[0]
    dialog.reject()


def test_details_left_as_suggested_keep_each_items_own_product(qtbot, ctx, stocked, monkeypatch):
    view = make_view(qtbot, ctx)
    select_names(view, ["Treadmill", "Hydrocollator"])
    monkeypatch.setattr(
        dialogs.CleaningDetailsDialog, "exec", lambda d: (d._try_accept(), d.result())[1]
    )
    with qtbot.waitSignal(ctx.bus.changed):
        view.board_tab.log_with_details()
    with ctx.db.session() as s:
        got = {(r.product, r.contact_minutes, r.short_contact) for r in s.exec(select(CleaningLog))}
    assert got == {("Quat wipes", 3, False), ("Bleach", 4, False)}
