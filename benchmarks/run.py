"""The performance suite: seeded demo clinics, every figure beside its budget, JSON out.

Usage: python benchmarks/run.py [--quick] [--json FILE] [--rebuild] [--only PARTS]

Builds demo clinics of 1 and 10 years once (cached in benchmarks/.cache, rebuilt when the demo
generator or the schema changes), then measures each figure as the median of several runs.
Start-up and memory are measured in fresh processes, side by side with a bare PySide6 +
SQLModel app on the same machine in the same run. Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
SEED = 7
SEARCH_PATIENTS = 20_000
SHEET_PATIENTS = 60
NOT_BUILT = "not measured (monthly report not built yet)"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from frontdesk import child_frontdesk, measure_cold_startup, measure_frontdesk  # noqa: E402

# What can be measured on its own (--only): every part runs by default.
PARTS = ("startup", "cold", "day_switch", "search", "monthly", "sheets", "memory", "frontdesk")


# -- helpers ---------------------------------------------------------------------------------
def median_of(runs: int, fn: Callable[[], float]) -> float:
    return statistics.median(fn() for _ in range(runs))


def fingerprint() -> str:
    """Changes when the demo generator, the models or the migrations change."""
    digest = hashlib.sha256()
    files = sorted((ROOT / "ptdesk" / "demo").glob("*.py"))
    files += sorted((ROOT / "ptdesk" / "models").glob("*.py"))
    files += sorted((ROOT / "ptdesk" / "migrations" / "versions").glob("*.py"))
    for f in files:
        digest.update(f.name.encode())
        digest.update(f.read_bytes())
    return digest.hexdigest()[:12]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    # Installed programs run from compiled bytecode; let the child write and reuse it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONUNBUFFERED"] = "1"
    env["QT_QPA_PLATFORM"] = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    env["PTDESK_DATA_DIR"] = str(CACHE / "data")
    env.pop("PTDESK_DB", None)
    return env


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- the clinics -----------------------------------------------------------------------------
def clinic(years: float, rebuild: bool) -> tuple[Path, float]:
    """The cached demo clinic of ``years`` and the seconds it took to generate."""
    from ptdesk.demo import create_demo_file

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"demo-{years:g}y-seed{SEED}-{fingerprint()}.sqlite3"
    meta = path.with_suffix(".json")
    if rebuild or not (path.exists() and meta.exists()):
        for stale in CACHE.glob(f"demo-{years:g}y-seed{SEED}-*"):
            if stale.is_file():
                stale.unlink()
        log(f"building the {years:g}-year demo clinic (once; cached in {CACHE})")
        t0 = time.perf_counter()
        summary = create_demo_file(path, years=years, seed=SEED)
        seconds = time.perf_counter() - t0
        meta.write_text(
            json.dumps(
                {"seconds": seconds, "built": datetime.now().isoformat(timespec="seconds"),
                 "patients": summary.patients, "appointments": summary.appointments}
            )
        )  # fmt: skip
    return path, json.loads(meta.read_text())["seconds"]


def search_clinic(base: Path) -> Path:
    """The large clinic topped up with synthetic patients to 20,000 (for the search figure)."""
    from sqlmodel import func, select

    from ptdesk.db import open_database
    from ptdesk.models import Patient

    path = base.with_name(base.stem + "-20k.sqlite3")
    if not path.exists():
        shutil.copyfile(base, path)
    db = open_database(path, backup=False)
    rng = random.Random(SEED)
    first = [
        "Ana",
        "Ben",
        "Carla",
        "Dev",
        "Elena",
        "Frank",
        "Grace",
        "Hugo",
        "Iris",
        "Jon",
        "Kemal",
        "Lena",
        "Mia",
        "Noor",
        "Omar",
        "Pia",
    ]
    last = [
        "Adams",
        "Baker",
        "Chen",
        "Diaz",
        "Evans",
        "Fischer",
        "Garcia",
        "Hill",
        "Ito",
        "Jones",
        "Khan",
        "Lopez",
        "Moore",
        "Nash",
    ]
    try:
        with db.session() as s:
            have = s.exec(select(func.count()).select_from(Patient)).one()
            for n in range(have, SEARCH_PATIENTS):
                s.add(
                    Patient(
                        chart_number=f"S{n:06d}",
                        first_name=rng.choice(first),
                        last_name=rng.choice(last),
                        date_of_birth=date(1930, 1, 1) + timedelta(days=rng.randrange(30000)),
                        phone=f"555-{rng.randrange(10000):04d}",
                        active=rng.random() < 0.4,
                    )
                )
    finally:
        db.close()
    return path


# -- fresh processes: start-up and memory ----------------------------------------------------
def _time_until(cmd: list[str], *markers: str) -> list[float]:
    """Seconds from starting ``cmd`` until it prints a line starting with each of ``markers``."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=child_env(), cwd=ROOT)  # fmt: skip
    seen: dict[str, float] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        for marker in markers:
            if marker not in seen and line.startswith(marker):
                seen[marker] = time.perf_counter() - t0
    proc.wait()
    missing = [m for m in markers if m not in seen]
    if missing:
        raise RuntimeError(f"{' '.join(cmd)} never printed {missing!r}")
    return [seen[m] for m in markers]


