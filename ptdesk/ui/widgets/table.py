"""Tables: one shape for every table model (columns, a sort role, a row role) and one set-up
for every read-only table view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

T = TypeVar("T")

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


def sortable(value: Any) -> Any:
    """A sort key Qt's proxy compares correctly: Python dates and times become ISO text."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, tuple):
        return "\x1f".join(str(sortable(v)) for v in value)
    return value


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    display: Callable[[T], str]
    sort: Callable[[T], Any] | None = None
    align: Qt.AlignmentFlag | None = None
    tooltip: Callable[[T], str] | None = None


class RowTableModel(QAbstractTableModel, Generic[T]):
    """A read-only table over a list of plain rows; subclasses declare ``columns``."""

    columns: Sequence[Column[T]] = ()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        column = self.columns[index.column()]
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(row)
        if role == SORT_ROLE:
            return sortable(column.sort(row)) if column.sort else column.display(row)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align is not None:
            return int(column.align | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(self.columns):
            return self.columns[section].header
        return None


# -- views ----------------------------------------------------------------------------------


def table_view(
    name: str,
    model: QAbstractItemModel,
    *,
    accessible: str = "",
    multi: bool = False,
    rows: bool = True,
    fit: QHeaderView.ResizeMode | None = None,
    stretch: int | None = None,
    stripes: bool = True,
    wrap: bool = False,
    row_height: int | None = None,
    sort: int | None = None,
    descending: bool = False,
    view: QTableView | None = None,
) -> QTableView:
    """A read-only table showing ``model`` as it is, set up the one way.

    ``multi`` allows several rows to be selected; ``rows=False`` selects single cells. ``fit``
    is the resize mode of every column; ``stretch`` is the column that takes the spare width
    (None: the last one). ``row_height`` fixes the height of every line (None: Qt's
    default). ``sort`` makes the table sortable and sorts it by that column (``descending``
    or not) with the model's own sorting. ``view`` sets up an existing view (a subclass)
    instead of a new one.
    """
    view = view if view is not None else QTableView()
    view.setObjectName(name)
    if accessible:
        view.setAccessibleName(accessible)
    view.setModel(model)
    view.setSelectionBehavior(
        QAbstractItemView.SelectionBehavior.SelectRows
        if rows
        else QAbstractItemView.SelectionBehavior.SelectItems
    )
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(stripes)
    view.setWordWrap(wrap)
    view.verticalHeader().hide()
    if row_height is not None:
        view.verticalHeader().setDefaultSectionSize(row_height)
    header = view.horizontalHeader()
    if fit is not None:
        header.setSectionResizeMode(fit)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    if sort is not None:
        view.setSortingEnabled(True)
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        view.sortByColumn(sort, order)
    return view


def make_table(
    name: str,
    model: QAbstractItemModel,
    *,
    sort_column: int = 0,
    descending: bool = False,
    **options: Any,
) -> tuple[QTableView, QSortFilterProxyModel]:
    """A sortable, read-only table over ``model``, through a proxy that sorts by ``SORT_ROLE``
    (or through ``model`` itself when it is already a proxy). ``options`` as ``table_view``."""
    if isinstance(model, QSortFilterProxyModel):
        proxy = model
    else:
        proxy = QSortFilterProxyModel(model)
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
    view = table_view(name, proxy, sort=sort_column, descending=descending, **options)
    return view, proxy


def selected_rows(view: QTableView) -> list[Any]:
    """The plain rows (``ROW_ROLE``) of the selected lines, top to bottom."""
    lines = sorted({i.row() for i in view.selectionModel().selectedRows()})
    return [view.model().index(r, 0).data(ROW_ROLE) for r in lines]
