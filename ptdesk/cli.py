"""The command line: opens the window, or runs a task (demo, backup, restore, check, export)."""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import sys
from datetime import date
from pathlib import Path

from ptdesk import __version__
from ptdesk.config import default_db_path, demo_db_path
from ptdesk.errors import PtdeskError

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class UsageError(PtdeskError):
    """Arguments that parse but do not make sense together (exit code 2)."""


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-03-31") from None


def _positive_years(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of years") from None
    if not 0 < value <= 20:
        raise argparse.ArgumentTypeError("years must be more than 0 and at most 20")
    return value


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="the clinic database file (default: $PTDESK_DB, else the data folder)",
    )
    parser = argparse.ArgumentParser(
        prog="ptdesk",
        description="ptdesk: the desktop assistant for a physical therapy clinic. "
        "Without a command it opens the window.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"ptdesk {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="open the window on the demo clinic (made on first use)"
    )
    parser.add_argument(
        "--startup-check",
        action="store_true",
        help="open the window, make sure it shows, and quit (for installers and smoke tests)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("demo", parents=[common], help="write a synthetic demo clinic to a new file")
    p.add_argument(
        "--years", type=_positive_years, default=1.0, help="years of history (default 1)"
    )
    p.add_argument(
        "--seed", type=int, default=7, help="random seed: same seed, same clinic (default 7)"
    )

    p = sub.add_parser("backup", parents=[common], help="back up the clinic database now")
    p.add_argument(
        "--out", metavar="FILE", help="where to write the copy (default: the backups folder)"
    )

    p = sub.add_parser(
        "reset-pin",
        parents=[common],
        help="set a staff member's sign-in PIN (e.g. an owner who forgot theirs)",
    )
    p.add_argument("name", metavar="NAME", help="the staff member's name as on the staff list")

    p = sub.add_parser("restore", parents=[common], help="replace the database with a backup")
    p.add_argument("file", metavar="FILE", help="the backup file to restore")

    sub.add_parser("check", parents=[common], help="check the database (exit 0 when healthy)")

    p = sub.add_parser("export", parents=[common], help="export data")
    export = p.add_subparsers(dest="what", metavar="WHAT", required=True)
    e = export.add_parser("appointments", parents=[common], help="appointments as CSV")
    e.add_argument("--from", dest="date_from", type=_date, required=True, metavar="DATE")
    e.add_argument("--to", dest="date_to", type=_date, required=True, metavar="DATE")
    e.add_argument("--format", choices=["csv"], default="csv")
    e.add_argument("--out", metavar="FILE", help="write to FILE instead of the screen")
    e = export.add_parser(
        "day-sheet", parents=[common], help="the day's appointments per staff member as PDF"
    )
    e.add_argument("--date", dest="day", type=_date, required=True, metavar="DATE")
    e.add_argument("--out", metavar="FILE.pdf", required=True, help="where to write the PDF")
    e = export.add_parser(
        "cleaning-log", parents=[common], help="the equipment cleaning log as a PDF"
    )
    e.add_argument("--from", dest="date_from", type=_date, required=True, metavar="DATE")
    e.add_argument("--to", dest="date_to", type=_date, required=True, metavar="DATE")
    e.add_argument("--out", metavar="FILE.pdf", required=True, help="where to write the PDF")
    e = export.add_parser(
        "exercise-sheets",
        parents=[common],
        help="the day's home exercise sheets as one PDF",
        description="A sheet for every patient with an appointment that day (not cancelled) "
        "and an active home program; or one patient's sheet with --patient.",
    )
    e.add_argument(
        "--date", dest="day", type=_date, default=None, metavar="DATE", help="default: today"
    )
    e.add_argument("--staff", metavar="NAME", help="only this staff member's patients")
    e.add_argument("--patient", metavar="CHART", help="only this patient (chart number)")
    e.add_argument("--out", metavar="FILE.pdf", required=True, help="where to write the PDF")
    e = export.add_parser(
        "session-summary", parents=[common], help="one visit's session summary as a PDF"
    )
    e.add_argument("--appointment", type=int, required=True, metavar="ID")
    e.add_argument(
        "--patient-copy",
        action="store_true",
        help="the patient's take-home version (no billing codes)",
    )
    e.add_argument("--out", metavar="FILE.pdf", required=True, help="where to write the PDF")
    _add_report_and_csv_commands(export, sub, common)
    return parser


def _month(text: str) -> str:
    from ptdesk.services.reporting import parse_month

    try:
        return parse_month(text).isoformat()
    except PtdeskError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a month like 2026-03") from None


def _add_report_and_csv_commands(export, sub, common) -> None:
    """The monthly report, CSV exports of each kind, and the CSV import."""
    e = export.add_parser(
        "monthly-report",
        parents=[common],
        help="the owner's monthly report (PDF, or its figures as JSON or CSV)",
    )
    e.add_argument("--month", type=_month, required=True, metavar="YYYY-MM")
    e.add_argument("--format", dest="fmt", choices=["pdf", "json", "csv"], default="pdf")
    e.add_argument("--out", metavar="FILE", required=True, help="where to write the report")
    for kind, ranged, what in (
        ("patients", True, "patients added or seen in the range"),
        ("cleaning", True, "the cleaning log"),
        ("sessions", True, "session records, one line per billed intervention"),
        ("staff", False, "the staff list"),
        ("equipment", False, "the equipment inventory"),
    ):
        e = export.add_parser(kind, parents=[common], help=f"{what} as CSV")
        if ranged:
            e.add_argument("--from", dest="date_from", type=_date, required=True, metavar="DATE")
            e.add_argument("--to", dest="date_to", type=_date, required=True, metavar="DATE")
        e.add_argument("--format", choices=["csv"], default="csv")
        e.add_argument("--out", metavar="FILE", help="write to FILE instead of the screen")
    p = sub.add_parser(
        "import",
        parents=[common],
        help="import staff, patients, appointments or equipment from a CSV file",
        description="The whole file is checked first; it is imported only when every row is "
        "valid (all or nothing). Rows already on file are left as they are.",
    )
    p.add_argument("kind", choices=["staff", "patients", "appointments", "equipment"])
    p.add_argument("file", metavar="FILE.csv")
    p.add_argument(
        "--dry-run", action="store_true", help="check the file and say what would be imported"
    )


def _db_path(args: argparse.Namespace) -> Path:
    return default_db_path(getattr(args, "db", None))


def cmd_demo(args: argparse.Namespace) -> int:
    from ptdesk.demo import create_demo_file

    if not getattr(args, "db", None):
        raise UsageError("Say where to write the demo clinic: ptdesk demo --db PATH")
    path = Path(args.db)
    summary = create_demo_file(path, years=args.years, seed=args.seed)
    print(
        f"Demo clinic written to {path}: {summary.staff} staff, {summary.rooms} rooms, "
        f"{summary.patients} patients, {summary.appointments} appointments "
        f"({summary.first_day} to {summary.last_day})."
    )
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from ptdesk.backup import create_backup, thin_backups
    from ptdesk.db import inspect_file

    path = _db_path(args)
    inspect_file(path)
    if not path.exists():
        raise PtdeskError(f"There is no clinic file at {path} to back up.")
    out = create_backup(path, Path(args.out) if args.out else None, reason="manual")
    if not args.out:
        thin_backups(path)
    print(f"Backup written to {out}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from ptdesk.backup import restore_backup
    from ptdesk.single_instance import is_running

    path = _db_path(args)
    if is_running(path):
        raise PtdeskError(
            "ptdesk is open on this clinic file. Close the window first, then restore."
        )
    safety = restore_backup(path, Path(args.file))
    from ptdesk.db import open_database
    from ptdesk.services import audit

    db = open_database(path)  # the restored file says in its own trail that it was restored
    try:
        with db.session() as session:
            audit.record(
                session,
                audit.SYSTEM,
                "restore",
                "database",
                None,
                summary=f"Restored from the backup {Path(args.file).name}",
            )
    finally:
        db.close()
    print(f"Restored {path} from {args.file}.")
    if safety:
        print(f"The file it replaced is kept as {safety}")
    return EXIT_OK


def _read_pin(prompt: str) -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(prompt)
    return sys.stdin.readline().strip()


def cmd_reset_pin(args: argparse.Namespace) -> int:
    from sqlmodel import func, select

    from ptdesk.db import open_database
    from ptdesk.models import Staff
    from ptdesk.services import auth
    from ptdesk.services.audit import SYSTEM

    path = _db_path(args)
    if not path.exists():
        raise PtdeskError(f"There is no clinic file at {path}.")
    pin = _read_pin("New PIN (4 to 8 digits): ")
    again = _read_pin("The same PIN again: ")
    db = open_database(path, create=False)
    try:
        with db.session() as session:
            wanted = args.name.strip().lower()
            member = session.exec(
                select(Staff).where(func.lower(Staff.name) == wanted, Staff.active)
            ).first()
            if member is None:
                raise PtdeskError(f"Nobody called {args.name!r} is on the active staff list.")
            auth.set_pin(session, SYSTEM, member.id, auth.check_setup_pin(pin, again))
    finally:
        db.close()
    print(f"The PIN for {member.name} is set; they can sign in with it now.")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from ptdesk.db import check_database

    report = check_database(_db_path(args))
    print(report.text, file=sys.stdout if report.ok else sys.stderr)
    return EXIT_OK if report.ok else EXIT_FAILURE


def cmd_export(args: argparse.Namespace) -> int:
    if args.what == "monthly-report":
        return export_monthly_report(args)
    if args.what in ("patients", "cleaning", "sessions", "staff", "equipment"):
        return export_csv(args)
    if args.what == "cleaning-log":
        return cmd_export_cleaning_log(args)
    if args.what == "exercise-sheets":
        return export_exercise_sheets(args)
    if args.what == "session-summary":
        return export_session_summary(args)
    from ptdesk.db import open_database

    if args.what == "day-sheet":
        return _export_day_sheet(args)
    from ptdesk.services.exports import write_appointments_csv

    db = open_database(_db_path(args), create=False)
    try:
        with db.session() as session:
            if args.out:
                out = Path(args.out)
                partial = out.with_name(out.name + ".partial")
                try:
                    with partial.open("w", newline="", encoding="utf-8") as fh:
                        n = write_appointments_csv(session, args.date_from, args.date_to, fh)
                    partial.replace(out)
                except OSError as exc:
                    partial.unlink(missing_ok=True)
                    raise PtdeskError(f"Could not write {out}: {exc.strerror}.") from exc
                print(f"{n} appointments written to {out}", file=sys.stderr)
            else:
                write_appointments_csv(session, args.date_from, args.date_to, sys.stdout)
    finally:
        db.close()
    return EXIT_OK


def _write_file(out: Path, data: bytes) -> None:
    """Write ``out`` whole or not at all (a private file: it holds patients' details)."""
    from ptdesk.reports.common import write_atomically

    try:
        write_atomically(out, data)
    except OSError as exc:
        raise PtdeskError(f"Could not write {out}: {exc.strerror}.") from exc


def _export_day_sheet(args: argparse.Namespace) -> int:
    from ptdesk.db import open_database
    from ptdesk.services import documents
    from ptdesk.services.audit import SYSTEM
    from ptdesk.services.scheduling import day_appointments

    out = Path(args.out)
    if not out.parent.exists():
        raise PtdeskError(f"The folder {out.parent} does not exist.")
    db = open_database(_db_path(args), create=False)
    try:
        with db.session() as session:
            n = sum(1 for a in day_appointments(session, args.day) if a.status != "cancelled")
            data = documents.day_sheet(session, SYSTEM, args.day)
    finally:
        db.close()
    _write_file(out, data)
    print(
        f"Day sheet for {args.day.isoformat()} ({n} appointments) written to {out}", file=sys.stderr
    )
    return EXIT_OK


def cmd_export_cleaning_log(args: argparse.Namespace) -> int:
    if args.date_to < args.date_from:
        raise UsageError("--to is before --from")
    from ptdesk.db import open_database
    from ptdesk.services import documents
    from ptdesk.services.audit import SYSTEM
    from ptdesk.services.cleaning import history

    out = Path(args.out)
    if not out.parent.is_dir():
        raise PtdeskError(f"The folder {out.parent} does not exist.")
    db = open_database(_db_path(args), create=False)
    try:
        with db.session() as session:
            n = len(history(session, start=args.date_from, end=args.date_to))
            data = documents.cleaning_log(session, SYSTEM, args.date_from, args.date_to)
    finally:
        db.close()
    _write_file(out, data)
    print(f"{n} cleaning log entries written to {out}", file=sys.stderr)
    return EXIT_OK


def export_exercise_sheets(args: argparse.Namespace) -> int:
    from ptdesk.db import open_database
    from ptdesk.services import clock, documents, programs
    from ptdesk.services.audit import SYSTEM

    if args.patient and args.staff:
        raise UsageError("Use --patient or --staff, not both.")
    out = Path(args.out)
    if not out.parent.is_dir():
        raise PtdeskError(f"The folder {out.parent} does not exist.")
    db = open_database(_db_path(args), create=False)
    day = args.day or clock.today()  # the clinic's today: its zone is known once the file is open
    try:
        with db.session() as session:
            if args.patient:
                patient = programs.find_patient(session, args.patient)
                pdf = documents.exercise_sheet_for_patient(session, SYSTEM, patient.id, day)
                printed, left_out = 1, []
            else:
                staff_id = programs.find_staff(session, args.staff).id if args.staff else None
                try:
                    batch = documents.exercise_sheets_for_day(
                        session, SYSTEM, day, staff_id=staff_id
                    )
                except documents.NothingToPrint:
                    who = f" for {args.staff}" if args.staff else ""
                    raise PtdeskError(
                        f"Nobody booked on {day.isoformat()}{who} has an active home program; "
                        "no file was written."
                    ) from None
                pdf, printed, left_out = batch.pdf, len(batch.patients), batch.left_out
    finally:
        db.close()
    _write_file(out, pdf)
    for name in left_out:
        print(f"Left out the sheet for {name}: it could not be laid out.", file=sys.stderr)
    print(f"{printed} exercise sheets written to {out}", file=sys.stderr)
    return EXIT_OK


def export_session_summary(args: argparse.Namespace) -> int:
    from ptdesk.db import open_database
    from ptdesk.services import documents
    from ptdesk.services.audit import SYSTEM

    out = Path(args.out)
    if not out.parent.is_dir():
        raise PtdeskError(f"The folder {out.parent} does not exist.")
    make = documents.patient_copy if args.patient_copy else documents.session_summary
    db = open_database(_db_path(args), create=False)
    try:
        with db.session() as session:
            data = make(session, SYSTEM, args.appointment)
    finally:
        db.close()
    _write_file(out, data)
    kind = "patient copy" if args.patient_copy else "summary"
    print(f"Session {kind} for appointment {args.appointment} written to {out}", file=sys.stderr)
    return EXIT_OK


def export_monthly_report(args: argparse.Namespace) -> int:
    from ptdesk.db import open_database
    from ptdesk.services import documents, reporting
    from ptdesk.services.audit import SYSTEM

    out = Path(args.out)
    if not out.parent.is_dir():
        raise PtdeskError(f"The folder {out.parent} does not exist.")
    month = date.fromisoformat(args.month)
    db = open_database(_db_path(args), create=False)
    try:
        with db.session() as session:
            if args.fmt == "pdf":
                data = documents.monthly_report(session, SYSTEM, month)
            else:
                report = reporting.monthly_report(session, SYSTEM, month, with_history=False)
                text = (
                    reporting.report_json(report)
                    if args.fmt == "json"
                    else reporting.report_csv(report)
                )
                data = text.encode("utf-8")
    finally:
        db.close()
    _write_file(out, data)
    label = month.strftime("%B %Y")
    print(f"Monthly report for {label} ({args.fmt}) written to {out}", file=sys.stderr)
    return EXIT_OK


def export_csv(args: argparse.Namespace) -> int:
    from ptdesk.db import open_database
    from ptdesk.services.exports import write_csv

    start, end = getattr(args, "date_from", None), getattr(args, "date_to", None)
    if start and end and end < start:
        raise UsageError("--to is before --from")
    db = open_database(_db_path(args), create=False)
    try:
        with db.session() as session:
            if not args.out:
                write_csv(session, args.what, sys.stdout, start, end)
                return EXIT_OK
            out = Path(args.out)
            partial = out.with_name(out.name + ".partial")
            try:
                with partial.open("w", newline="", encoding="utf-8") as fh:
                    n = write_csv(session, args.what, fh, start, end)
                partial.replace(out)
            except OSError as exc:
                partial.unlink(missing_ok=True)
                raise PtdeskError(f"Could not write {out}: {exc.strerror}.") from exc
    finally:
        db.close()
    print(f"{n} rows of {args.what} written to {out}", file=sys.stderr)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from ptdesk.db import open_database
    from ptdesk.services.audit import SYSTEM
    from ptdesk.services.imports import ImportRejected, import_csv

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PtdeskError(f"Could not read {path}: {exc.strerror}.") from exc
    db = open_database(_db_path(args), create=False)
    try:
        with db.session() as session:
            result = import_csv(session, SYSTEM, args.kind, data, dry_run=args.dry_run)
    except ImportRejected as exc:
        for warning in exc.preview.warnings:
            print(f"ptdesk: note: {warning}", file=sys.stderr)
        raise
    finally:
        db.close()
    for warning in result.warnings:
        print(f"ptdesk: note: {warning}", file=sys.stderr)
    verb = "would be added" if args.dry_run else "added"
    print(
        f"{result.added} {args.kind} {verb}; {result.on_file} already on file."
        + (" Nothing was written (dry run)." if args.dry_run else ""),
        file=sys.stderr,
    )
    return EXIT_OK


COMMANDS = {
    "import": cmd_import,
    "demo": cmd_demo,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "reset-pin": cmd_reset_pin,
    "check": cmd_check,
    "export": cmd_export,
}


def load_data_layer() -> None:
    """Import the database layer and the first screen's services before Qt.

    Once PySide6 is loaded it reads the source text of every Python module imported after it
    (looking for its own name in it) and the text stays cached: importing the data layer
    first saves that reading on start-up and keeps some 20 MB of source text out of memory.
    """
    for name in DATA_LAYER:
        importlib.import_module(name)


# What the first window needs from outside ptdesk.ui (a test keeps this list complete).
DATA_LAYER = (
    "ptdesk.backup",
    "ptdesk.db",
    "ptdesk.models",
    "ptdesk.services.auth",
    "ptdesk.services.sessions",
    "ptdesk.services.staff",
    "ptdesk.services.today",
    "ptdesk.single_instance",
)


def run(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # Commands speak in plain sentences; technical detail goes to the log file, not the screen.
    logging.getLogger().addHandler(logging.NullHandler())
    if args.command is None:
        # Loading the libraries makes about a million objects that live as long as the app;
        # the cyclic garbage collector would scan them over and over while they are made (a
        # quarter of the start-up time). It is switched back on once the clinic file is open,
        # before anyone signs in (``ptdesk.ui.app.collect_garbage_again``).
        gc.disable()
        load_data_layer()
        from ptdesk.ui.app import run_app

        if args.demo and getattr(args, "db", None):
            parser.error("--demo and --db cannot be used together")
        path = demo_db_path() if args.demo else _db_path(args)
        try:
            return run_app(path, demo=args.demo, startup_check=args.startup_check)
        finally:
            gc.enable()  # whichever way the window ended (or never opened)
    if args.demo or args.startup_check:
        parser.error("--demo and --startup-check open the window; they do not go with a command")
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"ptdesk: error: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    except PtdeskError as exc:
        print(f"ptdesk: {exc.message}", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:  # output piped into a program that stopped reading (e.g. head)
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return EXIT_FAILURE
