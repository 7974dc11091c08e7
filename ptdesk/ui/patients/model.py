"""The patients table model and its search-as-you-type filter proxy."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from ptdesk.services.authorizations import AuthorizationStatus
from ptdesk.services.patients import PatientRow
from ptdesk.ui.widgets.table import Column, RowTableModel

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


class PatientFilterProxy(QSortFilterProxyModel):
    """Keeps rows whose name, chart number, phone or birth date contain every typed word.

    The matching is worked out once per keystroke over the model's precomputed search keys,
    so the per-row check is a list lookup (fast with tens of thousands of patients).
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self._status = STATUS_ACTIVE
        self._key: tuple | None = None
        self._accepted: list[bool] = []

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
        # Qt 6.9 added begin/endFilterChange and later deprecated the invalidate calls.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self._accepted_rows()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self._accepted_rows()
            self.invalidateRowsFilter()

    def _accepted_rows(self) -> list[bool]:
        model = self.sourceModel()
        if not isinstance(model, PatientTableModel):
            return []
        key = (model.generation, self._words, self._status)
        if key != self._key:
            self._accepted = self._compute(model)
            self._key = key
        return self._accepted

    def _compute(self, model: PatientTableModel) -> list[bool]:
        rows = model.rows()
        keys = model.search_keys
        if self._status == STATUS_ALL:
            candidates = range(len(rows))
        else:
            want_active = self._status == STATUS_ACTIVE
            candidates = [i for i, row in enumerate(rows) if row.active == want_active]
        for word in self._words:
            candidates = [i for i in candidates if word in keys[i]]
        accepted = [False] * len(rows)
        for i in candidates:
            accepted[i] = True
        return accepted

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        accepted = self._accepted
        if self._key is None or self._key[0] != self._generation():
            accepted = self._accepted_rows()
        return source_row < len(accepted) and accepted[source_row]

    def _generation(self) -> int:
        return getattr(self.sourceModel(), "generation", -1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is done by the patient model itself (fast for tens of thousands of rows)."""
        model = self.sourceModel()
        if isinstance(model, PatientTableModel):
            model.sort(column, order)
        else:
            super().sort(column, order)


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
