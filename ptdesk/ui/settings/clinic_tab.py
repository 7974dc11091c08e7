"""Settings → Clinic: the letterhead details, hours, time zone and policies, edited by the owner."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from ptdesk.services import auth, clinic, clock
from ptdesk.services.permissions import allowed
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import Op, query
from ptdesk.ui.widgets.forms import ErrorForm

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
SLOT_CHOICES = [5, 10, 15, 20, 30, 60]
# The time-zone choice that stores "" (follow the computer's own zone).
COMPUTER_ZONE = "This computer's time zone"


class ClinicProfileTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._logo: bytes | None = None
        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        scroll.setWidget(body)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)

        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setObjectName("clinicNotice")
        layout.addWidget(self.notice)

        form_layout = QFormLayout()
        self.form = ErrorForm(form_layout)
        self.name = self.form.add_row("name", "Clinic &name:", QLineEdit())
        self.address = self.form.add_row("address", "&Address:", QPlainTextEdit())
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(70)
        self.phone = self.form.add_row("phone", "&Phone:", QLineEdit())
        self.email = self.form.add_row("email", "&E-mail:", QLineEdit())

        logo_row = QWidget()
        logo_box = QHBoxLayout(logo_row)
        logo_box.setContentsMargins(0, 0, 0, 0)
        self.logo_preview = QLabel("No logo")
        self.logo_preview.setFixedSize(160, 60)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setFrameShape(QLabel.Shape.StyledPanel)
        choose = QPushButton("Choose &logo…")
        choose.clicked.connect(self.choose_logo)
        remove = QPushButton("Remove logo")
        remove.clicked.connect(self.remove_logo)
        logo_box.addWidget(self.logo_preview)
        logo_box.addWidget(choose)
        logo_box.addWidget(remove)
        logo_box.addStretch(1)
        self.logo_buttons = [choose, remove]
        self.form.add_row("logo_png", "Logo (PNG or JPEG):", logo_row)

        self.opens_at = self.form.add_row("opens_at", "Opens &at:", QTimeEdit())
        self.closes_at = self.form.add_row("closes_at", "C&loses at:", QTimeEdit())
        for edit in (self.opens_at, self.closes_at):
            edit.setDisplayFormat("HH:mm")
        self.slot = self.form.add_row("slot_minutes", "&Slot length:", QComboBox())
        for minutes in SLOT_CHOICES:
            self.slot.addItem(f"{minutes} minutes", minutes)
        days_row = QWidget()
        days_box = QHBoxLayout(days_row)
        days_box.setContentsMargins(0, 0, 0, 0)
        self.day_boxes = []
        for label in WEEKDAYS:
            box = QCheckBox(label)
            box.setAccessibleName(f"Open on {label}")
            self.day_boxes.append(box)
            days_box.addWidget(box)
        days_box.addStretch(1)
        self.form.add_row("clinic_days", "Open on:", days_row)
        self.closed_days = self.form.add_row("closed_days", "Closed &dates:", QPlainTextEdit())
        self.closed_days.setObjectName("closedDays")
        self.closed_days.setAccessibleName("Dates the clinic is closed")
        self.closed_days.setPlaceholderText("One date a line, with an optional note:\n"
                                            "2026-12-25 Christmas Day")  # fmt: skip
        self.closed_days.setToolTip(
            "Holidays and other dates the clinic is closed: nothing is due for cleaning then."
        )
        self.closed_days.setTabChangesFocus(True)
        self.closed_days.setFixedHeight(90)
        self.closed_days.setMaximumWidth(360)
        self.time_zone = self.form.add_row("time_zone", "&Time zone:", QComboBox())
        self.time_zone.setEditable(True)
        self.time_zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.time_zone.addItem(COMPUTER_ZONE, "")
        for name in clock.zone_names():
            self.time_zone.addItem(name, name)
        self.time_zone.setToolTip(
            "The clinic's time zone (such as Europe/Berlin): every date and time ptdesk shows "
            "follows it, whatever the computer's own clock is set to."
        )
        self.late_cancel = self.form.add_row(
            "late_cancel_hours", "Late cancel if less than:", QSpinBox()
        )
        self.late_cancel.setRange(0, 168)
        self.idle_lock = self.form.add_row(
            "idle_lock_minutes", "Lock the screen after:", QSpinBox()
        )
        self.idle_lock.setRange(*auth.IDLE_LOCK_RANGE)
        self.idle_lock.setSuffix(" minutes without use")
        self.idle_lock.setMaximumWidth(260)
        for widget, width in (
            (self.opens_at, 110),
            (self.closes_at, 110),
            (self.slot, 160),
            (self.late_cancel, 260),
            (self.time_zone, 260),
            (self.phone, 260),
        ):
            widget.setMaximumWidth(width)
        self.late_cancel.setSuffix(" hours before the visit")
        layout.addLayout(form_layout)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.revert_button = QPushButton("&Undo changes")
        self.revert_button.clicked.connect(self.load)
        self.save_button = QPushButton("&Save")
        self.save_button.setObjectName("saveClinic")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        layout.addStretch(1)

        ctx.bus.changed.connect(self._on_changed)
        self.load()

    def _on_changed(self, topic: str) -> None:
        if topics.concerns(topic, topics.CLINIC):
            self.load()

    def load(self) -> None:
        self.form.clear()
        data, idle_minutes, closed = query(
            self.ctx,
            lambda s: (clinic.get_profile(s), auth.idle_lock_minutes(s), clinic.closed_days(s)),
        )
        self.idle_lock.setValue(idle_minutes)
        self.closed_days.setPlainText(
            "\n".join(f"{c.day.isoformat()} {c.note}".rstrip() for c in closed)
        )
        self.name.setText(data.name)
        self.address.setPlainText(data.address)
        self.phone.setText(data.phone)
        self.email.setText(data.email)
        self._set_logo(data.logo_png)
        self.opens_at.setTime(QTime(data.opens_at.hour, data.opens_at.minute))
        self.closes_at.setTime(QTime(data.closes_at.hour, data.closes_at.minute))
        index = self.slot.findData(data.slot_minutes)
        self.slot.setCurrentIndex(max(0, index))
        for i, box in enumerate(self.day_boxes):
            box.setChecked(i + 1 in data.clinic_weekdays)
        self.late_cancel.setValue(data.late_cancel_hours)
        self._show_zone(data.time_zone)
        self._loaded = data
        editable = allowed(self.ctx.actor, "edit_clinic_profile")
        for widget in [
            *self.form.widgets.values(),
            self.save_button,
            self.revert_button,
            *self.logo_buttons,
        ]:
            widget.setEnabled(editable)
        self.notice.setText(
            "These details print on every document's letterhead."
            if editable
            else "Only the owner can change the clinic profile."
        )

    def _show_zone(self, name: str) -> None:
        index = self.time_zone.findData(name)
        if index >= 0:
            self.time_zone.setCurrentIndex(index)
        else:  # a name this computer does not list: shown as saved
            self.time_zone.setEditText(name)

    def chosen_zone(self) -> str:
        """The zone chosen or typed; "" for this computer's own zone."""
        typed = self.time_zone.currentText().strip()
        return "" if typed == COMPUTER_ZONE else typed

    def _set_logo(self, data: bytes | None) -> None:
        self._logo = data
        if data:
            pix = QPixmap()
            pix.loadFromData(data)
            self.logo_preview.setPixmap(
                pix.scaled(
                    self.logo_preview.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.logo_preview.clear()
            self.logo_preview.setText("No logo")

    def choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose the clinic logo", "", "Pictures (*.png *.jpg *.jpeg)"
        )
        if path:
            self.set_logo_file(Path(path))

    def set_logo_file(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.form.show_error("logo_png", f"Could not read that file: {exc.strerror}.")
            return
        pix = QPixmap()
        if not pix.loadFromData(data):
            self.form.show_error(
                "logo_png", "That file is not a picture ptdesk can read (use PNG or JPEG)."
            )
            return
        self.form.clear()
        self._set_logo(data)

    def remove_logo(self) -> None:
        self._set_logo(None)

    def current_data(self) -> clinic.ClinicProfileData:
        days = ",".join(str(i + 1) for i, box in enumerate(self.day_boxes) if box.isChecked())
        return replace(
            self._loaded,
            name=self.name.text(),
            address=self.address.toPlainText(),
            phone=self.phone.text(),
            email=self.email.text(),
            logo_png=self._logo,
            opens_at=self.opens_at.time().toPython(),
            closes_at=self.closes_at.time().toPython(),
            slot_minutes=int(self.slot.currentData()),
            clinic_days=days,
            late_cancel_hours=self.late_cancel.value(),
            time_zone=self.chosen_zone(),
        )

    def save(self) -> bool:
        self.form.clear()
        actor, profile = self.ctx.actor, self.current_data()
        closed_text, idle_minutes = self.closed_days.toPlainText(), self.idle_lock.value()

        def write(session: Session) -> None:
            closed = clinic.parse_closed_days(closed_text)
            clinic.update_profile(session, actor, profile)
            clinic.set_closed_days(session, actor, closed)
            auth.set_idle_lock_minutes(session, actor, idle_minutes)

        op = Op(self.ctx, self, write, title="Not saved").form(self.form)
        op.announcing(topics.CLINIC).success(
            lambda _r: self.notice.setText(
                "Saved. These details print on every document's letterhead."
            )
        ).run()
        return op.ok
