"""The Equipment page: the due board, the inventory, the cleaning log and the water, as tabs."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ptdesk.ui.context import AppContext
from ptdesk.ui.equipment.board_tab import BoardTab
from ptdesk.ui.equipment.inventory_tab import InventoryTab
from ptdesk.ui.equipment.log_tab import LogTab
from ptdesk.ui.equipment.water_tab import WaterTab


class EquipmentView(QWidget):
    """Due board, inventory, cleaning log and hydrocollator water log, as tabs."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.tabs = QTabWidget()
        self.tabs.setObjectName("equipmentTabs")
        self.board_tab = BoardTab(ctx)
        self.inventory_tab = InventoryTab(ctx)
        self.log_tab = LogTab(ctx)
        self.water_tab = WaterTab(ctx)
        self.tabs.addTab(self.board_tab, "&Due board")
        self.tabs.addTab(self.inventory_tab, "&Inventory")
        self.tabs.addTab(self.log_tab, "Cleaning &log")
        self.tabs.addTab(self.water_tab, "&Hydrocollator water")
        self.board_tab.history_requested.connect(self.show_history)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def show_history(self, equipment_id: int) -> None:
        self.log_tab.show_item(equipment_id)
        self.tabs.setCurrentWidget(self.log_tab)

    def focus_section(self, key: str = "board", **_kwargs: Any) -> None:
        tab = {
            "board": self.board_tab,
            "inventory": self.inventory_tab,
            "log": self.log_tab,
            "water": self.water_tab,
        }.get(key)
        if tab is not None:
            self.tabs.setCurrentWidget(tab)
