"""The owner's monthly report as a PDF: headline figures, two charts, and the tables behind them.

``build(report, letterhead)`` takes the figures already in memory (a ``MonthlyReport``, see
``monthly_data``) and does nothing but lay them out, so the time reportlab takes
can be measured on its own. Everything is drawn in black, greys and line patterns: it reads
the same on a black-and-white printer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import BinaryIO, TypeVar

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from ptdesk.reports.common import RULE, Letterhead, Paragraph, TableCommand, escape, render, styles
from ptdesk.reports.monthly_data import AppointmentCounts, Headline, MonthlyReport, MonthPoint
from ptdesk.reports.text import FONT, FONT_BOLD

TITLE = "Monthly report"
HEADER_FILL = colors.HexColor("#e6e6e6")
STRIPE = colors.HexColor("#f5f5f5")
BAR_FILL = colors.HexColor("#7a7a7a")
WIDTH = 7.1 * inch  # letter width less the margins
ROLE_NAMES = {
    "owner": "Owner",
    "therapist": "PT",
    "assistant": "PTA",
    "technician": "Technician",
    "front_desk": "Front desk",
}
INCIDENT_NAMES = {"near_miss": "Near miss", "fall": "Fall"}
NONE = "–"
# A table cell: plain text, or a paragraph where the text may need to wrap or any script.
_Cell = TypeVar("_Cell", bound=Paragraph | str)


# -- formatting --------------------------------------------------------------------------------


def percent(value: float | None) -> str:
    return NONE if value is None else f"{value * 100:.1f}%"


def number(value: float | None, places: int = 1) -> str:
    return NONE if value is None else f"{value:.{places}f}"


def change(now: float | None, before: float | None, *, rate: bool = False) -> str:
    """The difference from the month before: "+2", "−1.5 pts", "0", or a dash."""
    if now is None or before is None:
        return NONE
    diff = (now - before) * (100 if rate else 1)
    if abs(diff) < 0.05:
        return "0"
    sign = "+" if diff > 0 else "−"
    text = f"{abs(diff):.1f}" if rate or not float(diff).is_integer() else f"{abs(diff):.0f}"
    return f"{sign}{text}{' pts' if rate else ''}"


def _table(
    rows: Sequence[list[_Cell]],
    widths: list[float],
    *,
    numeric_from: int = 1,
    total_row: bool = False,
) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    commands: list[TableCommand] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("LEADING", (0, 0), (-1, -1), 11),
        ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    for i in range(2, len(rows), 2):
        commands.append(("BACKGROUND", (0, i), (-1, i), STRIPE))
    if total_row:
        commands += [
            ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD),
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
        ]
    table.setStyle(TableStyle(commands))
    return table


# -- sections ----------------------------------------------------------------------------------


def _headline_rows(now: Headline, before: Headline | None) -> list[list[str]]:
    a = now.appointments

    def row(
        label: str,
        get: Callable[[AppointmentCounts, Headline], float | None],
        *,
        rate: bool = False,
    ) -> list[str]:
        value = get(a, now)
        old = get(before.appointments, before) if before is not None else None
        shown = percent(value) if rate else str(value)
        shown_old = (percent(old) if rate else str(old)) if before is not None else NONE
        return [label, shown, shown_old, change(value, old, rate=rate)]

    return [
        ["Figure", "This month", "Month before", "Change"],
        row("Appointments scheduled", lambda x, h: x.scheduled),
        row("Visits completed", lambda x, h: x.completed),
        row("No-shows", lambda x, h: x.no_show),
        row("Cancelled in time", lambda x, h: x.cancelled),
        row("Late cancellations", lambda x, h: x.late_cancelled),
        row("Unresolved (past, still open)", lambda x, h: x.unresolved),
        row("Arrival rate", lambda x, h: x.arrival_rate, rate=True),
        row("No-show rate", lambda x, h: x.no_show_rate, rate=True),
        row("Cancellation rate", lambda x, h: x.cancellation_rate, rate=True),
        row("Patients seen", lambda x, h: h.patients_seen),
        row("New patients", lambda x, h: h.new_patients),
        row("Evaluations", lambda x, h: h.evaluations),
        row("Billing units", lambda x, h: h.total_units),
    ]


def visits_chart(days: list[tuple[date, int]]) -> Drawing:
    """Completed visits per day of the month, as grey bars with the count's axis."""
    width, height = WIDTH, 2.0 * inch
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 26
    chart.width, chart.height = width - 44, height - 40  # type: ignore[assignment]  # the stubs say int; reportlab takes any number
    values = [n for _, n in days] or [0]
    chart.data = [values]
    chart.bars[0].fillColor = BAR_FILL
    chart.bars[0].strokeColor = colors.black
    chart.bars[0].strokeWidth = 0.4
    chart.categoryAxis.categoryNames = [
        str(d.day) if d.day == 1 or d.day % 5 == 0 else "" for d, _ in days
    ] or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    top = max(values)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(4, top + (1 if top < 10 else top // 8))
    chart.valueAxis.valueStep = max(1, (chart.valueAxis.valueMax + 3) // 4)
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#cccccc")
    chart.valueAxis.gridStrokeWidth = 0.3
    drawing.add(chart)
    drawing.add(String(34, 6, "Day of the month", fontName=FONT, fontSize=7))
    return drawing


RATE_LINES = (
    ("Arrival rate", "arrival_rate", None, "FilledCircle"),
    ("Cancellation rate", "cancellation_rate", (4, 2), "Square"),
    ("No-show rate", "no_show_rate", (1, 2), "Triangle"),
)


def rates_chart(trend: list[MonthPoint]) -> Drawing:
    """Arrival, cancellation and no-show rates per month: solid, dashed and dotted lines."""
    width, height = WIDTH, 2.3 * inch
    drawing = Drawing(width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = 34, 34
    chart.width, chart.height = width - 170, height - 48  # type: ignore[assignment]  # the stubs say int; reportlab takes any number
    data = []
    for _, attr, _, _ in RATE_LINES:
        # A month without outcomes has no rate; the line gaps there.
        data.append([_pct(getattr(p.counts, attr)) for p in trend] or [None])
    chart.data = data
    chart.categoryAxis.categoryNames = [p.month.strftime("%b %y") for p in trend] or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 25
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#cccccc")
    chart.valueAxis.gridStrokeWidth = 0.3
    for i, (_, _, dash, marker) in enumerate(RATE_LINES):
        line = chart.lines[i]
        line.strokeColor = colors.black
        line.strokeWidth = 1.2
        if dash:
            line.strokeDashArray = dash
        line.symbol = makeMarker(marker, size=4, fillColor=colors.black)  # type: ignore[no-untyped-call]  # the stubs leave makeMarker unannotated
        if sum(v is not None for v in data[i]) < 2:
            line.strokeColor = None  # a single month is a mark, not a line
    drawing.add(chart)
    if all(v is None for series in data for v in series):
        drawing.add(
            String(
                chart.x + chart.width / 2,
                chart.y + chart.height / 2,
                "No visits with an outcome in these months",
                fontName=FONT,
                fontSize=9,
                textAnchor="middle",
            )
        )
    legend = Legend()
    legend.x, legend.y = width - 125, height - 20  # type: ignore[assignment]  # the stubs say int; reportlab takes any number
    legend.fontName = FONT
    legend.fontSize = 8
    legend.alignment = "right"
    legend.columnMaximum = 3
    legend.dx, legend.dy = 22, 6
    legend.deltay = 14
    from reportlab.graphics.charts.legends import LineSwatch

    pairs = []
    for label, _, dash, _ in RATE_LINES:
        swatch = LineSwatch()
        swatch.strokeColor = colors.black
        swatch.strokeWidth = 1.2  # type: ignore[assignment]  # the stubs say int; reportlab takes any number
        swatch.strokeDashArray = dash
        pairs.append((swatch, label))
    legend.colorNamePairs = pairs
    legend.swatchMarker = None
    drawing.add(legend)
    return drawing


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


# -- the document ------------------------------------------------------------------------------


def build(
    report: MonthlyReport,
    letterhead: Letterhead,
    *,
    printed_on: date | None = None,
    out: Path | BinaryIO | None = None,
) -> bytes:
    """The monthly report as a PDF; returns its bytes (and writes ``out`` if given)."""
    st = styles()
    month = report.month.strftime("%B %Y")
    story: list[Flowable] = []

    def heading(text: str) -> None:
        story.append(CondPageBreak(1.4 * inch))
        story.append(Paragraph(escape(text), st["h2"]))

    def note(text: str) -> None:
        story.append(Paragraph(escape(text), st["small"]))

    story.append(Paragraph(f"Monthly report: {escape(month)}", st["title"]))
    a = report.appointments
    story.append(
        Paragraph(
            f"{a.completed} visits completed of {a.scheduled} scheduled; arrival rate "
            f"{percent(report.arrival_rate)}; {report.patients_seen} patients seen, "
            f"{report.new_patients} of them new.",
            st["body"],
        )
    )
    story.append(Spacer(1, 6))
    heading("Headline figures")
    story.append(
        _table(
            _headline_rows(report.headline, report.previous),
            [3.0 * inch, 1.35 * inch, 1.35 * inch, 1.4 * inch],
        )
    )
    note(
        f"Cancelled in time: at least {report.late_cancel_hours} hours before the start. "
        "Rates are out of the visits with an outcome (completed, cancelled, late-cancelled "
        f"and no-show: {a.outcomes} this month); {NONE} means there were none. "
        f"Units per visit: {number(report.units_per_visit)} "
        f"({report.records} session record{'s' if report.records != 1 else ''})."
    )

    if report.completed_by_day:
        story.append(
            KeepTogether(
                [
                    Paragraph("Completed visits per day", st["h2"]),
                    visits_chart(report.completed_by_day),
                ]
            )
        )
    if report.trend:
        story.append(
            KeepTogether(
                [
                    Paragraph("Arrival, cancellation and no-show rates, last 12 months", st["h2"]),
                    rates_chart(report.trend),
                ]
            )
        )

    heading("Staff")
    rows: list[list[Paragraph | str]] = [
        [
            "Staff member",
            "Role",
            "Completed",
            "No-shows",
            "Cancelled\nin time",
            "Late\ncancels",
            "Booked\nhours",
            "Working\nhours",
            "Utilization",
        ]
    ]
    name_style = ParagraphStyle("staff_name", parent=st["cell"], leading=11)  # as the table's
    for s in report.by_staff:
        rows.append(
            [
                Paragraph(escape(s.name), name_style),  # a name in any script
                ROLE_NAMES.get(s.role, s.role),
                str(s.completed),
                str(s.no_show),
                str(s.cancelled),
                str(s.late_cancelled),
                number(s.booked_hours, 2),
                number(s.working_hours, 0),
                percent(s.utilization),
            ]
        )
    if len(rows) == 1:
        rows.append(["Nobody saw patients this month.", "", "", "", "", "", "", "", ""])
    widths = [1.45, 0.8, 0.78, 0.72, 0.7, 0.6, 0.6, 0.65, 0.8]
    story.append(_table(rows, [w * inch for w in widths], numeric_from=2))
    note(
        "Booked hours: appointments not cancelled. Utilization: hours of completed visits "
        "out of the working hours in the month."
    )

    heading("Billing units by code")
    rows = [["Code", "Units", "Share"]]
    for code, units in report.units_by_code.items():
        share = units / report.total_units if report.total_units else None
        rows.append([code, str(units), percent(share)])
    rows.append(["Total", str(report.total_units), "100.0%" if report.total_units else NONE])
    story.append(_table(rows, [1.5 * inch, 1.0 * inch, 1.0 * inch], total_row=True))
    note(
        f"Units per visit: {number(report.units_per_visit)}, from {report.records} session "
        "records of this month's visits."
    )

    heading("Cleaning compliance")
    c = report.cleaning
    story.append(
        Paragraph(
            f"{c.done_on_time} of {c.due_periods} due cleanings done on time "
            f"({percent(c.compliance)}); {c.missed} missed. "
            f"Safety checks or calibrations overdue: {c.overdue_safety_checks}.",
            st["body"],
        )
    )
    if c.missed_items:
        rows = [["Missed cleaning", "Period"]]
        rows += [[item, period] for item, period in c.missed_items]
        story.append(Spacer(1, 4))
        story.append(_table(rows, [3.5 * inch, 3.0 * inch], numeric_from=2))
    if c.overdue_checks:
        rows = [["Overdue check", "Equipment", "Room", "Was due"]]
        rows += [[o.what, o.equipment, o.room, o.due.isoformat()] for o in c.overdue_checks]
        story.append(Spacer(1, 4))
        story.append(_table(rows, [1.9 * inch, 2.4 * inch, 1.5 * inch, 1.2 * inch], numeric_from=4))

    heading("Transfers")
    t = report.transfers
    story.append(
        Paragraph(
            f"Checklists completed: {t.completed}; aborted: {t.aborted}. "
            f"Near misses: {t.near_misses}; falls: {t.falls}.",
            st["body"],
        )
    )
    if t.incidents:
        rows = [["When", "Patient", "Incident", "What happened"]]
        for i in t.incidents:
            rows.append(
                [
                    i.when.strftime("%Y-%m-%d %H:%M"),
                    Paragraph(escape(f"{i.patient} ({i.chart_number})"), st["cell"]),
                    INCIDENT_NAMES.get(i.incident, i.incident),
                    Paragraph(escape(i.description or NONE), st["cell"]),
                ]
            )
        story.append(Spacer(1, 4))
        story.append(
            _table(rows, [1.25 * inch, 1.9 * inch, 0.9 * inch, 3.05 * inch], numeric_from=4)
        )

    heading("Authorizations ending or running out in the next 30 days")
    if report.authorizations_expiring:
        rows = [["Patient", "Payer", "Ends", "Used / allowed", "Booked", "Why"]]
        for x in report.authorizations_expiring:
            rows.append(
                [
                    Paragraph(escape(f"{x.patient} ({x.chart_number})"), st["cell"]),
                    Paragraph(escape(x.payer), st["cell"]),
                    x.end_date.isoformat(),
                    f"{x.visits_used} / {x.visits_authorized}",
                    str(x.visits_booked),
                    x.reason.capitalize(),
                ]
            )
        story.append(
            _table(
                rows,
                [w * inch for w in (2.0, 1.5, 0.95, 1.05, 0.6, 1.0)],
                numeric_from=6,
            )
        )
        note("Booked: open visits in those 30 days that count against the authorization.")
    else:
        story.append(Paragraph("None.", st["body"]))

    story.append(Spacer(1, 10))
    generated = report.generated_at.strftime("%Y-%m-%d %H:%M") if report.generated_at else ""
    note(f"Generated {generated} by ptdesk for {report.clinic_name}.")
    return render(
        story,
        title=TITLE,
        letterhead=letterhead,
        subject=f"Monthly report · {month}",
        printed_on=printed_on,
        out=out,
    )
