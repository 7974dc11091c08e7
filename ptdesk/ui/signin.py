"""Signing in: the sign-in panel (at start and on the lock screen) and the first-run setup wizard."""

from __future__ import annotations

from datetime import time
from pathlib import Path

from PySide6.QtCore import QRegularExpression, Qt, QTime, Signal
from PySide6.QtGui import QPixmap, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ptdesk.db import Database
from ptdesk.services import auth, clock
from ptdesk.services.audit import SYSTEM, Actor
from ptdesk.services.clinic import ClinicProfileData
from ptdesk.ui.bus import Bus
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import Op, query
from ptdesk.ui.widgets.forms import ErrorForm, FieldError

PIN_VALIDATOR = QRegularExpression(r"\d{0,8}")


def pin_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(auth.PIN_MAX)
    edit.setValidator(QRegularExpressionValidator(PIN_VALIDATOR, edit))
    edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
    return edit


def signing_in_context(db: Database, bus: Bus | None, owner: QWidget) -> AppContext:
    """What the sign-in screens run their work with: nobody is signed in yet. Changes are
    announced on the window's signal hub when there is one (the lock screen), else on a hub of
    their own (``owner``'s)."""
    return AppContext(db=db, actor=SYSTEM, bus=bus if bus is not None else Bus(owner))


class SignInPanel(QWidget):
    """Pick your name, type your PIN. Used at start-up and on the lock screen."""

    signed_in = Signal(object)  # Actor

    def __init__(
        self,
        db: Database,
        *,
        demo_pins: dict[str, str] | None = None,
        heading: str = "Sign in",
        bus: Bus | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.ctx = signing_in_context(db, bus, self)
        self.setObjectName("signInPanel")
        layout = QVBoxLayout(self)
        self.heading = QLabel(heading)
        self.heading.setObjectName("signInHeading")
        font = self.heading.font()
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        self.intro = QLabel("Choose your name and type your PIN.")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)

        names_label = QLabel("&Your name:")
        self.names = QListWidget()
        self.names.setObjectName("signInNames")
        self.names.setAccessibleName("Staff members")
        names_label.setBuddy(self.names)
        layout.addWidget(names_label)
        layout.addWidget(self.names, 1)

        form = QFormLayout()
        self.pin = pin_edit("signInPin")
        self.pin.setAccessibleName("PIN")
        self.pin_again = pin_edit("signInPinAgain")
        self.pin_again.setAccessibleName("PIN again")
        self.pin_label = QLabel("&PIN:")
        self.pin_label.setBuddy(self.pin)
        self.again_label = QLabel("PIN &again:")
        self.again_label.setBuddy(self.pin_again)
        form.addRow(self.pin_label, self.pin)
        form.addRow(self.again_label, self.pin_again)
        layout.addLayout(form)
        self.error = FieldError("signIn")
        layout.addWidget(self.error)
        self.button = QPushButton("&Sign in")
        self.button.setObjectName("signInButton")
        self.button.setDefault(True)
        self.button.clicked.connect(self.sign_in)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        layout.addLayout(row)

        self.demo_hint = QLabel()
        self.demo_hint.setObjectName("demoPins")
        self.demo_hint.setWordWrap(True)
        self.demo_hint.setFrameShape(QLabel.Shape.StyledPanel)
        self.demo_hint.setMargin(6)
        if demo_pins:
            lines = ", ".join(f"{role}: {pin}" for role, pin in demo_pins.items())
            self.demo_hint.setText(f"Demo clinic PINs — {lines}")
        self.demo_hint.setVisible(bool(demo_pins))
        layout.addWidget(self.demo_hint)

        self.pin.returnPressed.connect(self.sign_in)
        self.pin_again.returnPressed.connect(self.sign_in)
        self.names.currentRowChanged.connect(lambda _row: self._chosen())
        self.names.itemActivated.connect(lambda _item: self.pin.setFocus())
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        choices = query(self.ctx, auth.sign_in_choices)
        now = clock.utc_now()
        self.names.blockSignals(True)
        self.names.clear()
        for c in choices:
            note = auth.sign_in_note(c, now=now)
            item = QListWidgetItem(f"{c.name}  ({c.role_label})" + (f" — {note}" if note else ""))
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.names.addItem(item)
            if c.id == select_id:
                self.names.setCurrentItem(item)
        self.names.blockSignals(False)
        if self.names.currentRow() < 0 and self.names.count():
            self.names.setCurrentRow(0)
        self._chosen()

    def chosen_id(self) -> int | None:
        item = self.names.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def select(self, staff_id: int) -> None:
        for i in range(self.names.count()):
            if self.names.item(i).data(Qt.ItemDataRole.UserRole) == staff_id:
                self.names.setCurrentRow(i)
                return

    def _claiming(self) -> bool:
        staff_id = self.chosen_id()
        if staff_id is None:
            return False
        return query(self.ctx, lambda s: auth.may_claim_owner_pin(s, staff_id))

    def _chosen(self) -> None:
        claiming = self._claiming()
        self.again_label.setVisible(claiming)
        self.pin_again.setVisible(claiming)
        self.pin_label.setText("Choose a &PIN:" if claiming else "&PIN:")
        self.intro.setText(
            "This clinic has no PINs yet. As the owner, choose a PIN of 4 to 8 digits; then set "
            "everyone else's in Settings → Staff."
            if claiming
            else "Choose your name and type your PIN."
        )
        self.error.clear_message()

    def reset(self) -> None:
        self.pin.clear()
        self.pin_again.clear()
        self.error.clear_message()
        self.reload(self.chosen_id())
        self.pin.setFocus()

    def sign_in(self) -> Actor | None:
        staff_id = self.chosen_id()
        if staff_id is None:
            self.error.show_message("Choose your name first.")
            return None
        pin, again = self.pin.text(), self.pin_again.text()
        self.error.clear_message()
        actor = (
            Op(
                self.ctx,
                self,
                lambda s: auth.sign_in_chosen(s, staff_id, pin, again),
                title="Could not sign in",
            )
            .form(self._refused)
            .run()
        )
        self.pin.clear()
        self.pin_again.clear()
        if actor is None:
            self.pin.setFocus()
            return None
        self.signed_in.emit(actor)
        return actor

    def _refused(self, _field: str, message: str) -> bool:
        """Why the person could not sign in, under the PIN (wrong PIN, locked out, no PIN)."""
        self.error.show_message(message)
        return True


