"""Names in any script, as the screens and the printouts show them."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import unicodedata
from datetime import date, datetime

import pytest
from bidi import get_display
from pypdf import PdfReader
from PySide6.QtCore import Qt
from reportlab.lib.enums import TA_LEFT, TA_RIGHT

from ptdesk.reports import common
from ptdesk.reports import text as text_shaping
from ptdesk.services import documents, patients, scheduling
from ptdesk.services import staff as staff_service
from ptdesk.services.audit import SYSTEM
from ptdesk.services.patients import PatientData
from ptdesk.services.scheduling import BookingRequest
from ptdesk.ui.patients.view import PatientsView
from tests.reliability.cases import count

WESTERN = [("María-José", "Núñez"), ("Zoë", "O'Brien"), ("François", "Læssøe")]
WORLD = [
    ("שרה", "כהן"),  # Hebrew, right to left
    ("محمد", "عبد الله"),  # Arabic, right to left
    ("小龍", "李"),
    ("Nguyễn", "Thị"),
    ("Zoë", "👩🏽‍⚕️"),
]
DAY = date(2026, 3, 11)


def _book_all(db, owner, names) -> None:
    with db.session() as s:
        therapist = staff_service.create_staff(s, owner, "Tara Therapist", "therapist", "PT")
        for hour, (first, last) in enumerate(names, start=8):
            p = patients.create_patient(s, owner, PatientData(first_name=first, last_name=last))
            scheduling.book(
                s,
                owner,
                BookingRequest(
                    p.id,
                    therapist.id,
                    datetime.combine(DAY, datetime.min.time()).replace(hour=hour),
                ),
                override_reason="test",
            )


def _day_sheet_text(db) -> str:
    with db.session() as s:
        pdf = documents.day_sheet(s, SYSTEM, DAY)
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_patient_list_shows_names_in_any_script_exactly(qtbot, ctx, qtmodeltester):
    _book_all(ctx.db, ctx.actor, WESTERN + WORLD)
    view = PatientsView(ctx)
    qtbot.addWidget(view)
    qtmodeltester.check(view.model)
    shown = {
        view.model.index(r, 0).data(Qt.ItemDataRole.DisplayRole)
        for r in range(view.model.rowCount())
    }
    assert shown == {f"{last}, {first}" for first, last in WESTERN + WORLD}
    count("text: names in any script shown in the patient list (UI)", len(WESTERN + WORLD))


def test_the_day_sheet_prints_western_names(db, owner):
    _book_all(db, owner, WESTERN)
    text = _day_sheet_text(db)
    for first, last in WESTERN:
        assert f"{first} {last}" in text
    count("text: accented Latin names printed on the day sheet (PDF)", len(WESTERN))


def _day_sheet_pdf(db) -> bytes:
    with db.session() as s:
        return documents.day_sheet(s, SYSTEM, DAY)


def _logical(extracted: str) -> str:
    """Text read back from the PDF with letters in their plain forms, as read back and with
    right-to-left runs turned round (the reader does not know the drawing order)."""
    lines = extracted.split("\n")
    return unicodedata.normalize("NFKC", "\n".join(lines + [get_display(ln) for ln in lines]))


def _fonts(pdf: bytes) -> dict[str, bool]:
    """Every font the pages use: its name (without the subset tag) and whether it is embedded."""
    found = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            found[name] = embedded
    return found


RTL_AND_CJK = [
    ("שרה", "כהן"),
    ("محمد", "عبد الله"),
    ("小龍", "李"),
    ("Nguyễn", "Thị"),
    ("민준", "김"),
    ("ひろし", "カタヤマ"),
]


def test_the_day_sheet_prints_hebrew_arabic_cjk_and_vietnamese_names(db, owner):
    """Right-to-left names are drawn in reading order (Arabic letters joined), Chinese,
    Japanese and Korean names in the shipped CJK font: read back, every name is there."""
    _book_all(db, owner, RTL_AND_CJK)
    pdf = _day_sheet_pdf(db)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    shown = _logical(text)
    for first, last in RTL_AND_CJK:
        for word in f"{first} {last}".split():
            assert word in shown, (word, shown)
    assert "\u25a1" not in text  # no character fell back to the white square
    fonts = _fonts(pdf)
    assert fonts["DejaVuSans"] and fonts["DroidSansFallback"], fonts
    assert not {"STSong-Light", "HYSMyeongJo-Medium"} & set(fonts)
    count("text: Hebrew, Arabic, CJK, Korean, Vietnamese names printed (PDF)", len(RTL_AND_CJK))


@pytest.mark.parametrize(
    "text, drawn",
    [
        ("שרה כהן", "ןהכ הרש"),  # Hebrew: drawn right to left
        ("Dr שרה 12", "Dr 12 הרש"),  # a number after a right-to-left run joins it
        ("a < b & c", "a < b & c"),
        ("(שרה)", "(הרש)"),  # brackets mirrored: they still open before the name
        ("כהן (שרה) [3]", "[3] (הרש) ןהכ"),
        ("Dr Cohen (שרה)", "Dr Cohen (הרש)"),  # a bracket in a left-to-right line: as typed
    ],
)
def test_right_to_left_runs_are_drawn_in_reading_order(text, drawn):
    assert "".join(run for _font, run in text_shaping.font_runs(text)) == drawn
    count("text: right-to-left runs reordered for printing")


def test_characters_no_font_has_print_as_a_white_square_not_nothing():
    runs = text_shaping.font_runs("Zoë \U00013000 👩🏽\u200d⚕\ufe0f")  # an Egyptian hieroglyph
    text = "".join(run for _font, run in runs)
    assert text == "Zoë \u25a1 👩⚕"  # the hieroglyph: a square, not a blank
    assert "\u200d" not in text and "\U0001f3fd" not in text  # modifiers are dropped
    count("text: characters without a glyph printed as a visible square")


def test_cjk_names_are_embedded_in_the_pdf(db, owner):
    """A reader without Asian fonts still shows the name: the CJK letters travel in the file."""
    _book_all(db, owner, [("小龍", "李"), ("민준", "김")])
    pdf = _day_sheet_pdf(db)
    fonts = _fonts(pdf)
    assert fonts.get("DroidSansFallback") is True, fonts
    used = {name for name in fonts if name != "Helvetica"}  # reportlab's unused starting font
    assert all(fonts[name] for name in used), fonts
    assert len(pdf) < 60_000  # only the letters used are embedded, not a 3.4 MB font
    count("text: CJK names embedded in the PDF")


def test_the_day_sheet_prints_emoji(db, owner):
    """Emoji print in black and white outlines; a sequence prints as the emoji it joins
    (a woman and the staff of Aesculapius for the woman health worker), skin tone left off."""
    _book_all(db, owner, [("Zoë", "👩🏽\u200d⚕\ufe0f"), ("Ray", "😀🦵")])
    pdf = _day_sheet_pdf(db)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Zoë 👩⚕" in text and "Ray 😀🦵" in text
    assert "\u25a1" not in text and "\U0001f3fd" not in text
    fonts = _fonts(pdf)
    assert fonts.get("NotoEmoji-Regular") is True, fonts
    count("text: emoji printed (PDF)", 2)


def _drawn_text(story) -> str:
    letterhead = common.Letterhead("Clinic")
    pdf = common.render(story, title="Notes", letterhead=letterhead, subject="Notes")
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _drawn_lines(story) -> list[str]:
    text = _drawn_text(story)
    return [line for line in text.split("\n") if "מילה" in line or "كلمة" in line]


def test_long_right_to_left_notes_wrap_in_reading_order():
    """The first words of a long Hebrew note are on its first line, each line drawn from
    right to left: read back left to right, numbers fall within a line and rise down the lines."""
    words = [f"מילה{n}" for n in range(900)]  # "word0" … "word899": two pages
    para = common.Paragraph(common.escape(" ".join(words)), common.styles()["body"])
    lines = _drawn_lines([para])
    assert len(lines) >= 60
    numbers = [[int(n) for n in re.findall(r"\d+", line)] for line in lines]
    assert numbers[0][-1] == 0  # word0 first, at the right end of the first line
    for line in numbers:
        assert line == sorted(line, reverse=True), numbers
    # Line after line and page after page (the part on the next page keeps its direction).
    assert [n for line in numbers for n in reversed(line)] == list(range(900))
    count("text: long right-to-left notes wrapped in reading order")


def _as_drawn(para, width: float) -> list[str]:
    """The paragraph's lines as it draws them, each left to right."""
    para.wrap(width, 10_000)
    drawn = para._in_drawing_order(para.blPara)
    if drawn.kind == 0:
        return [" ".join(words) for _extra, words in drawn.lines]
    return ["".join(getattr(f, "text", "") for f in line.words) for line in drawn.lines]


