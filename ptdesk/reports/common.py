"""Shared by every document: fonts, styles, the clinic letterhead, the subject line and page numbers.

Every page carries the letterhead, the document title with its subject (a patient and a date,
or a month), and "Page N of M". Documents stay readable in black and white.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import arabic_reshaper
from bidi import algorithm as uba
from reportlab import platypus
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle, PropertySet
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.pdfdoc import PDFDocument, PDFStream
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.paragraph import FragLine, ParaLines
from reportlab.platypus.paraparser import ParaFrag

from ptdesk.resources import resource_path

FONT = "PtSans"
FONT_BOLD = "PtSans-Bold"
FONT_ITALIC = "PtSans-Italic"
INK = colors.black
MUTED = colors.HexColor("#444444")
RULE = colors.HexColor("#888888")
MARGIN = 0.7 * inch
HEADER_HEIGHT = 1.15 * inch
FOOTER_HEIGHT = 0.45 * inch

FONT_WIDE = "PtSans-Wide"  # right-to-left letters in italic text (the italic faces lack Arabic)
# Shipped fonts registered only when a text first needs them (reading one takes a while), and
# embedded in a PDF (only the letters it uses) like DejaVu Sans.
CJK_FONT = "PtCJK"  # Droid Sans Fallback: Chinese, Japanese kana, Korean Hangul
EMOJI_FONT = "PtEmoji"  # Noto Emoji: black and white outline emoji
_SHIPPED = {CJK_FONT: "DroidSansFallback.ttf", EMOJI_FONT: "NotoEmoji-Regular.ttf"}
# Rare Han characters and old Hangul letters the shipped font lacks: the PDF reader's own font
# (not embedded) draws them, which beats a white square.
READER_HAN_FONT = "STSong-Light"
READER_HANGUL_FONT = "HYSMyeongJo-Medium"
MISSING = "\u25a1"  # a white square stands for a character no font here can draw
# Joiners, variation selectors and skin tones only modify the character before them: an emoji
# sequence prints as the emoji it is made of (a woman and a staff of Aesculapius, not a nurse).
_MODIFIERS = re.compile("[\u200d\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")

# Letters joined as Arabic writes them; no ligatures (DejaVu lacks most, "Allah" among them).
_ARABIC = arabic_reshaper.ArabicReshaper(configuration={"support_ligatures": False})

_fonts_ready = False
_covered: frozenset[int] = frozenset()
_covered_italic: frozenset[int] = frozenset()
_extra_covered: dict[str, frozenset[int]] = {}
_extra_lock = threading.Lock()

log = logging.getLogger(__name__)

# The paragraph styles by name, as ``styles()`` gives them.
Styles = dict[str, ParagraphStyle]
# One ``TableStyle`` command: a name, the first and last cell (column, row), then its values,
# e.g. ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black).
TableCommand = tuple[str, tuple[int, int], tuple[int, int], *tuple[Any, ...]]


_ASTRAL = re.compile(r"<([0-9A-F]{5,6})>")


def _utf16(match: re.Match[str]) -> str:
    high, low = divmod(int(match.group(1), 16) - 0x10000, 0x400)
    return f"<{0xD800 + high:04X}{0xDC00 + low:04X}>"


class _Font(TTFont):
    """A TrueType font whose characters beyond U+FFFF (emoji) copy and search as themselves.

    reportlab writes them in the PDF's character map as five hex digits, which readers reject;
    PDF wants the two halves of their UTF-16 form.
    """

    def addObjects(self, doc: PDFDocument) -> None:  # noqa: N802 - reportlab's name
        super().addObjects(doc)
        for name, obj in doc.idToObject.items():
            if not (name.startswith("toUnicodeCMap:") and isinstance(obj, PDFStream)):
                continue
            content = obj.content
            if isinstance(content, str):
                obj.content = _ASTRAL.sub(_utf16, content)


def register_fonts() -> None:
    """Register DejaVu Sans (shipped in resources/fonts): Latin, Greek, Cyrillic, Hebrew, Arabic.

    Its Latin letters have the same shapes and widths as Bitstream Vera, which it extends. The
    CJK and emoji fonts wait until a text needs them (``font_for``).
    """
    global _fonts_ready, _covered, _covered_italic
    if _fonts_ready:
        return
    faces = {
        FONT: "DejaVuSans.ttf",
        FONT_BOLD: "DejaVuSans-Bold.ttf",
        FONT_ITALIC: "DejaVuSans-Oblique.ttf",
        "PtSans-BoldItalic": "DejaVuSans-BoldOblique.ttf",
        FONT_WIDE: "DejaVuSans.ttf",
        FONT_WIDE + "-Bold": "DejaVuSans-Bold.ttf",
    }
    loaded = {name: _Font(name, str(resource_path("fonts", file))) for name, file in faces.items()}
    for font in loaded.values():
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic="PtSans-BoldItalic"
    )
    wide_bold = FONT_WIDE + "-Bold"
    pdfmetrics.registerFontFamily(
        FONT_WIDE, normal=FONT_WIDE, bold=wide_bold, italic=FONT_WIDE, boldItalic=wide_bold
    )
    _covered = frozenset(loaded[FONT].face.charToGlyph)
    _covered_italic = frozenset(loaded[FONT_ITALIC].face.charToGlyph)
    _fonts_ready = True


def extra_fonts_loaded() -> set[str]:
    """The fonts beyond DejaVu Sans registered so far (they load when a text first needs them)."""
    return set(_extra_covered)


def _coverage(name: str) -> frozenset[int]:
    """The characters font ``name`` has; the first call registers it (once, thread-safe)."""
    covered = _extra_covered.get(name)
    if covered is not None:
        return covered
    with _extra_lock:
        covered = _extra_covered.get(name)
        if covered is None:
            font: _Font | UnicodeCIDFont
            if name in _SHIPPED:
                font = _Font(name, str(resource_path("fonts", _SHIPPED[name])))
                covered = frozenset(cp for cp, glyph in font.face.charToGlyph.items() if glyph)
            else:
                font = UnicodeCIDFont(name)
                covered = frozenset()  # asked only for the ranges it is meant for
            pdfmetrics.registerFont(font)
            # One face serves bold and italic too: <b> around these letters keeps them drawable.
            pdfmetrics.registerFontFamily(
                name, normal=name, bold=name, italic=name, boldItalic=name
            )
            _extra_covered[name] = covered
    return covered


def _is_hangul(cp: int) -> bool:
    return 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F or 0xAC00 <= cp <= 0xD7AF


def _is_cjk(cp: int) -> bool:
    return (
        0x2E80 <= cp <= 0x2FDF
        or 0x3000 <= cp <= 0x30FF
        or 0x3190 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0xFE30 <= cp <= 0xFE4F
        or 0xFF00 <= cp <= 0xFFEF
        or 0x20000 <= cp <= 0x2FFFF
    )


def font_for(ch: str) -> str | None:
    """None: the paragraph's own font draws it; "" no font here has it; else the font to use."""
    cp = ord(ch)
    if cp in _covered:
        return None if cp in _covered_italic else FONT_WIDE
    if ch in "\n\r\t":  # line ends and tabs: spaces to a paragraph, drawn by no font
        return None
    hangul = _is_hangul(cp)
    if hangul or _is_cjk(cp):
        if cp in _coverage(CJK_FONT):
            return CJK_FONT
        if cp > 0xFFFF:  # the reader's CJK fonts are addressed in 16 bits
            return ""
        name = READER_HANGUL_FONT if hangul else READER_HAN_FONT
        _coverage(name)
        return name
    if cp in _coverage(EMOJI_FONT):
        return EMOJI_FONT
    return ""


