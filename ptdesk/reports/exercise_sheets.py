"""Home exercise sheets: one patient per sheet, pictures, steps, dose, precautions, tracking grid.

Plain data in, PDF out. Several sheets make one document (the day's batch); each page names
its patient and counts its own pages.
"""

from __future__ import annotations

import hashlib
import io
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Literal, TypedDict

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import (
    Circle,
    Drawing,
    Group,
    Line,
    Polygon,
    PolyLine,
    Rect,
    Shape,
)
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    Indenter,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from ptdesk.errors import PtdeskError
from ptdesk.reports.common import INK, MARGIN, MUTED, Letterhead, Paragraph, Subject, escape, render
from ptdesk.reports.sheet_data import ExerciseSheet, Picture, SheetExercise
from ptdesk.reports.text import FONT, FONT_BOLD, FONT_ITALIC, register_fonts

TITLE = "Home exercise program"
LARGE_BODY_PT = 16
# The frame already leaves 0.7 inch; large print adds this on each side (so 1 inch or more).
LARGE_EXTRA_MARGIN = 0.35 * inch


# -- pictures -------------------------------------------------------------------------------------
class _Stroke(TypedDict, total=False):
    """How a drawing's shape is stroked, in reportlab's keyword names."""

    strokeColor: colors.Color | None
    strokeWidth: float
    strokeLineCap: Literal[0, 1]
    strokeLineJoin: Literal[0, 1]
    strokeDashArray: list[float]


def _color(value: str | None) -> colors.Color | None:
    if not value or value == "none":
        return None
    return colors.HexColor(value)


def _points(text: str, height: float) -> list[float]:
    out: list[float] = []
    for pair in text.split():
        x, y = pair.split(",")
        out += [float(x), height - float(y)]
    return out


@lru_cache(maxsize=256)
def _svg_group(svg: str) -> tuple[Group, float, float]:
    """Our drawings use a small part of SVG (lines, circles, polylines, polygons, rectangles)."""
    root = ET.fromstring(svg)
    _, _, width, height = (float(v) for v in root.get("viewBox", "0 0 240 170").split())
    group = Group()
    for el in root:
        tag = el.tag.split("}")[-1]
        a = el.attrib
        stroke = _color(a.get("stroke"))
        fill = _color(a.get("fill"))
        common: _Stroke = {
            "strokeColor": stroke,
            "strokeWidth": float(a.get("stroke-width", 1)),
            "strokeLineCap": 1 if a.get("stroke-linecap") == "round" else 0,
            "strokeLineJoin": 1 if a.get("stroke-linejoin") == "round" else 0,
        }
        dash = a.get("stroke-dasharray")
        if dash:
            common["strokeDashArray"] = [float(v) for v in dash.split()]
        shape: Shape
        if tag == "line":
            shape = Line(
                float(a["x1"]),
                height - float(a["y1"]),
                float(a["x2"]),
                height - float(a["y2"]),
                **common,
            )
        elif tag == "circle":
            shape = Circle(
                float(a["cx"]), height - float(a["cy"]), float(a["r"]), fillColor=fill, **common
            )
        elif tag == "polyline":
            shape = PolyLine(_points(a["points"], height), **common)
        elif tag == "polygon":
            shape = Polygon(_points(a["points"], height), fillColor=fill, **common)
        elif tag == "rect":
            h = float(a["height"])
            left, bottom, w = float(a["x"]), height - float(a["y"]) - h, float(a["width"])
            shape = Rect(left, bottom, w, h, fillColor=fill, **common)  # type: ignore[arg-type]  # the stubs type Rect's **kw as one dict per keyword (Unpack left out)
        else:
            continue
        group.add(shape)
    return group, width, height