def _child_stdout(args: list[str]) -> str:
    """What a child of this script (``--child ...``) printed; its errors if it failed."""
    cmd = [sys.executable, str(Path(__file__).resolve()), *args]
    out = subprocess.run(cmd, capture_output=True, text=True, env=child_env(), cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{out.stderr[-3000:]}")
    return out.stdout


def clinic_today(db: Path) -> date:
    """The day a cached demo clinic was built for (its "today")."""
    meta = json.loads(db.with_suffix(".json").read_text())
    return date.fromisoformat(meta["built"][:10])


def _child_value(cmd: list[str], marker: str) -> float:
    out = subprocess.run(cmd, capture_output=True, text=True, env=child_env(), cwd=ROOT)
    for line in out.stdout.splitlines():
        if line.startswith(marker):
            return float(line.split()[-1])
    raise RuntimeError(f"{' '.join(cmd)} failed:\n{out.stderr[-2000:]}")


def measure_startup(db: Path, runs: int) -> tuple[float, float, float]:
    """Medians: the bare app shown; ptdesk's window shown; ptdesk's integrity check passed too
    (it reads the whole file beside the start-up; writes wait for it)."""
    me = [sys.executable, str(Path(__file__).resolve())]
    bare = [*me, "--child", "bare", "--db", str(db)]
    app = [sys.executable, "-m", "ptdesk", "--db", str(db), "--startup-check"]
    _time_until(bare, "shown")  # warm-up: bytecode, file cache (not counted)
    _time_until(app, "window shown", "startup ok")
    bare_runs, app_runs, checked_runs = [], [], []
    for _ in range(runs):  # alternate, so a busy moment hits both alike
        bare_runs.append(_time_until(bare, "shown")[0])
        shown, checked = _time_until(app, "window shown", "startup ok")
        app_runs.append(shown)
        checked_runs.append(checked)
    return (
        statistics.median(bare_runs),
        statistics.median(app_runs),
        statistics.median(checked_runs),
    )


def measure_cold(db: Path, runs: int) -> dict:
    """Start-up right after the page cache was dropped: the first start of the day."""
    me = [sys.executable, str(Path(__file__).resolve())]
    bare = [*me, "--child", "bare", "--db", str(db)]
    app = [sys.executable, "-m", "ptdesk", "--db", str(db), "--startup-check"]
    _time_until(bare, "shown")  # bytecode written, as an installed program has it
    _time_until(app, "window shown", "startup ok")
    return measure_cold_startup(
        db, runs, lambda: _time_until(bare, "shown")[0], lambda: _time_until(app, "window shown")[0]
    )


def measure_rss(db: Path) -> tuple[float, float]:
    me = [sys.executable, str(Path(__file__).resolve())]
    bare = _child_value([*me, "--child", "bare-rss", "--db", str(db)], "peak_rss_mb")
    app = _child_value([*me, "--child", "screens-rss", "--db", str(db)], "peak_rss_mb")
    return bare, app


def _peak_rss_mb() -> float:
    """This process's peak resident memory (Linux: VmHWM, which a fork's parent does not
    leak into, unlike getrusage)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def child_bare(db: Path, rss: bool) -> None:
    """The baseline: a bare window with a QTableView over a SQLModel query."""
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer
    from PySide6.QtWidgets import QApplication, QTableView
    from sqlmodel import Field, Session, SQLModel, create_engine, select

    class Patient(SQLModel, table=True):
        id: int | None = Field(default=None, primary_key=True)
        chart_number: str
        first_name: str
        last_name: str

    class Model(QAbstractTableModel):
        def __init__(self, rows):
            super().__init__()
            self.rows = rows

        def rowCount(self, parent=QModelIndex()):  # noqa: B008
            return len(self.rows)

        def columnCount(self, parent=QModelIndex()):  # noqa: B008
            return 3

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            if role == Qt.ItemDataRole.DisplayRole:
                r = self.rows[index.row()]
                return (r.chart_number, r.first_name, r.last_name)[index.column()]
            return None

    app = QApplication([sys.argv[0]])
    engine = create_engine(f"sqlite:///{db}")
    with Session(engine) as s:
        rows = s.exec(select(Patient)).all()
    view = QTableView()
    view.setModel(Model(rows))
    view.resize(1200, 780)
    view.show()

    def done() -> None:
        print(f"peak_rss_mb {_peak_rss_mb():.1f}" if rss else "shown", flush=True)
        app.quit()

    QTimer.singleShot(0, done)
    app.exec()


def child_screens(db: Path) -> None:
    """ptdesk's window on the clinic with every page opened once; prints the peak memory.

    It starts as ``ptdesk`` does (``ptdesk.cli.run``): the data layer is loaded before Qt."""
    from ptdesk.cli import load_data_layer

    load_data_layer()
    from PySide6.QtWidgets import QApplication

    from ptdesk.db import open_database
    from ptdesk.services import staff as staff_service
    from ptdesk.services.audit import Actor
    from ptdesk.ui.app import make_application
    from ptdesk.ui.bus import Bus
    from ptdesk.ui.context import AppContext
    from ptdesk.ui.main_window import MainWindow

    app = make_application([sys.argv[0]])
    database = open_database(db, backup=False)
    with database.session() as s:
        actor = Actor.from_staff(staff_service.default_actor(s))
    window = MainWindow(AppContext(db=database, actor=actor, bus=Bus(), demo=True))
    window.show()
    for row in range(window.navigation.count()):
        window.navigation.setCurrentRow(row)
        QApplication.processEvents()
    print(f"peak_rss_mb {_peak_rss_mb():.1f}", flush=True)
    window.hide()
    database.close()
    del app


# -- in-process figures ----------------------------------------------------------------------
def busy_days(db_path: Path, count: int) -> list[date]:
    """The ``count`` busiest weekdays of the clinic's last year (most appointments)."""
    from sqlmodel import func, select

    from ptdesk.db import open_database
    from ptdesk.models import Appointment

    db = open_database(db_path, backup=False)
    try:
        with db.session() as s:
            last = s.exec(select(func.max(Appointment.start))).one()
            since = last - timedelta(days=365)
            starts = s.exec(select(Appointment.start).where(Appointment.start >= since)).all()
    finally:
        db.close()
    per_day: dict[date, int] = {}
    for start in starts:
        per_day[start.date()] = per_day.get(start.date(), 0) + 1
    ranked = sorted(per_day, key=lambda d: (-per_day[d], d))[:count]
    return sorted(ranked)


def _context(db):
    from ptdesk.services import staff as staff_service
    from ptdesk.services.audit import Actor
    from ptdesk.ui.bus import Bus
    from ptdesk.ui.context import AppContext

    with db.session() as s:
        actor = Actor.from_staff(staff_service.default_actor(s))
    return AppContext(db=db, actor=actor, bus=Bus())


def measure_day_switch(db_path: Path, days: int) -> tuple[float, float]:
    """Median ms per day switch: set the day (query, model reset) and paint the grid."""
    from PySide6.QtWidgets import QApplication

    from ptdesk.db import open_database
    from ptdesk.ui.schedule.view import ScheduleView

    app = QApplication.instance() or QApplication([sys.argv[0]])
    chosen = busy_days(db_path, days)
    db = open_database(db_path, backup=False)
    try:
        view = ScheduleView(_context(db))
        view.resize(1400, 900)
        view.show()
        app.processEvents()
        for d in chosen[:5]:  # warm-up
            view.set_day(d)
            view.day_grid.viewport().repaint()
        timings, cpu = [], []
        for d in chosen:
            t0, c0 = time.perf_counter(), time.thread_time()
            view.set_day(d)
            view.day_grid.viewport().repaint()
            timings.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)
        view.close()
        view.deleteLater()
        app.processEvents()
    finally:
        db.close()
    return statistics.median(timings), statistics.median(cpu)


