"""Build ptdesk's one-folder desktop app; optionally prove it starts, and (on Windows) wrap it.

    uv run --extra build python packaging/build.py            build into dist/ptdesk
    uv run --extra build python packaging/build.py --smoke    ... then start it offscreen
    uv run --extra build python packaging/build.py --installer  (Windows, Inno Setup 6)

The same command works on Linux, Windows and macOS (packaging/README.md has each one's steps).
Nothing is cached between builds: PyInstaller starts from a clean work folder every time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEC = HERE / "ptdesk.spec"
ISS = HERE / "windows" / "ptdesk.iss"

sys.path.insert(0, str(ROOT))
from ptdesk import __version__  # noqa: E402


def app_folder(dist: Path) -> Path:
    """What the build produced: the .app bundle on macOS, the one-folder app elsewhere."""
    return dist / "ptdesk.app" if sys.platform == "darwin" else dist / "ptdesk"


def executable(dist: Path, *, console: bool = True) -> Path:
    """The program to start; ``console`` picks the twin that can print on Windows."""
    if sys.platform == "win32":
        return dist / "ptdesk" / ("ptdesk-cli.exe" if console else "ptdesk.exe")
    if sys.platform == "darwin":
        return dist / "ptdesk.app" / "Contents" / "MacOS" / "ptdesk"
    return dist / "ptdesk" / "ptdesk"


def folder_size(folder: Path) -> tuple[int, int]:
    """Bytes and number of files under ``folder`` (symbolic links not followed)."""
    total = count = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            count += 1
    return total, count


def build(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec from a clean work folder; return the app folder."""
    shutil.rmtree(work, ignore_errors=True)
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(SPEC),
    ]
    print(f"Building ptdesk {__version__} for {sys.platform} into {dist}", flush=True)
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True)
    seconds = time.perf_counter() - started
    folder = app_folder(dist)
    size, files = folder_size(folder)
    print(f"build time: {seconds:.1f} s", flush=True)
    print(f"build size: {size / 1_048_576:.1f} MB in {files} files ({folder})", flush=True)
    return folder


def find_iscc() -> str | None:
    found = shutil.which("iscc") or shutil.which("ISCC")
    if found:
        return found
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        if base and (Path(base) / "Inno Setup 6" / "ISCC.exe").exists():
            return str(Path(base) / "Inno Setup 6" / "ISCC.exe")
    return None


def installer(dist: Path) -> int:
    """Compile the Windows installer with Inno Setup into dist/installer."""
    iscc = find_iscc()
    if iscc is None:
        print("Inno Setup 6 (ISCC.exe) is not installed; see packaging/README.md", file=sys.stderr)
        return 1
    cmd = [
        iscc,
        f"/DAppVersion={__version__}",
        f"/DSourceDir={dist / 'ptdesk'}",
        f"/DOutputDir={dist / 'installer'}",
        str(ISS),
    ]
    subprocess.run(cmd, check=True)
    print(f"installer: {dist / 'installer' / f'ptdesk-{__version__}-setup.exe'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "pyinstaller", help="scratch folder"
    )
    parser.add_argument("--smoke", action="store_true", help="start the built app offscreen")
    parser.add_argument(
        "--installer", action="store_true", help="Windows: make the Inno Setup installer"
    )
    args = parser.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()
    try:
        build(dist, work)
    except subprocess.CalledProcessError as exc:
        print(f"the build failed (exit {exc.returncode}); PyInstaller's messages are above")
        return 1
    if args.smoke:
        from smoke import smoke  # packaging/smoke.py, beside this file

        if smoke(executable(dist), compare_source=True) != 0:
            return 1
    if args.installer:
        if sys.platform != "win32":
            print("the installer is made on Windows only", file=sys.stderr)
            return 2
        return installer(dist)
    return 0


if __name__ == "__main__":
    sys.exit(main())
