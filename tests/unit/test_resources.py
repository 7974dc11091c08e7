"""Finding shipped files from a build, an installed wheel or the source tree."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ptdesk import resources


@pytest.fixture(autouse=True)
def fresh_lookup():
    resources.resources_root.cache_clear()
    yield
    resources.resources_root.cache_clear()


def test_source_tree_resources_are_found():
    repo = Path(resources.__file__).resolve().parent.parent
    assert resources.resources_root() == repo / "resources"
    assert resources.resource_path("icons", "ptdesk.svg").is_file()


def test_a_build_uses_the_resources_bundled_beside_it(tmp_path, monkeypatch):
    bundled = tmp_path / "resources" / "icons"
    bundled.mkdir(parents=True)
    (bundled / "ptdesk.svg").write_text("<svg/>")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resources_root() == tmp_path / "resources"
    assert resources.resource_path("icons", "ptdesk.svg") == bundled / "ptdesk.svg"


def test_a_missing_file_says_to_reinstall():
    with pytest.raises(FileNotFoundError, match="reinstall ptdesk"):
        resources.resource_path("icons", "no-such-icon.png")


def test_every_shipped_font_has_its_licence_beside_it():
    """The PDF fonts (DejaVu Sans; Droid Sans Fallback for CJK; Noto Emoji) each come with the
    licence text their terms ask to be shipped with them, and the code names only those files."""
    fonts = resources.resource_path("fonts")
    shipped = {p.name for p in fonts.glob("*.ttf")}
    assert {"DejaVuSans.ttf", "DroidSansFallback.ttf", "NotoEmoji-Regular.ttf"} <= shipped
    licences = {p.name: p.read_text(encoding="utf-8") for p in fonts.glob("LICENSE-*.txt")}
    assert "Bitstream" in licences["LICENSE-DejaVu.txt"]
    assert "Apache License" in licences["LICENSE-DroidSansFallback.txt"]
    assert "SIL OPEN FONT LICENSE Version 1.1" in licences["LICENSE-NotoEmoji.txt"]
    for name in ("DroidSansFallback.ttf", "NotoEmoji-Regular.ttf"):
        assert any(name in text for text in licences.values()), name
