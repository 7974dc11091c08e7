"""Render the app icon (resources/icons/ptdesk.svg) into the files desktops ask for.

Writes, under resources/icons/:
  hicolor/NxN/apps/ptdesk.png   Linux icon theme sizes (the .desktop file's Icon=ptdesk)
  ptdesk.ico                    Windows: the program, its shortcuts and the installer
  ptdesk.icns                   macOS: the application bundle

Run it after changing the SVG and commit what it writes:
    uv run python packaging/make_icons.py
The ICO and ICNS containers are written here (both simply hold PNG images), so the result does
not depend on which Qt image plugins are installed.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "ptdesk.svg"

# Icon theme sizes Linux desktops look up (hicolor); the SVG covers "scalable".
LINUX_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
# Sizes Windows picks from for title bars, taskbar, start menu and Explorer views.
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 256)
# macOS icon types that hold a PNG, with their pixel size (the @2x kinds included).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    """The SVG drawn at ``size`` x ``size`` pixels on a transparent background, as PNG bytes."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"could not encode the {size}px icon as PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """A Windows .ico holding one PNG per size (read by Windows Vista and later)."""
    sizes = sorted(images)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, payload = b"", b""
    for size in sizes:
        png = images[size]
        edge = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(png), offset)
        payload += png
        offset += len(png)
    return header + entries + payload


def icns_bytes(images: dict[int, bytes]) -> bytes:
    """A macOS .icns: a header, then one (type, length, PNG) block per icon type."""
    body = b""
    for kind, size in ICNS_TYPES:
        png = images[size]
        body += kind + struct.pack(">I", 8 + len(png)) + png
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"cannot read {SVG}", file=sys.stderr)
        return 1
    wanted = {*LINUX_SIZES, *ICO_SIZES, *(size for _, size in ICNS_TYPES)}
    images = {size: render_png(renderer, size) for size in sorted(wanted)}
    outputs = {
        ICONS / "hicolor" / f"{s}x{s}" / "apps" / "ptdesk.png": images[s] for s in LINUX_SIZES
    }
    outputs[ICONS / "ptdesk.ico"] = ico_bytes({s: images[s] for s in ICO_SIZES})
    outputs[ICONS / "ptdesk.icns"] = icns_bytes(images)
    changed = [path for path, data in outputs.items() if write_if_changed(path, data)]
    for path in changed:
        print(f"wrote {path.relative_to(ROOT)}")
    print(f"{len(outputs)} icon files, {len(changed)} changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
