"""Power cut: a writer is killed at random moments; every write it saw committed survives whole.

A SIGKILL stops the process between any two instructions, as a power cut does to the program;
what it cannot show is a disk losing its write cache, which is SQLite's synchronous=FULL's part.
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest

from ptdesk.db import open_database
from tests.reliability import workload
from tests.reliability.cases import count
from tests.reliability.checks import check_writes, integrity, read_report

KILLS = int(os.environ.get("PTDESK_POWER_CUTS", "200"))


@pytest.mark.slow  # about a minute: 200 kills, each followed by a full integrity check
def test_killed_writer_loses_nothing_it_reported(children, clinic_file: Path, tmp_path: Path):
    ids = workload.make_clinic(clinic_file)
    report = tmp_path / "committed.txt"
    rng = random.Random(20261127)
    ours, theirs = children.Pipe()
    spawner = children.Process(
        target=workload.writer_spawner, args=(str(clinic_file), ids, str(report), theirs)
    )
    spawner.start()
    try:
        assert ours.poll(120) and ours.recv() == "warm"
        lines = len(read_report(report))
        for round_no in range(1, KILLS + 1):
            ours.send(str(round_no))
            pid = ours.recv()
            # A random moment: after a random number of this writer's commits (0 to 7; the
            # machine's speed does not matter), then a random fraction of the next one.
            _wait_for_lines(report, lines + rng.randint(0, 7))
            time.sleep(rng.uniform(0, 0.03))
            os.kill(pid, signal.SIGKILL)
            ours.send("killed")
            assert ours.recv() == -signal.SIGKILL
            db = open_database(clinic_file, backup=False)  # opens as after a power cut
            db.close()
            assert integrity(clinic_file) == ["ok"], f"damaged after kill {round_no}"
            reported = read_report(report)
            check_writes(clinic_file, reported)
            lines = len(reported)
        ours.send("stop")
        spawner.join(30)
    finally:
        if spawner.is_alive():
            spawner.kill()
            spawner.join(5)
    reported = read_report(report)
    found = check_writes(clinic_file, reported)
    count("power cut: SIGKILL of a writer", KILLS)
    count("power cut: commits reported, then found whole", len(reported))
    # Meaningful only when the kills landed among many writes.
    assert found.appointments > KILLS
    print(f"{KILLS} kills, {len(reported)} reported commits, {found}")


def _wait_for_lines(report: Path, n: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with report.open("rb") as fh:
            if fh.read().count(b"\n") >= n:
                return
        time.sleep(0.001)
    raise AssertionError(f"the writer did not reach {n} commits")
