"""The patients table model and its search-as-you-type filter proxy."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import (
    QAbstractProxyModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from ptdesk.services.authorizations import AuthorizationStatus
from ptdesk.services.patients import PatientRow
from ptdesk.ui.widgets.table import ROW_ROLE, SORT_ROLE, Column, RowTableModel

NON_DIGITS = re.compile(r"\D")
STATUS_ACTIVE = "active"
STATUS_DISCHARGED = "discharged"
STATUS_ALL = "all"


def _dob(row: PatientRow) -> str:
    return row.date_of_birth.isoformat() if row.date_of_birth else ""


def _status(row: PatientRow) -> str:
    if row.active:
        return "Active"
    if row.discharged_on:
        return f"Discharged {row.discharged_on.isoformat()}"
    return "Discharged"


def _precautions(row: PatientRow) -> str:
    items = row.precaution_list
    return f"\u26a0 {'; '.join(items)}" if items else ""


def search_key(row: PatientRow) -> str:
    """Everything a search word may match, lower case, in one string."""
    parts = [row.first_name, row.last_name, row.chart_number, row.phone]
    digits = NON_DIGITS.sub("", row.phone)
    if digits:
        parts.append(digits)
    if row.date_of_birth:
        d = row.date_of_birth
        parts += [
            d.isoformat(),
            f"{d.month:02d}/{d.day:02d}/{d.year}",
            f"{d.month}/{d.day}/{d.year}",
        ]
    return " ".join(parts).lower()


def narrower(before: tuple[str, ...], now: tuple[str, ...]) -> bool:
    """True when every row matching the words ``now`` also matched the words ``before``
    (typing on: each earlier word is contained in the word now in its place)."""
    return len(now) >= len(before) and all(b in n for b, n in zip(before, now, strict=False))


class PatientTableModel(RowTableModel[PatientRow]):
    columns = (
        Column(
            "Name",
            lambda r: r.sort_name,
            sort=lambda r: (r.last_name.lower(), r.first_name.lower(), r.id),
        ),
        Column("Chart #", lambda r: r.chart_number),
        Column("Date of birth", _dob, sort=lambda r: r.date_of_birth or date.min),
        Column("Phone", lambda r: r.phone),
        Column("Precautions", _precautions, tooltip=lambda r: "\n".join(r.precaution_list)),
        Column("Status", _status, sort=lambda r: (not r.active, r.discharged_on or date.min)),
    )

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.generation = 0
        self.search_keys: list[str] = []
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.AscendingOrder

    def set_rows(self, rows: Sequence[PatientRow]) -> None:
        ordered = self._ordered(list(rows))
        self.search_keys = [search_key(r) for r in ordered]
        self.generation += 1
        super().set_rows(ordered)

    def _ordered(self, rows: list[PatientRow]) -> list[PatientRow]:
        column = self.columns[self._sort_column]
        key = column.sort or column.display
        return sorted(rows, key=key, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows in Python by the column's sort key (one pass, not a comparison per
        pair of rows through Qt), keeping selections and other persistent indexes."""
        if not 0 <= column < len(self.columns):
            return
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        column_def = self.columns[column]
        key = column_def.sort or column_def.display
        positions = sorted(
            range(len(self._rows)),
            key=lambda i: key(self._rows[i]),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        new_row_of = {old: new for new, old in enumerate(positions)}
        self._rows = [self._rows[i] for i in positions]
        self.search_keys = [self.search_keys[i] for i in positions]
        self.generation += 1
        old = self.persistentIndexList()
        new = [
            self.index(new_row_of[i.row()], i.column()) if i.isValid() else QModelIndex()
            for i in old
        ]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def row_of_id(self, patient_id: int) -> int:
        for i, row in enumerate(self._rows):
            if row.id == patient_id:
                return i
        return -1


# The roles RowTableModel answers; any other role is None for every cell.
# (Plain ints: painting asks about a thousand times, and comparing ints is cheapest.)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_MODEL_ROLES = frozenset(
    int(r)
    for r in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
        SORT_ROLE,
        ROW_ROLE,
    )
)
_CELL_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)