def shape(text: str) -> str:
    """Text in reading order ready to be measured: emoji modifiers dropped, Arabic letters
    in their joined forms."""
    text = _MODIFIERS.sub("", text)
    return _ARABIC.reshape(text) if _RTL.search(text) else text


def _starts_right_to_left(text: str) -> bool | None:
    """Whether the first letter with a direction is right-to-left (None: text has none)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return None


# One character as python-bidi's algorithm holds it: "ch", "level", "type", "orig", "index".
_BidiChar = dict[str, Any]


def _resolved(text: str, rtl: bool) -> list[_BidiChar]:
    """Each character's embedding level in a paragraph, before it is cut into lines.

    python-bidi's own implementation of Unicode's bidirectional algorithm, step by step, so each
    character keeps its index (its compiled ``get_display`` returns text only, and mirrors no
    brackets).
    """
    state = uba.get_empty_storage()
    state["base_level"] = int(rtl)
    state["base_dir"] = "R" if rtl else "L"
    uba.get_embedding_levels(text, state)
    for index, char in enumerate(state["chars"]):
        char["index"] = index
    uba.explicit_embed_and_overrides(state)  # drops the invisible embedding controls
    uba.resolve_weak_types(state)
    uba.resolve_neutral_types(state, False)
    uba.resolve_implicit_levels(state, False)
    chars: list[_BidiChar] = state["chars"]
    return chars


def _reordered(chars: list[_BidiChar], rtl: bool) -> list[tuple[int, str]]:
    """One line's resolved characters in drawing order, brackets in right-to-left runs mirrored."""
    state = uba.get_empty_storage()
    state["base_level"] = int(rtl)
    state["base_dir"] = "R" if rtl else "L"
    state["chars"] = chars
    uba.reorder_resolved_levels(state, False)
    uba.apply_mirroring(state, False)
    return [(char["index"], char["ch"]) for char in state["chars"]]


