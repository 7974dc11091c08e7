"""Exercise pictures on screen: the library's drawings (SVG) or a clinic's photo."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from ptdesk.services.exercises import ExerciseInfo, library_picture_svg


def svg_pixmap(svg: str, width: int) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    size = renderer.defaultSize()
    height = max(1, round(width * size.height() / max(1, size.width())))
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, width, height))
    painter.end()
    return QPixmap.fromImage(image)


def exercise_pixmap(info: ExerciseInfo, photo: bytes | None, width: int) -> QPixmap | None:
    """The clinic's photo when there is one, else the library drawing, else None."""
    if photo:
        pixmap = QPixmap()
        if pixmap.loadFromData(photo):
            return pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
    if info.library_key:
        svg = library_picture_svg(info.library_key)
        if svg:
            return svg_pixmap(svg, width)
    return None