class _DrawingOnce(Flowable):
    """A library drawing stored once per PDF and reused wherever it appears (smaller, faster)."""

    def __init__(self, svg: str, width: float, height: float) -> None:
        super().__init__()
        self.svg = svg
        self.width = width
        self.height = height
        group, w, h = _svg_group(svg)
        self.contents = group.contents
        self._source_size = (w, h)
        self._form = "pic" + hashlib.sha1(svg.encode("utf-8")).hexdigest()[:16]

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        w, h = self._source_size
        if not canvas.hasForm(self._form):
            group, _, _ = _svg_group(self.svg)
            drawing = Drawing(w, h)
            drawing.add(group)
            canvas.beginForm(self._form, lowerx=0, lowery=0, upperx=w, uppery=h)
            renderPDF.draw(drawing, canvas, 0, 0)
            canvas.endForm()
        canvas.saveState()
        canvas.scale(self.width / w, self.height / h)
        canvas.doForm(self._form)
        canvas.restoreState()


def picture_flowable(picture: Picture | None, width: float) -> Flowable | None:
    """The picture scaled to ``width``; None when there is nothing (or nothing usable)."""
    if picture is None:
        return None
    if picture.image:
        try:
            reader = ImageReader(io.BytesIO(picture.image))
            iw, ih = reader.getSize()
        except Exception:  # a damaged photo never stops the printout
            return None
        height = min(width * ih / iw, width * 1.1)
        return Image(io.BytesIO(picture.image), width=height * iw / ih, height=height)
    if picture.svg:
        try:
            group, w, h = _svg_group(picture.svg)
        except (ET.ParseError, KeyError, ValueError):
            return None
        return _DrawingOnce(picture.svg, width, h * width / w)
    return None


class _OnceParagraph(Paragraph):
    """A paragraph that keeps its line breaks for the width it was last wrapped to.

    A day's sheets repeat the same steps, boxes and headings many times; one shared paragraph
    per text and style is parsed and broken into lines once, then drawn wherever it appears.
    """

    _wrapped_at: float | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self._wrapped_at == available_width:
            return self.width, self.height
        size = super().wrap(available_width, available_height)
        self._wrapped_at = available_width
        return size

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        # Splitting needs (and then drops) the line breaks of a real wrap at this width.
        if not hasattr(self, "blPara") or self._wrapped_at != available_width:
            super().wrap(available_width, available_height)
        self._wrapped_at = None
        return super().split(available_width, available_height)


