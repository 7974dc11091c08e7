"""Equipment → Hydrocollator water: temperature readings, the safe range, water changes."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from ptdesk.models import Equipment, EquipmentCategory, TemperatureUnit
from ptdesk.services import cleaning, equipment
from ptdesk.services.equipment import format_temperature
from ptdesk.services.permissions import allowed
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.equipment.models import WaterModel, WaterRow
from ptdesk.ui.operations import Op, query
from ptdesk.ui.widgets.table import make_table


def _hydrocollators(session: Session) -> tuple[str, list[Equipment]]:
    """The unit temperatures are shown in, and the hydrocollators in service."""
    items = [
        i
        for i in equipment.list_equipment(session)
        if i.category == EquipmentCategory.HYDROCOLLATOR.value
    ]
    return equipment.temperature_unit(session), items


class WaterTab(QWidget):
    """One hydrocollator at a time: its readings and whether the water is safe."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.unit = "F"
        self._items: dict[int, Equipment] = {}
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.hydro = QComboBox()
        self.hydro.setObjectName("hydrocollator")
        self.hydro.setAccessibleName("Hydrocollator")
        label = QLabel("&Hydrocollator:")
        label.setBuddy(self.hydro)
        top.addWidget(label)
        top.addWidget(self.hydro, 1)
        layout.addLayout(top)
        self.status = QLabel()
        self.status.setObjectName("waterStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        entry = QGroupBox("Log a reading")
        row = QHBoxLayout(entry)
        self.temperature = QDoubleSpinBox()
        self.temperature.setObjectName("waterTemperature")
        self.temperature.setAccessibleName("Water temperature")
        self.temperature.setDecimals(1)
        self.changed = QCheckBox("&Water changed")
        self.notes = QLineEdit()
        self.notes.setPlaceholderText("Notes (optional)")
        self.notes.setAccessibleName("Notes")
        self.log_button = QPushButton("&Log temperature")
        self.log_button.setObjectName("logTemperature")
        self.log_button.clicked.connect(self.log_reading)
        temp_label = QLabel("&Temperature:")
        temp_label.setBuddy(self.temperature)
        for w in (temp_label, self.temperature, self.changed, self.notes, self.log_button):
            row.addWidget(w)
        layout.addWidget(entry)
        self.model = WaterModel(self)
        self.table, _ = make_table(
            "waterReadings", self.model, accessible="Water readings", descending=True
        )
        layout.addWidget(self.table, 1)
        self.hydro.currentIndexChanged.connect(lambda _i: self.show_readings())
        ctx.bus.changed.connect(self._on_changed)
        self.reload()
        for col, width in enumerate((140, 100, 130, 110, 150)):
            self.table.setColumnWidth(col, width)

    def _on_changed(self, topic: str) -> None:
        if topics.concerns(topic, topics.EQUIPMENT, topics.CLEANING):
            self.reload()

    def reload(self) -> None:
        self.unit, items = query(self.ctx, _hydrocollators)
        self._items = {i.id: i for i in items}
        current = self.hydro.currentData()
        self.hydro.blockSignals(True)
        self.hydro.clear()
        for i in items:
            self.hydro.addItem(i.name, i.id)
        self.hydro.setCurrentIndex(max(0, self.hydro.findData(current)))
        self.hydro.blockSignals(False)
        symbol = TemperatureUnit(self.unit).symbol
        self.temperature.setSuffix(f" {symbol}")
        self.temperature.setRange(32, 212) if self.unit == "F" else self.temperature.setRange(
            0, 100
        )
        self.temperature.setValue(165 if self.unit == "F" else 74)
        can_log = allowed(self.ctx.actor, "log_water_temperature") and bool(items)
        self.log_button.setEnabled(can_log)
        self.show_readings()

    def show_readings(self) -> None:
        item = self._items.get(self.hydro.currentData())
        if item is None:
            self.status.setText("There is no hydrocollator in the inventory.")
            self.model.set_rows([])
            return
        unit = self.unit
        readings, status = query(
            self.ctx,
            lambda s: (equipment.water_readings(s, item.id), equipment.water_status(s, item, unit)),
        )
        lo, hi = item.safe_min_c, item.safe_max_c
        self.model.set_rows([WaterRow(r, self.unit, lo, hi) for r in readings])
        lines = [
            f"Safe range {format_temperature(lo, self.unit)} to {format_temperature(hi, self.unit)}"
            f" · water changed every {item.water_change_days} days"
        ]
        if status.last_reading_c is not None:
            mark = "✓ in range" if status.in_range else "⚠ OUT OF RANGE"
            when = cleaning.to_local(status.last_reading_at)
            lines.append(
                f"Last reading {format_temperature(status.last_reading_c, self.unit)} "
                f"({mark}) at {when:%Y-%m-%d %H:%M}"
            )
        for w in status.warnings:
            if "outside" not in w:
                lines.append(f"⚠ {w}")
        self.status.setText("\n".join(lines))

    def log_reading(self) -> None:
        item_id = self.hydro.currentData()
        if item_id is None:
            return
        actor, reading, unit = self.ctx.actor, self.temperature.value(), self.unit
        changed, notes = self.changed.isChecked(), self.notes.text()
        op = Op(
            self.ctx,
            self,
            lambda s: equipment.log_water_reading(
                s, actor, item_id, reading, unit, water_changed=changed, notes=notes
            ),
            title="Could not log the reading",
        )
        op.announcing(topics.EQUIPMENT).run()
        if op.ok:
            self.changed.setChecked(False)
            self.notes.clear()
