"""The app icon in every file and size the desktops ask for."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_SIGNATURE)
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("size", [16, 22, 24, 32, 48, 64, 128, 256, 512])
def test_linux_theme_icon_has_its_size(size):
    path = ICONS / "hicolor" / f"{size}x{size}" / "apps" / "ptdesk.png"
    assert png_size(path.read_bytes()) == (size, size)
    image = QImage(str(path))
    # drawn, not blank: the centre of the icon is opaque
    assert image.pixelColor(size // 2, size // 2).alpha() == 255


def test_windows_icon_holds_the_sizes_windows_picks_from():
    data = (ICONS / "ptdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        width, height, _, _, _, _, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        edge = width or 256
        assert png_size(data[offset : offset + length]) == (edge, height or 256)
        sizes.append(edge)
    assert {16, 24, 32, 48, 256} <= set(sizes)


def test_macos_icon_holds_retina_sizes():
    data = (ICONS / "ptdesk.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    found, pos = {}, 8
    while pos < len(data):
        kind, length = data[pos : pos + 4], struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        found[kind] = png_size(data[pos + 8 : pos + length])
        pos += length
    assert found[b"ic10"] == (1024, 1024)  # 512 pt at 2x
    assert found[b"ic07"] == (128, 128)
    assert found[b"icp4"] == (16, 16)
