"""The desktop build: PyInstaller makes the one-folder app, and the built program starts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_built_app_starts_offscreen_on_a_fresh_data_folder(tmp_path, capsys):
    """Build from scratch, then --version and the start-up check against an empty data folder."""
    dist, work = tmp_path / "dist", tmp_path / "work"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "build.py"),
            "--dist",
            str(dist),
            "--work",
            str(work),
            "--smoke",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
        stdin=subprocess.DEVNULL,
    )
    figures = [
        line
        for line in proc.stdout.splitlines()
        if line.startswith(("build time", "build size", "startup", "smoke"))
    ]
    with capsys.disabled():  # the build's time and size belong in the test run's output
        print("\n" + "\n".join(f"  {line}" for line in figures))
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-8000:]
    assert "smoke: ok" in proc.stdout
    assert any(line.startswith("build size:") for line in figures)

    # What Alembic and the app read as files at run time went into the build.
    internal = next(p for p in (dist / "ptdesk").iterdir() if p.is_dir())
    migrations = internal / "ptdesk" / "migrations"
    assert (migrations / "env.py").is_file()
    assert (migrations / "script.py.mako").is_file()
    shipped = {p.name for p in (migrations / "versions").glob("0*.py")}
    in_source = {p.name for p in (ROOT / "ptdesk" / "migrations" / "versions").glob("0*.py")}
    assert shipped == in_source and shipped
    assert (internal / "resources" / "icons" / "ptdesk.svg").is_file()
    fonts = internal / "resources" / "fonts"
    for name in ("DejaVuSans.ttf", "DroidSansFallback.ttf", "NotoEmoji-Regular.ttf"):
        assert (fonts / name).is_file(), name
    assert {p.name for p in fonts.glob("LICENSE-*.txt")} >= {
        "LICENSE-DejaVu.txt",
        "LICENSE-DroidSansFallback.txt",
        "LICENSE-NotoEmoji.txt",
    }
    shutil.rmtree(dist)  # 200 MB; kept only when the test fails, to look into
    shutil.rmtree(work)