def search_words(rows) -> list[str]:
    """What a front desk types: parts of last names, first names, a chart number, a year."""
    rng = random.Random(SEED)
    picks = rng.sample(rows, 6)
    words = [picks[0].last_name[:4], picks[1].first_name[:3] + " " + picks[2].last_name[:2]]
    words += [picks[3].chart_number[-4:], picks[4].last_name[:5]]
    if picks[5].date_of_birth:
        words.append(str(picks[5].date_of_birth.year))
    return [w.lower() for w in words]


def measure_patient_search(db_path: Path, repeats: int) -> tuple[float, float, int]:
    """Median ms per keystroke: text changed, list filtered, count and detail updated, painted."""
    from PySide6.QtWidgets import QApplication

    from ptdesk.db import open_database
    from ptdesk.ui.patients.model import STATUS_ALL
    from ptdesk.ui.patients.view import PatientsView

    app = QApplication.instance() or QApplication([sys.argv[0]])
    db = open_database(db_path, backup=False)
    try:
        view = PatientsView(_context(db))
        view.resize(1400, 900)
        view.show()
        view.status_filter.setCurrentIndex(view.status_filter.findData(STATUS_ALL))
        app.processEvents()
        total = view.model.rowCount()
        words = search_words(view.model.rows())
        timings, cpu = [], []

        def keystroke(text: str) -> None:
            t0, c0 = time.perf_counter(), time.thread_time()
            view.search.setText(text)
            view.table.viewport().repaint()
            timings.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)
            app.processEvents()  # the detail panel follows the list (not part of the figure)

        for _ in range(repeats):
            for word in words:
                for end in range(1, len(word) + 1):
                    keystroke(word[:end])
                keystroke("")
        view.close()
        view.deleteLater()
        app.processEvents()
    finally:
        db.close()
    return statistics.median(timings), statistics.median(cpu), total