class PatientFilterProxy(QAbstractProxyModel):
    """Shows the patients whose name, chart number, phone or birth date contain every typed word.

    A keystroke works out the matching rows once, as a list over the model's precomputed search
    keys, and announces one layout change; Qt is never asked to call back into Python once per
    patient (over 20,000 patients that alone costs more than a frame). Sorting is done by the
    patient model itself.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self._status = STATUS_ACTIVE
        self._shown: list[int] = []  # the source rows shown, ascending
        self._last: tuple | None = None  # what _shown was worked out for

    # -- what is shown ------------------------------------------------------------------
    def setSourceModel(self, model) -> None:  # noqa: N802 (Qt's name)
        old = self.sourceModel()
        if old is not None:
            for signal, slot in self._connections(old):
                signal.disconnect(slot)
        self.beginResetModel()
        super().setSourceModel(model)
        self._recompute()
        self.endResetModel()
        for signal, slot in self._connections(model):
            signal.connect(slot)

    def _connections(self, model):
        return (
            (model.modelAboutToBeReset, self.beginResetModel),
            (model.modelReset, self._source_reset),
            (model.layoutAboutToBeChanged, self._source_layout_about),
            (model.layoutChanged, self._source_layout_changed),
            (model.dataChanged, self._source_data_changed),
            (model.rowsAboutToBeInserted, self.beginResetModel),
            (model.rowsInserted, self._source_reset),
            (model.rowsAboutToBeRemoved, self.beginResetModel),
            (model.rowsRemoved, self._source_reset),
        )

    def _source_reset(self, *_args) -> None:
        self._recompute()
        self.endResetModel()

    def _source_layout_about(self, *_args) -> None:
        self.layoutAboutToBeChanged.emit()
        self._saved = [(i, self.mapToSource(i)) for i in self.persistentIndexList()]

    def _source_layout_changed(self, *_args) -> None:
        self._recompute()
        self._restore_persistent(self._saved)
        self.layoutChanged.emit()

    def _source_data_changed(self, top_left, bottom_right, roles=()) -> None:
        first = bisect_left(self._shown, top_left.row())
        last = bisect_right(self._shown, bottom_right.row()) - 1
        if first <= last:
            self.dataChanged.emit(
                self.index(first, top_left.column()),
                self.index(last, bottom_right.column()),
                roles,
            )

    def set_search(self, text: str) -> None:
        words = tuple(text.lower().split())
        if words != self._words:
            self._change_filter(lambda: setattr(self, "_words", words))

    def set_status(self, status: str) -> None:
        if status != self._status:
            self._change_filter(lambda: setattr(self, "_status", status))

    @property
    def status(self) -> str:
        return self._status

    def _change_filter(self, change) -> None:
        self.layoutAboutToBeChanged.emit()
        saved = [(i, self.mapToSource(i)) for i in self.persistentIndexList()]
        change()
        self._recompute()
        self._restore_persistent(saved)
        self.layoutChanged.emit()

    def _restore_persistent(self, saved) -> None:
        old = [i for i, _ in saved]
        new = [self.mapFromSource(source) for _, source in saved]
        self.changePersistentIndexList(old, new)

    def _recompute(self) -> None:
        model = self.sourceModel()
        if not isinstance(model, PatientTableModel):
            self._shown, self._last = [], None
            return
        rows = model._rows
        keys = model.search_keys
        basis = (model.generation, self._status)
        old_words = self._last[1] if self._last and self._last[0] == basis else None
        if old_words is not None and narrower(old_words, self._words):
            # Typing on: only rows that matched before can match now.
            candidates: list[int] | range = self._shown
        elif self._status == STATUS_ALL:
            candidates = range(len(rows))
        else:
            want_active = self._status == STATUS_ACTIVE
            candidates = [i for i, row in enumerate(rows) if row.active == want_active]
        for word in self._words:
            candidates = [i for i in candidates if word in keys[i]]
        self._shown = list(candidates)  # ascending source rows
        self._last = (basis, self._words)

    # -- the proxy's shape ----------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        model = self.sourceModel()
        return 0 if parent.isValid() or model is None else model.columnCount()

    def index(
        self,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex = QModelIndex(),  # noqa: B008
    ) -> QModelIndex:
        if parent.isValid() or not (0 <= row < len(self._shown)):
            return QModelIndex()
        if not 0 <= column < len(PatientTableModel.columns):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index=QModelIndex()):  # noqa: B008
        if index is None or not isinstance(index, QModelIndex | QPersistentModelIndex):
            return super().parent()  # QObject.parent()
        return QModelIndex()

    def sibling(self, row: int, column: int, index) -> QModelIndex:
        return self.index(row, column)

    def mapToSource(self, proxy_index) -> QModelIndex:  # noqa: N802 (Qt's name)
        model = self.sourceModel()
        if model is None or not proxy_index.isValid() or proxy_index.row() >= len(self._shown):
            return QModelIndex()
        return model.index(self._shown[proxy_index.row()], proxy_index.column())

    def mapFromSource(self, source_index) -> QModelIndex:  # noqa: N802 (Qt's name)
        if not source_index.isValid():
            return QModelIndex()
        row = bisect_left(self._shown, source_index.row())
        if row == len(self._shown) or self._shown[row] != source_index.row():
            return QModelIndex()
        return self.index(row, source_index.column())

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        # Painting asks every cell for a dozen roles; answer the ones the model never fills
        # at once, without mapping the index to the source first.
        if role not in _MODEL_ROLES or not index.isValid():
            return None
        model = self.sourceModel()
        row = index.row()
        if model is None or row >= len(self._shown):
            return None
        if isinstance(model, PatientTableModel):
            # the questions painting asks, answered straight from the row (no source index made)
            column = model.columns[index.column()]
            if role == _DISPLAY:
                return column.display(model._rows[self._shown[row]])
            if role == _ALIGNMENT and column.align is None:
                return None
        return model.data(model.index(self._shown[row], index.column()), role)

    def flags(self, index) -> Qt.ItemFlag:
        return _CELL_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        model = self.sourceModel()
        if orientation == Qt.Orientation.Horizontal and model is not None:
            return model.headerData(section, orientation, role)
        return super().headerData(section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is done by the patient model itself (fast for tens of thousands of rows)."""
        model = self.sourceModel()
        if isinstance(model, PatientTableModel):
            model.sort(column, order)


def auth_state(s: AuthorizationStatus) -> str:
    """A short state in words (the warnings themselves are listed above the table)."""
    if not s.active:
        return "Inactive"
    if s.expired:
        return "\u26a0 Expired"
    if s.remaining < 0:
        return "\u26a0 Over the limit"
    if s.remaining == 0:
        return "\u26a0 All used"
    if s.warnings:
        return "\u26a0 1 left" if s.remaining == 1 else "\u26a0 Ends soon"
    return "OK"


class AuthorizationTableModel(RowTableModel[AuthorizationStatus]):
    columns = (
        Column(
            "Payer",
            lambda s: s.payer,
            tooltip=lambda s: "\n".join(
                x for x in (s.payer, f"Member number: {s.member_number}", s.notes) if x
            ),
        ),
        Column(
            "Covers",
            lambda s: f"{s.start_date.isoformat()} to {s.end_date.isoformat()}",
            sort=lambda s: s.start_date,
        ),
        Column(
            "Used",
            lambda s: f"{s.visits_used} of {s.visits_authorized}",
            sort=lambda s: s.remaining,
            tooltip=lambda s: s.text,
        ),
        Column("Status", auth_state, tooltip=lambda s: "\n".join(s.warnings) or "No warnings"),
    )
