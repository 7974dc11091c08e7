"""A day at the front desk (memory and dialog times over many actions) and the cold start.

``run.py`` calls ``measure_frontdesk`` and ``measure_cold_startup``; the day itself runs in a
fresh process (``run.py --child frontdesk``) driven by the same code as the leak test
(tests/ui/frontdesk_day.py).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A day that leaks stops here rather than fill a shared machine's memory.
STOP_AFTER_GROWTH_MB = 600
SAMPLE_EVERY = 500  # actions between two memory readings
EDGE = 25  # openings of the appointment dialog timed at the start and at the end


# -- the day, in the child process ----------------------------------------------------------------
def slope_per_1000(points: list[tuple[int, float]]) -> float:
    """Least-squares growth of the readings (action count, MB) per 1,000 actions."""
    if len(points) < 2:
        return 0.0
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mx) ** 2 for x in xs)
    if not var:
        return 0.0
    return 1000 * sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var


def child_frontdesk(db_path: Path, actions: int, today: date) -> None:
    """Open the window on the clinic, warm up, then do ``actions`` actions; print the figures
    (``name value`` lines) as they become known."""
    from ptdesk.cli import load_data_layer

    load_data_layer()
    from PySide6.QtWidgets import QApplication

    from ptdesk.db import open_database
    from ptdesk.demo import DEMO_PINS
    from ptdesk.ui.app import collect_garbage_again, make_application

    sys.path.insert(0, str(ROOT))
    from tests.ui.frontdesk_day import (
        Answers,
        FrontDeskDay,
        answer_correction,
        clinic_day,
        open_window,
        rss_mb,
        settle,
    )

    app = make_application([sys.argv[0]])
    database = open_database(db_path, backup=False)
    collect_garbage_again()  # as the app does once the file is open
    with (
        clinic_day(datetime.combine(today, time(12, 30))),
        Answers({"correctStatusDialog": answer_correction}) as answers,
    ):
        window = open_window(database)
        window.backups.suspended = True  # the cached clinic stays as it was built
        day = FrontDeskDay(window, today=today, pin=DEMO_PINS["owner"], answers=answers)
        day.warm_up()
        settle()
        start = rss_mb()
        points = [(0, start)]
        print(f"rss_start_mb {start:.1f}", flush=True)
        first = len(day.timings.get("appointment dialog", []))
        done = 0
        while done < actions:
            step = min(SAMPLE_EVERY, actions - done)
            day.run(step)
            done += step
            settle()
            points.append((done, rss_mb()))
            if points[-1][1] - start > STOP_AFTER_GROWTH_MB:
                print(f"stopped_at {done}", flush=True)
                break
        opened = day.timings.get("appointment dialog", [])[first:]
        print(f"actions {done}")
        print(f"rss_end_mb {points[-1][1]:.1f}")
        print(f"mb_per_1000 {slope_per_1000(points):.3f}")
        print(f"appointment_dialog_openings {len(opened)}")
        if len(opened) >= 2 * EDGE:
            print(f"appointment_dialog_start_ms {statistics.median(opened[:EDGE]) * 1000:.2f}")
            print(f"appointment_dialog_end_ms {statistics.median(opened[-EDGE:]) * 1000:.2f}")
        print("trace " + " ".join(f"{n}:{mb:.1f}" for n, mb in points), flush=True)
        window.hide()
    database.close()
    del app, QApplication


def measure_frontdesk(
    db: Path, actions: int, today: date, run_child: Callable[[list[str]], str]
) -> dict[str, float | str]:
    """The day in a fresh process; its figures by name."""
    out = run_child(["--child", "frontdesk", "--db", str(db), "--actions", str(actions),
                     "--today", today.isoformat()])  # fmt: skip
    figures: dict[str, float | str] = {}
    for line in out.splitlines():
        name, _, value = line.partition(" ")
        if name == "trace":
            figures[name] = value
        elif value:
            try:
                figures[name] = float(value)
            except ValueError:
                continue
    return figures


# -- the cold start ------------------------------------------------------------------------------
def _files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []


def cold_files(db: Path) -> list[Path]:
    """What a first start of the day reads from the disk: the clinic file, the installed
    libraries (Qt's above all) and Python's own modules."""
    purelib = Path(sysconfig.get_paths()["purelib"])
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = [db, *(Path(f"{db}{s}") for s in ("-wal", "-shm"))]
    return [f for f in files if f.exists()] + _files_under(purelib) + _files_under(stdlib)


def drop_page_cache(files: list[Path]) -> str:
    """Make the next start read from the disk: drop the whole page cache where this account
    may (root, outside a container), else ask the kernel to forget ``files``' pages. Returns
    how it was done."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return "drop_caches"
    except OSError:
        pass
    if not hasattr(os, "posix_fadvise"):
        return "none"
    for path in files:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        except OSError:
            pass
        finally:
            os.close(fd)
    return "fadvise"


def cached_share(files: list[Path], largest: int = 300) -> float | None:
    """How much of the largest of ``files`` is still in the page cache (util-linux
    ``fincore``; None where it is missing): how cold a "cold" start really was."""
    sized = sorted(((f.stat().st_size, f) for f in files if f.exists()), reverse=True)
    chosen = [str(f) for _, f in sized[:largest]]
    try:
        out = subprocess.run(
            ["fincore", "--bytes", "--noheadings", "--raw", "--output", "RES,SIZE", *chosen],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    res = size = 0
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) == 2 and all(p.isdigit() for p in parts):
            res, size = res + int(parts[0]), size + int(parts[1])
    return res / size if size else None


def measure_cold_startup(
    db: Path,
    runs: int,
    time_bare: Callable[[], float],
    time_app: Callable[[], float],
) -> dict[str, float | str | None]:
    """Medians of the bare app and of ptdesk shown, each started right after the page cache
    was dropped; how it was dropped, and how much of the largest files stayed cached."""
    files = cold_files(db)
    bare, app, left = [], [], []
    method = "none"
    for _ in range(runs):
        method = drop_page_cache(files)
        share = cached_share(files)
        bare.append(time_bare())
        method = drop_page_cache(files)
        app.append(time_app())
        if share is not None:
            left.append(share)
    return {
        "startup_bare_cold_s": statistics.median(bare),
        "startup_cold_s": statistics.median(app),
        "cold_method": method,
        "cold_cached_share": statistics.median(left) if left else None,
    }
