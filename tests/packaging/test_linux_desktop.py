"""The Linux menu entry, AppStream metadata and per-user install script."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ptdesk import __version__

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
APP_ID = "org.ptdesk.ptdesk"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
INSTALL = LINUX / "install.sh"


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: bash dev.sh test installs it"
    return path


def test_appstream_metadata_is_valid():
    proc = subprocess.run(
        [tool("appstreamcli"), "validate", "--no-net", "--pedantic", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    report = proc.stdout + proc.stderr
    assert proc.returncode == 0, report
    assert not re.search(r"^[EW]: ", report, re.MULTILINE), report


def test_desktop_entry_is_valid():
    proc = subprocess.run(
        [tool("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True
    )
    report = proc.stdout + proc.stderr
    assert proc.returncode == 0, report
    assert "error:" not in report and "warning:" not in report, report


def test_metadata_names_this_version_and_the_menu_entry():
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    newest = root.find("releases/release")
    assert newest is not None and newest.get("version") == __version__, (
        "add a <release> for the version in ptdesk/__init__.py"
    )
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(DESKTOP, encoding="utf-8")
    icon = entry["Desktop Entry"]["Icon"]
    assert (ROOT / "resources" / "icons" / "hicolor" / "48x48" / "apps" / f"{icon}.png").is_file()
    assert entry["Desktop Entry"]["Exec"].split()[0] == "ptdesk"


def fake_build(folder: Path) -> Path:
    """A stand-in for dist/ptdesk: a program that prints its version."""
    app = folder / "ptdesk"
    (app / "_internal").mkdir(parents=True)
    program = app / "ptdesk"
    program.write_text(f"#!/bin/sh\necho 'ptdesk {__version__}'\n")
    program.chmod(0o755)
    return app


@pytest.mark.skipif(os.name != "posix", reason="the Linux install script runs under bash")
def test_install_puts_menu_entry_and_icons_in_place_and_uninstall_keeps_clinic_data(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home)}
    env.pop("XDG_DATA_HOME", None)
    env.pop("PTDESK_DATA_DIR", None)
    app = fake_build(tmp_path / "dist")
    share = home / ".local" / "share"

    subprocess.run(["bash", str(INSTALL), str(app)], env=env, check=True, capture_output=True)
    desktop = share / "applications" / DESKTOP.name
    installed_program = home / ".local" / "lib" / "ptdesk" / "ptdesk"
    assert f"Exec={installed_program}" in desktop.read_text()
    assert (share / "metainfo" / METAINFO.name).is_file()
    assert (share / "icons" / "hicolor" / "256x256" / "apps" / "ptdesk.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / "ptdesk.svg").is_file()
    linked = subprocess.run(
        [str(home / ".local" / "bin" / "ptdesk"), "--version"], capture_output=True, text=True
    )
    assert linked.stdout.strip() == f"ptdesk {__version__}"

    clinic = share / "ptdesk"  # where ptdesk keeps the clinic's data on Linux
    (clinic / "backups").mkdir(parents=True)
    (clinic / "ptdesk.sqlite3").write_bytes(b"clinic")
    (clinic / "backups" / "b.sqlite3").write_bytes(b"backup")
    done = subprocess.run(
        ["bash", str(INSTALL), "--uninstall"], env=env, check=True, capture_output=True, text=True
    )
    assert not installed_program.exists()
    assert not desktop.exists()
    assert not (home / ".local" / "bin" / "ptdesk").exists()
    assert not (share / "icons" / "hicolor" / "256x256" / "apps" / "ptdesk.png").exists()
    assert (clinic / "ptdesk.sqlite3").read_bytes() == b"clinic"
    assert (clinic / "backups" / "b.sqlite3").read_bytes() == b"backup"
    assert str(clinic) in done.stdout


def test_install_refuses_a_missing_build(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path)}
    proc = subprocess.run(
        ["bash", str(INSTALL), str(tmp_path / "nothing")], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "run packaging/build.sh first" in proc.stderr
    assert not (tmp_path / ".local" / "lib" / "ptdesk").exists()
