"""The one set-up of read-only tables: the options screens rely on."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView

from ptdesk.ui.widgets.table import make_table, table_view


def _model(*names: str) -> QStandardItemModel:
    model = QStandardItemModel(0, 2)
    for n in names:
        model.appendRow([QStandardItem(n), QStandardItem(n.upper())])
    return model


def _column(view) -> list[str]:
    model = view.model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_a_plain_table_keeps_the_model_order_and_is_read_only(qtbot):
    view = table_view("plain", _model("b", "a", "c"), accessible="Letters")
    qtbot.addWidget(view)
    assert view.objectName() == "plain" and view.accessibleName() == "Letters"
    assert not view.isSortingEnabled()
    assert _column(view) == ["b", "a", "c"]
    assert view.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert view.selectionMode() == QAbstractItemView.SelectionMode.SingleSelection
    assert view.horizontalHeader().stretchLastSection()


def test_a_model_that_sorts_itself_is_sorted_by_the_column_asked(qtbot):
    model = _model("b", "a", "c")
    view = table_view("sorted", model, sort=0, descending=True)
    qtbot.addWidget(view)
    assert view.model() is model
    assert view.isSortingEnabled()
    assert _column(view) == ["c", "b", "a"]
    assert view.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_line_height_stretch_and_several_rows_are_options(qtbot):
    view = table_view("opts", _model("a"), row_height=24, stretch=0, multi=True, stripes=False)
    qtbot.addWidget(view)
    assert view.verticalHeader().defaultSectionSize() == 24
    assert view.horizontalHeader().sectionResizeMode(0) == QHeaderView.ResizeMode.Stretch
    assert not view.horizontalHeader().stretchLastSection()
    assert view.selectionMode() == QAbstractItemView.SelectionMode.ExtendedSelection
    assert not view.alternatingRowColors()


def test_make_table_uses_a_proxy_it_is_given(qtbot):
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(_model("b", "a", "c"))
    view, used = make_table("mine", proxy, descending=True)
    qtbot.addWidget(view)
    assert used is proxy and view.model() is proxy
    assert _column(view) == ["c", "b", "a"]
