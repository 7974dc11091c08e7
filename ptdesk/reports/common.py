"""Shared by every document: styles, the clinic letterhead, the subject line and page numbers.

Every page carries the letterhead, the document title with its subject (a patient and a date,
or a month), and "Page N of M". Documents stay readable in black and white.
"""

from __future__ import annotations

import functools
import io
import logging
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from reportlab import platypus
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle, PropertySet
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.paragraph import FragLine, ParaLines
from reportlab.platypus.paraparser import ParaFrag

from ptdesk.reports.text import (  # noqa: F401  (the documents import these from here)
    _ARABIC as _ARABIC,
)
from ptdesk.reports.text import (
    _RTL,
    FONT,
    FONT_BOLD,
    _frags_in_drawing_order,
    _line_text,
    _runs,
    _starts_right_to_left,
    draw_text,
    lines_in_drawing_order,
    register_fonts,
    shape,
)

INK = colors.black
MUTED = colors.HexColor("#444444")
RULE = colors.HexColor("#888888")
MARGIN = 0.7 * inch
HEADER_HEIGHT = 1.15 * inch
FOOTER_HEIGHT = 0.45 * inch

log = logging.getLogger(__name__)

# The paragraph styles by name, as ``styles()`` gives them.
Styles = dict[str, ParagraphStyle]
# One ``TableStyle`` command: a name, the first and last cell (column, row), then its values,
# e.g. ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black).
TableCommand = tuple[str, tuple[int, int], tuple[int, int], *tuple[Any, ...]]


class ClinicDetails(Protocol):
    """What a letterhead is made from: a ``ClinicProfileData`` has these (read only here)."""

    @property
    def name(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def phone(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def logo_png(self) -> bytes | None: ...


@dataclass(frozen=True)
class Letterhead:
    """The clinic details printed at the top of every page."""

    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    logo: bytes | None = None

    @classmethod
    def from_profile(cls, profile: ClinicDetails) -> Letterhead:
        """From a ``ClinicProfileData`` (or anything with the same attributes)."""
        return cls(profile.name, profile.address, profile.phone, profile.email, profile.logo_png)

    @property
    def contact_lines(self) -> list[str]:
        lines = [line for line in self.address.splitlines() if line.strip()]
        contact = "  ·  ".join(x for x in (self.phone, self.email) if x)
        if contact:
            lines.append(contact)
        return lines


def styles() -> Styles:
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14, textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11, textColor=MUTED),
        "title": ParagraphStyle(
            "title", parent=base, fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=6
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=13,
            leading=17,
            spaceBefore=8,
            spaceAfter=4,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=11,
            leading=14,
            spaceBefore=6,
            spaceAfter=2,
        ),
        "warning": ParagraphStyle(
            "warning",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=10.5,
            leading=14,
            borderColor=INK,
            borderWidth=1.2,
            borderPadding=5,
            spaceBefore=6,
            spaceAfter=8,
        ),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=11.5),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=base, fontName=FONT_BOLD, fontSize=9, leading=11.5
        ),
    }


