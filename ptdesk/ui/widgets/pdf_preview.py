"""A PDF preview that any screen can reuse: page through, zoom, print, and save a copy.

Pages are drawn with pypdfium2 (a small PDF renderer) one at a time, so a 100-page batch
does not fill the memory. Printing goes through the system print dialog; saving writes the
file under a temporary name first, so a failed save never leaves half a PDF.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QPoint, QRect, QSettings, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ptdesk.config import data_dir
from ptdesk.reports.common import write_atomically

log = logging.getLogger(__name__)

ZOOMS = [("Fit width", 0.0), ("75%", 0.75), ("100%", 1.0), ("150%", 1.5)]
MAX_PRINT_DPI = 300


def render_page(document: pdfium.PdfDocument, index: int, scale: float) -> QImage:
    """One page as an image; ``scale`` 1.0 is 72 pixels per inch."""
    page = document[index]
    try:
        bitmap = page.render(scale=scale, prefer_bgrx=True, rev_byteorder=True)
        image = QImage(
            bitmap.buffer,
            bitmap.width,
            bitmap.height,
            bitmap.stride,
            QImage.Format.Format_RGBX8888,
        )
        return image.copy()  # own the pixels before the bitmap goes away
    finally:
        page.close()


class PdfPreview(QWidget):
    """Shows a PDF one page at a time, with Print… and Save as PDF…."""

    saved = Signal(str)
    printed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self._data = b""
        self._document: pdfium.PdfDocument | None = None
        self.suggested_name = "document.pdf"

        self.page_label = QLabel()
        self.page_label.setObjectName("pdfPage")
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_label.setAccessibleName("Page preview")
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.page_label)
        self.scroll.setWidgetResizable(True)
        self.scroll.setStyleSheet("QScrollArea { background: #9a9a9a; }")

        self.previous_button = QPushButton("◀ &Previous")
        self.previous_button.clicked.connect(lambda: self.go_to(self.page_index - 1))
        self.next_button = QPushButton("&Next ▶")
        self.next_button.clicked.connect(lambda: self.go_to(self.page_index + 1))
        self.page_spin = QSpinBox()
        self.page_spin.setObjectName("pageNumber")
        self.page_spin.setAccessibleName("Page number")
        self.page_spin.setMinimum(1)
        self.page_spin.valueChanged.connect(lambda v: self.go_to(v - 1))
        self.count_label = QLabel()
        self.zoom = QComboBox()
        self.zoom.setAccessibleName("Zoom")
        for text, value in ZOOMS:
            self.zoom.addItem(text, value)
        self.zoom.currentIndexChanged.connect(lambda _i: self._show_page())
        self.print_button = QPushButton("&Print…")
        self.print_button.setObjectName("printButton")
        self.print_button.clicked.connect(self.print_dialog)
        self.save_button = QPushButton("&Save as PDF…")
        self.save_button.setObjectName("saveButton")
        self.save_button.clicked.connect(self.save_dialog)

        bar = QHBoxLayout()
        bar.addWidget(self.previous_button)
        page_caption = QLabel("P&age")
        page_caption.setBuddy(self.page_spin)
        bar.addWidget(page_caption)
        bar.addWidget(self.page_spin)
        bar.addWidget(self.count_label)
        bar.addWidget(self.next_button)
        bar.addSpacing(12)
        zoom_caption = QLabel("&Zoom")
        zoom_caption.setBuddy(self.zoom)
        bar.addWidget(zoom_caption)
        bar.addWidget(self.zoom)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)

        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self.print_dialog)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save_dialog)
        QShortcut(QKeySequence("PgDown"), self, lambda: self.go_to(self.page_index + 1))
        QShortcut(QKeySequence("PgUp"), self, lambda: self.go_to(self.page_index - 1))
        self.page_index = 0
        self._update_controls()

    # -- content ---------------------------------------------------------------------------
    def set_pdf(self, data: bytes, suggested_name: str = "document.pdf") -> None:
        self.close_document()
        self._data = data
        self.suggested_name = suggested_name
        self._document = pdfium.PdfDocument(data)
        self.page_index = 0
        self._update_controls()
        self._show_page()

    def pdf_bytes(self) -> bytes:
        return self._data

    @property
    def page_count(self) -> int:
        return len(self._document) if self._document is not None else 0

    def close_document(self) -> None:
        if self._document is not None:
            self._document.close()
            self._document = None

    def go_to(self, index: int) -> None:
        if not self.page_count:
            return
        index = max(0, min(self.page_count - 1, index))
        if index == self.page_index and not self.page_label.pixmap().isNull():
            return
        self.page_index = index
        self._update_controls()
        self._show_page()

    def _update_controls(self) -> None:
        n = self.page_count
        self.page_spin.blockSignals(True)
        self.page_spin.setMaximum(max(1, n))
        self.page_spin.setValue(self.page_index + 1)
        self.page_spin.blockSignals(False)
        self.count_label.setText(f"of {n}")
        self.previous_button.setEnabled(self.page_index > 0)
        self.next_button.setEnabled(self.page_index < n - 1)
        self.print_button.setEnabled(n > 0)
        self.save_button.setEnabled(n > 0)

    def _scale(self) -> float:
        value = self.zoom.currentData() or 0.0
        if value:
            return value * self.logicalDpiX() / 72
        if self._document is None:
            return 1.0
        width_pt = self._document[self.page_index].get_width()
        available = max(200, self.scroll.viewport().width() - 24)
        return available / width_pt

    def _show_page(self) -> None:
        if self._document is None or not self.page_count:
            self.page_label.clear()
            return
        image = render_page(self._document, self.page_index, self._scale())
        self.page_label.setPixmap(QPixmap.fromImage(image))
        self.page_label.setAccessibleDescription(f"Page {self.page_index + 1} of {self.page_count}")

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.zoom.currentData() == 0.0 and self._document is not None:
            self._show_page()

    # -- print and save ----------------------------------------------------------------------
    def print_dialog(self) -> None:
        if not self.page_count:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.suggested_name)
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, self.page_count)
        chosen = dialog.exec() == QDialog.DialogCode.Accepted  # the range is kept in the printer
        dialog.deleteLater()
        if not chosen:
            return
        progress = QProgressDialog(
            "Sending pages to the printer…", "Stop", 0, self.page_count, self
        )
        progress.setWindowTitle("Printing")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(500)

        def step(done: int) -> bool:
            progress.setValue(done)
            QApplication.processEvents()
            return not progress.wasCanceled()

        try:
            pages = self.print_to(printer, progress=step)
        except RuntimeError as exc:
            QMessageBox.warning(self, "Printing failed", str(exc))
            return
        finally:
            progress.close()
            progress.deleteLater()
        self.printed.emit(pages)

    def print_to(self, printer: QPrinter, progress=None) -> int:
        """Send the pages (or the range chosen in the dialog) to ``printer``; returns pages sent.

        ``progress(pages_done)`` is called after each page; when it returns False, printing
        stops there.
        """
        assert self._document is not None
        first, last = printer.fromPage(), printer.toPage()
        if first == 0 and last == 0:
            first, last = 1, self.page_count
        last = min(last, self.page_count)
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        painter = QPainter()
        if not painter.begin(printer):
            raise RuntimeError(
                "The printer could not be started. Check that it is on and try again."
            )
        try:
            target = printer.pageLayout().paintRectPixels(printer.resolution())
            sent = 0
            for number in range(first, last + 1):
                if number > first:
                    if progress is not None and not progress(sent):
                        break
                    printer.newPage()
                image = render_page(self._document, number - 1, dpi / 72)
                size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(QPoint(0, 0), size), image)
                sent += 1
        finally:
            painter.end()
        return sent

    def save_dialog(self) -> None:
        if not self.page_count:
            return
        settings = QSettings(str(data_dir() / "window.ini"), QSettings.Format.IniFormat)
        folder = settings.value("pdf/last_folder", str(Path.home()))
        path, _ = QFileDialog.getSaveFileName(
            self, "Save as PDF", str(Path(folder) / self.suggested_name), "PDF files (*.pdf)"
        )
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            self.save_to(Path(path))
        except OSError as exc:
            QMessageBox.warning(
                self, "Could not save", f"The PDF could not be saved to {path}: {exc.strerror}."
            )
            return
        settings.setValue("pdf/last_folder", str(Path(path).parent))

    def save_to(self, path: Path) -> None:
        write_atomically(Path(path), self._data)
        self.saved.emit(str(path))


class PdfPreviewDialog(QDialog):
    """A window around :class:`PdfPreview` with a title and a Close button; it is destroyed
    when it closes (read what is needed from it before)."""

    def __init__(
        self, data: bytes, title: str, suggested_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreviewDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title)
        self.preview = PdfPreview()
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.resize(820, 900)
        self.preview.set_pdf(data, suggested_name)

    def done(self, result: int) -> None:
        self.preview.close_document()
        super().done(result)
