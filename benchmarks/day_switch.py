"""Benchmark: switching the Schedule's day view (query + model reset + paint) on a large clinic.

Usage: QT_QPA_PLATFORM=offscreen python benchmarks/day_switch.py [--years 10] [--db PATH]
Prints median, 95th percentile and worst time per day switch over a run of clinic days.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time as clock
from datetime import date, timedelta
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", type=float, default=10)
    parser.add_argument("--db", help="an existing demo clinic (made when missing)")
    parser.add_argument("--days", type=int, default=120)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from ptdesk.db import open_database
    from ptdesk.demo import create_demo_file
    from ptdesk.services import staff as staff_service
    from ptdesk.services.audit import Actor
    from ptdesk.ui.bus import Bus
    from ptdesk.ui.context import AppContext
    from ptdesk.ui.schedule.view import ScheduleView

    path = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "bench.sqlite3"
    if not path.exists():
        t0 = clock.perf_counter()
        summary = create_demo_file(path, years=args.years)
        print(f"demo clinic: {summary.appointments} appointments, "
              f"made in {clock.perf_counter() - t0:.1f} s")  # fmt: skip
    app = QApplication.instance() or QApplication(sys.argv)
    db = open_database(path)
    with db.session() as s:
        actor = Actor.from_staff(staff_service.default_actor(s))
    view = ScheduleView(AppContext(db=db, actor=actor, bus=Bus()))
    view.resize(1400, 900)
    view.show()
    app.processEvents()
    day = date.today() - timedelta(days=args.days)
    days = []
    while len(days) < args.days:
        day += timedelta(days=1)
        if day.isoweekday() <= 5:
            days.append(day)
    timings = []
    cpu = []
    counts = []
    for d in days:
        t0, c0 = clock.perf_counter(), clock.thread_time()
        view.set_day(d)
        view.day_grid.viewport().repaint()
        timings.append((clock.perf_counter() - t0) * 1000)
        cpu.append((clock.thread_time() - c0) * 1000)
        counts.append(len(view.day_grid.grid_model.appointments))
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"day switch over {len(days)} clinic days ({statistics.mean(counts):.0f} appointments/day "
          f"on average): median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
          f"best {timings[0]:.1f} ms, worst {timings[-1]:.1f} ms")  # fmt: skip
    print(f"CPU time of the same switches (less sensitive to a busy machine): "
          f"median {statistics.median(cpu):.1f} ms")  # fmt: skip
    view.close()
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
