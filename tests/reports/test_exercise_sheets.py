"""Exercise sheets read back from the PDF: names, doses, precautions, pages, large print."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import date

import pytest
from pypdf import PdfReader

from ptdesk.errors import PtdeskError
from ptdesk.reports.common import Letterhead
from ptdesk.reports.exercise_sheets import (
    LARGE_BODY_PT,
    ExerciseSheet,
    Picture,
    SheetExercise,
    build_sheets,
    picture_flowable,
)
from ptdesk.services import exercises

HEAD = Letterhead("Harbor PT", "1 Main St\nTown", "555-201-0000", "desk@example.com")
DAY = date(2026, 3, 11)


def _png(width: int = 4, height: int = 3) -> bytes:
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _exercise(key: str, dose: str, notes: str = "") -> SheetExercise:
    entry = next(e for e in exercises.library() if e.key == key)
    return SheetExercise(
        name=entry.name,
        dose=dose,
        steps=list(entry.steps),
        notes=notes,
        picture=Picture(svg=exercises.library_picture_svg(key)),
    )


def _sheet(name: str = "Ana Diaz", *, large: bool = False, n: int = 4) -> ExerciseSheet:
    keys = ["bridge", "clamshell", "heel_slide", "calf_raise", "chin_tuck", "bird_dog"][:n]
    return ExerciseSheet(
        patient_name=name,
        chart_number="000123",
        day=DAY,
        therapist="Tara Lee, PT, DPT",
        precautions=["Fall risk", "No lifting over 10 lb"],
        large_print=large,
        exercises=[
            _exercise(k, f"2 sets of {10 + i}, hold 5 seconds, twice a day", "Go slowly")
            for i, k in enumerate(keys)
        ],
    )


def _pages(data: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]


def test_sheet_shows_patient_exercises_doses_precautions_and_pages():
    sheet = _sheet()
    pages = _pages(build_sheets([sheet], HEAD))
    text = " ".join(pages)
    for ex in sheet.exercises:
        assert ex.name in text
        assert ex.dose in text
    assert "Fall risk" in text and "No lifting over 10 lb" in text
    assert "Stop and call us at 555-201-0000" in text
    assert "Tara Lee, PT, DPT" in text
    assert "Tick a box each day" in text and "Sat 3/14" in text.replace("\n", " ")
    for number, page in enumerate(pages, start=1):
        assert "Ana Diaz" in page and "2026-03-11" in page and "Harbor PT" in page
        assert f"Page {number} of {len(pages)}" in page


def test_day_batch_names_each_patient_on_its_own_pages():
    ticks: list[tuple[int, int]] = []
    data = build_sheets(
        [_sheet("Ana Diaz"), _sheet("Ben Okafor", n=2)],
        HEAD,
        progress=lambda done, total: ticks.append((done, total)),
    )
    assert ticks == [(1, 2), (2, 2)]
    pages = _pages(data)
    ana = [p for p in pages if "Ana Diaz · Chart" in p]
    ben = [p for p in pages if "Ben Okafor · Chart" in p]
    assert ana and ben and len(ana) + len(ben) == len(pages)
    assert not any("Ana Diaz" in p for p in ben)
    assert f"Page 1 of {len(ben)}" in ben[0]
    assert "Your home exercises, Ben Okafor" in ben[0]


def _font_sizes(data: bytes, wanted: list[str]) -> dict[str, float]:
    """The size each wanted text is drawn at (text matrix scale times the font size)."""
    sizes: dict[str, float] = {}
    for page in PdfReader(io.BytesIO(data)).pages:

        def visit(text, cm, tm, font, size):
            for w in wanted:
                if w in text and w not in sizes:
                    sizes[w] = size * abs(tm[3] or 1) * abs(cm[3] or 1)

        page.extract_text(visitor_text=visit)
    return sizes


def test_large_print_uses_big_body_text_and_wide_margins():
    normal = _sheet(n=2)
    large = _sheet(large=True, n=2)
    step = normal.exercises[0].steps[0][:20]
    dose = normal.exercises[0].dose[:15]
    small_sizes = _font_sizes(build_sheets([normal], HEAD), [step, dose, "Fall risk"])
    big_data = build_sheets([large], HEAD)
    big_sizes = _font_sizes(big_data, [step, dose, "Fall risk"])
    assert set(big_sizes) == {step, dose, "Fall risk"}
    assert all(size >= LARGE_BODY_PT for size in big_sizes.values()), big_sizes
    assert all(size < LARGE_BODY_PT for size in small_sizes.values()), small_sizes
    # every piece of body text starts at least an inch from the left edge
    lefts: list[float] = []
    for page in PdfReader(io.BytesIO(big_data)).pages:
        page.extract_text(
            visitor_text=lambda t, cm, tm, f, s: (
                lefts.append(tm[4] + cm[4]) if s >= LARGE_BODY_PT and t.strip() else None
            )
        )
    assert lefts and min(lefts) >= 72


def test_pictures_photos_and_drawings_all_lay_out():
    for entry in exercises.library():
        drawing = picture_flowable(Picture(svg=exercises.library_picture_svg(entry.key)), 144)
        assert drawing is not None and drawing.width == 144 and drawing.contents, entry.key
    photo = picture_flowable(Picture(image=_png()), 144)
    assert photo is not None and round(photo.drawHeight) == 108
    assert picture_flowable(Picture(image=b"not a picture"), 144) is None
    sheet = _sheet(n=1)
    sheet.exercises[0].picture = Picture(image=_png())
    reader = PdfReader(io.BytesIO(build_sheets([sheet], HEAD)))
    assert any(page.images for page in reader.pages)


def test_exercise_row_lays_out_like_the_table_it_replaces():
    """The side-by-side exercise row and the box take the height a one-row table would."""
    from reportlab.platypus import Paragraph, Table, TableStyle

    from ptdesk.reports.exercise_sheets import _boxed, _ExerciseRow, sheet_styles

    st = sheet_styles(False)

    def texts() -> list:
        return [
            Paragraph("1. Bridge", st["name"]),
            Paragraph("2 sets of 10, hold 3 seconds", st["dose"]),
            Paragraph("1.&nbsp;&nbsp;Lie on your back with your knees bent. " * 3, st["step"]),
            Paragraph("2.&nbsp;&nbsp;Lift your hips.", st["step"]),
        ]

    row = _ExerciseRow([texts()], [300.0], 8, 0.6, "black")
    table = Table([[texts()]], colWidths=[300.0])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    assert row.wrap(300, 700) == (300, table.wrap(300, 700)[1])
    boxed = _boxed(texts(), 300.0)
    old = Table([[texts()]], colWidths=[300.0])
    old.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    assert boxed.wrap(300, 700)[1] == old.wrap(300, 700)[1]


def test_a_batch_shares_repeated_paragraphs_and_rewraps_them_for_a_new_width():
    from ptdesk.reports.exercise_sheets import Paragraphs, sheet_styles

    st = sheet_styles(False)
    para = Paragraphs()
    step = para("1.&nbsp;&nbsp;Lie on your back with your knees bent. " * 4, st["step"])
    assert para("1.&nbsp;&nbsp;Lie on your back with your knees bent. " * 4, st["step"]) is step
    assert para("Other text", st["step"]) is not step
    wide = step.wrap(400, 800)[1]
    assert step.wrap(400, 800)[1] == wide
    narrow = step.wrap(150, 800)[1]
    assert narrow > wide  # a narrower column takes more lines
    assert step.wrap(400, 800)[1] == wide


def _long_sheet(name: str, *, large: bool, steps: int, length: int) -> ExerciseSheet:
    step = ("Keep your back flat on the mat and breathe out slowly as you lift. " * 6)[:length]
    sheet = _sheet(name, large=large, n=2)
    sheet.exercises.append(
        SheetExercise(name="Clinic march", dose="1 set of 10", steps=[step] * steps)
    )
    return sheet


def test_clinic_exercise_with_many_long_steps_flows_over_pages():
    for sheet in (
        _long_sheet("Ana Diaz", large=True, steps=8, length=115),
        _long_sheet("Ben Okafor", large=False, steps=12, length=300),
    ):
        text = " ".join(_pages(build_sheets([sheet], HEAD)))
        assert "Clinic march" in text and "Tick a box each day" in text
        assert text.count("breathe out slowly") >= len(sheet.exercises[-1].steps)


def test_a_sheet_that_cannot_be_laid_out_is_left_out_and_named():
    tall = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 2000"></svg>'
    broken = _sheet("Cal Broken", n=1)
    broken.exercises[0].picture = Picture(svg=tall)
    left_out: list[str] = []
    data = build_sheets([_sheet("Ana Diaz", n=1), broken, _sheet("Ben Okafor", n=1)], HEAD,
                        left_out=left_out)  # fmt: skip
    text = " ".join(_pages(data))
    assert left_out == ["Cal Broken"]
    assert "Ana Diaz" in text and "Ben Okafor" in text and "Cal Broken" not in text
    with pytest.raises(PtdeskError, match="Cal Broken could not be laid out") as caught:
        build_sheets([broken], HEAD, left_out=[])
    assert "Flowable" not in caught.value.message


def test_an_exercise_that_fits_on_a_page_is_not_split_across_pages():
    for large in (False, True):
        sheet = _sheet(large=large, n=6)
        pages = _pages(build_sheets([sheet], HEAD))
        for ex in sheet.exercises:
            last_step = " ".join(ex.steps[-1].split()[-3:])
            assert any(ex.name in p and last_step in p for p in pages), (ex.name, large)
