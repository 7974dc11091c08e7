"""The Today page: the home after sign-in, with the sections the person's role needs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ptdesk.services import clock
from ptdesk.services import today as today_service
from ptdesk.services.permissions import allowed
from ptdesk.services.today import TodayItem, TodaySection
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import query
from ptdesk.ui.widgets.table import ROW_ROLE, Column, RowTableModel, table_view

TOPICS = (
    topics.SCHEDULE,
    topics.PATIENTS,
    topics.CLEANING,
    topics.EQUIPMENT,
    topics.PROGRAMS,
    topics.STAFF,
)
MAX_VISIBLE_ROWS = 12


class TodayItemModel(RowTableModel[TodayItem]):
    columns = (
        Column("When", lambda i: i.when),
        Column("Who / what", lambda i: i.title),
        Column("Details", lambda i: i.detail, tooltip=lambda i: i.detail),
        Column("Status", lambda i: i.flag),
    )


class SectionBox(QGroupBox):
    """One section: a short table whose rows open their screen (Enter or double-click)."""

    def __init__(self, section: TodaySection, open_item: Callable[[TodayItem], None]) -> None:
        super().__init__(f"{section.title} ({len(section.items)})")
        self.section = section
        self.setObjectName(f"today_{section.key}")
        layout = QVBoxLayout(self)
        self.actions_row = QHBoxLayout()
        layout.addLayout(self.actions_row)
        self.model = TodayItemModel(self)
        self.table = table_view(
            f"todayTable_{section.key}",
            self.model,
            accessible=section.title,
            fit=QHeaderView.ResizeMode.ResizeToContents,
            stretch=2,
            row_height=24,
        )
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.activated.connect(lambda index: self._open(index, open_item))
        self.table.setToolTip("Press Enter or double-click to open")
        self.empty = QLabel(section.empty_text)
        self.empty.setObjectName(f"todayEmpty_{section.key}")
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        self.buttons: list[tuple[QPushButton, Callable[[TodaySection], bool]]] = []
        self.show_section(section)

    def add_button(self, button: QPushButton, enabled: Callable[[TodaySection], bool]) -> None:
        """An action of the section, enabled while ``enabled(section)`` holds."""
        self.buttons.append((button, enabled))
        button.setEnabled(enabled(self.section))

    def show_section(self, section: TodaySection) -> None:
        """Show ``section``'s rows in this box (the box is reused on every refresh)."""
        self.section = section
        self.setTitle(f"{section.title} ({len(section.items)})")
        self.model.set_rows(section.items)
        header = self.table.horizontalHeader()
        shown = max(1, min(len(section.items), MAX_VISIBLE_ROWS))
        self.table.setFixedHeight(header.sizeHint().height() + shown * 24 + 4)
        self.empty.setText(section.empty_text)
        self.table.setVisible(bool(section.items))
        self.empty.setVisible(not section.items)
        for button, enabled in self.buttons:
            button.setEnabled(enabled(section))

    def _open(self, index: QModelIndex, open_item: Callable[[TodayItem], None]) -> None:
        item = index.data(ROW_ROLE)
        if isinstance(item, TodayItem):
            open_item(item)


class TodayView(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.clock: Callable[[], datetime] = clock.now
        self.sections: dict[str, SectionBox] = {}
        self._dirty = False

        self.heading = QLabel()
        self.heading.setObjectName("todayHeading")
        font = self.heading.font()
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        self.heading.setFont(font)
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setObjectName("todayRefresh")
        self.refresh_button.setShortcut(QKeySequence("F5"))
        self.refresh_button.setToolTip("Look again (F5)")
        self.refresh_button.clicked.connect(self.reload)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.refresh_button)

        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        ctx.bus.changed.connect(self._on_changed)
        # Who is late changes with the clock: look again every minute while the page shows.
        self.minute = QTimer(self)
        self.minute.setInterval(60_000)
        self.minute.timeout.connect(lambda: self.reload() if self.isVisible() else None)
        self.minute.start()
        self.reload()

    def _on_changed(self, topic: str) -> None:
        if topics.concerns(topic, *TOPICS):
            if self.isVisible():
                self.reload()
            else:
                self._dirty = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        if self._dirty:
            self.reload()
        super().showEvent(event)

    def reload(self) -> None:
        self._dirty = False
        now, actor = self.clock(), self.ctx.actor
        sections = query(self.ctx, lambda s: today_service.today_sections(s, actor, now=now))
        self.heading.setText(f"Today, {now:%A} {now.day} {now:%B %Y} — {self.ctx.actor.name}")
        if sections and [s.key for s in sections] == list(self.sections):
            # The same sections as shown (the usual refresh): their tables are reused.
            for section in sections:
                self.sections[section.key].show_section(section)
            return
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.sections = {}
        for section in sections:
            box = SectionBox(section, self.open_item)
            for action in section.actions:
                self._add_action(box, action)
            self.sections[section.key] = box
            self.body_layout.addWidget(box)
        if not sections:
            self.body_layout.addWidget(QLabel("Nothing to show for your role today."))
        self.body_layout.addStretch(1)

    def _add_action(self, box: SectionBox, action: str) -> None:
        if action == "print_sheets":
            button = QPushButton("&Print today's exercise sheets…")
            button.setObjectName("printTodaySheets")
            button.setShortcut(QKeySequence("Ctrl+Shift+P"))
            button.setToolTip("Home exercise sheets for your patients today (Ctrl+Shift+P)")
            may_print = allowed(self.ctx.actor, "print_exercise_sheets")
            box.add_button(button, lambda section: may_print and bool(section.items))
            button.clicked.connect(self.print_sheets)
            box.actions_row.addWidget(button)
            box.actions_row.addStretch(1)

    def print_sheets(self) -> None:
        from ptdesk.ui.exercises.sheets import print_sheets

        print_sheets(self.ctx, self, self.clock().date(), staff_id=self.ctx.actor.id)

    def open_item(self, item: TodayItem) -> None:
        if item.target:
            self.ctx.bus.navigate.emit(item.target, dict(item.target_args))
