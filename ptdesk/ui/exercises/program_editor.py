"""The Programs tab: pick a patient, set their home program, see its history, print the sheet."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QAbstractItemModel, QDate, QSortFilterProxyModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ptdesk.models import BodyRegion, Side
from ptdesk.services import clock, programs
from ptdesk.services import exercises as exercise_service
from ptdesk.services.permissions import allowed
from ptdesk.services.programs import ProgramData, ProgramItem
from ptdesk.ui.context import AppContext
from ptdesk.ui.exercises.models import HistoryModel, ProgramItemsModel, ProgramPatientsModel
from ptdesk.ui.exercises.sheets import print_sheets
from ptdesk.ui.operations import Op, query
from ptdesk.ui.widgets.forms import ErrorForm
from ptdesk.ui.widgets.table import ROW_ROLE, SORT_ROLE, make_table, table_view


def _lines_fit_text(view: QTableView) -> QTableView:
    """``view`` with every line as tall as one line of its text and a little room."""
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    return view


def _table(name: str, accessible: str, model: QAbstractItemModel) -> QTableView:
    return _lines_fit_text(table_view(name, model, accessible=accessible, stripes=False))


class ProgramEditor(QWidget):
    """One patient's program, edited as a whole and saved in one action."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.can_edit = allowed(ctx.actor, "change_program")
        self.patient_id: int | None = None
        self.patient_name = ""
        self.saved_program: ProgramData | None = None
        self.dirty = False
        self._loading = False

        self.title = QLabel("Choose a patient on the left.")
        self.title.setObjectName("programTitle")
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.readonly_note = QLabel(
            "Only therapists and assistants (PT/PTA) may change programs. "
            "You can look at the program and print the sheet."
        )
        self.readonly_note.setObjectName("readonlyNote")
        self.readonly_note.setWordWrap(True)
        self.readonly_note.setVisible(not self.can_edit)

        # dates, print size, notes
        self.start = QDateEdit()
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd")
        self.start.setMaximumWidth(160)
        self.has_end = QCheckBox("&Has an end date")
        self.has_end.setObjectName("hasEnd")
        self.end = QDateEdit()
        self.end.setCalendarPopup(True)
        self.end.setDisplayFormat("yyyy-MM-dd")
        self.end.setObjectName("end_date")
        self.end.setAccessibleName("End date")
        self.has_end.toggled.connect(self.end.setEnabled)
        self.large_print = QCheckBox("Large print sheets for this patient")
        self.large_print.setObjectName("large_print")
        self.notes = QLineEdit()
        self.notes.setPlaceholderText("A note printed at the top of the sheet (optional)")
        top = QFormLayout()
        self.top_form = ErrorForm(top)
        self.top_form.add_row("start_date", "&Starts:", self.start)
        end_row = QWidget()
        end_box = QHBoxLayout(end_row)
        end_box.setContentsMargins(0, 0, 0, 0)
        end_box.addWidget(self.has_end)
        end_box.addWidget(self.end)
        end_box.addStretch(1)
        self.top_form.add_row("end_date", "Ends:", end_row)
        self.top_form.widgets["end_date"] = self.end
        end_row.setAccessibleName("End date")
        self.top_form.add_row("notes", "Sheet &note:", self.notes)
        top.addRow("", self.large_print)

        # exercise list and ordering
        self.items = ProgramItemsModel(self)
        self.item_view = _table("programItems", "Exercises in the program", self.items)
        self.item_view.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.item_view.selectionModel().currentRowChanged.connect(lambda *_: self._show_item())
        self.item_view.setDragEnabled(True)
        self.item_view.setAcceptDrops(True)
        self.item_view.setDropIndicatorShown(True)
        self.item_view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.item_view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.items.editable = self.can_edit
        self.items.moved_by_drag = self._dropped
        self.up_button = QPushButton("Move &up")
        self.up_button.setToolTip("Ctrl+Up")
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button = QPushButton("Move do&wn")
        self.down_button.setToolTip("Ctrl+Down")
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.remove_button = QPushButton("&Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        QShortcut(QKeySequence("Ctrl+Up"), self.item_view, lambda: self.move_selected(-1))
        QShortcut(QKeySequence("Ctrl+Down"), self.item_view, lambda: self.move_selected(1))
        QShortcut(QKeySequence.StandardKey.Delete, self.item_view, self.remove_selected)

        # add from the library
        self.region = QComboBox()
        self.region.setObjectName("addRegion")
        self.region.setAccessibleName("Body region")
        self.region.addItem("All regions", None)
        for r in BodyRegion:
            self.region.addItem(r.label, r.value)
        self.region.currentIndexChanged.connect(lambda _i: self._fill_picker())
        self.picker = QComboBox()
        self.picker.setObjectName("addExercise")
        self.picker.setAccessibleName("Exercise to add")
        self.picker.setMinimumContentsLength(24)
        self.add_button = QPushButton("&Add to program")
        self.add_button.setObjectName("addToProgram")
        self.add_button.clicked.connect(self.add_selected_exercise)
        self.library: list[exercise_service.ExerciseInfo] = []

        # dose of the selected exercise
        self.sets = QSpinBox()
        self.sets.setRange(1, 10)
        self.reps = QSpinBox()
        self.reps.setRange(1, 100)
        self.hold = QSpinBox()
        self.hold.setRange(0, 600)
        self.hold.setSuffix(" s")
        self.load = QLineEdit()
        self.load.setPlaceholderText("e.g. red band, 2 lb weight")
        self.per_day = QSpinBox()
        self.per_day.setRange(1, 10)
        self.per_week = QSpinBox()
        self.per_week.setRange(1, 7)
        self.side = QComboBox()
        for s in Side:
            self.side.addItem(s.label, s.value)
        self.item_notes = QLineEdit()
        self.item_notes.setPlaceholderText("Printed under the steps (optional)")
        dose_form = QFormLayout()
        self.dose_form = ErrorForm(dose_form)
        self.dose_form.add_row("sets", "Se&ts:", self.sets)
        self.dose_form.add_row("reps", "R&epetitions:", self.reps)
        self.dose_form.add_row("hold_seconds", "&Hold:", self.hold)
        self.dose_form.add_row("load", "&Load / band:", self.load)
        self.dose_form.add_row("times_per_day", "Times a &day:", self.per_day)
        self.dose_form.add_row("days_per_week", "Days a wee&k:", self.per_week)
        self.dose_form.add_row("side", "S&ide:", self.side)
        self.dose_form.add_row("notes", "N&ote:", self.item_notes)
        self.dose_preview = QLabel()
        self.dose_preview.setObjectName("dosePreview")
        self.dose_preview.setWordWrap(True)
        dose_form.addRow("On the sheet:", self.dose_preview)
        for spin in (self.sets, self.reps, self.hold, self.per_day, self.per_week):
            spin.valueChanged.connect(lambda _v: self._item_edited())
        for line in (self.load, self.item_notes):
            line.textEdited.connect(lambda _t: self._item_edited())
        self.side.currentIndexChanged.connect(lambda _i: self._item_edited())
        for w in (self.start, self.end):
            w.dateChanged.connect(lambda _d: self._mark_dirty())
        self.has_end.toggled.connect(lambda _b: self._mark_dirty())
        self.large_print.toggled.connect(self._large_print_toggled)
        self.notes.textEdited.connect(lambda _t: self._mark_dirty())

        # save / revert / print
        self.save_button = QPushButton("&Save program")
        self.save_button.setObjectName("saveProgram")
        self.save_button.clicked.connect(self.save)
        save_key = QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        save_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.revert_button = QPushButton("Undo changes")
        self.revert_button.clicked.connect(self.revert)
        self.print_button = QPushButton("&Print this sheet…")
        self.print_button.setObjectName("printPatientSheet")
        self.print_button.clicked.connect(self.print_sheet)
        self.status = QLabel()
        self.status.setObjectName("programStatus")
        self.status.setWordWrap(True)

        # history
        self.history = HistoryModel(self)
        self.history_view = _table("programHistory", "Program history", self.history)

        # layout
        items_box = QGroupBox("Exercises, in the order they print")
        items_layout = QVBoxLayout(items_box)
        items_layout.addWidget(self.item_view, 1)
        order_row = QHBoxLayout()
        for b in (self.up_button, self.down_button, self.remove_button):
            order_row.addWidget(b)
        order_row.addStretch(1)
        items_layout.addLayout(order_row)
        add_row = QHBoxLayout()
        add_label = QLabel("Add &from library:")
        add_label.setBuddy(self.picker)
        add_row.addWidget(add_label)
        add_row.addWidget(self.region)
        add_row.addWidget(self.picker, 1)
        add_row.addWidget(self.add_button)
        items_layout.addLayout(add_row)
        self.dose_box = QGroupBox("Dose of the selected exercise")
        self.dose_box.setLayout(dose_form)
        middle = QHBoxLayout()
        middle.addWidget(items_box, 3)
        middle.addWidget(self.dose_box, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        history_box = QGroupBox("History: who changed what, when")
        hl = QVBoxLayout(history_box)
        hl.addWidget(self.history_view)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.readonly_note)
        layout.addLayout(top)
        layout.addLayout(middle, 3)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(history_box, 1)

        self._apply_permissions()
        self.refresh_library()
        self.load_patient(None)

    # -- state -------------------------------------------------------------------------------
    def _apply_permissions(self) -> None:
        editable = self.can_edit and self.patient_id is not None
        for w in (
            self.start,
            self.has_end,
            self.notes,
            self.up_button,
            self.down_button,
            self.remove_button,
            self.region,
            self.picker,
            self.add_button,
            self.dose_box,
        ):
            w.setEnabled(editable)
        self.end.setEnabled(editable and self.has_end.isChecked())
        self.large_print.setEnabled(
            self.patient_id is not None and (self.can_edit or self.saved_program is not None)
        )
        self.save_button.setEnabled(editable and self.dirty)
        self.revert_button.setEnabled(editable and self.dirty)
        self.print_button.setEnabled(
            self.saved_program is not None and bool(self.saved_program.items)
        )
        if editable:
            self.dose_box.setEnabled(self.item_view.currentIndex().isValid())

    def _mark_dirty(self) -> None:
        if self._loading:
            return
        self.dirty = True
        self.status.setText("Changes not saved yet.")
        self._apply_permissions()

    def refresh_library(self) -> None:
        self.library = query(self.ctx, exercise_service.list_exercises)
        self._fill_picker()

    def _fill_picker(self) -> None:
        region = self.region.currentData()
        self.picker.clear()
        for ex in self.library:
            if region is None or ex.region == region:
                self.picker.addItem(f"{ex.name} ({ex.region_label})", ex.id)

    def load_patient(self, patient_id: int | None, name: str = "") -> None:
        self._loading = True
        self.patient_id = patient_id
        self.patient_name = name
        self.top_form.clear()
        self.dose_form.clear()
        program = None
        history = []
        if patient_id is not None:
            program, history = query(
                self.ctx,
                lambda s: (
                    programs.get_program(s, patient_id),
                    programs.program_history(s, patient_id),
                ),
            )
        self.saved_program = program
        if patient_id is None:
            self.title.setText("Choose a patient on the left.")
        elif program is None:
            self.title.setText(f"Home program for {name}: none yet")
        else:
            by = f", set by {program.therapist_name}" if program.therapist_name else ""
            self.title.setText(f"Home program for {name}{by}")
        today = QDate(clock.today())
        self.start.setDate(QDate(program.start_date) if program else today)
        self.has_end.setChecked(bool(program and program.end_date))
        self.end.setDate(
            QDate(program.end_date) if program and program.end_date else today.addDays(42)
        )
        self.large_print.setChecked(bool(program and program.large_print))
        self.notes.setText(program.notes if program else "")
        self.items.set_rows([replace(i) for i in program.items] if program else [])
        self.history.set_rows(history)
        self.history_view.resizeColumnsToContents()
        self.dirty = False
        self.status.setText("")
        self._loading = False
        if self.items.rowCount():
            self.item_view.selectRow(0)
        self._show_item()
        self._apply_permissions()

    # -- items -------------------------------------------------------------------------------
    def selected_row(self) -> int:
        index = self.item_view.currentIndex()
        return index.row() if index.isValid() else -1

    def _show_item(self) -> None:
        row = self.selected_row()
        self._loading, was = True, self._loading
        try:
            if row < 0:
                self.dose_preview.setText("")
                return
            item = self.items.row_at(row)
            self.sets.setValue(item.sets)
            self.reps.setValue(item.reps)
            self.hold.setValue(item.hold_seconds)
            self.load.setText(item.load)
            self.per_day.setValue(item.times_per_day)
            self.per_week.setValue(item.days_per_week)
            self.side.setCurrentIndex(max(0, self.side.findData(item.side)))
            self.item_notes.setText(item.notes)
            self.dose_preview.setText(item.dose)
        finally:
            self._loading = was
            self._apply_permissions()

    def _item_edited(self) -> None:
        row = self.selected_row()
        if self._loading or row < 0:
            return
        item = replace(
            self.items.row_at(row),
            sets=self.sets.value(),
            reps=self.reps.value(),
            hold_seconds=self.hold.value(),
            load=self.load.text(),
            times_per_day=self.per_day.value(),
            days_per_week=self.per_week.value(),
            side=self.side.currentData(),
            notes=self.item_notes.text(),
        )
        self.items.replace_row(row, item)
        self.dose_preview.setText(item.dose)
        self._mark_dirty()

    def move_selected(self, delta: int) -> None:
        row = self.selected_row()
        if not self.can_edit or row < 0:
            return
        new = self.items.move(row, delta)
        if new != row:
            self.item_view.selectRow(new)
            self._mark_dirty()

    def _dropped(self, row: int) -> None:
        self.item_view.selectRow(row)
        self._mark_dirty()

    def remove_selected(self) -> None:
        row = self.selected_row()
        if not self.can_edit or row < 0:
            return
        self.items.remove(row)
        if self.items.rowCount():
            self.item_view.selectRow(min(row, self.items.rowCount() - 1))
        self._show_item()
        self._mark_dirty()

    def add_exercise(self, exercise_id: int) -> None:
        info = next((e for e in self.library if e.id == exercise_id), None)
        if info is None or not self.can_edit or self.patient_id is None:
            return
        row = self.items.append(ProgramItem.from_exercise(info))
        self.item_view.selectRow(row)
        self._show_item()
        self._mark_dirty()

    def add_selected_exercise(self) -> None:
        if self.picker.currentData() is not None:
            self.add_exercise(self.picker.currentData())

    # -- actions -----------------------------------------------------------------------------
    def current_data(self) -> ProgramData:
        assert self.patient_id is not None
        return ProgramData(
            patient_id=self.patient_id,
            start_date=self.start.date().toPython(),
            end_date=self.end.date().toPython() if self.has_end.isChecked() else None,
            large_print=self.large_print.isChecked(),
            notes=self.notes.text(),
            items=self.items.rows(),
        )

    def save(self) -> bool:
        if not self.can_edit or self.patient_id is None or not self.dirty:
            return False
        self.top_form.clear()
        self.dose_form.clear()
        patient_id, data = self.patient_id, self.current_data()

        def beside_its_field(field: str, message: str) -> bool:
            """On the form that has the field, else in the status line (never a box)."""
            if not (
                self.top_form.show_error(field, message)
                or self.dose_form.show_error(field, message)
            ):
                self.status.setText(f"\u26a0 {message}")
            return True

        op = Op(
            self.ctx,
            self,
            lambda s: programs.save_program(s, self.ctx.actor, patient_id, data),
            title="Program not saved",
        )
        if op.form(beside_its_field).run() is None:
            return False
        self.load_patient(self.patient_id, self.patient_name)
        self.status.setText("Program saved.")
        return True

    def revert(self) -> None:
        self.load_patient(self.patient_id, self.patient_name)

    def _large_print_toggled(self, checked: bool) -> None:
        if self._loading:
            return
        if self.can_edit:
            self._mark_dirty()
            return
        # Staff who only print may still remember a patient's print size.
        patient_id = self.patient_id
        op = Op(
            self.ctx,
            self,
            lambda s: programs.set_large_print(s, self.ctx.actor, patient_id, checked),
            title="Not saved",
        )
        if op.run() is None:
            return
        self.load_patient(self.patient_id, self.patient_name)
        self.status.setText("Print size saved.")

    def confirm_leave(self) -> bool:
        """Ask before unsaved changes are lost; True when it is fine to move on."""
        if not self.dirty:
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved program",
            f"The program for {self.patient_name} has changes that are not saved. Save them?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def print_sheet(self) -> None:
        if self.patient_id is None:
            return
        print_sheets(self.ctx, self, clock.today(), patient_id=self.patient_id)


class ProgramsTab(QWidget):
    """Patients on the left, the chosen patient's program on the right."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.search = QLineEdit()
        self.search.setObjectName("programSearch")
        self.search.setPlaceholderText("Search name or chart number")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search patients")
        self.only_programs = QCheckBox("Only patients with a program")
        self.patients = ProgramPatientsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.patients)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.only_programs.toggled.connect(lambda _b: self.refresh())
        self.patient_view, _ = make_table(
            "programPatients", self.proxy, accessible="Patients", sort_column=1, stripes=False
        )
        _lines_fit_text(self.patient_view)
        self.patient_view.selectionModel().currentRowChanged.connect(self._patient_changed)
        self._changing = False
        self.editor = ProgramEditor(ctx)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.search)
        ll.addWidget(self.only_programs)
        ll.addWidget(self.patient_view, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([380, 820])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.refresh()

    def refresh(self) -> None:
        today = clock.today()
        rows = query(self.ctx, lambda s: programs.list_program_patients(s, today=today, limit=5000))
        if self.only_programs.isChecked():
            rows = [r for r in rows if r.start_date is not None]
        self.patients.set_rows(rows)
        self.patient_view.resizeColumnsToContents()
        if self.editor.patient_id is not None:  # keep the open patient highlighted
            self._changing = True
            try:
                self.select_patient(self.editor.patient_id)
            finally:
                self._changing = False

    def select_patient(self, patient_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            item = self.proxy.index(row, 0).data(ROW_ROLE)
            if item.patient_id == patient_id:
                self.patient_view.selectRow(row)
                return True
        return False

    def _patient_changed(self, current, previous) -> None:
        if self._changing:
            return
        if not current.isValid():
            return
        row = self.proxy.index(current.row(), 0).data(ROW_ROLE)
        if row.patient_id == self.editor.patient_id:
            return
        if not self.editor.confirm_leave():
            self._changing = True
            self.patient_view.setCurrentIndex(previous)
            self._changing = False
            return
        self.editor.load_patient(row.patient_id, row.name)
