"""The schedule's day sheet: made off the UI thread, then saved as a PDF or shown in the preview
(where it prints)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from ptdesk.services import documents
from ptdesk.ui.context import AppContext
from ptdesk.ui.operations import query, show_problem
from ptdesk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from ptdesk.ui.widgets.pdf_preview import PdfPreviewDialog

PROBLEM_TITLE = "Could not make the day sheet"


class DaySheetPrinting(QWidget):
    """Saving and printing the day shown. ``ScheduleView`` holds the state declared here."""

    ctx: AppContext
    day: date
    details: QLabel
    preview_dialog: PdfPreviewDialog

    def _in_background(self, work: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        # Any failure, a file that cannot be written included, is told in one message.
        run_in_background(work, on_done, lambda exc: show_problem(self, PROBLEM_TITLE, str(exc)))

    def save_day_sheet(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, "Save day sheet", f"day-sheet-{self.day.isoformat()}.pdf", "PDF (*.pdf)"
            )
        if not path:
            return
        ctx, day, out = self.ctx, self.day, Path(path)

        def work() -> Path:
            query(ctx, lambda s: documents.day_sheet(s, ctx.actor, day, out=out))
            return out

        self._in_background(work, lambda p: self.details.setText(f"Day sheet saved to {p}"))

    def print_day_sheet(self) -> None:
        """Show the day sheet in the preview, where it prints or saves."""
        ctx, day = self.ctx, self.day

        def done(data: bytes) -> None:
            from ptdesk.ui.widgets.pdf_preview import PdfPreviewDialog

            dialog = PdfPreviewDialog(
                data, f"Day sheet {day.isoformat()}", f"day-sheet-{day.isoformat()}.pdf", self
            )
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.preview_dialog = dialog
            dialog.open()

        self._in_background(
            lambda: query(ctx, lambda s: documents.day_sheet(s, ctx.actor, day)), done
        )