def test_mixed_hebrew_arabic_and_english_notes_wrap_in_reading_order():
    """English inside a right-to-left note stays left to right within its run; the note's
    lines follow its words; a line break starts a run with its own direction."""
    hebrew = " ".join(f"מילה{n}" for n in range(12))
    arabic = " ".join(f"كلمة{n}" for n in range(12, 24))
    note = f"{hebrew} (bring the MRI report) {arabic}"
    markup = common.escape(note) + "<br/>" + common.escape("Then: שרה")
    para = common.Paragraph(markup, common.styles()["cell"])
    assert para.style.alignment == TA_RIGHT  # a right-to-left note starts at the right edge
    lines = _as_drawn(para, 150)
    assert len(lines) >= 5
    numbers = [[int(n) for n in re.findall(r"\d+", line)] for line in lines]
    assert [n for line in numbers for n in reversed(line)] == list(range(24)), lines
    english = " ".join(lines)
    assert "bring the MRI" in english, lines  # English is not turned round
    assert "MRI)" in english and "(report" in english  # brackets in the right-to-left flow
    assert lines[-1] == "Then: הרש"  # after the break: an English run with a Hebrew name
    # The same lines, read back from the PDF (the reader turns right-to-left runs round).
    text = _drawn_text([common.Paragraph(markup, common.styles()["cell"])])
    assert "bring the" in text and "Then: " in text
    count("text: mixed-direction notes wrapped in reading order")


