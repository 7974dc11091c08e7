"""The Inno Setup script: a per-user install with a start-menu entry that leaves data alone."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "packaging" / "windows" / "ptdesk.iss"


def sections() -> dict[str, list[str]]:
    """The script's lines by [Section], comments and blank lines left out."""
    found: dict[str, list[str]] = {}
    current = ""
    for raw in ISS.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            current = header.group(1)
            found.setdefault(current, [])
        elif current:
            found[current].append(line)
    return found


def setup_values() -> dict[str, str]:
    return dict(line.split("=", 1) for line in sections()["Setup"])


def test_installs_for_the_signed_in_user_without_administrator_rights():
    setup = setup_values()
    assert setup["PrivilegesRequired"] == "lowest"
    assert "PrivilegesRequiredOverridesAllowed" not in setup
    assert setup["DefaultDirName"] == r"{autopf}\ptdesk"
    assert setup["AppVersion"] == "{#AppVersion}"  # passed in by packaging/build.py


def test_start_menu_entry_and_icon():
    setup = setup_values()
    icon = ISS.parent / setup["SetupIconFile"].replace("\\", "/")
    assert icon.resolve() == ROOT / "resources" / "icons" / "ptdesk.ico"
    assert setup["UninstallDisplayIcon"] == r"{app}\ptdesk.exe"
    icons = sections()["Icons"]
    assert any(
        line.startswith('Name: "{autoprograms}\\ptdesk"') and r'"{app}\ptdesk.exe"' in line
        for line in icons
    )


def test_uninstaller_deletes_only_the_program():
    found = sections()
    # Only what [Files] installed into {app} goes; nothing names the data folder for deletion.
    for line in found.get("UninstallDelete", []) + found.get("InstallDelete", []):
        assert "{app}" in line, line
        assert "localappdata}\\ptdesk" not in line.lower()
    assert all('DestDir: "{app}' in line for line in found["Files"])
    assert "usPostUninstall" in ISS.read_text(encoding="utf-8")  # tells the user data was kept
