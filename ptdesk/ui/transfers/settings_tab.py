"""Settings → Transfers: the decision table, the bariatric threshold and the check templates."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from ptdesk.errors import ValidationError
from ptdesk.models import TransferMethod, TransferType
from ptdesk.services import transfers as tr
from ptdesk.services.permissions import allowed
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import Op, query
from ptdesk.ui.transfers.models import DecisionTableModel, TemplateTableModel
from ptdesk.ui.widgets.forms import ErrorForm, FieldError, link_labels
from ptdesk.ui.widgets.table import ROW_ROLE, table_view


class MethodDelegate(QStyledItemDelegate):
    """Edits a decision cell with a list of the methods (F2 or typing opens it)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index) -> QWidget:  # noqa: N802
        combo = QComboBox(parent)
        for m in TransferMethod:
            combo.addItem(m.label, m.value)
        return combo

    def setEditorData(self, editor: QWidget, index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(  # noqa: N802
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class TemplateItemDialog(QDialog):
    """Add or change one check of a template."""

    def __init__(self, item: tr.TemplateItemData | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templateItemDialog")
        self.setWindowTitle("Change check" if item else "Add check")
        layout = QVBoxLayout(self)
        form_layout = QFormLayout()
        self.form = ErrorForm(form_layout)
        self.text = self.form.add_row("text", "&Check:", QLineEdit())
        self.phase = self.form.add_row("phase", "&When:", QComboBox())
        for key, label in tr.PHASES.items():
            self.phase.addItem(label, key)
        self.required = self.form.add_row(
            "required",
            "Required:",
            QCheckBox("&Required: the checklist cannot be completed without it"),
        )
        self.applies = self.form.add_row("applies_when", "&Applies:", QComboBox())
        for key, label in tr.APPLIES_WHEN.items():
            self.applies.addItem(label, key)
        layout.addLayout(form_layout)
        link_labels(self.form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if item is not None:
            self.text.setText(item.text)
            self.phase.setCurrentIndex(self.phase.findData(item.phase))
            self.required.setChecked(item.required)
            self.applies.setCurrentIndex(self.applies.findData(item.applies_when))
        else:
            self.required.setChecked(True)
        self.resize(560, 200)

    def values(self) -> dict:
        return dict(
            text=self.text.text(),
            phase=self.phase.currentData(),
            required=self.required.isChecked(),
            applies_when=self.applies.currentData(),
        )


class TransferSettingsTab(QWidget):
    """The owner's transfer rules: the decision table, the bariatric threshold, the checks."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.editable = allowed(ctx.actor, "edit_transfer_rules")
        layout = QVBoxLayout(self)
        self.notice = QLabel(
            "The recommended method for each answer, and the checks each kind of transfer uses. "
            "Checklists already recorded keep the checks they had."
            if self.editable
            else "Only the owner can change the transfer decision table and checks."
        )
        self.notice.setObjectName("transferSettingsNotice")
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)

        top = QHBoxLayout()
        type_label = QLabel("Kind of trans&fer:")
        self.transfer_type = QComboBox()
        self.transfer_type.setObjectName("settingsTransferType")
        for t in TransferType:
            self.transfer_type.addItem(t.label, t.value)
        type_label.setBuddy(self.transfer_type)
        top.addWidget(type_label)
        top.addWidget(self.transfer_type)
        top.addStretch(1)
        layout.addLayout(top)
        bmi_row = QHBoxLayout()
        bmi_label = QLabel("Bariatric equipment above &BMI:")
        self.bmi = QDoubleSpinBox()
        self.bmi.setObjectName("bariatricBmi")
        self.bmi.setRange(30, 80)
        self.bmi.setDecimals(0)
        bmi_label.setBuddy(self.bmi)
        self.bmi_save = QPushButton("Save &threshold")
        self.bmi_save.setObjectName("saveBmi")
        self.bmi_save.clicked.connect(self.save_threshold)
        bmi_row.addWidget(bmi_label)
        bmi_row.addWidget(self.bmi)
        bmi_row.addWidget(self.bmi_save)
        bmi_row.addStretch(1)
        self.message = FieldError("transfer_settings")
        layout.addWidget(self.message)

        decisions = QGroupBox("Recommended method (select a cell and press F2 to change it)")
        dbox = QVBoxLayout(decisions)
        self.decision_model = DecisionTableModel(self)
        self.decision_model.editable = self.editable
        self.decision_model.on_change = self._change_decision
        self.decision_table = table_view(
            "decisionTable",
            self.decision_model,
            accessible="Decision table",
            rows=False,
            fit=QHeaderView.ResizeMode.Stretch,
            stripes=False,
            wrap=True,
        )
        self.decision_table.setItemDelegate(MethodDelegate(self.decision_table))
        self.decision_table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        compact = self.fontMetrics().height() + 8
        self.decision_table.verticalHeader().setDefaultSectionSize(compact)
        dbox.addWidget(self.decision_table)
        self.reset_decisions = QPushButton("Restore default &methods…")
        self.reset_decisions.clicked.connect(self.reset_decision_table)
        dbox.addLayout(bmi_row)
        row = QHBoxLayout()
        row.addWidget(self.reset_decisions)
        row.addStretch(1)
        dbox.addLayout(row)
        layout.addWidget(decisions, 3)

        checks = QGroupBox("Checks for this kind of transfer")
        cbox = QVBoxLayout(checks)
        self.template_model = TemplateTableModel(self)
        self.template_table = table_view(
            "templateTable",
            self.template_model,
            accessible="Checks",
            fit=QHeaderView.ResizeMode.ResizeToContents,
            stretch=1,
            stripes=False,
            wrap=True,
        )
        self.template_table.verticalHeader().setDefaultSectionSize(compact)
        self.template_table.activated.connect(lambda _i: self.edit_item())
        cbox.addWidget(self.template_table)
        row = QHBoxLayout()
        self.add_button = QPushButton("&Add check…")
        self.add_button.setObjectName("addCheck")
        self.add_button.clicked.connect(self.add_item)
        self.edit_button = QPushButton("&Change…")
        self.edit_button.clicked.connect(self.edit_item)
        self.delete_button = QPushButton("&Remove…")
        self.delete_button.clicked.connect(self.delete_item)
        self.up_button = QPushButton("Move &up")
        self.up_button.clicked.connect(lambda: self.move_item(-1))
        self.down_button = QPushButton("Move &down")
        self.down_button.clicked.connect(lambda: self.move_item(1))
        self.reset_checks = QPushButton("Restore default chec&ks…")
        self.reset_checks.clicked.connect(self.reset_template)
        for b in (self.add_button, self.edit_button, self.delete_button):
            row.addWidget(b)
        row.addStretch(1)
        cbox.addLayout(row)
        row = QHBoxLayout()
        for b in (self.up_button, self.down_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.reset_checks)
        cbox.addLayout(row)
        layout.addWidget(checks, 4)

        for w in (
            self.bmi,
            self.bmi_save,
            self.reset_decisions,
            self.add_button,
            self.edit_button,
            self.delete_button,
            self.up_button,
            self.down_button,
            self.reset_checks,
        ):
            w.setEnabled(self.editable)
        self.transfer_type.currentIndexChanged.connect(self.load)
        ctx.bus.changed.connect(self._on_changed)
        self.load()

    # -- loading -----------------------------------------------------------------
    def _on_changed(self, topic: str) -> None:
        if topics.concerns(topic, topics.TRANSFER_RULES):
            self.load()

    def current_type(self) -> str:
        return self.transfer_type.currentData()

    def load(self) -> None:
        t = self.current_type()
        table, template, threshold = query(
            self.ctx,
            lambda s: (tr.decision_table(s), tr.list_template(s, t), tr.bariatric_threshold(s)),
        )
        self.decision_model.set_table(t, table)
        self._set_template(template)
        self.bmi.setValue(threshold)

    def _set_template(self, rows: list[tr.TemplateItemData], select_id: int | None = None) -> None:
        self.template_model.set_rows(rows)
        for i, r in enumerate(rows):
            if r.id == select_id:
                self.template_table.selectRow(i)

    def selected_item(self) -> tr.TemplateItemData | None:
        rows = self.template_table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    # -- actions -----------------------------------------------------------------
    def _show_message(self, _field: str, message: str) -> bool:
        """A refused value, under the threshold (the tab has no field-by-field form)."""
        self.message.show_message(message)
        return True

    def _change(self, work: Callable[[Session], Any], title: str) -> bool:
        """Change the rules through ``work``; whether it was done."""
        self.message.clear_message()
        op = Op(self.ctx, self, work, title=title).form(self._show_message)
        op.announcing(topics.TRANSFER_RULES).run()
        return op.ok

    def _change_decision(self, key: tuple[str, str, str, str], method: str) -> bool:
        actor = self.ctx.actor
        return self._change(lambda s: tr.set_decision(s, actor, *key, method), "Method not changed")

    def save_threshold(self) -> None:
        actor, bmi = self.ctx.actor, self.bmi.value()
        self._change(lambda s: tr.set_bariatric_threshold(s, actor, bmi), "Threshold not changed")

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def reset_decision_table(self) -> None:
        if self.confirm(
            "Restore the default methods?",
            "Put every cell of the decision table (all kinds of transfer) back to the method "
            "ptdesk ships with? Your changes to the table are lost.",
        ):
            actor = self.ctx.actor
            self._change(lambda s: tr.reset_decision_table(s, actor), "Methods not restored")

    def reset_template(self) -> None:
        label = self.transfer_type.currentText()
        if self.confirm(
            "Restore the default checks?",
            f"Replace the checks for {label} with the ones ptdesk ships with? Checklists "
            "already recorded keep their checks.",
        ):
            actor, kind = self.ctx.actor, self.current_type()
            self._change(lambda s: tr.reset_template(s, actor, kind), "Checks not restored")

    def edit_dialog(self, item: tr.TemplateItemData | None) -> TemplateItemDialog:
        return TemplateItemDialog(item, self)

    def _edit(self, item: tr.TemplateItemData | None) -> None:
        dialog = self.edit_dialog(item)
        kind = self.current_type()

        def by_field(field: str, message: str) -> bool:
            if not dialog.form.show_error(field, message):
                dialog.form.show_error("text", message)
            return True

        try:
            while dialog.exec() == QDialog.DialogCode.Accepted:
                save = partial(self._save_item, item=item, kind=kind, values=dialog.values())
                self.message.clear_message()
                op = Op(self.ctx, self, save, title="Check not saved").form(by_field)
                saved = op.announcing(topics.TRANSFER_RULES).run()
                if saved is not None:
                    self._show_template(saved.id)
                if not isinstance(op.error, ValidationError):
                    return  # saved, or refused for a reason the dialog cannot fix
        finally:
            dialog.deleteLater()

    def _save_item(
        self,
        session: Session,
        *,
        item: tr.TemplateItemData | None,
        kind: str,
        values: dict[str, Any],
    ) -> tr.TemplateItemData:
        if item is None:
            return tr.add_template_item(session, self.ctx.actor, kind, **values)
        return tr.update_template_item(session, self.ctx.actor, item.id, **values)

    def _show_template(self, select_id: int) -> None:
        kind = self.current_type()
        self._set_template(query(self.ctx, lambda s: tr.list_template(s, kind)), select_id)

    def add_item(self) -> None:
        if self.editable:
            self._edit(None)

    def edit_item(self) -> None:
        item = self.selected_item()
        if item is not None and self.editable:
            self._edit(item)

    def delete_item(self) -> None:
        item = self.selected_item()
        if item is None or not self.editable:
            return
        if self.confirm(
            "Remove this check?",
            f"Remove “{item.text}” from the checks for {self.transfer_type.currentText()}? "
            "Checklists already recorded keep it.",
        ):
            actor = self.ctx.actor
            self._change(lambda s: tr.delete_template_item(s, actor, item.id), "Check not removed")

    def move_item(self, delta: int) -> None:
        item = self.selected_item()
        if item is None or not self.editable:
            return
        actor = self.ctx.actor
        if self._change(
            lambda s: tr.move_template_item(s, actor, item.id, delta), "Check not moved"
        ):
            self._show_template(item.id)
