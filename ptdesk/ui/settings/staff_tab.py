"""Settings → Staff: who works here, their role, credentials, colour and working hours."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from ptdesk.models import Staff
from ptdesk.models.staff import ROLE_LABELS, Role
from ptdesk.services import auth, clock
from ptdesk.services import staff as staff_service
from ptdesk.services.permissions import allowed
from ptdesk.services.staff import CREDENTIAL_SUGGESTIONS, WEEKDAY_NAMES, StaffData
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import Op, query
from ptdesk.ui.signin import pin_edit
from ptdesk.ui.widgets.dialogs import run_dialog
from ptdesk.ui.widgets.forms import ErrorForm
from ptdesk.ui.widgets.manage_tab import ManageTab
from ptdesk.ui.widgets.table import Column, Index, RowTableModel


def swatch(color: str, size: int = 14) -> QPixmap:
    pix = QPixmap(size, size)
    pix.fill(QColor(color))
    return pix


def pin_state(member: Staff) -> str:
    if member.locked_until is not None and member.locked_until > clock.utc_now():
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
        typed, again = self.pin.text(), self.pin_again.text()

        def set_pin(session: Session) -> None:
            pin = auth.check_setup_pin(typed, again)
            auth.set_pin(session, self.ctx.actor, self.member_id, pin)

        op = Op(self.ctx, self, set_pin, title="PIN not saved")
        op.form(self._show_error).announcing(topics.STAFF).success(lambda _r: self.accept()).run()
        return op.ok

    def _show_error(self, field: str, message: str) -> bool:
        return self.form.show_error(field if field in self.form.errors else "pin", message)


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

        self.set_data(query(ctx, self._load))

    def _load(self, session: Session) -> StaffData:
        if self.staff_id is None:
            return StaffData(color=staff_service.unused_color(session))
        return StaffData.from_staff(staff_service.get_staff(session, self.staff_id))

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
        data, staff_id, actor = self.current_data(), self.staff_id, self.ctx.actor

        def write(session: Session) -> int | None:
            if staff_id is None:
                return staff_service.create_staff(session, actor, data).id
            return staff_service.update_staff(session, actor, staff_id, data).id

        op = Op(self.ctx, self, write, title="Not saved").form(self.form)
        saved = op.announcing(topics.STAFF).run()
        if not op.ok:
            return False
        self.saved_id = saved
        self.accept()
        return True


class StaffTab(ManageTab):
    topic = topics.STAFF
    action = "manage_staff"
    noun = "staff member"
    owner_notice = "Only the owner can add, change or deactivate staff."

    def __init__(self, ctx: AppContext) -> None:
        self.pin_button = QPushButton("Set &PIN…")
        self.pin_button.setObjectName("setPinButton")
        self.pin_button.setToolTip("Set or reset the selected person's sign-in PIN")
        super().__init__(ctx, StaffTableModel(), name="staffTable", accessible="Staff")
        self.setObjectName("staffTab")
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
        run_dialog(self.open_pin_dialog(row))

    def load_rows(self, session: Session, include_inactive: bool) -> list[Staff]:
        return staff_service.list_staff(session, include_inactive=include_inactive)

    def open_dialog(self, row_id: int | None) -> QDialog:
        return StaffDialog(self.ctx, row_id, self)

    def set_active(self, session: Session, row_id: int, active: bool) -> None:
        staff_service.set_staff_active(session, self.ctx.actor, row_id, active)

    def remove(self, session: Session, row_id: int) -> None:
        staff_service.delete_staff(session, self.ctx.actor, row_id)

    def label(self, row: Staff) -> str:
        return row.name
