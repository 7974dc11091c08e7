"""Fixtures of the reliability tests: child processes that start fast, and case counts."""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.cases import CASES


@pytest.fixture(scope="session")
def children():
    """A multiprocessing context whose children fork from a server that imported ptdesk once."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(
        [
            "ptdesk.db",
            "ptdesk.services.scheduling",
            "ptdesk.services.sessions",
            "ptdesk.services.cleaning",
            "tests.reliability.workload",
        ]
    )
    return ctx


@pytest.fixture
def clinic_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "clinic" / "ptdesk.sqlite3"
    yield path


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Cases run per class, printed and written to reliability-summary.json in pytest's cache."""
    if not CASES:
        return
    terminalreporter.section("reliability: cases run per class")
    for kind, n in sorted(CASES.items()):
        terminalreporter.write_line(f"{kind:<48} {n:>7}")
    terminalreporter.write_line(f"{'total':<48} {sum(CASES.values()):>7}")
    folder = Path(config.cache.mkdir("reliability")) if getattr(config, "cache", None) else None
    if folder is not None:
        out = folder / "reliability-summary.json"
        out.write_text(json.dumps(dict(sorted(CASES.items())), indent=2) + "\n")
        terminalreporter.write_line(f"written to {os.path.relpath(out)}")
