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
