"""The layers: the PDF builders take plain data and know nothing of services or table rows."""

from __future__ import annotations

import ast
from pathlib import Path

import ptdesk

PACKAGE = Path(ptdesk.__file__).parent
FORBIDDEN = ("ptdesk.services", "ptdesk.models")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(source: str, module: str, *, package: bool = False) -> set[str]:
    """Every module ``source`` (the text of ``module``) imports, anywhere in it (inside
    functions and ``TYPE_CHECKING`` blocks too), with relative imports resolved and
    ``from a import b`` counted as ``a.b`` as well as ``a``."""
    home = module.split(".") if package else module.split(".")[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = home[: len(home) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _imports_of(path: Path) -> set[str]:
    return imported_names(
        path.read_text(encoding="utf-8"), _module_name(path), package=path.name == "__init__.py"
    )


def _reaches(name: str, layer: str) -> bool:
    return name == layer or name.startswith(layer + ".")


def test_reports_import_neither_services_nor_models():
    wrong = {
        _module_name(path): sorted(
            n for n in _imports_of(path) if any(_reaches(n, f) for f in FORBIDDEN)
        )
        for path in sorted((PACKAGE / "reports").rglob("*.py"))
    }
    assert {module: names for module, names in wrong.items() if names} == {}


def test_the_check_sees_every_kind_of_import():
    """The walk above finds an import however it is written (a check that sees nothing would
    pass on any code)."""
    probe = (
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "import ptdesk.models.staff\n"
        "from .. import services\n"
        "if TYPE_CHECKING:\n"
        "    from ptdesk.services.sessions import RecordDetail\n"
        "def build():\n"
        "    from ptdesk.services import clock\n"
        "    from ..models import Patient\n"
    )
    names = imported_names(probe, "ptdesk.reports.probe")
    for expected in (
        "ptdesk.models.staff",
        "ptdesk.services",
        "ptdesk.services.sessions",
        "ptdesk.services.clock",
        "ptdesk.models",
    ):
        assert expected in names, expected
    assert not any(n.startswith("ptdesk.reports.services") for n in names)


def test_services_and_reports_import_each_other_in_no_circle():
    """Services may use the builders; a builder never reaches back into services."""
    graph: dict[str, set[str]] = {}
    for layer in ("services", "reports"):
        for path in (PACKAGE / layer).rglob("*.py"):
            graph[_module_name(path)] = _imports_of(path)
    for module in graph:
        graph[module] = {n for n in graph[module] if n in graph and n != module}

    def circle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        seen: set[str] = set()
        while stack:
            node, trail = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    return [*trail, start]
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*trail, nxt]))
        return None

    circles = [c for m in sorted(graph) if (c := circle_from(m)) is not None]
    assert circles == []
