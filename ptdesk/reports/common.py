"""Shared by every document: fonts, styles, the clinic letterhead, the subject line and page numbers.

Every page carries the letterhead, the document title with its subject (a patient and a date,
or a month), and "Page N of M". Documents stay readable in black and white.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

FONT = "PtSans"
FONT_BOLD = "PtSans-Bold"
FONT_ITALIC = "PtSans-Italic"
INK = colors.black
MUTED = colors.HexColor("#444444")
RULE = colors.HexColor("#888888")
MARGIN = 0.7 * inch
HEADER_HEIGHT = 1.15 * inch
FOOTER_HEIGHT = 0.45 * inch

_fonts_ready = False


def register_fonts() -> None:
    """Register the TrueType family shipped with reportlab (covers accents and symbols like °)."""
    global _fonts_ready
    if _fonts_ready:
        return
    folder = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "VeraBd.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_ITALIC, str(folder / "VeraIt.ttf")))
    pdfmetrics.registerFont(TTFont("PtSans-BoldItalic", str(folder / "VeraBI.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic="PtSans-BoldItalic"
    )
    _fonts_ready = True


@dataclass(frozen=True)
class Letterhead:
    """The clinic details printed at the top of every page."""

    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    logo: bytes | None = None

    @classmethod
    def from_profile(cls, profile) -> Letterhead:
        """From a ``ClinicProfileData`` (or anything with the same attributes)."""
        return cls(profile.name, profile.address, profile.phone, profile.email, profile.logo_png)

    @property
    def contact_lines(self) -> list[str]:
        lines = [line for line in self.address.splitlines() if line.strip()]
        contact = "  ·  ".join(x for x in (self.phone, self.email) if x)
        if contact:
            lines.append(contact)
        return lines


def styles() -> dict[str, ParagraphStyle]:
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


def escape(text: str) -> str:
    """Make plain text safe inside a reportlab Paragraph (which reads a little markup)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
        doc = getattr(self.canv, "_ptdesk_doc", None)
        if doc is not None:
            doc.subject_changed(self.canv, self.text, self.restart_numbering)


@dataclass
class _PageRecord:
    subject: str
    section: int


class ClinicDocument(BaseDocTemplate):
    """A letter-size document with the clinic letterhead and a subject line on every page."""

    def __init__(
        self,
        target: BinaryIO,
        *,
        title: str,
        letterhead: Letterhead,
        subject: str,
        printed_on: date | None = None,
        pagesize=letter,
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
        self.printed_on = printed_on or date.today()
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
        canvas._ptdesk_doc = self  # type: ignore[attr-defined]
        self.pages.append(_PageRecord(self.subject, self._section))


class _NumberingCanvas(Canvas):
    """Holds pages back until the end so each can say 'Page N of M' and name its subject."""

    def __init__(self, *args, document: ClinicDocument, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._document = document
        self._saved: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        doc = self._document
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
        except Exception:  # a logo that cannot be drawn never stops a printout
            pass
    canvas.setFillColor(INK)
    canvas.setFont(FONT_BOLD, 14)
    canvas.drawString(x, top - 14, lh.name)
    canvas.setFont(FONT, 8)
    canvas.setFillColor(MUTED)
    for i, line in enumerate(lh.contact_lines[:3]):  # three lines stay clear of the subject
        canvas.drawString(x, top - 25 - i * 9.5, line)
    canvas.setFillColor(INK)
    canvas.setFont(FONT_BOLD, 11)
    canvas.drawRightString(width - MARGIN, top - 14, doc.doc_title)
    canvas.setFont(FONT, 9)
    canvas.drawRightString(width - MARGIN, top - 27, f"Printed {doc.printed_on.isoformat()}")
    rule_y = top - HEADER_HEIGHT + 0.18 * inch  # below the third contact line
    canvas.setFont(FONT_BOLD, 10)
    canvas.drawString(MARGIN, rule_y + 5, subject)
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
    canvas.drawString(MARGIN, MARGIN + 0.05 * inch, f"{lh.name} · {subject}")
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
    pagesize=letter,
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
    """Write to a temporary name, then rename: a failed save never leaves half a PDF."""
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_bytes(data)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