class SignInDialog(QDialog):
    """The sign-in window shown when ptdesk starts."""

    def __init__(
        self, db: Database, *, demo_pins: dict[str, str] | None = None, parent=None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in to ptdesk")
        self.setObjectName("signInDialog")
        self.actor: Actor | None = None
        layout = QVBoxLayout(self)
        self.panel = SignInPanel(db, demo_pins=demo_pins, heading="Welcome to ptdesk")
        layout.addWidget(self.panel)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Quit")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.panel.signed_in.connect(self._done)
        self.resize(420, 460)
        self.panel.pin.setFocus()

    def _done(self, actor: Actor) -> None:
        self.actor = actor
        self.accept()


# -- first run -------------------------------------------------------------------------------


class SetupWizard(QWizard):
    """First run: the clinic's details, its hours, and the owner with a PIN."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.ctx = signing_in_context(db, None, self)
        self.actor: Actor | None = None
        self.logo: bytes | None = None
        self.setObjectName("setupWizard")
        self.setWindowTitle("Set up ptdesk")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.forms: dict[str, tuple[int, ErrorForm]] = {}

        # 1. the clinic
        page = QWizardPage()
        page.setTitle("Your clinic")
        page.setSubTitle("These details go on every printed page. You can change them later.")
        box = QVBoxLayout(page)
        layout = QFormLayout()
        clinic_form = ErrorForm(layout)
        self.name = clinic_form.add_row("name", "Clinic &name:", QLineEdit())
        self.address = clinic_form.add_row("address", "&Address:", QPlainTextEdit())
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(64)
        self.phone = clinic_form.add_row("phone", "&Phone:", QLineEdit())
        logo_row = QWidget()
        logo_box = QHBoxLayout(logo_row)
        logo_box.setContentsMargins(0, 0, 0, 0)
        self.logo_preview = QLabel("No logo")
        self.logo_preview.setFixedSize(140, 50)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setFrameShape(QLabel.Shape.StyledPanel)
        choose = QPushButton("Choose &logo…")
        choose.clicked.connect(self.choose_logo)
        logo_box.addWidget(self.logo_preview)
        logo_box.addWidget(choose)
        logo_box.addStretch(1)
        clinic_form.add_row("logo_png", "Logo (optional):", logo_row)
        box.addLayout(layout)
        box.addStretch(1)
        self._add(page, clinic_form, ["name", "address", "phone", "logo_png"])

        # 2. hours
        page = QWizardPage()
        page.setTitle("Clinic hours")
        page.setSubTitle("The schedule shows these hours and days.")
        box = QVBoxLayout(page)
        layout = QFormLayout()
        hours_form = ErrorForm(layout)
        self.opens = hours_form.add_row("opens_at", "&Opens at:", QTimeEdit(QTime(7, 0)))
        self.closes = hours_form.add_row("closes_at", "&Closes at:", QTimeEdit(QTime(19, 0)))
        for edit in (self.opens, self.closes):
            edit.setDisplayFormat("HH:mm")
            edit.setMaximumWidth(110)
        days_row = QWidget()
        days_box = QHBoxLayout(days_row)
        days_box.setContentsMargins(0, 0, 0, 0)
        self.days: list[QCheckBox] = []
        for i, label in enumerate(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]):
            check = QCheckBox(label)
            check.setChecked(i < 5)
            self.days.append(check)
            days_box.addWidget(check)
        hours_form.add_row("clinic_days", "Open on:", days_row)
        box.addLayout(layout)
        box.addStretch(1)
        self._add(page, hours_form, ["opens_at", "closes_at", "clinic_days"])

        # 3. the owner
        page = QWizardPage()
        page.setTitle("The owner")
        page.setSubTitle(
            "You manage staff and settings. Your PIN (4 to 8 digits) signs you in; "
            "ptdesk keeps only a scrambled form of it."
        )
        box = QVBoxLayout(page)
        layout = QFormLayout()
        owner_form = ErrorForm(layout)
        self.owner_name = owner_form.add_row("owner_name", "Your &name:", QLineEdit())
        self.credentials = owner_form.add_row(
            "credentials", "&Credentials (e.g. PT, DPT):", QLineEdit()
        )
        self.pin = owner_form.add_row("pin", "&PIN:", pin_edit("pin"))
        self.pin_again = owner_form.add_row("pin_again", "PIN &again:", pin_edit("pin_again"))
        box.addLayout(layout)
        box.addStretch(1)
        self._add(page, owner_form, ["owner_name", "credentials", "pin", "pin_again"])
        self.resize(560, 440)

    def _add(self, page: QWizardPage, form: ErrorForm, fields: list[str]) -> None:
        index = self.addPage(page)
        for f in fields:
            self.forms[f] = (index, form)

    def choose_logo(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, "Choose the clinic logo", "", "Pictures (*.png *.jpg *.jpeg)"
            )
        if not path:
            return
        self.logo = Path(path).read_bytes()
        pixmap = QPixmap()
        if pixmap.loadFromData(self.logo):
            self.logo_preview.setPixmap(
                pixmap.scaled(
                    self.logo_preview.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.logo_preview.setText("Not a picture")

    def data(self) -> auth.SetupData:
        def t(edit: QTimeEdit) -> time:
            q = edit.time()
            return time(q.hour(), q.minute())

        clinic = ClinicProfileData(
            name=self.name.text(),
            address=self.address.toPlainText(),
            phone=self.phone.text(),
            logo_png=self.logo,
            opens_at=t(self.opens),
            closes_at=t(self.closes),
            clinic_days=",".join(str(i + 1) for i, c in enumerate(self.days) if c.isChecked()),
        )
        return auth.SetupData(
            clinic,
            self.owner_name.text(),
            self.credentials.text(),
            self.pin.text(),
            self.pin_again.text(),
        )

    def finish(self) -> Actor | None:
        """Save everything; on a problem, go to the page of the field and show it there."""
        data = self.data()
        actor = (
            Op(self.ctx, self, lambda s: auth.set_up_clinic(s, data), title="Could not set up")
            .form(self._show_error)
            .run()
        )
        if actor is not None:
            self.actor = actor
        return actor

    def _show_error(self, field: str, message: str) -> bool:
        index, form = self.forms.get(field, self.forms["name"])
        while self.currentId() > index:
            self.back()
        while self.currentId() < index:
            self.next()
        if not form.show_error(field, message):
            form.show_error("name", message)
        return True

    def accept(self) -> None:
        if self.finish() is not None:
            super().accept()