def measure_exercise_sheets(runs: int) -> tuple[float, float]:
    """Median seconds for the day's sheets of 60 patients: collect from the database, lay out."""
    from ptdesk.db import open_database
    from ptdesk.reports.common import Letterhead
    from ptdesk.reports.exercise_sheets import build_sheets
    from ptdesk.services import clinic as clinic_service
    from ptdesk.services import programs

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_exercise_sheets import DAY, make_clinic

    path = CACHE / f"sheets-{SHEET_PATIENTS}-{fingerprint()}.sqlite3"
    if not path.exists():
        for stale in CACHE.glob("sheets-*"):
            stale.unlink()
        make_clinic(path, SHEET_PATIENTS)
    db = open_database(path, backup=False)

    cpu: list[float] = []

    def once() -> float:
        t0, c0 = time.perf_counter(), time.thread_time()
        with db.session() as s:
            sheets = programs.sheets_for_day(s, DAY)
            letterhead = Letterhead.from_profile(clinic_service.get_profile(s))
        build_sheets(sheets, letterhead)
        cpu.append(time.thread_time() - c0)
        return time.perf_counter() - t0

    try:
        once()  # warm-up: fonts, pictures, imports
        cpu.clear()
        return median_of(runs, once), statistics.median(cpu)
    finally:
        db.close()