def test_left_to_right_text_is_left_alone():
    para = common.Paragraph("Plain <b>English</b> (as typed)", common.styles()["body"])
    assert para.style.alignment == TA_LEFT and not para._bidi
    letterhead = common.Letterhead("Clinic")
    pdf = common.render([para], title="Notes", letterhead=letterhead, subject="Notes")
    assert "Plain English (as typed)" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_cjk_and_emoji_fonts_load_only_when_a_text_needs_them():
    """Start-up and documents in Latin, Hebrew or Arabic never read the large fonts."""
    script = (
        "from ptdesk.reports import common\nfrom ptdesk.reports import text as text_shaping\n"
        "common.escape('Ana שרה محمد Zoë'); print(sorted(text_shaping.extra_fonts_loaded()))\n"
        "common.escape('李'); print(sorted(text_shaping.extra_fonts_loaded()))\n"
        "common.escape('🦵'); print(sorted(text_shaping.extra_fonts_loaded()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.split("\n")[:3] == ["[]", "['PtCJK']", "['PtCJK', 'PtEmoji']"], out


def test_rare_han_the_shipped_font_lacks_uses_the_readers_font():
    assert text_shaping.font_for("李") == text_shaping.CJK_FONT
    assert text_shaping.font_for("\u3400") == text_shaping.READER_HAN_FONT  # CJK extension A
    assert text_shaping.font_for("\U00020000") == ""  # extension B: no font here, a white square


def test_directions_are_worked_out_over_the_paragraph_not_each_line():
    """A full stop after a Hebrew word that the next line's Hebrew continues belongs to the
    Hebrew: it is drawn to the left of the word, as it would be were the line longer."""
    lines = ["Dr Cohen: שרה.", "שלום"]
    drawn = [
        "".join(ch for _i, ch in line) for line in text_shaping.lines_in_drawing_order(lines, False)
    ]
    assert drawn == ["Dr Cohen: .הרש", "םולש"]
    alone = "".join(ch for _i, ch in text_shaping.drawing_order(lines[0], False))
    assert alone == "Dr Cohen: הרש."  # the line alone: the stop ends the English sentence
    # Each character keeps its place in its line.
    order = text_shaping.lines_in_drawing_order(lines, False)[0]
    assert sorted(i for i, _ch in order) == list(range(len(lines[0])))


def test_line_breaks_in_a_note_are_not_printed_as_squares():
    markup = common.escape("שורה ראשונה\nsecond line\tend")
    assert "\u25a1" not in markup and "\n" in markup
    para = common.Paragraph(markup.replace("\n", "<br/>"), common.styles()["body"])
    assert _as_drawn(para, 400) == ["הנושאר הרוש", "second line end"]