def _markup_safe(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape(text: str) -> str:
    """Plain text made safe inside a ``Paragraph`` (this module's: it reads a little markup).

    Text in any script comes out drawable: characters the usual font lacks in a font that has
    them (CJK, emoji), those no font has as a white square. The text stays in reading order;
    the Paragraph cuts it into lines and then puts each line in drawing order.
    """
    register_fonts()
    out = []
    for font, run in _runs(shape(text)):
        safe = _markup_safe(run)
        out.append(safe if font is None else f'<font name="{font}">{safe}</font>')
    return "".join(out)


class Paragraph(platypus.Paragraph):
    """reportlab's Paragraph for text in any script.

    Lines are cut from the text in reading order with the real font widths, then each line is
    put in drawing order (right-to-left runs turned round, brackets mirrored), so a long
    Hebrew or Arabic note reads from its first line down. Text that starts in a right-to-left
    script is set flush right (a left-aligned style's start is the right edge there); each
    line break starts a new run of text with its own direction.
    """

    # The lines the text was cut into (reportlab sets it when the paragraph is laid out).
    blPara: ParaLines | ParaFrag

    def __init__(
        self, text: str, style: PropertySet | None = None, *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(text, style, *args, **kwargs)
        plain = "".join(f.text for f in self.frags if isinstance(getattr(f, "text", None), str))
        self._bidi = bool(_RTL.search(plain))
        self._rtl = bool(_starts_right_to_left(plain)) if self._bidi else False
        if self._rtl and self.style.alignment == TA_LEFT:
            self.style = _flush_right(self.style)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = super().split(available_width, available_height)
        for part in parts:  # the part on the next page keeps the paragraph's direction
            if isinstance(part, Paragraph):
                part._bidi, part._rtl = self._bidi, self._rtl
        return parts

    def drawPara(self, debug: int = 0) -> None:  # noqa: N802 - reportlab's name
        if not self._bidi:
            return super().drawPara(debug)
        logical = self.blPara
        self.blPara = self._in_drawing_order(logical)
        try:
            return super().drawPara(debug)
        finally:
            self.blPara = logical

    def _in_drawing_order(self, para: ParaLines | ParaFrag) -> ParaLines | ParaFrag:
        if para.kind == 0:  # one style: each line a list of words
            texts = [" ".join(words) for _extra, words in para.lines]
            orders = lines_in_drawing_order(texts, self._rtl)
            return para.clone(
                lines=[
                    (extra, "".join(ch for _i, ch in order).split(" "))
                    for (extra, _words), order in zip(para.lines, orders, strict=True)
                ]
            )
        # Several styles: each line a list of pieces. A line break starts a new paragraph of
        # text, whose first letter sets its direction (a Hebrew note under an English heading).
        runs: list[list[FragLine]] = [[]]
        for line in para.lines:
            runs[-1].append(line)
            if getattr(line, "lineBreak", False):
                runs.append([])
        lines: list[FragLine] = []
        for run in runs:
            if not run:
                continue
            run_texts, owners = zip(*(_line_text(line.words) for line in run), strict=True)
            found = _starts_right_to_left("".join(run_texts))
            rtl = self._rtl if found is None else found
            if not rtl and not any(_RTL.search(t) for t in run_texts):
                lines.extend(run)
                continue
            orders = lines_in_drawing_order(list(run_texts), rtl)
            lines.extend(
                line.clone(words=_frags_in_drawing_order(line.words, owner, order))
                for line, owner, order in zip(run, owners, orders, strict=True)
            )
        return para.clone(lines=lines)


@functools.cache
def _flush_right(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)


class Subject(Flowable):
    """An invisible marker: from the page it lands on, the header names this subject.

    A document that holds several patients (the day's exercise sheets) places one before
    each patient, so every page names the patient it is about.
    """

    def __init__(self, text: str, *, restart_numbering: bool = False) -> None:
        super().__init__()
        self.text = text
        self.restart_numbering = restart_numbering
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        if isinstance(self.canv, _NumberingCanvas):  # the canvas of a ClinicDocument
            self.canv.document.subject_changed(self.canv, self.text, self.restart_numbering)


@dataclass
class _PageRecord:
    subject: str
    section: int


class ClinicDocument(BaseDocTemplate):
    """A letter-size document with the clinic letterhead and a subject line on every page."""

    # The subject the header names from the current page on (also the PDF's subject field).
    subject: str

    def __init__(
        self,
        target: BinaryIO,
        *,
        title: str,
        letterhead: Letterhead,
        subject: str,
        printed_on: date | None = None,
        pagesize: tuple[float, float] = letter,
    ) -> None:
        super().__init__(
            target,
            pagesize=pagesize,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + HEADER_HEIGHT,
            bottomMargin=MARGIN + FOOTER_HEIGHT,
            title=title,
            author=letterhead.name,
            creator="ptdesk",
        )
        register_fonts()
        self.doc_title = title
        self.letterhead = letterhead
        self.subject = subject
        self.printed_on = printed_on or date.today()  # documents pass the clinic's day
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._page_started)])
        self.pages: list[_PageRecord] = []
        self._section = 0

    # Subject changes arrive while the page is being laid out; the header is drawn at its end.
    def subject_changed(self, canvas: Canvas, text: str, restart: bool) -> None:
        self.subject = text
        if restart:
            self._section += 1
        if self.pages:
            self.pages[-1] = _PageRecord(text, self._section)

    def _page_started(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        self.pages.append(_PageRecord(self.subject, self._section))


class _NumberingCanvas(Canvas):
    """Holds pages back until the end so each can say 'Page N of M' and name its subject."""

    def __init__(self, *args: Any, document: ClinicDocument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.document = document
        self._saved: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._saved.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's stubs leave out this private method

    def save(self) -> None:
        doc = self.document
        records = doc.pages
        sections: dict[int, int] = {}
        for r in records:
            sections[r.section] = sections.get(r.section, 0) + 1
        seen: dict[int, int] = {}
        for i, state in enumerate(self._saved):
            self.__dict__.update(state)
            record = records[i] if i < len(records) else _PageRecord(doc.subject, 0)
            seen[record.section] = seen.get(record.section, 0) + 1
            _draw_frame(self, doc, record.subject, seen[record.section], sections[record.section])
            super().showPage()
        super().save()


def _draw_frame(canvas: Canvas, doc: ClinicDocument, subject: str, page: int, pages: int) -> None:
    width, height = doc.pagesize
    top = height - MARGIN
    lh = doc.letterhead
    x = MARGIN
    canvas.saveState()
    if lh.logo:
        try:
            image = ImageReader(io.BytesIO(lh.logo))
            iw, ih = image.getSize()
            h = 0.6 * inch
            w = min(1.6 * inch, iw * h / ih)
            canvas.drawImage(
                image, x, top - h, width=w, height=h, preserveAspectRatio=True, mask="auto"
            )
            x += w + 0.15 * inch
        except Exception as exc:  # a logo that cannot be drawn never stops a printout
            log.warning("clinic logo left off the page: %s", exc)
    canvas.setFillColor(INK)
    draw_text(canvas, x, top - 14, lh.name, FONT_BOLD, 14)
    canvas.setFillColor(MUTED)
    for i, line in enumerate(lh.contact_lines[:3]):  # three lines stay clear of the subject
        draw_text(canvas, x, top - 25 - i * 9.5, line, FONT, 8)
    canvas.setFillColor(INK)
    draw_text(canvas, width - MARGIN, top - 14, doc.doc_title, FONT_BOLD, 11, right=True)
    canvas.setFont(FONT, 9)
    canvas.drawRightString(width - MARGIN, top - 27, f"Printed {doc.printed_on.isoformat()}")
    rule_y = top - HEADER_HEIGHT + 0.18 * inch  # below the third contact line
    draw_text(canvas, MARGIN, rule_y + 5, subject, FONT_BOLD, 10)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, rule_y, width - MARGIN, rule_y)
    canvas.line(
        MARGIN,
        MARGIN + FOOTER_HEIGHT - 0.15 * inch,
        width - MARGIN,
        MARGIN + FOOTER_HEIGHT - 0.15 * inch,
    )
    canvas.setFont(FONT, 8.5)
    canvas.setFillColor(MUTED)
    draw_text(canvas, MARGIN, MARGIN + 0.05 * inch, f"{lh.name} · {subject}", FONT, 8.5)
    canvas.setFont(FONT, 8.5)
    canvas.drawRightString(width - MARGIN, MARGIN + 0.05 * inch, f"Page {page} of {pages}")
    canvas.restoreState()


def render(
    story: list[Flowable],
    *,
    title: str,
    letterhead: Letterhead,
    subject: str,
    printed_on: date | None = None,
    out: Path | BinaryIO | None = None,
    pagesize: tuple[float, float] = letter,
) -> bytes:
    """Lay the story out as a PDF; return its bytes (and write them to ``out`` if given).

    ``pagesize`` is portrait letter unless told (e.g. ``landscape(letter)`` for wide tables).
    """
    buffer = io.BytesIO()
    doc = ClinicDocument(
        buffer,
        title=title,
        letterhead=letterhead,
        subject=subject,
        printed_on=printed_on,
        pagesize=pagesize,
    )
    doc.build(list(story), canvasmaker=lambda *a, **k: _NumberingCanvas(*a, document=doc, **k))
    data = buffer.getvalue()
    if out is not None:
        if isinstance(out, str | Path):
            write_atomically(Path(out), data)
        else:
            out.write(data)
    return data


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary name, then rename: a failed save never leaves half a PDF.

    The file is readable by this user account only (where the system has such modes), as the
    clinic's database is: what is exported holds patients' details."""
    partial = path.with_name(path.name + ".partial")
    try:
        partial.unlink(missing_ok=True)  # a leftover would keep its old, wider mode
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