def monthly_steps(db, year: int, month: int):
    """Two callables: the whole monthly report from the database to PDF bytes, and reportlab
    alone building the same PDF (tables and charts) from figures already in memory."""
    from datetime import date as _date

    from ptdesk.reports import monthly
    from ptdesk.reports.common import Letterhead
    from ptdesk.services import clinic, documents, reporting
    from ptdesk.services.audit import SYSTEM

    first = _date(year, month, 1)
    with db.session() as s:
        figures = reporting.monthly_report(s, SYSTEM, first)
        head = Letterhead.from_profile(clinic.get_profile(s))

    def full() -> bytes:
        with db.session() as s:
            return documents.monthly_report(s, SYSTEM, first)

    def raw() -> bytes:
        return monthly.build(figures, head)

    return full, raw


def measure_monthly(db_path: Path, runs: int) -> tuple[float | str, float | str]:
    """The monthly report of the busiest month, and reportlab alone on the same figures."""
    try:
        importlib.import_module("ptdesk.reports.monthly")
    except ModuleNotFoundError:
        return NOT_BUILT, NOT_BUILT
    from ptdesk.db import open_database

    busiest = busy_days(db_path, 60)
    month = statistics.median_low([(d.year, d.month) for d in busiest])
    db = open_database(db_path, backup=False)
    try:
        full, raw = monthly_steps(db, *month)

        def timed(fn) -> float:
            t0 = time.perf_counter()
            fn()
            return time.perf_counter() - t0

        full()
        raw()
        return median_of(runs, lambda: timed(full)), median_of(runs, lambda: timed(raw))
    finally:
        db.close()


