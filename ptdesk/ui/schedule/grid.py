"""The time grid shared by the day, week and room views: a table model, a painting delegate, a view.

Rows are time slots, columns are staff members, days or rooms. Appointments that overlap in a
column form a cluster; each cluster is one spanned cell whose delegate paints every block of
the cluster in side-by-side lanes. One model reset per day change; nothing queries while
painting.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDrag,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from ptdesk.services import clock
from ptdesk.services.scheduling import AppointmentInfo

Index = QModelIndex | QPersistentModelIndex
CLUSTER_ROLE = Qt.ItemDataRole.UserRole + 10
MIME = "application/x-ptdesk-appointment"

# Fill by status; the status also shows as a symbol and a word on the block.
STATUS_FILL = {
    "scheduled": QColor("#ffffff"),
    "checked_in": QColor("#fff3c4"),
    "completed": QColor("#e3efe3"),
    "cancelled": QColor("#eeeeee"),
    "no_show": QColor("#f8d9d9"),
}
OFF_HOURS = QColor("#f1f1f1")
WHITE = QColor("#ffffff")
INK = QColor("#111111")
FADED_INK = QColor("#555555")
PRECAUTION = QColor("#b00020")
NOW_LINE = QColor("#d32f2f")


@dataclass(frozen=True)
class GridColumn:
    key: Hashable
    title: str
    day: date
    hours: tuple[time, time] | None = None  # when the column's person works; None: all day
    off_day: bool = False  # nobody is expected to work in this column (shaded)


@dataclass
class Cluster:
    """Overlapping appointments in one column, painted in ``lanes`` side by side."""

    start: datetime
    end: datetime
    row: int
    row_span: int
    items: list[tuple[AppointmentInfo, int]] = field(default_factory=list)
    lanes: int = 1


@dataclass(frozen=True)
class _Shifted:
    info: AppointmentInfo
    start: datetime
    end: datetime

    @property
    def id(self) -> int:
        return self.info.id


def _clusters(
    appts: Sequence[_Shifted], first: datetime, slot: timedelta, rows: int
) -> list[Cluster]:
    """Appointments that overlap (at their times on the base day) grouped, each in a lane."""
    out: list[Cluster] = []
    current: Cluster | None = None
    lane_ends: list[datetime] = []
    for a in sorted(appts, key=lambda x: (x.start, x.end, x.id)):
        if current is None or a.start >= current.end:
            current = Cluster(a.start, a.end, 0, 1)
            out.append(current)
            lane_ends = []
        lane = next((i for i, e in enumerate(lane_ends) if e <= a.start), None)
        if lane is None:
            lane = len(lane_ends)
            lane_ends.append(a.end)
        else:
            lane_ends[lane] = a.end
        current.items.append((a.info, lane))
        current.end = max(current.end, a.end)
        current.lanes = max(current.lanes, len(lane_ends))
    for c in out:
        start_row = int((c.start - first) / slot)
        end_row = -(-(c.end - first) // slot)  # ceiling
        c.row = max(0, min(rows - 1, start_row))
        c.row_span = max(1, min(rows, end_row) - c.row)
    return out


class ScheduleGridModel(QAbstractTableModel):
    """Time rows × columns; a cluster's top cell carries the cluster (CLUSTER_ROLE)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.columns: list[GridColumn] = []
        self.first = datetime(2000, 1, 1, 7)
        self.slot = timedelta(minutes=15)
        self.n_rows = 0
        self.appointments: list[AppointmentInfo] = []
        self._cells: dict[tuple[int, int], Cluster] = {}
        self.clusters: list[tuple[int, Cluster]] = []
        self._by_id: dict[int, tuple[int, AppointmentInfo]] = {}
        self._off: set[tuple[int, int]] = set()

    def set_grid(
        self,
        columns: Sequence[GridColumn],
        appointments: Sequence[AppointmentInfo],
        column_of: Callable[[AppointmentInfo], Hashable],
        opens: time,
        closes: time,
        slot_minutes: int,
    ) -> None:
        """Lay ``appointments`` out; hours widen to show any appointment outside them."""
        self.beginResetModel()
        self.columns = list(columns)
        self.slot = timedelta(minutes=slot_minutes)
        lo = min([opens, *(a.start.time() for a in appointments)])
        hi = max([closes, *(a.end.time() if a.end.time() != time(0) else time(23, 59)
                             for a in appointments)])  # fmt: skip
        base = date(2000, 1, 1)
        lo_dt = datetime.combine(base, lo)
        lo_dt -= timedelta(minutes=lo_dt.minute % slot_minutes)
        self.first = lo_dt
        self.n_rows = max(1, -(-(datetime.combine(base, hi) - lo_dt) // self.slot))
        index = {c.key: i for i, c in enumerate(self.columns)}
        per_column: dict[int, list[AppointmentInfo]] = {}
        self.appointments = []
        self._by_id = {}
        for a in appointments:
            col = index.get(column_of(a))
            if col is None:
                continue
            per_column.setdefault(col, []).append(a)
            self.appointments.append(a)
            self._by_id[a.id] = (col, a)
        self._off = set()
        for col, column in enumerate(self.columns):
            if column.off_day:
                working = range(0)
            elif column.hours is None:
                continue
            else:
                first_row = -(-(datetime.combine(base, column.hours[0]) - lo_dt) // self.slot)
                end_row = -(-(datetime.combine(base, column.hours[1]) - lo_dt) // self.slot)
                working = range(max(0, first_row), max(0, end_row))
            self._off.update((row, col) for row in range(self.n_rows) if row not in working)
        self._cells = {}
        self.clusters = []
        for col, appts in per_column.items():
            # Times are compared on the column's own day, against a fixed base day.
            shifted = [
                _Shifted(a, datetime.combine(base, a.start.time()), _end_on_base(a, base))
                for a in appts
            ]
            for cluster in _clusters(shifted, self.first, self.slot, self.n_rows):
                self._cells[(cluster.row, col)] = cluster
                self.clusters.append((col, cluster))
        self.endResetModel()

    # -- lookups used by the view ------------------------------------------------------
    def time_at(self, row: int) -> time:
        return (self.first + self.slot * row).time()

    def row_of(self, t: time) -> int:
        return int((datetime.combine(date(2000, 1, 1), t) - self.first) / self.slot)

    def column_of_appointment(self, appointment_id: int) -> int | None:
        found = self._by_id.get(appointment_id)
        return None if found is None else found[0]

    def appointment(self, appointment_id: int) -> AppointmentInfo | None:
        found = self._by_id.get(appointment_id)
        return None if found is None else found[1]

    def in_column(self, col: int) -> list[AppointmentInfo]:
        return sorted(
            (a for c, a in self._by_id.values() if c == col), key=lambda a: (a.start, a.id)
        )

    def cluster_at(self, row: int, col: int) -> Cluster | None:
        return self._cells.get((row, col))

    def off_hours(self, row: int, col: int) -> bool:
        """Whether the cell is outside the column's working hours (shaded)."""
        return (row, col) in self._off

    # -- the model ---------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else (self.n_rows if self.columns else 0)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < self.n_rows and 0 <= col < len(self.columns)):
            return None
        cluster = self._cells.get((row, col))
        if role == CLUSTER_ROLE:
            return cluster
        if role == Qt.ItemDataRole.DisplayRole:
            if cluster is None:
                return None
            return "; ".join(_block_text(a) for a, _ in cluster.items)
        if role == Qt.ItemDataRole.ToolTipRole and cluster is not None:
            return "\n\n".join(_tooltip(a) for a, _ in cluster.items)
        if role == Qt.ItemDataRole.BackgroundRole and (row, col) in self._off:
            return OFF_HOURS
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self.columns):
                return self.columns[section].title
            return None
        if 0 <= section < self.n_rows:
            t = self.time_at(section)
            # Full times on the half hour, just the minutes in between: easier to scan.
            return f"{t:%H:%M}" if t.minute % 30 == 0 else f":{t:%M}"
        return None


def _end_on_base(a: AppointmentInfo, base: date) -> datetime:
    end = datetime.combine(base, a.start.time()) + (a.end - a.start)
    return min(end, datetime.combine(base, time(23, 59)))


def _block_text(a: AppointmentInfo) -> str:
    caution = " (precautions)" if a.precautions else ""
    room = f", {a.room_name}" if a.room_name else ""
    return f"{a.time_text} {a.patient_name}{caution}: {a.kind_label}{room}, {a.status_label}"


def _tooltip(a: AppointmentInfo) -> str:
    lines = [
        f"{a.patient_name} (#{a.chart_number})",
        f"{a.start:%a %Y-%m-%d} {a.time_text} · {a.kind_label}",
        f"With {a.staff_name}" + (f" in {a.room_name}" if a.room_name else ""),
        f"Status: {a.status_label}",
    ]
    if a.precautions:
        lines.append("Precautions: " + "; ".join(a.precautions))
    if a.cancel_reason:
        lines.append(f"Cancelled: {a.cancel_reason}")
    if a.notes:
        lines.append(f"Notes: {a.notes}")
    if a.series_id:
        lines.append("Part of a recurring series")
    return "\n".join(lines)


def block_rects(cluster: Cluster, rect: QRect) -> list[tuple[AppointmentInfo, QRectF]]:
    """Where each block of a cluster is drawn inside the cluster's spanned cell."""
    total = (cluster.end - cluster.start).total_seconds() or 1
    lane_w = (rect.width() - 3) / cluster.lanes
    out = []
    base = date(2000, 1, 1)
    for a, lane in cluster.items:
        start = datetime.combine(base, a.start.time())
        end = _end_on_base(a, base)
        top = rect.top() + rect.height() * (start - cluster.start).total_seconds() / total
        bottom = rect.top() + rect.height() * (end - cluster.start).total_seconds() / total
        out.append(
            (a, QRectF(rect.left() + 1 + lane * lane_w, top + 1, lane_w - 2, bottom - top - 2))
        )
    return out


def block_lines(
    a: AppointmentInfo,
    bold: QFontMetrics,
    small: QFontMetrics,
    title_width: float,
    width: float,
) -> tuple[str, list[str]]:
    """The title and detail lines a block shows, each cut to its width with "…".

    The full text stays in the block's tooltip.
    """
    room = f" · {a.room_name}" if a.room_name else ""
    reason = f" — {a.cancel_reason}" if a.cancel_reason else ""
    elide = Qt.TextElideMode.ElideRight
    title = bold.elidedText(f"{a.status_mark} {a.patient_name}", elide, max(0, int(title_width)))
    details = (f"{a.start:%H:%M} {a.kind_label}{room}", f"{a.status_label}{reason}")
    return title, [small.elidedText(line, elide, max(0, int(width))) for line in details]


class BlockDelegate(QStyledItemDelegate):
    """Paints the appointment blocks of a cluster: colour, status symbol and word, precautions.

    Kept lean on purpose: the model is read directly (no round trip through Qt per cell) and
    each line is elided to the block's width with font metrics made once per font.
    """

    def __init__(self, view: ScheduleGrid) -> None:
        super().__init__(view)
        self.view = view
        self._fonts_for: QFont | None = None
        self._pens: dict[tuple[bool, bool], QPen] = {}

    def _fonts(self, font: QFont) -> tuple[QFont, QFont, int, int, int]:
        if self._fonts_for is None or self._fonts_for != font:
            self._fonts_for = QFont(font)
            self._bold = QFont(font)
            self._bold.setBold(True)
            self._small = QFont(font)
            self._small.setPointSizeF(max(7.0, font.pointSizeF() - 1))
            self._bold_h = QFontMetrics(self._bold).height()
            self._small_h = QFontMetrics(self._small).height()
            self._bold_fm = QFontMetrics(self._bold)
            self._small_fm = QFontMetrics(self._small)
            self._marker_w = self._bold_fm.horizontalAdvance("⚠ ")
        return self._bold, self._small, self._bold_h, self._small_h, self._marker_w

    def _pen(self, selected: bool, faded: bool) -> QPen:
        pen = self._pens.get((selected, faded))
        if pen is None:
            pen = QPen(QColor("#1a1a1a") if selected else QColor("#8a8a8a"))
            pen.setWidthF(2.5 if selected else 1.0)
            if faded:
                pen.setStyle(Qt.PenStyle.DashLine)
            self._pens[(selected, faded)] = pen
        return pen

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        model = self.view.grid_model
        key = (index.row(), index.column())
        cluster = model._cells.get(key)
        if key in model._off:
            painter.fillRect(option.rect, OFF_HOURS)
        if cluster is None:
            return
        rect = option.rect
        bold, small, bold_h, small_h, marker_w = self._fonts(option.font)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        top_left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        for a, r in block_rects(cluster, rect):
            faded = a.status in ("cancelled", "no_show")
            painter.setPen(self._pen(a.id == self.view.selected_id, faded))
            painter.setBrush(STATUS_FILL.get(a.status, WHITE))
            painter.drawRoundedRect(r, 3, 3)
            if a.status == "cancelled":
                painter.setBrush(Qt.BrushStyle.BDiagPattern)
                painter.drawRoundedRect(r, 3, 3)
            painter.fillRect(QRectF(r.left() + 1, r.top() + 1, 4, r.height() - 2),
                             _color(a.staff_color))  # fmt: skip
            text = r.adjusted(8, 2, -3, -2)
            painter.setClipRect(text)
            left = text.left()
            if a.precautions:
                painter.setPen(PRECAUTION)
                painter.setFont(bold)
                painter.drawText(QRectF(left, text.top(), marker_w, bold_h), top_left, "⚠")
                left += marker_w
            title, details = block_lines(
                a, self._bold_fm, self._small_fm, text.right() - left, text.width()
            )
            painter.setPen(FADED_INK if faded else INK)
            painter.setFont(bold)
            painter.drawText(QRectF(left, text.top(), text.right() - left, bold_h), top_left, title)
            painter.setFont(small)
            y = text.top() + bold_h
            for line in details:
                painter.drawText(QRectF(text.left(), y, text.width(), small_h), top_left, line)
                y += small_h
            painter.setClipping(False)
        painter.restore()


_colors: dict[str, QColor] = {}


def _color(name: str) -> QColor:
    c = _colors.get(name)
    if c is None:
        c = _colors[name] = QColor(name or "#4a90d9")
    return c


class ScheduleGrid(QTableView):
    """The grid view: keyboard moves between blocks, blocks can be dragged to a new time/column."""

    selection_changed = Signal(object)  # AppointmentInfo | None
    open_requested = Signal(int)
    cancel_requested = Signal(int)
    new_requested = Signal(object, object)  # time, column key
    day_step = Signal(int)
    today_requested = Signal()
    dropped = Signal(int, object, object)  # appointment id, new start time, column key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid_model = ScheduleGridModel(self)
        self.setModel(self.grid_model)
        self.setItemDelegate(BlockDelegate(self))
        self.selected_id: int | None = None
        self.now_provider: Callable[[], datetime] = clock.now
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        # Colours through the palette: a style sheet would slow every cell's painting down.
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Highlight, QColor("#dbe8f7"))
        palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#000000"))
        self.setPalette(palette)
        vh = self.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(22)
        vh.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        hh = self.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        hh.setMinimumSectionSize(130)
        self.grid_model.modelReset.connect(self._apply_spans)
        self._press: tuple[QPoint, int, int] | None = None

    # -- data ----------------------------------------------------------------------------
    def _apply_spans(self) -> None:
        self.clearSpans()
        for col, cluster in self.grid_model.clusters:
            if cluster.row_span > 1:
                self.setSpan(cluster.row, col, cluster.row_span, 1)
        if self.selected_id is not None and self.grid_model.appointment(self.selected_id) is None:
            self.select_appointment(None)

    def selected(self) -> AppointmentInfo | None:
        if self.selected_id is None:
            return None
        return self.grid_model.appointment(self.selected_id)

    def select_appointment(self, appointment_id: int | None) -> None:
        self.selected_id = appointment_id
        a = self.selected()
        if a is not None:
            col = self.grid_model.column_of_appointment(a.id)
            row = self.grid_model.row_of(a.start.time())
            cluster_row = next(
                (
                    c.row
                    for cc, c in self.grid_model.clusters
                    if cc == col and any(x.id == a.id for x, _ in c.items)
                ),
                row,
            )
            index = self.grid_model.index(cluster_row, col or 0)
            self.setCurrentIndex(index)
            self.scrollTo(index)
        self.viewport().update()
        self.selection_changed.emit(a)

    def current_slot(self) -> tuple[time, Any] | None:
        index = self.currentIndex()
        if not index.isValid() or not self.grid_model.columns:
            return None
        return self.grid_model.time_at(index.row()), self.grid_model.columns[index.column()].key

    # -- keyboard ------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers()
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right):
            self._step(key)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.selected_id is not None:
                self.open_requested.emit(self.selected_id)
            return
        if key == Qt.Key.Key_Delete:
            if self.selected_id is not None:
                self.cancel_requested.emit(self.selected_id)
            return
        if key == Qt.Key.Key_PageUp:
            self.day_step.emit(-1)
            return
        if key == Qt.Key.Key_PageDown:
            self.day_step.emit(1)
            return
        if key == Qt.Key.Key_T and not mods & ~Qt.KeyboardModifier.KeypadModifier:
            self.today_requested.emit()
            return
        if key == Qt.Key.Key_N and mods & Qt.KeyboardModifier.ControlModifier:
            slot = self.current_slot()
            self.new_requested.emit(*(slot or (None, None)))
            return
        super().keyPressEvent(event)

    def _step(self, key: Qt.Key) -> None:
        m = self.grid_model
        if not m.appointments:
            return
        current = self.selected()
        if current is None:
            index = self.currentIndex()
            col = index.column() if index.isValid() else 0
            items = m.in_column(col) or sorted(m.appointments, key=lambda a: (a.start, a.id))
            self.select_appointment(items[0].id)
            return
        col = m.column_of_appointment(current.id) or 0
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            items = m.in_column(col)
            i = next(i for i, a in enumerate(items) if a.id == current.id)
            j = i - 1 if key == Qt.Key.Key_Up else i + 1
            if 0 <= j < len(items):
                self.select_appointment(items[j].id)
            return
        step = -1 if key == Qt.Key.Key_Left else 1
        c = col + step
        while 0 <= c < len(m.columns):
            items = m.in_column(c)
            if items:
                t = current.start.time()
                best = min(
                    items,
                    key=lambda a: abs(
                        datetime.combine(date.min, a.start.time()) - datetime.combine(date.min, t)
                    ),
                )
                self.select_appointment(best.id)
                return
            c += step

    # -- mouse and drag and drop ---------------------------------------------------------
    def appointment_at(self, pos: QPoint) -> AppointmentInfo | None:
        index = self.indexAt(pos)
        if not index.isValid():
            return None
        cluster = self.grid_model.cluster_at(index.row(), index.column())
        if cluster is None:
            return None
        rect = self.visualRect(index)
        for a, r in block_rects(cluster, rect):
            if r.adjusted(-1, -1, 1, 1).contains(pos.toPointF()):
                return a
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        a = self.appointment_at(event.position().toPoint())
        super().mousePressEvent(event)
        self.select_appointment(a.id if a else None)
        if a is not None and event.button() == Qt.MouseButton.LeftButton:
            row = self.rowAt(event.position().toPoint().y())
            offset = row - self.grid_model.row_of(a.start.time())
            self._press = (event.position().toPoint(), a.id, offset)
        else:
            self._press = None

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        a = self.appointment_at(event.position().toPoint())
        if a is not None:
            self.open_requested.emit(a.id)
            return
        index = self.indexAt(event.position().toPoint())
        if index.isValid():
            row = self.rowAt(event.position().toPoint().y())
            self.new_requested.emit(
                self.grid_model.time_at(row), self.grid_model.columns[index.column()].key
            )

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        pos, appointment_id, offset = self._press
        if (event.position().toPoint() - pos).manhattanLength() < QApplication.startDragDistance():
            return
        self._press = None
        drag = QDrag(self)
        drag.setMimeData(appointment_mime(appointment_id, offset))
        drag.exec(Qt.DropAction.MoveAction)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press = None
        super().mouseReleaseEvent(event)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        mime = event.mimeData()
        if not mime.hasFormat(MIME):
            event.ignore()
            return
        appointment_id, offset = (int(x) for x in bytes(mime.data(MIME)).decode().split(":"))
        pos = event.position().toPoint()
        row, col = self.rowAt(pos.y()), self.columnAt(pos.x())
        if row < 0 or col < 0:
            event.ignore()
            return
        row = max(0, row - offset)
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self.dropped.emit(
            appointment_id, self.grid_model.time_at(row), self.grid_model.columns[col].key
        )

    # -- the current time line -----------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        m = self.grid_model
        if not m.columns:
            return
        now = self.now_provider()
        cols = [i for i, c in enumerate(m.columns) if c.day == now.date()]
        if not cols:
            return
        offset = datetime.combine(date(2000, 1, 1), now.time()) - m.first
        if offset.total_seconds() < 0 or offset >= m.slot * m.n_rows:
            return
        row = int(offset / m.slot)
        frac = (offset - m.slot * row) / m.slot
        y = self.rowViewportPosition(row) + frac * self.rowHeight(row)
        painter = QPainter(self.viewport())
        pen = QPen(NOW_LINE)
        pen.setWidthF(2)
        painter.setPen(pen)
        for c in cols:
            x0 = self.columnViewportPosition(c)
            painter.drawLine(int(x0), int(y), int(x0 + self.columnWidth(c)), int(y))
        painter.setBrush(NOW_LINE)
        x_first = self.columnViewportPosition(cols[0])
        painter.drawEllipse(QRectF(x_first - 1, y - 4, 8, 8))
        painter.end()


def appointment_mime(appointment_id: int, row_offset: int = 0) -> QMimeData:
    """What a dragged block carries: its id and which of its rows was grabbed."""
    mime = QMimeData()
    mime.setData(MIME, f"{appointment_id}:{row_offset}".encode())
    return mime
