"""What printing in every script costs (prints the figures).

Run: uv run python benchmarks/bench_fonts.py

Each figure comes from a fresh process, so no font is registered before it is measured:
- start: registering DejaVu Sans, which every PDF needs;
- the first text that needs the CJK font (Droid Sans Fallback, 3.4 MB) or the emoji font
  (Noto Emoji, 0.9 MB): reading and registering it, time and memory;
- the day sheet's size and time with Latin names only, with CJK names, with emoji, and with a
  long Hebrew note (the right-to-left paragraph is put in drawing order line by line): the
  first one in a process that has printed a Latin day sheet before, then the median of four.
"""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = r"""
import json, time
from pathlib import Path

from ptdesk.reports import common
from ptdesk.reports import text as text_shaping


def rss_mb():
    status = Path("/proc/self/status").read_text()
    return int(next(x for x in status.splitlines() if x.startswith("VmRSS")).split()[1]) / 1024


out = {}
t = time.perf_counter(); text_shaping.register_fonts(); out["dejavu_ms"] = (time.perf_counter() - t) * 1e3
for name, sample in (("cjk", "李"), ("emoji", "\U0001f9b5")):
    before = rss_mb()
    t = time.perf_counter()
    common.escape(sample)
    out[name + "_ms"] = (time.perf_counter() - t) * 1e3
    out[name + "_mb"] = rss_mb() - before
print(json.dumps(out))
"""

DAY_SHEETS = r"""
import json, tempfile, time
from datetime import date, datetime
from pathlib import Path

from ptdesk.db import open_database
from ptdesk.services import documents, patients, scheduling
from ptdesk.services import staff as staff_service
from ptdesk.services.audit import SYSTEM, Actor
from ptdesk.services.patients import PatientData
from ptdesk.services.scheduling import BookingRequest

DAY = date(2026, 3, 11)
NOTE = " ".join(["המטופלת מגיעה עם הליכון ומביאה את תוצאות ה-MRI (מיום 3 במרץ)."] * 12)
CASES = {
    "latin": [("Ana", "Diaz", ""), ("Ben", "Okafor", ""), ("Zoë", "O'Brien", "")],
    "cjk": [("小龍", "李", ""), ("민준", "김", ""), ("ひろし", "カタヤマ", "")],
    "emoji": [("Zoë", "👩🏽\u200d⚕️", "🦵 💪")] * 3,
    "hebrew_note": [("שרה", "כהן", NOTE)] * 3,
}
out = {}
for case, names in [("warm-up", CASES["latin"]), (CASE, CASES[CASE])]:
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "c.sqlite3")
        with db.session() as s:
            owner = Actor.from_staff(staff_service.create_first_owner(s, "Olivia Owner"))
        with db.session() as s:
            t = staff_service.create_staff(s, owner, "Tara Therapist", "therapist", "PT")
            for hour, (first, last, note) in enumerate(names, start=8):
                p = patients.create_patient(s, owner, PatientData(first_name=first, last_name=last))
                start = datetime.combine(DAY, datetime.min.time()).replace(hour=hour)
                scheduling.book(
                    s, owner, BookingRequest(p.id, t.id, start, notes=note), override_reason="x"
                )
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            with db.session() as s:
                pdf = documents.day_sheet(s, SYSTEM, DAY)
            times.append((time.perf_counter() - t0) * 1e3)
        db.close()
    out[case] = {"bytes": len(pdf), "first_ms": times[0], "median_ms": sorted(times)[2]}
print(json.dumps(out))
"""


def run(code: str, case: str = "") -> dict:
    code = f"CASE = {case!r}\n" + code
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    runs = [run(CHILD) for _ in range(5)]

    def median(key: str) -> float:
        return sorted(r[key] for r in runs)[len(runs) // 2]

    print(f"DejaVu Sans at start:        {median('dejavu_ms'):6.1f} ms")
    print(f"CJK font, first use:         {median('cjk_ms'):6.1f} ms, {median('cjk_mb'):5.1f} MB")
    print(
        f"emoji font, first use:       {median('emoji_ms'):6.1f} ms, {median('emoji_mb'):5.1f} MB"
    )
    for case in ("latin", "cjk", "emoji", "hebrew_note"):
        f = run(DAY_SHEETS, case)[case]
        print(
            f"day sheet, {case:12s} {f['bytes'] / 1024:6.1f} KB, first {f['first_ms']:6.1f} ms,"
            f" then {f['median_ms']:6.1f} ms"
        )


if __name__ == "__main__":
    main()
