"""Equipment → Inventory: the items, their details, device checks, retiring, the unit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from ptdesk.models import TemperatureUnit
from ptdesk.services import equipment
from ptdesk.services.equipment import EquipmentData
from ptdesk.services.permissions import allowed
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.equipment.dialogs import DeviceCheckDialog, EquipmentDialog, pydate
from ptdesk.ui.equipment.models import InventoryModel, InventoryRow
from ptdesk.ui.operations import Op, query
from ptdesk.ui.widgets.dialogs import run_dialog
from ptdesk.ui.widgets.table import make_table, selected_rows


class InventoryTab(QWidget):
    """Every item in service or out of it; retired items leave the list."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        self.model = InventoryModel(self)
        self.table, self.proxy = make_table(
            "inventory", self.model, accessible="Equipment inventory"
        )
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(0)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find an item")
        self.search.setAccessibleName("Find an item")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        self.table.doubleClicked.connect(lambda _i: self.edit_item())
        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add item…")
        self.add_button.setObjectName("addEquipment")
        self.add_button.clicked.connect(self.add_item)
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.clicked.connect(self.edit_item)
        self.safety_button = QPushButton("&Safety check done…")
        self.safety_button.clicked.connect(lambda: self.device_check("safety"))
        self.calibration_button = QPushButton("&Calibration done…")
        self.calibration_button.clicked.connect(lambda: self.device_check("calibration"))
        self.retire_button = QPushButton("&Retire…")
        self.retire_button.clicked.connect(self.retire_item)
        for b in (self.add_button, self.edit_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.safety_button, self.calibration_button, self.retire_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        unit_row = QHBoxLayout()
        unit_row.addWidget(QLabel("Water temperatures in:"))
        self.unit_group = QButtonGroup(self)
        self.unit_f = QRadioButton("°&F")
        self.unit_c = QRadioButton("°C (Cel&sius)")
        self.unit_f.setObjectName("unitF")
        self.unit_c.setObjectName("unitC")
        self.unit_group.addButton(self.unit_f)
        self.unit_group.addButton(self.unit_c)
        unit_row.addWidget(self.unit_f)
        unit_row.addWidget(self.unit_c)
        unit_row.addStretch(1)
        layout.addLayout(unit_row)
        self.unit_f.toggled.connect(self._unit_toggled)
        ctx.bus.changed.connect(self._on_changed)
        self.reload()
        for col, width in enumerate((180, 150, 125, 100, 80, 80, 95, 190, 90, 120, 120)):
            self.table.setColumnWidth(col, width)

    def _on_changed(self, topic: str) -> None:
        if topics.concerns(topic, topics.EQUIPMENT, topics.ROOMS):
            self.reload()

    @staticmethod
    def _load(session: Session) -> tuple[list[InventoryRow], str]:
        rooms = equipment.room_names(session)
        rows = [
            InventoryRow(i, rooms.get(i.room_id, "") if i.room_id else "")
            for i in equipment.list_equipment(session)
        ]
        return rows, equipment.temperature_unit(session)

    def reload(self) -> None:
        rows, self.unit = query(self.ctx, self._load)
        self.model.set_rows(rows)
        self.unit_f.blockSignals(True)
        (self.unit_f if self.unit == "F" else self.unit_c).setChecked(True)
        self.unit_f.blockSignals(False)
        manage = allowed(self.ctx.actor, "manage_equipment")
        for w in (self.add_button, self.edit_button, self.retire_button, self.unit_f, self.unit_c):
            w.setEnabled(manage)
        checks = allowed(self.ctx.actor, "record_device_check")
        self.safety_button.setEnabled(checks)
        self.calibration_button.setEnabled(checks)

    def _unit_toggled(self) -> None:
        unit = TemperatureUnit.FAHRENHEIT.value if self.unit_f.isChecked() else "C"
        actor = self.ctx.actor
        Op(
            self.ctx,
            self,
            lambda s: equipment.set_temperature_unit(s, actor, unit),
            title="Could not change the unit",
        ).announcing(topics.EQUIPMENT).failure(lambda _e: self.reload()).run()

    def _selected(self) -> InventoryRow | None:
        rows = selected_rows(self.table)
        if not rows:
            QMessageBox.information(self, "Equipment", "Select an item first.")
            return None
        return rows[0]

    def _dialog(self, title: str, data: EquipmentData) -> EquipmentDialog:
        names = query(self.ctx, equipment.room_names)
        rooms = sorted(names.items(), key=lambda kv: kv[1])
        products = sorted({r.product for r in self.model.rows() if r.product})
        return EquipmentDialog(title, data, rooms, self.unit, products, self)

    def add_item(self) -> None:
        dialog = self._dialog("Add equipment", EquipmentData())
        actor = self.ctx.actor
        dialog.submit_with(
            self.ctx,
            lambda s: equipment.create_equipment(s, actor, dialog.data()),
            "Could not add the item",
            topics.EQUIPMENT,
        )
        run_dialog(dialog)

    def edit_item(self) -> None:
        row = self._selected()
        if row is None:
            return
        data = query(self.ctx, lambda s: EquipmentData.of(equipment.get_equipment(s, row.id)))
        dialog = self._dialog(f"Edit {row.name}", data)
        actor = self.ctx.actor
        dialog.submit_with(
            self.ctx,
            lambda s: equipment.update_equipment(s, actor, row.id, dialog.data()),
            "Could not change the item",
            topics.EQUIPMENT,
        )
        run_dialog(dialog)

    def device_check(self, kind: str) -> None:
        row = self._selected()
        if row is None:
            return
        if not row.category.is_device:
            QMessageBox.information(
                self, "Device checks", f"{row.name} is not a device with safety checks."
            )
            return
        dialog = DeviceCheckDialog(row.name, kind, self)
        actor = self.ctx.actor
        dialog.submit_with(
            self.ctx,
            lambda s: equipment.record_device_check(
                s, actor, row.id, kind, pydate(dialog.next_due.date())
            ),
            "Could not record the check",
            topics.EQUIPMENT,
        )
        run_dialog(dialog)

    def retire_item(self) -> None:
        row = self._selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            "Retire equipment",
            f"Retire {row.name}? It leaves the inventory and the due board; "
            "its cleaning history stays in the log.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        actor = self.ctx.actor
        Op(
            self.ctx,
            self,
            lambda s: equipment.retire_equipment(s, actor, row.id),
            title="Could not retire the item",
        ).announcing(topics.EQUIPMENT).run()
