"""Text in any script for the documents: the fonts (shipped and loaded when first needed),
which font draws each character, Arabic letters joined, and right-to-left runs put in the order
they are drawn, for whole paragraphs and line by line.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from typing import Any

import arabic_reshaper
from bidi import algorithm as uba
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.pdfdoc import PDFDocument, PDFStream
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.paraparser import ParaFrag

from ptdesk.resources import resource_path

FONT = "PtSans"
FONT_BOLD = "PtSans-Bold"
FONT_ITALIC = "PtSans-Italic"

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
