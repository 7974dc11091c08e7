"""The Exercises page: editing a program, who may edit, the library, and printing sheets."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from ptdesk.reports.common import Letterhead
from ptdesk.reports.exercise_sheets import build_sheets
from ptdesk.services import programs
from ptdesk.services.audit import Actor
from ptdesk.ui.bus import Bus
from ptdesk.ui.context import AppContext
from ptdesk.ui.exercises.view import ExercisesView
from ptdesk.ui.widgets.pdf_preview import PdfPreview, PdfPreviewDialog
from ptdesk.ui.widgets.table import ROW_ROLE
from tests.exercise_helpers import book, make_patient, make_staff, set_program
from tests.reports.test_exercise_sheets import _sheet


@pytest.fixture
def clinic(screen_clock, db, owner):
    therapist = make_staff(db, owner, "Tara Lee", "therapist", "PT, DPT")
    tech = make_staff(db, owner, "Theo Tech", "technician")
    ana = make_patient(db, "000001", "Ana", "Diaz", "Fall risk")
    ben = make_patient(db, "000002", "Ben", "Okafor")
    today = screen_clock.today
    set_program(db, therapist, ana, ["bridge", "clamshell", "heel_slide"], start=today)
    book(db, ana, tech.id, today, 9)
    book(db, ben, tech.id, today, 10)
    return dict(therapist=therapist, tech=tech, ana=ana, ben=ben)


def _view(qtbot, db, actor: Actor) -> ExercisesView:
    view = ExercisesView(AppContext(db=db, actor=actor, bus=Bus()))
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    return view


def test_models_pass_the_model_tester(qtbot, qtmodeltester, db, clinic):
    view = _view(qtbot, db, clinic["therapist"])
    assert view.programs.select_patient(clinic["ana"])
    qtmodeltester.check(view.programs.patients)
    qtmodeltester.check(view.programs.editor.items)
    qtmodeltester.check(view.programs.editor.history)
    qtmodeltester.check(view.library.model)
    qtmodeltester.check(view.sheets.overview)
    assert view.library.model.rowCount() >= 40


def test_therapist_reorders_doses_adds_and_saves(qtbot, db, clinic):
    view = _view(qtbot, db, clinic["therapist"])
    editor = view.programs.editor
    assert view.programs.select_patient(clinic["ana"])
    assert editor.patient_id == clinic["ana"]
    assert [i.exercise_name for i in editor.items.rows()] == ["Bridge", "Clamshell", "Heel slide"]
    editor.item_view.selectRow(2)
    editor.move_selected(-1)
    assert [i.exercise_name for i in editor.items.rows()] == ["Bridge", "Heel slide", "Clamshell"]
    assert editor.save_button.isEnabled()
    # dragging the first row below the second does the same as the buttons
    model = editor.items
    dragged = model.mimeData([model.index(0, 1)])
    assert model.dropMimeData(dragged, Qt.DropAction.MoveAction, 2, 0, QModelIndex()) is False
    assert [i.exercise_name for i in editor.items.rows()] == ["Heel slide", "Bridge", "Clamshell"]
    editor.item_view.selectRow(1)
    editor.move_selected(-1)
    assert editor.selected_row() == 0
    editor.item_view.selectRow(1)
    assert editor.items.row_at(1).exercise_name == "Heel slide"
    editor.reps.setValue(15)
    editor.load.setText("red band")
    editor.load.textEdited.emit("red band")
    editor.side.setCurrentIndex(editor.side.findData("left"))
    assert "15 times" in editor.dose_preview.text() or "of 15" in editor.dose_preview.text()
    calf = next(e for e in editor.library if e.library_key == "calf_raise")
    editor.add_exercise(calf.id)
    with qtbot.waitSignal(view.ctx.bus.changed):
        assert editor.save()
    # the list refreshed and still highlights the open patient
    current = view.programs.patient_view.currentIndex()
    assert current.isValid() and current.data(ROW_ROLE).patient_id == clinic["ana"]
    with db.session() as s:
        program = programs.get_program(s, clinic["ana"])
        history = programs.program_history(s, clinic["ana"])
    assert [i.exercise_name for i in program.items] == [
        "Bridge",
        "Heel slide",
        "Clamshell",
        "Heel raise",
    ]
    slide = program.items[1]
    assert (slide.reps, slide.load, slide.side) == (15, "red band", "left")
    assert history[0].actor_name == "Tara Lee" and "order changed" in history[0].summary
    assert editor.history.rowCount() == 2
    assert not editor.save_button.isEnabled()


def test_end_before_start_shows_error_by_the_field(qtbot, db, clinic):
    view = _view(qtbot, db, clinic["therapist"])
    editor = view.programs.editor
    view.programs.select_patient(clinic["ana"])
    editor.has_end.setChecked(True)
    editor.end.setDate(editor.start.date().addDays(-3))
    assert not editor.save()
    error = editor.top_form.errors["end_date"]
    assert not error.isHidden() and "end date" in error.text()


def test_technician_views_and_prints_but_cannot_change(qtbot, db, clinic):
    view = _view(qtbot, db, clinic["tech"])
    editor = view.programs.editor
    view.programs.select_patient(clinic["ana"])
    assert editor.readonly_note.isVisible()
    assert not editor.add_button.isEnabled() and not editor.up_button.isEnabled()
    assert not editor.dose_box.isEnabled()
    assert editor.print_button.isEnabled()
    editor.move_selected(1)
    assert editor.items.row_at(0).exercise_name == "Bridge" and not editor.save()
    editor.large_print.setChecked(True)  # remembered at once, even for a technician
    with db.session() as s:
        assert programs.get_program(s, clinic["ana"]).large_print is True
    assert not view.library.new_button.isEnabled()


def test_attach_a_photo_to_a_library_exercise(qtbot, db, clinic, tmp_path):
    view = _view(qtbot, db, clinic["therapist"])
    lib = view.library
    lib.view.selectRow(0)
    chosen = lib.selected()
    photo = tmp_path / "photo.png"
    photo.write_bytes(_png())
    assert lib.attach_photo_file(photo)
    assert lib.selected().id == chosen.id and lib.selected().has_photo
    assert lib.picture.pixmap() is not None and not lib.picture.pixmap().isNull()
    assert lib.remove_photo_button.isEnabled()


def test_print_the_day_builds_a_preview_of_the_right_patients(qtbot, db, clinic):
    view = _view(qtbot, db, clinic["tech"])
    panel = view.sheets
    panel.staff.setCurrentIndex(panel.staff.findData(clinic["tech"].id))
    assert panel.overview.rowCount() == 2
    assert "2 patients expected; 1 sheet will print" in panel.count_label.text()
    panel.print_button.click()
    qtbot.waitUntil(lambda: panel.print_button.isEnabled(), timeout=20000)
    dialog = panel.last_dialog
    assert isinstance(dialog, PdfPreviewDialog)
    assert dialog.windowTitle().endswith("(1 patient)")
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(dialog.preview.pdf_bytes())).pages
    )
    assert "Ana Diaz" in text and "Ben Okafor" not in text
    with qtbot.waitSignal(dialog.destroyed):
        dialog.close()  # the window frees itself when closed


def test_one_patients_sheet_prints_from_the_program(qtbot, db, clinic):
    view = _view(qtbot, db, clinic["tech"])
    editor = view.programs.editor
    assert view.programs.select_patient(clinic["ana"])

    def previews() -> list[PdfPreviewDialog]:
        return [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, PdfPreviewDialog) and w.isVisible()
        ]

    editor.print_button.click()
    qtbot.waitUntil(lambda: bool(previews()), timeout=20000)
    (dialog,) = previews()
    assert dialog.windowTitle().endswith("(1 patient)")
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(dialog.preview.pdf_bytes())).pages
    )
    assert "Ana Diaz" in text and "Bridge" in text
    with qtbot.waitSignal(dialog.destroyed):
        dialog.close()  # freed when closed


def test_pdf_preview_pages_saves_and_prints(qtbot, tmp_path):
    data = build_sheets([_sheet("Ana Diaz"), _sheet("Ben Okafor")], Letterhead("Harbor PT"))
    preview = PdfPreview()
    qtbot.addWidget(preview)
    preview.resize(700, 900)
    preview.show()
    preview.set_pdf(data, "sheets.pdf")
    count = len(PdfReader(io.BytesIO(data)).pages)
    assert preview.page_count == count and preview.count_label.text() == f"of {count}"
    assert not preview.previous_button.isEnabled()
    preview.next_button.click()
    assert preview.page_index == 1 and preview.page_spin.value() == 2
    assert not preview.page_label.pixmap().isNull()
    out = tmp_path / "copy.pdf"
    with qtbot.waitSignal(preview.saved):
        preview.save_to(out)
    assert out.read_bytes() == data and not list(tmp_path.glob("*.partial"))
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    assert preview.print_to(printer) == count
    assert len(PdfReader(str(printed)).pages) == count
    stopped = tmp_path / "stopped.pdf"
    printer.setOutputFileName(str(stopped))
    assert preview.print_to(printer, progress=lambda done: done < 2) == 2
    assert len(PdfReader(str(stopped)).pages) == 2
    preview.close_document()


def _png() -> bytes:
    width, height = 8, 6
    raw = b"".join(b"\x00" + b"\x20\x90\x40" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_cli_exports_the_day(screen_clock, db, clinic, capsys, tmp_path: Path):
    from ptdesk.cli import run

    out = tmp_path / "day.pdf"
    args = ["export", "exercise-sheets", "--db", str(db.path), "--out", str(out)]
    assert run([*args, "--date", screen_clock.today.isoformat()]) == 0
    text = " ".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert "Ana Diaz" in text and "Ben Okafor" not in text
    assert run([*args, "--staff", "Nobody Here"]) == 1
    assert "No staff member" in capsys.readouterr().err
    assert run([*args, "--patient", "000002"]) == 1
    assert run([*args, "--patient", "000001", "--staff", "Theo"]) == 2
    single = tmp_path / "one.pdf"
    assert run([*args[:-1], str(single), "--patient", "000001"]) == 0
    assert "Bridge" in PdfReader(str(single)).pages[0].extract_text()


def test_cli_names_a_sheet_that_cannot_be_laid_out_without_a_traceback(
    screen_clock, db, clinic, capsys, tmp_path: Path, monkeypatch
):
    from reportlab.platypus import Table

    from ptdesk.cli import run
    from ptdesk.reports import exercise_sheets

    real = exercise_sheets.sheet_story
    monkeypatch.setattr(  # a block taller than any page
        exercise_sheets, "sheet_story", lambda *a: [*real(*a), Table([[""]], rowHeights=[2000])]
    )
    out = tmp_path / "day.pdf"
    args = ["export", "exercise-sheets", "--db", str(db.path), "--out", str(out)]
    assert run([*args, "--date", screen_clock.today.isoformat()]) == 1
    err = capsys.readouterr().err
    assert "Ana Diaz could not be laid out" in err
    assert "Traceback" not in err and "Flowable" not in err and not out.exists()
