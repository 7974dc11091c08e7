"""Settings → Rooms: the clinic's treatment rooms and gym, with their kind."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
)
from sqlmodel import Session

from ptdesk.models import Room
from ptdesk.services import rooms as room_service
from ptdesk.services.rooms import ROOM_KINDS, RoomData
from ptdesk.ui import bus as topics
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import Op, query
from ptdesk.ui.widgets.forms import ErrorForm
from ptdesk.ui.widgets.manage_tab import ManageTab
from ptdesk.ui.widgets.table import Column, RowTableModel


class RoomTableModel(RowTableModel[Room]):
    columns = (
        Column("Name", lambda r: r.name, sort=lambda r: r.name.lower()),
        Column("Kind", lambda r: ROOM_KINDS.get(r.kind, r.kind)),
        Column("Status", lambda r: "In use" if r.active else "Out of use"),
    )


class RoomDialog(QDialog):
    def __init__(self, ctx: AppContext, room_id: int | None = None, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.room_id = room_id
        self.saved_id: int | None = None
        self.setObjectName("roomDialog")
        self.setWindowTitle("New room" if room_id is None else "Edit room")
        layout = QVBoxLayout(self)
        form_layout = QFormLayout()
        self.form = ErrorForm(form_layout)
        self.name = self.form.add_row("name", "&Name:", QLineEdit())
        self.kind = self.form.add_row("kind", "&Kind:", QComboBox())
        for value, label in ROOM_KINDS.items():
            self.kind.addItem(label, value)
        layout.addLayout(form_layout)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if room_id is not None:
            row = query(ctx, lambda s: room_service.get_room(s, room_id))
            self.name.setText(row.name)
            self.kind.setCurrentIndex(max(0, self.kind.findData(row.kind)))

    def save(self) -> bool:
        self.form.clear()
        data = RoomData(name=self.name.text(), kind=self.kind.currentData())
        room_id, actor = self.room_id, self.ctx.actor

        def write(session: Session) -> int | None:
            if room_id is None:
                return room_service.create_room(session, actor, data).id
            return room_service.update_room(session, actor, room_id, data).id

        op = Op(self.ctx, self, write, title="Not saved").form(self.form)
        saved = op.announcing(topics.ROOMS).run()
        if not op.ok:
            return False
        self.saved_id = saved
        self.accept()
        return True


class RoomsTab(ManageTab):
    topic = topics.ROOMS
    action = "manage_rooms"
    noun = "room"
    owner_notice = "Only the owner can add, change or take rooms out of use."

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, RoomTableModel(), name="roomTable", accessible="Rooms")
        self.setObjectName("roomsTab")

    def load_rows(self, session: Session, include_inactive: bool) -> list[Room]:
        return room_service.list_rooms(session, include_inactive=include_inactive)

    def open_dialog(self, row_id: int | None) -> QDialog:
        return RoomDialog(self.ctx, row_id, self)

    def set_active(self, session: Session, row_id: int, active: bool) -> None:
        room_service.set_room_active(session, self.ctx.actor, row_id, active)

    def remove(self, session: Session, row_id: int) -> None:
        room_service.delete_room(session, self.ctx.actor, row_id)

    def label(self, row: Room) -> str:
        return row.name
