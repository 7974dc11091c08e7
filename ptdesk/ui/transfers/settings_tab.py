"""Settings → Transfers: the decision table, the bariatric threshold and the check templates."""

from __future__ import annotations

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
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ptdesk.errors import PtdeskError, ValidationError
from ptdesk.models import TransferMethod, TransferType
from ptdesk.services import transfers as tr
from ptdesk.services.permissions import allowed
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.transfers.models import DecisionTableModel, TemplateTableModel
from ptdesk.ui.transfers.runner import link_labels
from ptdesk.ui.widgets.forms import ErrorForm, FieldError
from ptdesk.ui.widgets.table import ROW_ROLE


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
        self.decision_table = QTableView()
        self.decision_table.setObjectName("decisionTable")
        self.decision_table.setAccessibleName("Decision table")
        self.decision_table.setModel(self.decision_model)
        self.decision_table.setItemDelegate(MethodDelegate(self.decision_table))
        self.decision_table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.decision_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.decision_table.verticalHeader().hide()
        compact = self.fontMetrics().height() + 8
        self.decision_table.verticalHeader().setDefaultSectionSize(compact)
        self.decision_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
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
        self.template_table = QTableView()
        self.template_table.setObjectName("templateTable")
        self.template_table.setAccessibleName("Checks")
        self.template_table.setModel(self.template_model)
        self.template_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.template_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.template_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.template_table.verticalHeader().hide()
        self.template_table.verticalHeader().setDefaultSectionSize(compact)
        header = self.template_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
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
        with self.ctx.db.session() as s:
            table = tr.decision_table(s)
            template = tr.list_template(s, t)
            threshold = tr.bariatric_threshold(s)
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
    def _run(self, fn) -> bool:
        self.message.clear_message()
        try:
            with self.ctx.db.session() as s:
                fn(s)
        except PtdeskError as exc:
            self.message.show_message(exc.message)
            return False
        self.ctx.bus.announce(topics.TRANSFER_RULES)
        return True

    def _change_decision(self, key: tuple[str, str, str, str], method: str) -> bool:
        self.message.clear_message()
        try:
            with self.ctx.db.session() as s:
                tr.set_decision(s, self.ctx.actor, *key, method)
        except PtdeskError as exc:
            self.message.show_message(exc.message)
            return False
        self.ctx.bus.announce(topics.TRANSFER_RULES)
        return True

    def save_threshold(self) -> None:
        self._run(lambda s: tr.set_bariatric_threshold(s, self.ctx.actor, self.bmi.value()))

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
            self._run(lambda s: tr.reset_decision_table(s, self.ctx.actor))

    def reset_template(self) -> None:
        label = self.transfer_type.currentText()
        if self.confirm(
            "Restore the default checks?",
            f"Replace the checks for {label} with the ones ptdesk ships with? Checklists "
            "already recorded keep their checks.",
        ):
            self._run(lambda s: tr.reset_template(s, self.ctx.actor, self.current_type()))

    def edit_dialog(self, item: tr.TemplateItemData | None) -> TemplateItemDialog:
        return TemplateItemDialog(item, self)

    def _edit(self, item: tr.TemplateItemData | None) -> None:
        dialog = self.edit_dialog(item)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            values = dialog.values()
            try:
                with self.ctx.db.session() as s:
                    if item is None:
                        saved = tr.add_template_item(
                            s, self.ctx.actor, self.current_type(), **values
                        )
                    else:
                        saved = tr.update_template_item(s, self.ctx.actor, item.id, **values)
            except ValidationError as exc:
                if not dialog.form.show_error(exc.field, exc.message):
                    dialog.form.show_error("text", exc.message)
                continue
            except PtdeskError as exc:
                self.message.show_message(exc.message)
                return
            self.ctx.bus.announce(topics.TRANSFER_RULES)
            with self.ctx.db.session() as s:
                self._set_template(tr.list_template(s, self.current_type()), saved.id)
            return

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
            self._run(lambda s: tr.delete_template_item(s, self.ctx.actor, item.id))

    def move_item(self, delta: int) -> None:
        item = self.selected_item()
        if item is None or not self.editable:
            return
        if self._run(lambda s: tr.move_template_item(s, self.ctx.actor, item.id, delta)):
            with self.ctx.db.session() as s:
                self._set_template(tr.list_template(s, self.current_type()), item.id)
