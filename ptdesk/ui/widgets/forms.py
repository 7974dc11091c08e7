"""Form helpers: an error line under each field, shown by the field's name."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

ERROR_STYLE = "color: #b00020;"


class FieldError(QLabel):
    """A message under a field: red, and starting with a warning sign so colour is not the only cue."""

    def __init__(self, field: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"error_{field}")
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.hide()

    def show_message(self, message: str) -> None:
        self.setText(f"\u26a0 {message}")
        self.setAccessibleName(message)
        self.show()

    def clear_message(self) -> None:
        self.clear()
        self.hide()


class ErrorForm:
    """A QFormLayout whose rows each carry an error line for their field."""

    def __init__(self, layout: QFormLayout) -> None:
        self.layout = layout
        self.errors: dict[str, FieldError] = {}
        self.widgets: dict[str, QWidget] = {}

    def add_row(self, field: str, label: str, widget: QWidget) -> QWidget:
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        error = FieldError(field)
        box.addWidget(error)
        widget.setObjectName(field)
        widget.setAccessibleName(label.rstrip(":").replace("&", ""))
        self.layout.addRow(label, holder)
        self.errors[field] = error
        self.widgets[field] = widget
        return widget

    def show_error(self, field: str, message: str) -> bool:
        """Show ``message`` by ``field``; False when the form has no such field."""
        self.clear()
        error = self.errors.get(field)
        if error is None:
            return False
        error.show_message(message)
        self.widgets[field].setFocus()
        return True

    def clear(self) -> None:
        for error in self.errors.values():
            error.clear_message()


def link_labels(form: ErrorForm) -> None:
    """Alt+letter on a form label focuses its field (the label's buddy is the field's holder)."""
    for widget in form.widgets.values():
        holder = widget.parentWidget()
        label = form.layout.labelForField(holder) if holder is not None else None
        if isinstance(label, QLabel):
            label.setBuddy(widget)
