"""Settings → Billing codes: the clinic's CPT code table (timed or untimed), owner-editable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ptdesk.services import billing
from ptdesk.services.billing import CodeInfo
from ptdesk.services.permissions import allowed
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import Op, query
from ptdesk.ui.widgets.forms import ErrorForm
from ptdesk.ui.widgets.table import ROW_ROLE, Column, RowTableModel, make_table


class CodesModel(RowTableModel[CodeInfo]):
    columns = (
        Column("Code", lambda c: c.code),
        Column("Description", lambda c: c.description),
        Column("Billed as", lambda c: "Timed (15-minute units)" if c.timed else "Untimed (1 unit)"),
        Column("In use", lambda c: "Yes" if c.active else "No (hidden when recording)"),
    )


class CodeDialog(QDialog):
    def __init__(self, ctx: AppContext, code: CodeInfo | None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("codeDialog")
        self.setWindowTitle("New billing code" if code is None else f"Billing code {code.code}")
        self.ctx = ctx
        self.code_id = code.id if code else None
        layout = QVBoxLayout(self)
        form_layout = QFormLayout()
        self.form = ErrorForm(form_layout)
        self.code = self.form.add_row("code", "&Code:", QLineEdit(code.code if code else ""))
        self.description = self.form.add_row(
            "description", "&Description:", QLineEdit(code.description if code else "")
        )
        self.timed = self.form.add_row(
            "timed", "&Timed:", QCheckBox("Billed in 15-minute units (8-minute rule)")
        )
        self.timed.setChecked(code.timed if code else True)
        self.active = self.form.add_row("active", "&In use:", QCheckBox("Offered when recording"))
        self.active.setChecked(code.active if code else True)
        layout.addLayout(form_layout)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def save(self) -> bool:
        self.form.clear()
        code, description = self.code.text(), self.description.text()
        timed, active = self.timed.isChecked(), self.active.isChecked()
        op = Op(
            self.ctx,
            self,
            lambda s: billing.save_code(
                s, self.ctx.actor, self.code_id, code, description, timed, active
            ),
            title="Not saved",
        )
        op.form(self.form).success(lambda _code: self.accept()).run()
        return op.ok


class BillingCodesTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("billingCodesTab")
        self.ctx = ctx
        layout = QVBoxLayout(self)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)
        self.model = CodesModel(self)
        self.table, self.proxy = make_table(
            "codeTable",
            self.model,
            accessible="Billing codes",
            fit=QHeaderView.ResizeMode.ResizeToContents,
            stripes=False,
            wrap=True,
        )
        self.table.activated.connect(lambda _i: self.edit())
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton("&Add code…")
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton("&Edit code…")
        self.edit_button.clicked.connect(self.edit)
        row.addWidget(self.add_button)
        row.addWidget(self.edit_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        ctx.bus.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, topic: str) -> None:
        if topics.concerns(topic, topics.BILLING_CODES):
            self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(query(self.ctx, billing.list_codes))
        self._update()

    def selected(self) -> CodeInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _update(self) -> None:
        may = allowed(self.ctx.actor, "manage_billing_codes")
        self.notice.setText(
            "The CPT codes offered when a session is recorded. Timed codes are billed in "
            "15-minute units by the 8-minute rule; an untimed code is one unit. A code no "
            "longer used can be taken out of use; past records keep it."
            + ("" if may else " Only the owner can change this table.")
        )
        self.add_button.setEnabled(may)
        self.edit_button.setEnabled(may and self.selected() is not None)

    def code_dialog(self, code: CodeInfo | None) -> CodeDialog:
        return CodeDialog(self.ctx, code, self)

    def add(self) -> None:
        if allowed(self.ctx.actor, "manage_billing_codes"):
            self._open(self.code_dialog(None))

    def edit(self) -> None:
        code = self.selected()
        if code is not None and allowed(self.ctx.actor, "manage_billing_codes"):
            self._open(self.code_dialog(code))

    def _open(self, dialog: CodeDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exec()
