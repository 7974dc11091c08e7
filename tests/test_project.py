"""Project rules for every file: layers, database access, import circles, size, types, lint."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tokenize
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QT_FREE = ["ptdesk/models", "ptdesk/services", "ptdesk/reports"]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_layers_never_import_qt():
    offenders = []
    for folder in QT_FREE:
        for path in (ROOT / folder).rglob("*.py"):
            bad = {
                m
                for m in imported_modules(path)
                if m.split(".")[0] in {"PySide6", "shiboken6"} or m.startswith("ptdesk.ui")
            }
            if bad:
                offenders.append(f"{path.relative_to(ROOT)}: {sorted(bad)}")
    assert offenders == []


def test_ruff_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", str(ROOT)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- screens reach the database only through ui/operations.py -------------------------------

# Where a unit of work may be opened under ptdesk/ui: the operations helper and start-up.
SESSION_OPENERS = ["ptdesk/ui/operations.py", "ptdesk/ui/app.py", "ptdesk/ui/startup*.py"]
SESSION_CLASSES = {"Session", "sessionmaker", "scoped_session"}
SESSION_MODULES = {"sqlmodel", "sqlalchemy", "sqlalchemy.orm"}


def _ends_in_db(node: ast.expr) -> bool:
    """``db``, ``ctx.db``, ``self.ctx.db``: the open clinic database."""
    return (isinstance(node, ast.Name) and node.id == "db") or (
        isinstance(node, ast.Attribute) and node.attr == "db"
    )


def session_openings(path: Path) -> list[str]:
    """Each place the file opens a database session or connection itself, as "line: what"."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    classes = set()  # local names bound to Session, sessionmaker... imported from SQLAlchemy
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in SESSION_MODULES:
            classes.update(a.asname or a.name for a in node.names if a.name in SESSION_CLASSES)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        opens = (
            # ctx.db.session(): a unit of work
            (isinstance(func, ast.Attribute) and func.attr == "session" and _ends_in_db(func.value))
            # ctx.db.engine.connect() and the like: a raw connection
            or (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Attribute)
                and func.value.attr == "engine"
                and _ends_in_db(func.value.value)
            )
            # Session(engine), sqlmodel.Session(engine), sessionmaker(...)
            or (isinstance(func, ast.Name) and func.id in classes)
            or (isinstance(func, ast.Attribute) and func.attr in SESSION_CLASSES)
        )
        if opens:
            found.append((node.lineno, f"{node.lineno}: {ast.unparse(func)}()"))
    return [text for _, text in sorted(found)]


def test_screens_never_open_a_database_session():
    """A screen hands its work to ui/operations.py (``query``, ``Op``), which opens the unit of
    work, shows errors and announces changes; only that module and start-up open sessions."""
    offenders = []
    for path in sorted((ROOT / "ptdesk" / "ui").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if any(fnmatch(name, pattern) for pattern in SESSION_OPENERS):
            continue
        offenders.extend(f"{name}:{where}" for where in session_openings(path))
    assert not offenders, "screens opening sessions themselves:\n" + "\n".join(offenders)


# --- the import graph of ptdesk has no circle -------------------------------------------------


def module_names() -> dict[str, Path]:
    """Every module of ptdesk by its dotted name (a package by its own name, for __init__)."""
    modules = {}
    for path in (ROOT / "ptdesk").rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """The module ``name`` is, or the innermost one holding it (``ptdesk.x.Thing``: ptdesk.x)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph() -> dict[str, set[str]]:
    """Which ptdesk modules each ptdesk module imports."""
    modules = module_names()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str | None] = []
            if isinstance(node, ast.Import):
                targets = [_known(a.name, modules) for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from . import x, from ..y import z
                    anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    base = f"{anchor}.{base}" if base else anchor
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in modules else _known(base, modules))
            graph[name].update(t for t in targets if t and t != name)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def _describe(component: list[str], graph: dict[str, set[str]]) -> str:
    inside = set(component)
    edges = [f"    {a} -> {b}" for a in component for b in sorted(graph[a] & inside)]
    return f"{len(component)} modules: " + ", ".join(component) + "\n" + "\n".join(edges)


def test_the_import_graph_has_no_circle():
    """Every import counts, at module or function level and under ``if TYPE_CHECKING:`` (a late
    or type-only import hides a circle, it does not remove it); ``from ptdesk.x import y``
    counts as importing ptdesk.x.y when that is a module."""
    graph = import_graph()
    found = circles(graph)
    assert not found, "modules that import each other:\n" + "\n".join(
        _describe(c, graph) for c in found
    )


# --- no file over 700 lines -------------------------------------------------------------------

MAX_LINES = 700
# Files allowed to be longer, each with the reason (patterns as fnmatch reads them).
LONG_FILES_ALLOWED = {
    "ptdesk/demo/*data*.py": "the demo clinic's data tables (names, notes, exercise doses): "
    "rows of plain values, nothing to split along",
}


def test_no_file_is_over_700_lines():
    """A long file is split along its seams, into modules whose names say what is inside."""
    too_long = []
    for path in sorted((ROOT / "ptdesk").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if any(fnmatch(name, pattern) for pattern in LONG_FILES_ALLOWED):
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            too_long.append(f"{name}: {lines} lines")
    assert not too_long, f"files over {MAX_LINES} lines:\n" + "\n".join(too_long)


# --- the static type checker --------------------------------------------------------------------

# Checked as mypy's --strict does (the flags are in pyproject.toml, [tool.mypy]).
STRICTLY_TYPED = ["ptdesk/models", "ptdesk/services", "ptdesk/reports"]


def test_the_type_checker_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "mypy", *STRICTLY_TYPED],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- every "type: ignore" says which error and why ---------------------------------------------

# "# type: ignore[code, code]  # the reason" (the reason a few words at least).
JUSTIFIED_IGNORE = re.compile(r"type:\s*ignore\[[a-z0-9-]+(?:,\s*[a-z0-9-]+)*\]\s+#\s*\S+\s+\S")
ANY_IGNORE = re.compile(r"type:\s*ignore")


def type_ignores(path: Path) -> list[tuple[int, str]]:
    """Each ``type: ignore`` comment in the file (comments only, not strings) with its line."""
    found = []
    with path.open(encoding="utf-8") as source:
        for token in tokenize.generate_tokens(source.readline):
            if token.type == tokenize.COMMENT and ANY_IGNORE.search(token.string):
                found.append((token.start[0], token.string))
    return found


def test_every_type_ignore_names_its_error_and_a_reason():
    """``# type: ignore[attr-defined]  # SQLModel tables gain __table__ at class creation``:
    the error silenced, and why the checker is wrong here or the code cannot say better."""
    bare = []
    for path in sorted((ROOT / "ptdesk").rglob("*.py")):
        for line, comment in type_ignores(path):
            if not JUSTIFIED_IGNORE.search(comment):
                bare.append(f"{path.relative_to(ROOT).as_posix()}:{line}: {comment}")
    assert not bare, f"{len(bare)} type: ignore without an error code and a reason:\n" + "\n".join(
        bare
    )
