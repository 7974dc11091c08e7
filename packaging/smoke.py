"""Start a built ptdesk offscreen against a fresh data folder and check it came up and went down.

    uv run python packaging/smoke.py dist/ptdesk/ptdesk [--compare-source]

Checks: ``--version`` names this version; ``--startup-check`` on an empty data folder creates
the clinic file, brings it to the newest schema (so every migration was bundled), shows the
window and exits 0 without a traceback; a second start opens the existing file the same way.
Prints how long each start took (and, with --compare-source, the same from the source tree).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from ptdesk import __version__  # noqa: E402
from ptdesk.config import DB_FILENAME  # noqa: E402
from ptdesk.db import head_revision  # noqa: E402

TIMEOUT_S = 180


class SmokeFailure(Exception):
    """The built app did not do what a fresh install must."""


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float


def run(cmd: list[str], env: dict[str, str]) -> Run:
    started = time.perf_counter()
    proc = subprocess.run(
        cmd, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, stdin=subprocess.DEVNULL
    )
    return Run(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - started)


def clean_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PTDESK_DB", None)
    env["PTDESK_DATA_DIR"] = str(data_dir)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def schema_revision(db_path: Path) -> str | None:
    con = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        con.close()
    return row[0] if row else None


def expect_startup(result: Run, db_path: Path, what: str) -> None:
    detail = f"\n--- stdout ---\n{result.out}\n--- stderr ---\n{result.err}"
    if result.code != 0:
        raise SmokeFailure(f"{what}: exit code {result.code}{detail}")
    if "Traceback" in result.err:
        raise SmokeFailure(f"{what}: a Python error was printed{detail}")
    if "startup ok: window shown=True" not in result.out:
        raise SmokeFailure(f"{what}: no 'startup ok' line{detail}")
    if not db_path.is_file():
        raise SmokeFailure(f"{what}: no clinic file at {db_path}{detail}")
    revision, head = schema_revision(db_path), head_revision()
    if revision != head:
        raise SmokeFailure(f"{what}: schema version {revision}, expected {head}{detail}")


def start_twice(cmd: list[str], label: str) -> tuple[float, float]:
    """Start on a fresh data folder, then again on the file it made; return both times."""
    with tempfile.TemporaryDirectory(prefix="ptdesk-smoke-") as tmp:
        data = Path(tmp) / "data"
        env = clean_env(data)
        db_path = data / DB_FILENAME
        fresh = run([*cmd, "--startup-check"], env)
        expect_startup(fresh, db_path, f"{label}, fresh data folder")
        again = run([*cmd, "--startup-check"], env)
        expect_startup(again, db_path, f"{label}, existing clinic file")
    return fresh.seconds, again.seconds


def check_printing(executable: Path) -> None:
    """The built app makes real PDFs: fonts, pictures and layout all came along."""
    from datetime import date, timedelta

    day = date.today()
    while day.isoweekday() > 5:  # the demo clinic is open Monday to Friday
        day += timedelta(days=1)
    with tempfile.TemporaryDirectory(prefix="ptdesk-smoke-") as tmp:
        env = clean_env(Path(tmp))
        db = Path(tmp) / "demo.sqlite3"
        made = run([str(executable), "demo", "--db", str(db), "--years", "0.1"], env)
        if made.code != 0:
            raise SmokeFailure(f"demo: exit {made.code}: {made.err.strip()}")
        for what in ("day-sheet", "exercise-sheets"):
            out = Path(tmp) / f"{what}.pdf"
            result = run(
                [
                    str(executable),
                    "export",
                    what,
                    "--db",
                    str(db),
                    "--date",
                    day.isoformat(),
                    "--out",
                    str(out),
                ],
                env,
            )
            if result.code != 0 or "Traceback" in result.err:
                raise SmokeFailure(f"export {what}: exit {result.code}: {result.err.strip()}")
            data = out.read_bytes()
            if not data.startswith(b"%PDF") or len(data) < 2000:
                raise SmokeFailure(f"export {what}: {out.name} is not a whole PDF")
            print(f"smoke: export {what} -> {len(data) // 1024} KB PDF", flush=True)


def smoke(executable: Path, *, compare_source: bool = False) -> int:
    executable = Path(executable)
    if not executable.is_file():
        print(f"smoke: no built program at {executable}", file=sys.stderr)
        return 1
    try:
        with tempfile.TemporaryDirectory(prefix="ptdesk-smoke-") as tmp:
            version = run([str(executable), "--version"], clean_env(Path(tmp)))
        if version.code != 0 or version.out.strip() != f"ptdesk {__version__}":
            raise SmokeFailure(
                f"--version: exit {version.code}, printed {version.out!r} {version.err!r}"
            )
        print(f"smoke: {executable} --version -> {version.out.strip()}", flush=True)
        built = start_twice([str(executable)], "built app")
        print(
            f"startup (built): {built[0]:.2f} s on a fresh data folder (creates the file, "
            f"migrates to {head_revision()}), {built[1]:.2f} s on an existing file",
            flush=True,
        )
        check_printing(executable)
        if compare_source:
            source = start_twice([sys.executable, "-m", "ptdesk"], "from source")
            print(
                f"startup (source): {source[0]:.2f} s on a fresh data folder, "
                f"{source[1]:.2f} s on an existing file",
                flush=True,
            )
    except SmokeFailure as exc:
        print(f"smoke FAILED: {exc}", file=sys.stderr)
        return 1
    except subprocess.TimeoutExpired as exc:
        print(f"smoke FAILED: {exc.cmd} did not finish in {TIMEOUT_S} s", file=sys.stderr)
        return 1
    print("smoke: ok", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("executable", type=Path, help="the built ptdesk program")
    parser.add_argument(
        "--compare-source", action="store_true", help="also time starting from the source tree"
    )
    args = parser.parse_args(argv)
    return smoke(args.executable, compare_source=args.compare_source)


if __name__ == "__main__":
    sys.exit(main())