def drawing_order(line: str, rtl: bool | None = None) -> list[tuple[int, str]]:
    """One line's characters in the order they are drawn, left to right, as (index in the
    line, character): Unicode's bidirectional algorithm, brackets in right-to-left runs mirrored.

    ``rtl`` is the paragraph's direction; None takes it from the line's first letter.
    """
    if rtl is None:
        rtl = bool(_starts_right_to_left(line))
    return _reordered(_resolved(line, rtl), rtl)


def lines_in_drawing_order(lines: list[str], rtl: bool) -> list[list[tuple[int, str]]]:
    """The lines a paragraph was cut into, each in drawing order as ``drawing_order`` gives it.

    Directions are worked out over the whole paragraph (the lines joined by the spaces they
    were cut at), so a bracket or full stop at the end of a line goes where it would have gone
    had the line been longer; then each line is turned round by itself.
    """
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    per_line: list[list[_BidiChar]] = [[] for _ in lines]
    n = 0
    for char in _resolved(" ".join(lines), rtl):
        index = char["index"]
        while n + 1 < len(lines) and index >= starts[n + 1]:
            n += 1
        if index - starts[n] < len(lines[n]):  # not the space between two lines
            char["index"] = index - starts[n]
            per_line[n].append(char)
    return [_reordered(chars, rtl) for chars in per_line]


def visual_order(text: str) -> str:
    """Right-to-left runs in the order they are drawn, Arabic letters joined; line by line."""
    if not _RTL.search(text):
        return text
    lines = []
    for line in _ARABIC.reshape(text).split("\n"):
        if _RTL.search(line):
            line = "".join(ch for _index, ch in drawing_order(line))
        lines.append(line)
    return "\n".join(lines)


def _runs(text: str) -> list[tuple[str | None, str]]:
    runs: list[tuple[str | None, str]] = []
    for ch in text:
        font = font_for(ch)
        if font == "":
            font, ch = None, MISSING
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


def font_runs(text: str) -> list[tuple[str | None, str]]:
    """One line of text in drawing order cut into runs, each with the font to draw it (None:
    the usual)."""
    register_fonts()
    return _runs(visual_order(_MODIFIERS.sub("", text)))


def draw_text(
    canvas: Canvas, x: float, y: float, text: str, font: str, size: float, *, right: bool = False
) -> None:
    """``drawString`` (or ``drawRightString`` ending at x) for one line in any script."""
    runs = [(f or font, t) for f, t in font_runs(text)]
    if right:
        x -= sum(pdfmetrics.stringWidth(t, f, size) for f, t in runs)
    for f, t in runs:
        canvas.setFont(f, size)
        canvas.drawString(x, y, t)
        x += pdfmetrics.stringWidth(t, f, size)


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


_OBJECT = "\ufffc"  # stands for a picture or anchor in a line while it is put in drawing order


def _line_text(words: list[ParaFrag]) -> tuple[str, list[int]]:
    """A laid-out line's text and, per character, the piece (one style) it belongs to."""
    text, owner = [], []
    for i, frag in enumerate(words):
        piece = getattr(frag, "text", None)
        if hasattr(frag, "cbDefn") or not isinstance(piece, str):
            piece = _OBJECT
        text.append(piece)
        owner.extend([i] * len(piece))
    return "".join(text), owner


def _frags_in_drawing_order(
    words: list[ParaFrag], owner: list[int], order: list[tuple[int, str]]
) -> list[ParaFrag]:
    """A laid-out line's pieces in drawing order: cut where the order changes, so each
    character keeps its own font and style."""
    out: list[ParaFrag] = []
    last = -1
    for index, ch in order:
        i = owner[index]
        frag = words[i]
        if hasattr(frag, "cbDefn") or not isinstance(getattr(frag, "text", None), str):
            out.append(frag)
            last = -1
        elif i == last:
            out[-1].text += ch
        else:
            out.append(frag.clone(text=ch))
            last = i
    # Pieces with no text (a line break) draw nothing: they stay, at the end.
    return out + [f for f in words if getattr(f, "text", None) == "" and not hasattr(f, "cbDefn")]


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
