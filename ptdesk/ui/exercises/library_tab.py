"""The Library tab: browse exercises with their pictures, add the clinic's own, attach photos."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from ptdesk.models import BodyRegion
from ptdesk.services import exercises as exercise_service
from ptdesk.services.exercises import ExerciseInfo, ExerciseInput
from ptdesk.services.permissions import allowed
from ptdesk.services.programs import dose_words
from ptdesk.ui.context import AppContext
from ptdesk.ui.exercises.models import ExerciseModel
from ptdesk.ui.exercises.pictures import exercise_pixmap
from ptdesk.ui.operations import Op, query
from ptdesk.ui.widgets.forms import ErrorForm
from ptdesk.ui.widgets.table import ROW_ROLE, SORT_ROLE, make_table


class ExerciseDialog(QDialog):
    """Add or change one of the clinic's own exercises."""

    def __init__(
        self, ctx: AppContext, existing: ExerciseInfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.existing = existing
        self.result_info: ExerciseInfo | None = None
        self.setObjectName("exerciseDialog")
        self.setWindowTitle("Change exercise" if existing else "New exercise")
        self.name = QLineEdit()
        self.region = QComboBox()
        self.region.addItem("Choose…", "")
        for r in BodyRegion:
            self.region.addItem(r.label, r.value)
        self.steps = QPlainTextEdit()
        self.steps.setPlaceholderText("One short step per line, for example:\nSit up tall.")
        self.steps.setTabChangesFocus(True)
        self.sets = QSpinBox()
        self.sets.setRange(1, 10)
        self.reps = QSpinBox()
        self.reps.setRange(1, 100)
        self.hold = QSpinBox()
        self.hold.setRange(0, 600)
        self.hold.setSuffix(" s")
        self.per_day = QSpinBox()
        self.per_day.setRange(1, 10)
        self.per_week = QSpinBox()
        self.per_week.setRange(1, 7)
        layout = QFormLayout()
        self.form = ErrorForm(layout)
        self.form.add_row("name", "&Name:", self.name)
        self.form.add_row("region", "Body &region:", self.region)
        self.form.add_row("steps", "&Steps:", self.steps)
        self.form.add_row("sets", "Se&ts:", self.sets)
        self.form.add_row("reps", "R&epetitions:", self.reps)
        self.form.add_row("hold_seconds", "&Hold:", self.hold)
        self.form.add_row("times_per_day", "Times a &day:", self.per_day)
        self.form.add_row("days_per_week", "Days a wee&k:", self.per_week)
        data = existing or ExerciseInfo(0, "", "", "", "", [], 1, 10, 0, 1, 7, False, True)
        self.name.setText(data.name)
        self.region.setCurrentIndex(max(0, self.region.findData(data.region)))
        self.steps.setPlainText("\n".join(data.steps))
        self.sets.setValue(data.sets)
        self.reps.setValue(data.reps)
        self.hold.setValue(data.hold_seconds)
        self.per_day.setValue(data.times_per_day)
        self.per_week.setValue(data.days_per_week)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addLayout(layout)
        outer.addWidget(buttons)
        self.resize(520, 520)

    def input(self) -> ExerciseInput:
        return ExerciseInput(
            name=self.name.text(),
            region=self.region.currentData(),
            steps=self.steps.toPlainText().splitlines(),
            sets=self.sets.value(),
            reps=self.reps.value(),
            hold_seconds=self.hold.value(),
            times_per_day=self.per_day.value(),
            days_per_week=self.per_week.value(),
        )

    def save(self) -> None:
        self.form.clear()
        actor, existing, data = self.ctx.actor, self.existing, self.input()

        def save(s: Session) -> ExerciseInfo:
            if existing:
                return exercise_service.update_exercise(s, actor, existing.id, data)
            return exercise_service.add_exercise(s, actor, data)

        saved = Op(self.ctx, self, save, title="Not saved").form(self.form).run()
        if saved is not None:
            self.result_info = saved
            self.accept()


class RegionFilter(QSortFilterProxyModel):
    """Search text plus a region choice."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.region: str | None = None
        self.text = ""

    def set_region(self, region: str | None) -> None:
        self.region = region
        self.invalidateFilter()

    def set_text(self, text: str) -> None:
        self.text = text.lower().strip()
        self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: N802 - Qt's name
        info = self.sourceModel().index(row, 0, parent).data(ROW_ROLE)
        if self.region and info.region != self.region:
            return False
        return not self.text or self.text in info.name.lower()


class LibraryTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.can_edit = allowed(ctx.actor, "edit_exercise_library")
        self.model = ExerciseModel(self)
        self.proxy = RegionFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.search = QLineEdit()
        self.search.setObjectName("librarySearch")
        self.search.setPlaceholderText("Search exercises")
        self.search.setAccessibleName("Search exercises")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_text)
        self.region = QComboBox()
        self.region.setObjectName("libraryRegion")
        self.region.setAccessibleName("Body region")
        self.region.addItem("All regions", None)
        for r in BodyRegion:
            self.region.addItem(r.label, r.value)
        self.region.currentIndexChanged.connect(
            lambda _i: self.proxy.set_region(self.region.currentData())
        )
        self.show_hidden = QCheckBox("Show &hidden exercises")
        self.show_hidden.toggled.connect(lambda _b: self.refresh())
        self.view, _ = make_table(
            "exerciseTable", self.proxy, accessible="Exercises", sort_column=1, stripes=False
        )
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 10)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())

        self.picture = QLabel()
        self.picture.setObjectName("exercisePicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumHeight(200)
        self.details = QLabel()
        self.details.setObjectName("exerciseDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.new_button = QPushButton("&New exercise…")
        self.new_button.clicked.connect(self.new_exercise)
        self.edit_button = QPushButton("&Change…")
        self.edit_button.clicked.connect(self.edit_exercise)
        self.photo_button = QPushButton("Attach &photo…")
        self.photo_button.clicked.connect(self.attach_photo)
        self.remove_photo_button = QPushButton("Remo&ve photo")
        self.remove_photo_button.clicked.connect(self.remove_photo)
        self.hide_button = QPushButton("&Hide from picker")
        self.hide_button.clicked.connect(self.toggle_hidden)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.region)
        ll.addLayout(filters)
        ll.addWidget(self.show_hidden)
        ll.addWidget(self.view, 1)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(self.picture)
        rl.addWidget(self.details, 1)
        buttons = QHBoxLayout()
        for b in (
            self.new_button,
            self.edit_button,
            self.photo_button,
            self.remove_photo_button,
            self.hide_button,
        ):
            buttons.addWidget(b)
        rl.addLayout(buttons)
        if not self.can_edit:
            note = QLabel("Only therapists, assistants and the owner change the library.")
            note.setWordWrap(True)
            rl.addWidget(note)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([520, 480])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.refresh()

    def refresh(self, select_id: int | None = None) -> None:
        current = self.selected()
        select_id = select_id or (current.id if current else None)
        hidden_too = self.show_hidden.isChecked()
        rows = query(
            self.ctx, lambda s: exercise_service.list_exercises(s, include_inactive=hidden_too)
        )
        self.model.set_rows(rows)
        if select_id is not None:
            for r in range(self.proxy.rowCount()):
                if self.proxy.index(r, 0).data(ROW_ROLE).id == select_id:
                    self.view.selectRow(r)
                    break
        elif self.proxy.rowCount():
            self.view.selectRow(0)
        self._show_selected()

    def selected(self) -> ExerciseInfo | None:
        index = self.view.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _show_selected(self) -> None:
        info = self.selected()
        editable = self.can_edit
        self.new_button.setEnabled(editable)
        for b in (self.edit_button, self.photo_button, self.remove_photo_button, self.hide_button):
            b.setEnabled(False)
        if info is None:
            self.picture.clear()
            self.details.setText("")
            return
        photo = query(self.ctx, lambda s: exercise_service.get_photo(s, info.id))
        pixmap = exercise_pixmap(info, photo, 320)
        if pixmap is None:
            self.picture.setText("No picture: attach a photo.")
        else:
            self.picture.setPixmap(pixmap)
        steps = "".join(f"<li>{_html(s)}</li>" for s in info.steps)
        dose = dose_words(
            sets=info.sets,
            reps=info.reps,
            hold_seconds=info.hold_seconds,
            times_per_day=info.times_per_day,
            days_per_week=info.days_per_week,
        )
        source = "comes with ptdesk" if info.is_library else "the clinic's own"
        grade = exercise_service.reading_grade(info.steps)
        level = f"<p>Reading level: about grade {max(1, round(grade))}"
        level += " (aim for grade 6 or lower)</p>" if grade > 6.5 else "</p>"
        photo_note = " · clinic photo attached" if info.has_photo else ""
        hidden = " · hidden from the picker" if not info.active else ""
        self.details.setText(
            f"<h3>{_html(info.name)}</h3><p>{info.region_label} · {source}{photo_note}{hidden}</p>"
            f"<p><b>Usual dose:</b> {_html(dose)}</p><ol>{steps}</ol>{level}"
        )
        self.edit_button.setEnabled(editable and not info.is_library)
        self.photo_button.setEnabled(editable)
        self.remove_photo_button.setEnabled(editable and info.has_photo)
        self.hide_button.setEnabled(editable)
        self.hide_button.setText("S&how in picker" if not info.active else "&Hide from picker")

    # -- actions -----------------------------------------------------------------------------
    def _changed(self, info: ExerciseInfo | None = None) -> None:
        """Show the change (the operation that made it has announced it)."""
        self.refresh(info.id if info else None)

    def _run_dialog(self, dialog: ExerciseDialog) -> None:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        saved = dialog.result_info
        dialog.deleteLater()
        if accepted:
            self._changed(saved)

    def new_exercise(self) -> None:
        self._run_dialog(ExerciseDialog(self.ctx, None, self))

    def edit_exercise(self) -> None:
        info = self.selected()
        if info is None or info.is_library:
            return
        self._run_dialog(ExerciseDialog(self.ctx, info, self))

    def attach_photo(self) -> None:
        info = self.selected()
        if info is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self, f"Photo for {info.name}", str(Path.home()), "Pictures (*.png *.jpg *.jpeg)"
        )
        if path:
            self.attach_photo_file(Path(path))

    def attach_photo_file(self, path: Path) -> bool:
        info = self.selected()
        if info is None:
            return False
        try:
            data = path.read_bytes()
        except OSError as exc:
            QMessageBox.warning(self, "Photo not attached", f"Could not read {path}: {exc}.")
            return False
        op = Op(
            self.ctx,
            self,
            lambda s: exercise_service.set_photo(s, self.ctx.actor, info.id, data),
            title="Photo not attached",
        )
        updated = op.run()
        if updated is None:
            return False
        self._changed(updated)
        return True

    def remove_photo(self) -> None:
        info = self.selected()
        if info is None or not info.has_photo:
            return
        answer = QMessageBox.question(
            self,
            "Remove photo",
            f"Remove the clinic's photo from '{info.name}'? "
            + ("The drawing will print instead." if info.is_library else ""),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        Op(
            self.ctx,
            self,
            lambda s: exercise_service.set_photo(s, self.ctx.actor, info.id, None),
            title="Photo not removed",
        ).success(self._changed).run()

    def toggle_hidden(self) -> None:
        info = self.selected()
        if info is None:
            return
        if info.active:
            answer = QMessageBox.question(
                self,
                "Hide exercise",
                f"Hide '{info.name}' from the exercise picker? "
                "Programs that already use it keep it.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        Op(
            self.ctx,
            self,
            lambda s: exercise_service.set_active(s, self.ctx.actor, info.id, not info.active),
            title="Could not change the exercise",
        ).success(self._changed).run()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
