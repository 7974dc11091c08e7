"""The Settings page: a tab per area."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ptdesk.ui.context import AppContext
from ptdesk.ui.sessions.codes_tab import BillingCodesTab
from ptdesk.ui.settings.clinic_tab import ClinicProfileTab
from ptdesk.ui.settings.data_tab import DataTab
from ptdesk.ui.settings.rooms_tab import RoomsTab
from ptdesk.ui.settings.staff_tab import StaffTab
from ptdesk.ui.transfers.settings_tab import TransferSettingsTab


class SettingsView(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")
        self.sections: dict[str, QWidget] = {}
        self.clinic_tab = ClinicProfileTab(ctx)
        self.data_tab = DataTab(ctx)
        self.add_section("clinic", "&Clinic", self.clinic_tab)
        self.staff_tab = StaffTab(ctx)
        self.rooms_tab = RoomsTab(ctx)
        self.add_section("staff", "S&taff", self.staff_tab)
        self.add_section("rooms", "&Rooms", self.rooms_tab)
        self.transfers_tab = TransferSettingsTab(ctx)
        self.add_section("transfers", "Trans&fers", self.transfers_tab)
        self.add_section("billing", "&Billing codes", BillingCodesTab(ctx))
        self.add_section("data", "&Data and backups", self.data_tab)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def add_section(self, key: str, title: str, widget: QWidget) -> None:
        self.sections[key] = widget
        self.tabs.addTab(widget, title)

    def focus_section(self, key: str, *, check: bool = False) -> None:
        widget = self.sections.get(key)
        if widget is None:
            return
        self.tabs.setCurrentWidget(widget)
        if check and widget is self.data_tab:
            self.data_tab.check_database()