class Paragraphs:
    """Makes the paragraphs of one document, sharing one per distinct text and style."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, int], _OnceParagraph] = {}

    def __call__(self, text: str, style: ParagraphStyle) -> Paragraph:
        key = (text, id(style))
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = _OnceParagraph(text, style)
        return made


# -- styles -------------------------------------------------------------------------------------
@lru_cache(maxsize=2)
def sheet_styles(large: bool) -> dict[str, ParagraphStyle]:
    register_fonts()
    body_size = LARGE_BODY_PT if large else 10.5
    leading = body_size * (1.45 if large else 1.3)
    body = ParagraphStyle("sheet_body", fontName=FONT, fontSize=body_size, leading=leading)
    return {
        "body": body,
        "title": ParagraphStyle(
            "sheet_title",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=body_size + 6,
            leading=(body_size + 6) * 1.25,
            spaceAfter=4,
        ),
        "meta": ParagraphStyle("sheet_meta", parent=body, spaceAfter=2),
        "name": ParagraphStyle(
            "sheet_name",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=body_size + 2.5,
            leading=(body_size + 2.5) * 1.25,
            spaceAfter=2,
        ),
        "dose": ParagraphStyle(
            "sheet_dose", parent=body, fontName=FONT_BOLD, spaceAfter=4 if large else 3
        ),
        "step": ParagraphStyle(
            "sheet_step",
            parent=body,
            leftIndent=body_size * 1.6,
            firstLineIndent=-body_size * 1.6,
            spaceAfter=3 if large else 1,
        ),
        "note": ParagraphStyle("sheet_note", parent=body, fontName=FONT_ITALIC, spaceBefore=3),
        "box_title": ParagraphStyle("sheet_box_title", parent=body, fontName=FONT_BOLD),
        "cell": ParagraphStyle(
            "sheet_cell",
            parent=body,
            fontSize=body_size if large else 9.5,
            leading=(body_size if large else 9.5) * 1.25,
        ),
        "cell_bold": ParagraphStyle(
            "sheet_cell_bold",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=11 if large else 9,
            leading=(11 if large else 9) * 1.25,
            alignment=1,
        ),
    }


def _boxed(rows: list[Flowable], width: float, *, thick: float = 1.4) -> Flowable:
    box = _ExerciseRow([rows], [width], 8, thick, INK, padding=(8, 8, 6), box=True)
    box.fallback = lambda: _boxed_table(rows, width, thick)
    return box


def _boxed_table(rows: list[Flowable], width: float, thick: float) -> Table:
    """The same box as a table whose row splits between lines (for text taller than a page)."""
    table = Table([[rows]], colWidths=[width], splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), thick, INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


# -- one sheet ----------------------------------------------------------------------------------
class _ExerciseRow(Flowable):
    """Columns of flowables side by side, top-aligned, with a rule below or a box around.

    Lays out like a one-row table with a list of flowables per cell, but wraps each paragraph
    once per width instead of again at drawing time (a table does both), which roughly halves
    the work of laying out a day's sheets.
    """

    def __init__(
        self,
        cells: list[list[Flowable]],
        col_widths: list[float],
        bottom_padding: float,
        rule_width: float,
        rule_color: colors.Color,
        *,
        padding: tuple[float, float, float] = (0, 0, 0),  # left, right, top
        box: bool = False,
    ) -> None:
        super().__init__()
        self.cells = cells
        self.col_widths = col_widths
        self.bottom_padding = bottom_padding
        self.rule_width = rule_width
        self.rule_color = rule_color
        self.padding = padding
        self.box = box
        self.width = sum(col_widths)
        self.height = 0.0
        self._laid_out: tuple[float, list[list[float]], float] | None = None

    def _layout(self, available_height: float) -> tuple[list[list[float]], float]:
        heights: list[list[float]] = []
        row = 0.0
        left, right, _top = self.padding
        # No canvas yet when measured before drawing; reportlab's tables measure cells so too.
        canvas: Canvas | None = getattr(self, "canv", None)
        for cell, width in zip(self.cells, self.col_widths, strict=True):
            inner = width - left - right
            hs = [
                f.wrapOn(canvas, inner, available_height)[1]  # type: ignore[arg-type]  # reportlab's wrapOn takes None: it only lends the canvas to wrap()
                for f in cell
            ]
            heights.append(hs)
            if cell:
                total = sum(
                    h + f.getSpaceBefore() + f.getSpaceAfter()
                    for f, h in zip(cell, hs, strict=True)
                )
                total -= cell[0].getSpaceBefore() + cell[-1].getSpaceAfter()
                row = max(row, total)
        return heights, row

    # Builds an equivalent table that can split; used only when the row is taller than the space.
    fallback: Callable[[], Flowable] | None = None

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if self.fallback is None:
            return []
        return self.fallback().split(available_width, available_height)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self._laid_out is None or self._laid_out[0] != self.width:
            heights, row = self._layout(available_height)
            self._laid_out = (self.width, heights, row)
        self.height = self._laid_out[2] + self.padding[2] + self.bottom_padding
        return self.width, self.height

    def draw(self) -> None:
        if self._laid_out is None:
            self.wrap(self.width, 72000)
        assert self._laid_out is not None
        _, heights, _ = self._laid_out
        left, _right, top = self.padding
        x = 0.0
        for cell, hs, width in zip(self.cells, heights, self.col_widths, strict=True):
            y = self.height - top + (cell[0].getSpaceBefore() if cell else 0)
            for f, h in zip(cell, hs, strict=True):
                y -= f.getSpaceBefore() + h
                f.drawOn(self.canv, x + left, y)
                y -= f.getSpaceAfter()
            x += width
        self.canv.saveState()
        self.canv.setStrokeColor(self.rule_color)
        self.canv.setLineWidth(self.rule_width)
        if self.box:
            self.canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        else:
            self.canv.line(0, 0, self.width, 0)
        self.canv.restoreState()


def _exercise_block(
    n: int,
    ex: SheetExercise,
    st: dict[str, ParagraphStyle],
    width: float,
    large: bool,
    para: Callable[[str, ParagraphStyle], Paragraph] = Paragraph,
) -> Flowable:
    pic_width = (2.0 if large else 1.9) * inch
    gap = 0.2 * inch
    text: list[Flowable] = [
        para(f"{n}. {escape(ex.name)}", st["name"]),
        para(escape(ex.dose), st["dose"]),
    ]
    for i, step in enumerate(ex.steps, start=1):
        text.append(para(f"{i}.&nbsp;&nbsp;{escape(step)}", st["step"]))
    if ex.notes:
        text.append(para(f"Note from your therapist: {escape(ex.notes)}", st["note"]))
    picture = picture_flowable(ex.picture, pic_width)
    if picture is None:
        cells, col_widths = [text], [width]
    else:
        cells, col_widths = [[picture], text], [pic_width + gap, width - pic_width - gap]
    row = _ExerciseRow(cells, col_widths, 10 if large else 8, 0.6, MUTED)
    row.fallback = lambda: _exercise_table(cells, col_widths, large)
    return row


def _exercise_table(cells: list[list[Flowable]], col_widths: list[float], large: bool) -> Table:
    """The exercise row as a table that splits between lines (steps taller than a page)."""
    table = Table([cells], colWidths=col_widths, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, -1), 0.6, MUTED),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10 if large else 8),
            ]
        )
    )
    return table


def _tracking_grid(
    sheet: ExerciseSheet,
    st: dict[str, ParagraphStyle],
    width: float,
    large: bool,
    para: Callable[[str, ParagraphStyle], Paragraph] = Paragraph,
) -> Flowable:
    days = [sheet.day + timedelta(days=i) for i in range(7)]
    header: list[Paragraph | str] = [para("Exercise", st["cell_bold"])]
    header += [para(f"{d:%a}<br/>{d.month}/{d.day}", st["cell_bold"]) for d in days]
    rows = [header]
    for n, ex in enumerate(sheet.exercises, start=1):
        rows.append([para(f"{n}. {escape(ex.name)}", st["cell"])] + [""] * 7)
    day_col = (0.62 if large else 0.55) * inch
    table = Table(
        rows,
        colWidths=[width - 7 * day_col] + [day_col] * 7,
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.8, INK),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 1), (-1, -1), 9 if large else 6),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 9 if large else 6),
            ]
        )
    )
    return table


def sheet_story(
    sheet: ExerciseSheet,
    letterhead: Letterhead,
    width: float,
    para: Callable[[str, ParagraphStyle], Paragraph] | None = None,
) -> list[Flowable]:
    """The flowables for one patient's sheet (starting with its Subject marker).

    ``para`` makes the paragraphs (a :class:`Paragraphs` shares them across a batch).
    """
    para = para or Paragraphs()
    large = sheet.large_print
    st = sheet_styles(large)
    story: list[Flowable] = [Subject(sheet.subject, restart_numbering=True)]
    if large:
        story.append(Indenter(LARGE_EXTRA_MARGIN, LARGE_EXTRA_MARGIN))
        width -= 2 * LARGE_EXTRA_MARGIN
    story.append(para(f"Your home exercises, {escape(sheet.patient_name)}", st["title"]))
    meta = [f"Date: {sheet.day:%A, %B} {sheet.day.day}, {sheet.day.year}"]
    if sheet.therapist:
        meta.append(f"Therapist: {escape(sheet.therapist)}")
    story.append(para("&nbsp;&nbsp;·&nbsp;&nbsp;".join(meta), st["meta"]))
    story.append(Spacer(1, 6))
    if sheet.precautions:
        lines: list[Flowable] = [para("Your precautions: always keep to these", st["box_title"])]
        lines += [para(f"•&nbsp;&nbsp;{escape(p)}", st["body"]) for p in sheet.precautions]
        story.append(_boxed(lines, width, thick=2))
        story.append(Spacer(1, 8))
    if sheet.notes:
        story.append(para(escape(sheet.notes), st["note"]))
        story.append(Spacer(1, 6))
    for n, ex in enumerate(sheet.exercises, start=1):
        # kept on one page when it fits there; only a block taller than a page splits
        story.append(KeepTogether([_exercise_block(n, ex, st, width, large, para)]))
        story.append(Spacer(1, 8))
    phone = letterhead.phone or "the clinic"
    stop: list[Flowable] = [
        para(f"Stop and call us at {escape(phone)} if…", st["box_title"]),
        para("•&nbsp;&nbsp;an exercise causes sharp pain, or pain that lasts", st["body"]),
        para("•&nbsp;&nbsp;you have new numbness, tingling or weakness", st["body"]),
        para("•&nbsp;&nbsp;swelling, redness or heat gets worse", st["body"]),
        para("•&nbsp;&nbsp;you feel dizzy or fall", st["body"]),
        para("If you have chest pain or trouble breathing, call 911 right away.", st["box_title"]),
    ]
    story.append(KeepTogether([_boxed(stop, width)]))
    story.append(Spacer(1, 10))
    grid_title = para("Tick a box each day you do the exercise", st["box_title"])
    story.append(
        KeepTogether([grid_title, Spacer(1, 4), _tracking_grid(sheet, st, width, large, para)])
    )
    if large:
        story.append(Indenter(-LARGE_EXTRA_MARGIN, -LARGE_EXTRA_MARGIN))
    return story


class _Tick(Flowable):
    """Invisible: reports that the layout has reached sheet ``done`` of ``total``."""

    def __init__(self, callback: Callable[[int, int], None], done: int, total: int) -> None:
        super().__init__()
        self.callback = callback
        self.done = done
        self.total = total
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.callback(self.done, self.total)


def build_sheets(
    sheets: list[ExerciseSheet],
    letterhead: Letterhead,
    *,
    printed_on: date | None = None,
    out: Path | BinaryIO | None = None,
    progress: Callable[[int, int], None] | None = None,
    left_out: list[str] | None = None,
) -> bytes:
    """One PDF with a sheet per patient, each starting on a new page.

    ``progress(done, total)`` is called as each sheet is laid out (for a progress bar).
    A sheet that cannot be laid out is left out and its patient's name added to ``left_out``
    (PtdeskError when no sheet can be printed, or when ``left_out`` is not given).
    """
    if not sheets:
        raise ValueError("no exercise sheets to print")
    try:
        return _build_sheets(sheets, letterhead, printed_on, out, progress)
    except LayoutError:
        bad = [s for s in sheets if not _lays_out(s, letterhead)]
    names = ", ".join(s.patient_name for s in bad) or "one patient"
    if left_out is None or len(bad) in (0, len(sheets)):
        raise PtdeskError(
            f"The exercise sheet for {names} could not be laid out: a picture or a step is "
            "too big for one page. Shorten the steps or change the picture, then print again."
        )
    left_out.extend(s.patient_name for s in bad)
    rest = [s for s in sheets if all(s is not b for b in bad)]
    return _build_sheets(rest, letterhead, printed_on, out, progress)


def _lays_out(sheet: ExerciseSheet, letterhead: Letterhead) -> bool:
    try:
        _build_sheets([sheet], letterhead, None, None, None)
    except LayoutError:
        return False
    return True


def _build_sheets(
    sheets: list[ExerciseSheet],
    letterhead: Letterhead,
    printed_on: date | None,
    out: Path | BinaryIO | None,
    progress: Callable[[int, int], None] | None,
) -> bytes:
    width = letter[0] - 2 * MARGIN
    story: list[Flowable] = []
    total = len(sheets)
    para = Paragraphs()
    for i, sheet in enumerate(sheets):
        if i:
            story.append(PageBreak())
        story.extend(sheet_story(sheet, letterhead, width, para))
        if progress is not None:
            story.append(_Tick(progress, i + 1, total))
    return render(
        story,
        title=TITLE,
        letterhead=letterhead,
        subject=sheets[0].subject,
        printed_on=printed_on,
        out=out,
    )
