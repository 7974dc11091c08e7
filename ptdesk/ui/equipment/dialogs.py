"""Dialogs of the Equipment page: cleaning details, item form, out of service, checks, corrections."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from ptdesk.models import CleaningInterval, CleaningMethod, EquipmentCategory, TemperatureUnit
from ptdesk.services import clock
from ptdesk.services.equipment import (
    DEFAULT_SAFE_MAX_C,
    DEFAULT_SAFE_MIN_C,
    EquipmentData,
    from_unit,
    to_unit,
)
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import Op
from ptdesk.ui.widgets.forms import ErrorForm


def qdate(value: date | None) -> QDate:
    """A day as Qt's date; None is the clinic's today."""
    value = value or clock.today()
    return QDate(value.year, value.month, value.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class _OptionalDate(QDateEdit):
    """A date field beside the "Set" box that says whether it holds a date at all."""

    def __init__(self, value: QDate, check: QCheckBox) -> None:
        super().__init__(value)
        self.check = check


class FormDialog(QDialog):
    """A dialog with an error-carrying form and OK / Cancel.

    OK runs the work given to ``submit_with`` as one operation: a refused value is shown by
    its field (or under the form) and the dialog stays open; it closes when the work is done.
    """

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.outer = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.hide()
        self.outer.addWidget(self.intro)
        self.form_layout = QFormLayout()
        self.form = ErrorForm(self.form_layout)
        self.outer.addLayout(self.form_layout)
        self.general_error = QLabel()
        self.general_error.setObjectName("dialogError")
        self.general_error.setWordWrap(True)
        self.general_error.setStyleSheet("color: #b00020;")
        self.general_error.hide()
        self.outer.addWidget(self.general_error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        self.outer.addWidget(self.buttons)
        self._ctx: AppContext | None = None
        self._work: Callable[[Session], object] | None = None
        self._failure_title = ""
        self._topics: tuple[str, ...] = ()
        self.result_value: object = None

    def submit_with(
        self,
        ctx: AppContext,
        work: Callable[[Session], object],
        failure_title: str,
        *topics: str,
    ) -> None:
        """What OK does: ``work`` (a function of the session) through the operations helper,
        announcing ``topics`` besides those the service marks."""
        self._ctx, self._work, self._failure_title = ctx, work, failure_title
        self._topics = topics

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.show()

    def _try_accept(self) -> None:
        self.form.clear()
        self.general_error.hide()
        if self._ctx is None or self._work is None:
            self.accept()
            return
        op = Op(self._ctx, self, self._work, title=self._failure_title)
        self.result_value = op.form(self._show_error).announcing(*self._topics).run()
        if op.ok:
            self.accept()

    def _show_error(self, field: str, message: str) -> bool:
        """A refused value: by its field, else under the form."""
        if not self.form.show_error(field, message):
            self.general_error.setText(f"\u26a0 {message}")
            self.general_error.show()
        return True


class CleaningDetailsDialog(FormDialog):
    """Change product, method, observed contact time and notes before logging."""

    def __init__(
        self, names: list[str], product: str, minutes: int, products: list[str], parent=None
    ) -> None:
        super().__init__("Log cleaning with details", parent)
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        self.set_intro(f"Cleaned now: {shown}.")
        self.method = self.form.add_row("method", "&Method:", QComboBox())
        for m in CleaningMethod:
            self.method.addItem(m.label, m.value)
        self.product = self.form.add_row("product", "&Product:", QComboBox())
        self.product.setEditable(True)
        self.product.addItems(products)
        self.product.setCurrentText(product)
        self.contact = self.form.add_row("contact_minutes", "&Contact time observed:", QSpinBox())
        self.contact.setRange(0, 60)
        self.contact.setSuffix(" min")
        self.contact.setValue(minutes)
        self.notes = self.form.add_row("notes", "&Notes:", QPlainTextEdit())
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(60)

    def values(self) -> dict:
        return dict(
            method=self.method.currentData(),
            product=self.product.currentText(),
            contact_minutes=self.contact.value(),
            notes=self.notes.toPlainText(),
        )


class CorrectionDialog(FormDialog):
    """A correction: new values (or 'not done') and the reason; the original stays."""

    def __init__(self, entry, products: list[str], parent=None) -> None:
        super().__init__(f"Correct entry #{entry.id}", parent)
        self.set_intro(
            f"#{entry.id}: {entry.item_name}, {entry.cleaned_local:%Y-%m-%d %H:%M}, "
            f"{entry.staff_name}. The entry stays in the log; the correction is added after it."
        )
        self.void = self.form.add_row(
            "void", "Not done:", QCheckBox("This cleaning did not happen (logged by mistake)")
        )
        self.method = self.form.add_row("method", "&Method:", QComboBox())
        for m in CleaningMethod:
            self.method.addItem(m.label, m.value)
        self.method.setCurrentIndex(max(0, self.method.findData(entry.method)))
        self.product = self.form.add_row("product", "&Product:", QComboBox())
        self.product.setEditable(True)
        self.product.addItems(products)
        self.product.setCurrentText(entry.product)
        self.contact = self.form.add_row("contact_minutes", "&Contact time:", QSpinBox())
        self.contact.setRange(0, 60)
        self.contact.setSuffix(" min")
        self.contact.setValue(entry.contact_minutes)
        self.notes = self.form.add_row("notes", "N&otes:", QLineEdit(entry.notes))
        self.reason = self.form.add_row("reason", "&Reason for correction:", QLineEdit())
        self.void.toggled.connect(self._void_toggled)

    def _void_toggled(self, on: bool) -> None:
        for w in (self.method, self.product, self.contact, self.notes):
            w.setEnabled(not on)

    def values(self) -> dict:
        if self.void.isChecked():
            return dict(void=True, reason=self.reason.text())
        return dict(
            void=False,
            reason=self.reason.text(),
            method=self.method.currentData(),
            product=self.product.currentText(),
            contact_minutes=self.contact.value(),
            notes=self.notes.text(),
        )


class EquipmentDialog(FormDialog):
    """Add or edit an inventory item."""

    def __init__(
        self,
        title: str,
        data: EquipmentData,
        rooms: list[tuple[int, str]],
        unit: str,
        products: list[str],
        parent=None,
    ) -> None:
        super().__init__(title, parent)
        self.unit = unit
        f = self.form
        self.name = f.add_row("name", "&Name:", QLineEdit(data.name))
        self.category = f.add_row("category", "&Category:", QComboBox())
        for c in EquipmentCategory:
            self.category.addItem(c.label, c.value)
        self.category.setCurrentIndex(max(0, self.category.findData(data.category)))
        self.room = f.add_row("room_id", "&Room:", QComboBox())
        self.room.addItem("Whole clinic (no room)", None)
        for room_id, name in rooms:
            self.room.addItem(name, room_id)
        self.room.setCurrentIndex(max(0, self.room.findData(data.room_id)))
        self.asset_tag = f.add_row("asset_tag", "&Asset tag:", QLineEdit(data.asset_tag))
        self.serial = f.add_row("serial_number", "&Serial number:", QLineEdit(data.serial_number))
        self.interval = f.add_row("cleaning_interval", "Clean &every:", QComboBox())
        for i in CleaningInterval:
            self.interval.addItem(i.label, i.value)
        self.interval.setCurrentIndex(max(0, self.interval.findData(data.cleaning_interval)))
        self.product = f.add_row("product", "Disinfectant &product:", QComboBox())
        self.product.setEditable(True)
        self.product.addItems(products)
        self.product.setCurrentText(data.product)
        self.contact = f.add_row("contact_minutes", "&Label contact time:", QSpinBox())
        self.contact.setRange(0, 60)
        self.contact.setSuffix(" min wet")
        self.contact.setValue(data.contact_minutes)
        self.safety = self._optional_date(
            "safety_check_due", "Next safety check:", data.safety_check_due
        )
        self.calibration = self._optional_date(
            "calibration_due", "Next calibration:", data.calibration_due
        )
        symbol = TemperatureUnit(unit).symbol
        range_row = QWidget()
        box = QHBoxLayout(range_row)
        box.setContentsMargins(0, 0, 0, 0)
        self.safe_min = QDoubleSpinBox()
        self.safe_max = QDoubleSpinBox()
        for spin, value, default in (
            (self.safe_min, data.safe_min_c, DEFAULT_SAFE_MIN_C),
            (self.safe_max, data.safe_max_c, DEFAULT_SAFE_MAX_C),
        ):
            spin.setDecimals(0)
            spin.setRange(0, 212)
            spin.setSuffix(f" {symbol}")
            spin.setValue(round(to_unit(value if value is not None else default, unit)))
        self.safe_min.setAccessibleName("Lowest safe water temperature")
        self.safe_max.setAccessibleName("Highest safe water temperature")
        box.addWidget(self.safe_min)
        box.addWidget(QLabel("to"))
        box.addWidget(self.safe_max)
        box.addStretch(1)
        self.range_row = f.add_row("safe_range", "Safe water range:", range_row)
        self.water_days = f.add_row("water_change_days", "Change water every:", QSpinBox())
        self.water_days.setRange(1, 365)
        self.water_days.setSuffix(" days")
        self.water_days.setValue(data.water_change_days or 14)
        self.notes = f.add_row("notes", "N&otes:", QLineEdit(data.notes))
        self.category.currentIndexChanged.connect(self._category_changed)
        self._category_changed()

    def _optional_date(self, field: str, label: str, value: date | None) -> _OptionalDate:
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        check = QCheckBox("Set")
        check.setAccessibleName(f"{label.rstrip(':')} set")
        edit = _OptionalDate(qdate(value), check)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setAccessibleName(label.rstrip(":"))
        check.setChecked(value is not None)
        edit.setEnabled(value is not None)
        check.toggled.connect(edit.setEnabled)
        box.addWidget(check)
        box.addWidget(edit)
        box.addStretch(1)
        self.form.add_row(field, label, row)
        return edit

    def _category_changed(self) -> None:
        category = EquipmentCategory(self.category.currentData())
        hydro = category == EquipmentCategory.HYDROCOLLATOR
        for widget in (self.range_row, self.water_days):
            widget.setEnabled(hydro)
        for edit in (self.safety, self.calibration):
            edit.check.setEnabled(category.is_device)

    @staticmethod
    def _date_value(edit: _OptionalDate) -> date | None:
        if not edit.check.isChecked() or not edit.check.isEnabled():
            return None
        return pydate(edit.date())

    def data(self) -> EquipmentData:
        hydro = self.category.currentData() == EquipmentCategory.HYDROCOLLATOR.value
        return EquipmentData(
            name=self.name.text(),
            category=self.category.currentData(),
            room_id=self.room.currentData(),
            asset_tag=self.asset_tag.text(),
            serial_number=self.serial.text(),
            cleaning_interval=self.interval.currentData(),
            product=self.product.currentText(),
            contact_minutes=self.contact.value(),
            safety_check_due=self._date_value(self.safety),
            calibration_due=self._date_value(self.calibration),
            safe_min_c=round(from_unit(self.safe_min.value(), self.unit), 2) if hydro else None,
            safe_max_c=round(from_unit(self.safe_max.value(), self.unit), 2) if hydro else None,
            water_change_days=self.water_days.value() if hydro else None,
            notes=self.notes.text(),
        )


class OutOfServiceDialog(FormDialog):
    def __init__(self, name: str, parent=None) -> None:
        super().__init__(f"Take {name} out of service", parent)
        self.set_intro(f"{name} will leave the due board until it is back in service.")
        self.reason = self.form.add_row("reason", "&Reason:", QLineEdit())
        self.since = self.form.add_row("since", "Out of service &since:", QDateEdit(qdate(None)))
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")


class DeviceCheckDialog(FormDialog):
    def __init__(self, name: str, kind: str, parent=None) -> None:
        what = "Electrical-safety check" if kind == "safety" else "Calibration"
        super().__init__(f"{what} done: {name}", parent)
        self.set_intro(f"Record that the {what.lower()} of {name} was done today.")
        self.next_due = self.form.add_row("next_due", "&Next one due:", QDateEdit())
        self.next_due.setCalendarPopup(True)
        self.next_due.setDisplayFormat("yyyy-MM-dd")
        self.next_due.setDate(qdate(None).addYears(1))