# -- the run ---------------------------------------------------------------------------------
def machine() -> dict:
    import PySide6
    import reportlab
    import sqlalchemy
    from PySide6.QtCore import qVersion

    return {
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "qt": qVersion(),
        "pyside6": PySide6.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "reportlab": reportlab.Version,
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


def budgets(r: dict) -> dict[str, bool | None]:
    def num(key):
        v = r.get(key)
        return v if isinstance(v, int | float) else None

    def check(key, limit) -> bool | None:
        v = num(key)
        return None if v is None or limit is None else v <= limit

    def times(key, factor):
        v = num(key)
        return None if v is None else v * factor

    ok = {
        "startup_s": check("startup_s", times("startup_bare_s", 1.3)),
        "day_switch_ms_1y": check("day_switch_ms_1y", 16),
        "day_switch_ms_10y": check("day_switch_ms_10y", 16),
        "day_switch_10y_vs_1y": check("day_switch_ms_10y", times("day_switch_ms_1y", 1.2)),
        "patient_search_ms": check("patient_search_ms", 16),
        "monthly_report_s": check("monthly_report_s", times("monthly_report_raw_s", 1.5)),
        "exercise_sheets_60_s": check("exercise_sheets_60_s", 1.0),
        "peak_rss_mb": check("peak_rss_mb", (num("peak_rss_bare_mb") or 0) + 60)
        if num("peak_rss_bare_mb") is not None
        else None,
        "startup_cold_s": check("startup_cold_s", times("startup_bare_cold_s", 1.3)),
        "frontdesk_mb_per_1000": check("frontdesk_mb_per_1000", 2.0),
        "appointment_dialog_end_ms": check(
            "appointment_dialog_end_ms", times("appointment_dialog_start_ms", 1.1)
        ),
    }
    if r.get("frontdesk_stopped_at") is not None:  # it leaked so fast it had to be stopped
        ok["frontdesk_mb_per_1000"] = False
    return ok


def report(r: dict) -> str:
    rows = [
        ("startup_bare_s", "s", "baseline"),
        ("startup_s", "s", "<= 1.3 x startup_bare_s"),
        ("startup_checked_s", "s", "report (window shown and integrity check passed)"),
        ("startup_bare_cold_s", "s", "baseline (page cache dropped)"),
        ("startup_cold_s", "s", "<= 1.3 x startup_bare_cold_s"),
        ("day_switch_ms_1y", "ms", "<= 16 ms"),
        ("day_switch_ms_10y", "ms", "<= 16 ms and <= 1.2 x 1y"),
        ("patient_search_ms", "ms", "<= 16 ms"),
        ("monthly_report_s", "s", "<= 1.5 x raw"),
        ("monthly_report_raw_s", "s", "baseline"),
        ("exercise_sheets_60_s", "s", "<= 1.0 s"),
        ("demo_10y_s", "s", "report"),
        ("db_10y_mb", "MB", "report"),
        ("peak_rss_bare_mb", "MB", "baseline"),
        ("peak_rss_mb", "MB", "<= bare + 60 MB"),
        ("frontdesk_mb_per_1000", "MB", "<= 2 MB per 1,000 actions"),
        ("appointment_dialog_start_ms", "ms", "baseline (start of the day)"),
        ("appointment_dialog_end_ms", "ms", "<= 1.1 x start of the day"),
    ]
    lines = [f"{'figure':<27} {'value':>12}  budget                      ok"]
    for key, unit, budget in rows:
        v = r.get(key)
        if v is None:  # not measured in this run (--only)
            continue
        shown = f"{v:.3f} {unit}" if isinstance(v, float) else str(v)
        ok = r["ok"].get(key, "")
        if key == "day_switch_ms_10y":
            pair = (r["ok"].get(key), r["ok"].get("day_switch_10y_vs_1y"))
            ok = None if None in pair else all(pair)
        mark = {True: "yes", False: "NO", None: "-", "": ""}[ok]
        c = r.get("cpu", {}).get(key)
        cpu_text = f"  (CPU {c:.3f} {unit})" if c is not None else ""
        if isinstance(v, str):
            lines.append(f"{key:<27} {v}")
        else:
            lines.append(f"{key:<27} {shown:>12}  {budget:<27} {mark:<3}{cpu_text}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller clinic, fewer repeats")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--rebuild", action="store_true", help="build the clinics afresh")
    parser.add_argument(
        "--only",
        metavar="PARTS",
        help=f"comma-separated parts to measure (default: all): {', '.join(PARTS)}",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--actions", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--today", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        db = Path(args.db)
        if args.child in ("bare", "bare-rss"):
            child_bare(db, rss=args.child == "bare-rss")
        elif args.child == "screens-rss":
            child_screens(db)
        elif args.child == "frontdesk":
            child_frontdesk(db, args.actions, date.fromisoformat(args.today))
        return 0
    wanted = set(PARTS) if not args.only else {p.strip() for p in args.only.split(",")}
    if wanted - set(PARTS):
        parser.error(f"unknown parts: {', '.join(sorted(wanted - set(PARTS)))}")

    started = time.perf_counter()
    large_years = 3 if args.quick else 10
    repeats = 3 if args.quick else 7
    small = clinic(1, args.rebuild)[0] if "day_switch" in wanted else None
    large, demo_seconds = clinic(large_years, args.rebuild)
    r: dict = {"quick": args.quick, "clinic_years": {"small": 1, "large": large_years}}
    # The same figures in CPU time of the measuring thread: steadier on a busy machine, and
    # shown beside the wall-clock figures (the budgets are judged on wall clock).
    cpu: dict[str, float] = {}
    r["cpu"] = cpu
    if "startup" in wanted:
        log("start-up (fresh processes)")
        r["startup_bare_s"], r["startup_s"], r["startup_checked_s"] = measure_startup(
            large, repeats
        )
    if "cold" in wanted:
        log("cold start-up (page cache dropped before each run)")
        r.update(measure_cold(large, repeats))
    if "day_switch" in wanted:
        log("schedule day switch")
        days = 20 if args.quick else 50
        r["day_switch_ms_1y"], cpu["day_switch_ms_1y"] = measure_day_switch(small, days)
        r["day_switch_ms_10y"], cpu["day_switch_ms_10y"] = measure_day_switch(large, days)
    if "search" in wanted:
        log("patient search")
        r["patient_search_ms"], cpu["patient_search_ms"], r["patients_searched"] = (
            measure_patient_search(search_clinic(large), 1 if args.quick else 3)
        )
    if "monthly" in wanted:
        log("monthly report")
        r["monthly_report_s"], r["monthly_report_raw_s"] = measure_monthly(large, repeats)
    if "sheets" in wanted:
        log("exercise sheets")
        r["exercise_sheets_60_s"], cpu["exercise_sheets_60_s"] = measure_exercise_sheets(
            3 if args.quick else 5
        )
    r["demo_10y_s"] = demo_seconds
    r["db_10y_mb"] = large.stat().st_size / 1e6
    if "memory" in wanted:
        log("memory (fresh processes)")
        r["peak_rss_bare_mb"], r["peak_rss_mb"] = measure_rss(large)
    if "frontdesk" in wanted:
        actions = 2_000 if args.quick else 10_000
        log(f"a day at the front desk ({actions} actions in the window; a fresh process)")
        day = measure_frontdesk(large, actions, clinic_today(large), _child_stdout)
        r["frontdesk_actions"] = day.get("actions")
        r["frontdesk_mb_per_1000"] = day.get("mb_per_1000")
        r["frontdesk_stopped_at"] = day.get("stopped_at")
        r["frontdesk_rss_mb"] = [day.get("rss_start_mb"), day.get("rss_end_mb")]
        r["frontdesk_trace"] = day.get("trace")
        r["appointment_dialog_start_ms"] = day.get("appointment_dialog_start_ms")
        r["appointment_dialog_end_ms"] = day.get("appointment_dialog_end_ms")
    r["ok"] = budgets(r)
    r["machine"] = machine()
    r["seconds"] = round(time.perf_counter() - started, 1)
    r["date"] = datetime.now().isoformat(timespec="seconds")
    if args.quick:
        log(f"--quick: the 'large' clinic covers {large_years} years, not 10")
    print(report(r))
    if r.get("frontdesk_actions") is not None:
        stopped = r.get("frontdesk_stopped_at")
        note = f", stopped at {stopped:.0f} (memory grew too fast)" if stopped else ""
        print(f"front desk: {r['frontdesk_actions']:.0f} actions{note}; "
              f"memory {r['frontdesk_rss_mb'][0]} -> {r['frontdesk_rss_mb'][1]} MB")  # fmt: skip
    if r.get("cold_method"):
        share = r.get("cold_cached_share")
        left = f", {share:.0%} of the largest files still cached" if share is not None else ""
        print(f"cold start: page cache dropped by {r['cold_method']}{left}")
    print(f"(medians; {r['seconds']} s in all on {r['machine']['cores']} cores)")
    if args.json:
        Path(args.json).write_text(json.dumps(r, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
