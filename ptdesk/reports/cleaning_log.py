"""The printable cleaning log: every entry in a date range, then due-versus-done per item."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from ptdesk.reports.cleaning_log_data import CleaningLog
from ptdesk.reports.common import RULE, Letterhead, Paragraph, TableCommand, escape, render, styles
from ptdesk.reports.text import FONT, FONT_BOLD

TITLE = "Cleaning log"
HEADER_FILL = colors.HexColor("#e6e6e6")
STRIPE = colors.HexColor("#f5f5f5")

# A table row: paragraphs, or plain text where it fits on one line.
Row = list[Paragraph | str]


def _table(rows: Sequence[Row], widths: list[float], *, repeat: int = 1, size: float = 9) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=repeat, splitInRow=1)
    commands: list[TableCommand] = [
        # plain-text cells (those short enough for one line) use the body font
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size * 1.2),
        ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for i in range(2, len(rows), 2):
        commands.append(("BACKGROUND", (0, i), (-1, i), STRIPE))
    table.setStyle(TableStyle(commands))
    return table


def _range_text(start: date, end: date) -> str:
    if start == end:
        return start.isoformat()
    return f"{start.isoformat()} to {end.isoformat()}"


def build(
    report: CleaningLog,
    letterhead: Letterhead,
    *,
    printed_on: date | None = None,
    out: Path | BinaryIO | None = None,
) -> bytes:
    """The cleaning log as a landscape PDF; returns its bytes (and writes ``out`` if given)."""
    st = styles()
    cell = ParagraphStyle("log_cell", parent=st["cell"], fontSize=7.5, leading=9)
    bold = ParagraphStyle("log_cell_bold", parent=st["cell_bold"], fontSize=7.5, leading=9)

    def p(text: str, style: ParagraphStyle = cell) -> Paragraph:
        return Paragraph(escape(text), style)

    def fit(text: str, inches: float) -> str | Paragraph:
        """Plain text when it fits on one line (much faster to lay out), else a paragraph."""
        if stringWidth(text, FONT, cell.fontSize) <= inches * inch - 7:
            return text
        return p(text)

    widths = [0.4, 1.1, 1.4, 0.85, 1.05, 1.8, 0.7, 1.1, 1.2]

    subject = f"Cleaning log · {_range_text(report.start, report.end)}"
    story: list[Flowable] = []
    n = len(report.entries)
    story.append(
        Paragraph(
            f"{n} log entr{'y' if n == 1 else 'ies'} from {_range_text(report.start, report.end)}. "
            "Times are the clinic's local time. The log is never edited: a correction is a new "
            "entry that names the one it replaces.",
            st["small"],
        )
    )
    story.append(Spacer(1, 6))
    header: Row = [
        p(h, bold)
        for h in (
            "#",
            "Date / time",
            "Item",
            "Room",
            "Method",
            "Product",
            "Contact",
            "Staff",
            "Notes",
        )
    ]
    rows: list[Row] = [header]
    for e in report.entries:
        notes = [
            x
            for x in (e.status, e.correction_reason and f"Reason: {e.correction_reason}", e.notes)
            if x
        ]
        contact = f"{e.contact_minutes} min"
        if e.short_contact and not e.voids:
            contact += f" (SHORT: label {e.label_contact_minutes})"
        rows.append(
            [
                fit(str(e.number), widths[0]),
                fit(f"{e.cleaned:%Y-%m-%d %H:%M}", widths[1]),
                fit(e.item_name, widths[2]),
                fit(e.room_name or "Whole clinic", widths[3]),
                fit(e.method, widths[4]),
                fit(e.product, widths[5]),
                fit(contact, widths[6]),
                fit(e.staff_name, widths[7]),
                fit(" · ".join(notes), widths[8]),
            ]
        )
    if not report.entries:
        rows.append([p("No cleanings were logged in this range.")] + [""] * 8)
    story.append(_table(rows, [w * inch for w in widths], size=cell.fontSize))

    story.append(Spacer(1, 10))
    story.append(Paragraph("Due versus done", st["h2"]))
    if report.share is None:
        summary = "No daily, weekly or monthly cleaning period ended in this range."
    else:
        summary = (
            f"Daily, weekly and monthly items: {report.done_periods} of {report.due_periods} due "
            f"periods had a cleaning ({report.share:.0%}). Daily items are due on clinic days; "
            "a period still open on the day of printing counts once it is cleaned."
        )
    story.append(Paragraph(escape(summary), st["body"]))
    story.append(Spacer(1, 4))
    rows = [
        [p(h, bold) for h in ("Item", "Room", "Interval", "Due", "Done", "Share", "Missed periods")]
    ]
    for item in report.items:
        rows.append(
            [
                p(item.name),
                p(item.room_name or "Whole clinic"),
                p(item.interval),
                p(str(item.due_periods)),
                p(str(item.done_periods)),
                p("—" if item.share is None else f"{item.share:.0%}"),
                p(", ".join(item.missed) if item.missed else "None"),
            ]
        )
    if not report.items:
        rows.append([p("No items with a daily, weekly or monthly interval.")] + [""] * 6)
    widths = [1.9, 1.1, 0.85, 0.5, 0.5, 0.6, 4.15]
    story.append(_table(rows, [w * inch for w in widths]))

    story.append(Spacer(1, 10))
    story.append(Paragraph("Safety checks and calibrations", st["h2"]))
    if report.overdue_checks:
        rows = [[p(h, bold) for h in ("Item", "Room", "Check", "Was due")]]
        for f in report.overdue_checks:
            rows.append([p(f.name), p(f.room_name), p(f"OVERDUE: {f.what}"), p(f.due.isoformat())])
        story.append(_table(rows, [w * inch for w in (2.5, 1.5, 2.6, 1.2)]))
    else:
        story.append(
            Paragraph(
                f"No safety check or calibration overdue on {report.as_of.isoformat()}.", st["body"]
            )
        )
    return render(
        story,
        title=TITLE,
        letterhead=letterhead,
        subject=subject,
        printed_on=printed_on,
        out=out,
        pagesize=landscape(letter),
    )
