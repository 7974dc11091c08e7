"""Settings → Staff: who works here, their role, credentials, colour and working hours."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTime
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ptdesk.errors import PtdeskError, ValidationError
from ptdesk.models import Staff
from ptdesk.models.common import utcnow
from ptdesk.models.staff import ROLE_LABELS, Role
from ptdesk.services import auth
from ptdesk.services import staff as staff_service
from ptdesk.services.permissions import allowed
from ptdesk.services.staff import CREDENTIAL_SUGGESTIONS, WEEKDAY_NAMES, StaffData
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.signin import pin_edit
from ptdesk.ui.widgets.forms import ErrorForm
from ptdesk.ui.widgets.table import ROW_ROLE, SORT_ROLE, Column, Index, RowTableModel


def swatch(color: str, size: int = 14) -> QPixmap:
    pix = QPixmap(size, size)
    pix.fill(QColor(color))
    return pix


def pin_state(member: Staff) -> str:
    if member.locked_until is not None and member.locked_until > utcnow():
        return "⚠ Locked out"
    return "✓ Set" if member.pin_hash else "✗ Not set"


class PinDialog(QDialog):
    """The owner sets or resets someone's PIN (typed twice, never shown)."""

    def __init__(self, ctx: AppContext, member: Staff, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.member_id = member.id
        self.setObjectName("pinDialog")
        self.setWindowTitle(f"PIN for {member.name}")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Type a new PIN of 4 to 8 digits for {member.name}, twice. Tell them in person; "
            "ptdesk keeps only a scrambled form of it. A new PIN also lifts a lockout."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form_layout = QFormLayout()
        self.form = ErrorForm(form_layout)
        self.pin = self.form.add_row("pin", "New &PIN:", pin_edit("pin"))
        self.pin_again = self.form.add_row("pin_again", "PIN &again:", pin_edit("pin_again"))
        layout.addLayout(form_layout)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> bool:
        try:
            pin = auth.check_setup_pin(self.pin.text(), self.pin_again.text())
            with self.ctx.db.session() as session:
                auth.set_pin(session, self.ctx.actor, self.member_id, pin)
        except ValidationError as exc:
            self.form.show_error(exc.field if exc.field in self.form.errors else "pin", exc.message)
            return False
        except PtdeskError as exc:
            QMessageBox.warning(self, "PIN not saved", exc.message)
            return False
        self.ctx.bus.announce(topics.STAFF)
        self.accept()
        return True


class StaffTableModel(RowTableModel[Staff]):
    COLOR_COLUMN = 4
    columns = (
        Column("Name", lambda s: s.name, sort=lambda s: s.name.lower()),
        Column("Role", lambda s: ROLE_LABELS.get(Role(s.role), s.role)),
        Column("Credentials", lambda s: s.credentials),
        Column("Working hours", lambda s: staff_service.describe_hours(s.working_hours)),
        Column("Colour", lambda s: s.color),
        Column("Status", lambda s: "Active" if s.active else "Inactive"),
        Column("PIN", lambda s: pin_state(s)),
    )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if (
            role == Qt.ItemDataRole.DecorationRole
            and index.isValid()
            and index.column() == self.COLOR_COLUMN
            and 0 <= index.row() < self.rowCount()
        ):
            return swatch(self.row_at(index.row()).color)
        return super().data(index, role)


class StaffDialog(QDialog):
    """Add or edit one staff member."""

    def __init__(self, ctx: AppContext, staff_id: int | None = None, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.staff_id = staff_id
        self.saved_id: int | None = None
        self.setObjectName("staffDialog")
        self.setWindowTitle("New staff member" if staff_id is None else "Edit staff member")
        layout = QVBoxLayout(self)
        form_layout = QFormLayout()
        self.form = ErrorForm(form_layout)
        self.name = self.form.add_row("name", "&Name:", QLineEdit())
        self.role = self.form.add_row("role", "&Role:", QComboBox())
        for role in Role:
            self.role.addItem(role.label, role.value)
        self.credentials = self.form.add_row("credentials", "&Credentials:", QComboBox())
        self.credentials.setEditable(True)
        self.credentials.addItems(["", *CREDENTIAL_SUGGESTIONS])
        color_row = QWidget()
        color_box = QHBoxLayout(color_row)
        color_box.setContentsMargins(0, 0, 0, 0)
        self.color_preview = QLabel()
        self.color_preview.setFixedSize(40, 20)
        self.color_button = QPushButton("C&hoose colour…")
        self.color_button.clicked.connect(self.choose_color)
        color_box.addWidget(self.color_preview)
        color_box.addWidget(self.color_button)
        color_box.addStretch(1)
        self.form.add_row("color", "Colour in the schedule:", color_row)

        hours = QWidget()
        grid = QGridLayout(hours)
        grid.setContentsMargins(0, 0, 0, 0)
        self.day_boxes: dict[int, tuple[QCheckBox, QTimeEdit, QTimeEdit]] = {}
        for row, (day, name) in enumerate(WEEKDAY_NAMES.items()):
            check = QCheckBox(name)
            start = QTimeEdit(QTime(8, 0))
            end = QTimeEdit(QTime(16, 30))
            for edit, what in ((start, "starts"), (end, "ends")):
                edit.setDisplayFormat("HH:mm")
                edit.setAccessibleName(f"{name} {what}")
            check.toggled.connect(start.setEnabled)
            check.toggled.connect(end.setEnabled)
            start.setEnabled(False)
            end.setEnabled(False)
            grid.addWidget(check, row, 0)
            grid.addWidget(start, row, 1)
            grid.addWidget(QLabel("to"), row, 2)
            grid.addWidget(end, row, 3)
            self.day_boxes[day] = (check, start, end)
        copy = QPushButton("Same hours &Monday to Friday")
        copy.clicked.connect(self.copy_monday)
        grid.addWidget(copy, len(WEEKDAY_NAMES), 0, 1, 4)
        self.form.add_row("working_hours", "Working hours:", hours)
        layout.addLayout(form_layout)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        with ctx.db.session() as session:
            if staff_id is None:
                data = StaffData(color=staff_service.unused_color(session))
            else:
                data = StaffData.from_staff(staff_service.get_staff(session, staff_id))
        self.set_data(data)

    def set_data(self, data: StaffData) -> None:
        self.name.setText(data.name)
        self.role.setCurrentIndex(max(0, self.role.findData(data.role)))
        self.credentials.setCurrentText(data.credentials)
        self._set_color(data.color or staff_service.PALETTE[0])
        for day, (check, start, end) in self.day_boxes.items():
            span = data.working_hours.get(str(day))
            check.setChecked(bool(span))
            if span:
                start.setTime(QTime.fromString(span[0], "HH:mm"))
                end.setTime(QTime.fromString(span[1], "HH:mm"))

    def _set_color(self, color: str) -> None:
        self.color = color
        self.color_preview.setPixmap(swatch(color, 20).scaled(40, 20))
        self.color_preview.setToolTip(color)
        self.color_preview.setAccessibleName(f"Colour {color}")

    def choose_color(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.color), self, "Colour in the schedule")
        if chosen.isValid():
            self._set_color(chosen.name())

    def copy_monday(self) -> None:
        check, start, end = self.day_boxes[1]
        for day in range(2, 6):
            other = self.day_boxes[day]
            other[0].setChecked(check.isChecked())
            other[1].setTime(start.time())
            other[2].setTime(end.time())

    def current_data(self) -> StaffData:
        hours = {
            str(day): [start.time().toString("HH:mm"), end.time().toString("HH:mm")]
            for day, (check, start, end) in self.day_boxes.items()
            if check.isChecked()
        }
        return StaffData(
            name=self.name.text(),
            role=self.role.currentData(),
            credentials=self.credentials.currentText(),
            color=self.color,
            working_hours=hours,
        )

    def save(self) -> bool:
        self.form.clear()
        try:
            with self.ctx.db.session() as session:
                if self.staff_id is None:
                    row = staff_service.create_staff(session, self.ctx.actor, self.current_data())
                else:
                    row = staff_service.update_staff(
                        session, self.ctx.actor, self.staff_id, self.current_data()
                    )
                saved = row.id
        except ValidationError as exc:
            if not self.form.show_error(exc.field, exc.message):
                QMessageBox.warning(self, "Not saved", exc.message)
            return False
        except PtdeskError as exc:
            QMessageBox.warning(self, "Not saved", exc.message)
            return False
        self.saved_id = saved
        self.accept()
        return True


class ManageTab(QWidget):
    """A list with Add, Edit, Deactivate/Reactivate and Delete, for staff or rooms."""

    topic = ""
    action = ""
    noun = ""
    owner_notice = ""

    def __init__(self, ctx: AppContext, model: RowTableModel) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)
        self.show_inactive = QCheckBox(f"Show &inactive {self.noun}s too")
        self.show_inactive.toggled.connect(self.refresh)
        layout.addWidget(self.show_inactive)
        self.model = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add…")
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.clicked.connect(self.edit)
        self.toggle_button = QPushButton("&Deactivate…")
        self.toggle_button.clicked.connect(self.toggle_active)
        self.delete_button = QPushButton("De&lete…")
        self.delete_button.setToolTip(f"Only for a {self.noun} added by mistake, with no history")
        self.delete_button.clicked.connect(self.delete)
        for b in (self.add_button, self.edit_button, self.toggle_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.button_row = buttons
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        ctx.bus.changed.connect(self._on_changed)
        self.refresh()

    # subclasses provide these
    def load_rows(self, include_inactive: bool) -> list: ...
    def open_dialog(self, row_id: int | None) -> QDialog: ...
    def set_active(self, row_id: int, active: bool) -> None: ...
    def remove(self, row_id: int) -> None: ...
    def label(self, row) -> str: ...

    def _on_changed(self, topic: str) -> None:
        if topics.concerns(topic, self.topic):
            self.refresh()

    def refresh(self) -> None:
        keep = self.selected()
        self.model.set_rows(self.load_rows(self.show_inactive.isChecked()))
        if keep is not None:
            self.select_id(keep.id)
        self._update_buttons()

    def select_id(self, row_id: int) -> None:
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data(ROW_ROLE).id == row_id:
                self.table.selectRow(r)
                return

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _update_buttons(self) -> None:
        may = allowed(self.ctx.actor, self.action)
        row = self.selected()
        self.notice.setText(
            f"Deactivate a {self.noun} that is no longer used: the history stays on file. "
            f"Delete is only for a {self.noun} added by mistake."
            if may
            else self.owner_notice
        )
        self.add_button.setEnabled(may)
        for b in (self.edit_button, self.toggle_button, self.delete_button):
            b.setEnabled(may and row is not None)
        inactive = row is not None and not row.active
        self.toggle_button.setText("&Reactivate…" if inactive else "&Deactivate…")

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _done(self, select_id: int | None = None) -> None:
        self.ctx.bus.announce(self.topic)
        if select_id is not None:
            self.select_id(select_id)

    def add(self) -> None:
        dialog = self.open_dialog(None)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._done(getattr(dialog, "saved_id", None))

    def edit(self) -> None:
        row = self.selected()
        if row is None or not allowed(self.ctx.actor, self.action):
            return
        dialog = self.open_dialog(row.id)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._done(row.id)

    def toggle_active(self) -> None:
        row = self.selected()
        if row is None:
            return
        make_active = not row.active
        verb = "Reactivate" if make_active else "Deactivate"
        text = (
            f"Make {self.label(row)} active again?"
            if make_active
            else f"Deactivate {self.label(row)}? The history stays on file; the {self.noun} "
            "leaves the lists used for booking and can be reactivated later."
        )
        if not self.confirm(f"{verb} {self.noun}?", text):
            return
        try:
            self.set_active(row.id, make_active)
        except PtdeskError as exc:
            QMessageBox.warning(self, "Not changed", exc.message)
            return
        if not make_active and not self.show_inactive.isChecked():
            self._done()
        else:
            self._done(row.id)

    def delete(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not self.confirm(
            f"Delete {self.noun}?",
            f"Delete {self.label(row)} for good? This is only possible when nothing on file "
            "refers to it.",
        ):
            return
        try:
            self.remove(row.id)
        except PtdeskError as exc:
            QMessageBox.warning(self, "Not deleted", exc.message)
            return
        self._done()


class StaffTab(ManageTab):
    topic = topics.STAFF
    action = "manage_staff"
    noun = "staff member"
    owner_notice = "Only the owner can add, change or deactivate staff."

    def __init__(self, ctx: AppContext) -> None:
        self.pin_button = QPushButton("Set &PIN…")
        self.pin_button.setObjectName("setPinButton")
        self.pin_button.setToolTip("Set or reset the selected person's sign-in PIN")
        super().__init__(ctx, StaffTableModel())
        self.setObjectName("staffTab")
        self.table.setObjectName("staffTable")
        self.table.setAccessibleName("Staff")
        self.pin_button.clicked.connect(lambda: self.set_pin())
        self.button_row.insertWidget(4, self.pin_button)
        self._update_buttons()

    def _update_buttons(self) -> None:
        super()._update_buttons()
        row = self.selected()
        self.pin_button.setEnabled(
            allowed(self.ctx.actor, self.action) and row is not None and row.active
        )

    def open_pin_dialog(self, member: Staff) -> PinDialog:
        """Made separately so tests can drive the dialog without its event loop."""
        return PinDialog(self.ctx, member, self)

    def set_pin(self) -> None:
        row = self.selected()
        if row is None:
            return
        self.open_pin_dialog(row).exec()

    def load_rows(self, include_inactive: bool) -> list[Staff]:
        with self.ctx.db.session() as session:
            return staff_service.list_staff(session, include_inactive=include_inactive)

    def open_dialog(self, row_id: int | None) -> QDialog:
        return StaffDialog(self.ctx, row_id, self)

    def set_active(self, row_id: int, active: bool) -> None:
        with self.ctx.db.session() as session:
            staff_service.set_staff_active(session, self.ctx.actor, row_id, active)

    def remove(self, row_id: int) -> None:
        with self.ctx.db.session() as session:
            staff_service.delete_staff(session, self.ctx.actor, row_id)

    def label(self, row: Staff) -> str:
        return row.name
