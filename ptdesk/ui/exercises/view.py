"""The Exercises page: Programs, Library and Day's sheets tabs."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.exercises.library_tab import LibraryTab
from ptdesk.ui.exercises.program_editor import ProgramsTab
from ptdesk.ui.exercises.sheets import DaySheetsPanel


class ExercisesView(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.tabs = QTabWidget()
        self.tabs.setObjectName("exercisesTabs")
        self.programs = ProgramsTab(ctx)
        self.library = LibraryTab(ctx)
        self.sheets = DaySheetsPanel(ctx)
        self.tabs.addTab(self.programs, "P&rograms")
        self.tabs.addTab(self.library, "&Library")
        self.tabs.addTab(self.sheets, "Day's &sheets")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        ctx.bus.changed.connect(self._on_changed)

    def confirm_leave(self) -> bool:
        """Unsaved program changes: show them and ask before they are lost."""
        if self.programs.editor.dirty:
            self.tabs.setCurrentWidget(self.programs)
        return self.programs.editor.confirm_leave()

    def _on_changed(self, topic: str) -> None:
        if topics.concerns(topic, topics.PATIENTS, topics.PROGRAMS):
            self.programs.refresh()
        if topics.concerns(topic, topics.EXERCISES):
            self.programs.editor.refresh_library()
            if topic == topics.ALL:
                self.library.refresh()
        if topics.concerns(topic, topics.STAFF):
            self.sheets.refresh()
        elif topics.concerns(topic, topics.SCHEDULE, topics.PROGRAMS, topics.PATIENTS):
            self.sheets.refresh_overview()
