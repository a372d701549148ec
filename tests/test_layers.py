"""The import rules of shared/STYLE.md, checked by walking the source."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
STDLIB = set(sys.stdlib_module_names)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _files(package: str) -> list[Path]:
    return sorted((ROOT / package.replace(".", "/")).rglob("*.py"))


def test_domain_is_pure_standard_library() -> None:
    for path in _files("sotay_core.domain"):
        for name in _imports(path):
            top = name.split(".")[0]
            pure = name.startswith(("sotay_core.domain", "sotay_core.i18n"))
            assert top in STDLIB or pure or name == "sotay_core", f"{path}: imports {name}"


def test_core_needs_only_pydantic_and_the_standard_library() -> None:
    for path in _files("sotay_core"):
        for name in _imports(path):
            top = name.split(".")[0]
            assert top in STDLIB or top in ("pydantic", "sotay_core"), f"{path}: imports {name}"


def test_qt_only_in_ui_and_app() -> None:
    for path in _files("sotay_core") + _files("sotay_desktop") + _files("sync_server"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("sotay_desktop/ui/") or rel == "sotay_desktop/app.py":
            continue
        assert not any(n.startswith("PySide6") for n in _imports(path)), rel


def test_no_sessions_or_sql_in_screens() -> None:
    for path in _files("sotay_desktop.ui"):
        for name in _imports(path):
            if name == "sotay_desktop.db.access":  # the runner marks queries/operations there
                continue
            assert not name.startswith(("sqlalchemy", "sotay_desktop.db")), f"{path}: {name}"


def test_access_marker_is_standard_library_only() -> None:
    """The runner imports it before SQLAlchemy is loaded (first paint)."""
    for name in _imports(ROOT / "sotay_desktop" / "db" / "access.py"):
        assert name.split(".")[0] in STDLIB or name == "__future__", name


def test_package_root_imports_nothing() -> None:
    assert _imports(ROOT / "sotay_desktop" / "__init__.py") == set()


def test_server_imports_nothing_of_the_desktop() -> None:
    for path in _files("sync_server"):
        for name in _imports(path):
            desktop = name.startswith(("sotay_desktop", "PySide6", "sqlcipher3"))
            assert not desktop, f"{path}: {name}"


def test_documents_generators_have_no_session_or_qt() -> None:
    for path in _files("sotay_desktop.documents"):
        for name in _imports(path):
            assert not name.startswith(("sqlalchemy", "PySide6", "sotay_desktop.db")), path


# --- the import graph: no cycles, no relative imports, no name that does not exist ----------

OWN = ("sotay_core", "sotay_desktop", "sync_server")
# Folders whose .py files are package data (Alembic scripts), not importable modules.
NOT_PACKAGES = ("sotay_desktop/db/migrations/versions", "sync_server/migrations/versions")
SKIPPED = {"__pycache__", "build"}   # caches and setuptools' build copies, not the source


def _module_files() -> dict[str, Path]:
    """Every module of our three packages by dotted name (a package by its ``__init__``)."""
    found: dict[str, Path] = {}
    for top in OWN:
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if rel.parent.as_posix() in NOT_PACKAGES or SKIPPED & set(rel.parts):
                continue
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_nodes(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement that runs, at module level or inside a function (a lazy import
    still closes a cycle); only ``if TYPE_CHECKING:`` blocks are left out (never run)."""
    out: list[ast.Import | ast.ImportFrom] = []
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                todo.extend(child.orelse)
            elif isinstance(child, ast.Import | ast.ImportFrom):
                out.append(child)
            else:
                todo.append(child)
    return out


def _graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module → our modules it imports (``from pkg import mod`` counts as importing ``mod``)."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(a.name for a in node.names if a.name in modules)
            elif node.module in modules:
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    targets.add(sub if sub in modules else node.module)
        graph[name] = targets - {name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_lazy_imports_count_and_type_checking_imports_do_not() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import never_run\n"
        "def f() -> None:\n    from lazy import thing\n"
    )
    found = {n.module if isinstance(n, ast.ImportFrom) else n.names[0].name
             for n in _import_nodes(ast.parse(source))}
    assert found == {"typing", "lazy"}


def test_no_import_cycles() -> None:
    """No module imports, even lazily inside a function, one that imports it back."""
    graph = _graph(_module_files())
    problems = [", ".join(c) for c in _cycles(graph)]
    assert not problems, "modules that import each other:\n" + "\n".join(problems)


def test_no_relative_imports() -> None:
    for path in _module_files().values():
        for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"{path.relative_to(ROOT)}:{node.lineno}: relative import"


def _top_level_names(tree: ast.Module) -> set[str] | None:
    """Names a module binds at its top level, or None when it cannot be known (``*``)."""
    names: set[str] = set()
    todo: list[ast.stmt] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Import):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if any(a.name == "*" for a in node.names):
                return None
            names.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, ast.If | ast.Try | ast.With):
            for field in ("body", "orelse", "finalbody", "handlers"):
                for item in getattr(node, field, []):
                    todo.extend(item.body if isinstance(item, ast.ExceptHandler) else [item])
    return names


def test_every_import_of_our_packages_exists() -> None:
    """A renamed or removed module or name fails here, in the code and in the tests, even
    where the import is lazy and no test runs that line."""
    modules = _module_files()
    names = {m: _top_level_names(ast.parse(p.read_text(encoding="utf-8")))
             for m, p in modules.items()}
    sources = list(modules.values()) + sorted((ROOT / "tests").rglob("*.py")) + sorted(
        (ROOT / "bench").rglob("*.py")) + sorted((ROOT / "docs").glob("*.py"))
    problems: list[str] = []
    for path in sources:
        where = f"{path.relative_to(ROOT)}"
        for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                wanted = [a.name for a in node.names if a.name.split(".")[0] in OWN]
                problems += [f"{where}:{node.lineno}: {w}" for w in wanted if w not in modules]
            elif node.level == 0 and node.module and node.module.split(".")[0] in OWN:
                if node.module not in modules:
                    problems.append(f"{where}:{node.lineno}: {node.module}")
                    continue
                bound = names[node.module]
                for alias in node.names:
                    known = bound is None or alias.name in bound
                    if not known and f"{node.module}.{alias.name}" not in modules:
                        problems.append(f"{where}:{node.lineno}: {node.module}.{alias.name}")
    assert not problems, "imports of names that do not exist:\n" + "\n".join(problems)


def _packages_on_disk(top: str) -> set[str]:
    return {".".join(p.parent.relative_to(ROOT).parts)
            for p in (ROOT / top).rglob("__init__.py") if not SKIPPED & set(p.parts)}


def test_packaged_lists_match_the_folders() -> None:
    """The explicit ``packages`` lists of the core's and the server's pyproject.toml name
    every package on disk and nothing else (a renamed sub-package must not ship missing)."""
    import tomllib

    for top in ("sotay_core", "sync_server"):
        config = tomllib.loads((ROOT / top / "pyproject.toml").read_text(encoding="utf-8"))
        listed = set(config["tool"]["setuptools"]["packages"])
        assert listed == _packages_on_disk(top), top
    root = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert root["tool"]["setuptools"]["packages"]["find"]["include"] == ["sotay_desktop*"]
    for path in (ROOT / "sotay_desktop").rglob("*.py"):   # find_packages needs an __init__
        folder = path.parent.relative_to(ROOT).as_posix()
        if SKIPPED & set(path.parts):
            continue
        assert (path.parent / "__init__.py").exists() or folder in NOT_PACKAGES, folder


def test_mypy_strict_covers_every_qt_free_module() -> None:
    """A new Qt-free package or module of the desktop cannot escape ``mypy --strict``: the
    ``[tool.mypy]`` lists name the core and every desktop module but ui/, app.py and
    ``__main__`` (which imports app)."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["strict"] is True
    checked = set(config.get("packages", [])) | set(config.get("modules", []))
    assert "sotay_core" in checked
    qt = {"sotay_desktop.ui", "sotay_desktop.app", "sotay_desktop.__main__"}
    for name in _module_files():
        if not name.startswith("sotay_desktop.") or any(
                name == q or name.startswith(q + ".") for q in qt):
            continue
        parts = name.split(".")
        covered = any(".".join(parts[:i]) in checked for i in range(2, len(parts) + 1))
        assert covered, f"{name} is not under mypy --strict ([tool.mypy] in pyproject.toml)"


# Each Qt-free layer of the desktop and the layers it may not import (higher ones), the order
# of STYLE.md: db < security < services < usecases < cli / ui; documents beside db, on its own.
HIGHER: dict[str, tuple[str, ...]] = {
    "sotay_desktop.db": ("security", "services", "documents", "usecases", "cli", "ui", "app"),
    "sotay_desktop.documents": ("db", "security", "services", "usecases", "cli", "ui", "app"),
    "sotay_desktop.security": ("services", "documents", "usecases", "cli", "ui", "app"),
    "sotay_desktop.services": ("usecases", "cli", "ui", "app"),
    "sotay_desktop.usecases": ("cli", "ui", "app"),
}


def test_desktop_layers_import_downwards_only() -> None:
    modules = _module_files()
    graph = _graph(modules)
    for layer, higher in HIGHER.items():
        banned = tuple(f"sotay_desktop.{h}" for h in higher)
        for name, targets in graph.items():
            if name == layer or name.startswith(layer + "."):
                up = sorted(t for t in targets
                            if any(t == b or t.startswith(b + ".") for b in banned))
                assert not up, f"{name} imports a higher layer: {up}"


# Every folder of hand-written Python; Alembic's version scripts (migrations/versions) are
# generated and exempt. No other exception (STYLE.md: one concept per module, ~400 lines).
SOURCE_FOLDERS = ("sotay_core", "sotay_desktop", "sync_server", "tests", "bench", "docs",
                  "installers")
MAX_LINES = 400


def test_no_hand_written_module_is_over_400_lines() -> None:
    too_long: list[str] = []
    for folder in SOURCE_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if SKIPPED & set(rel.parts) or "migrations/versions" in rel.parent.as_posix():
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES:
                too_long.append(f"{rel}: {lines} lines")
    assert not too_long, f"modules over {MAX_LINES} lines (split by concept):\n" + "\n".join(
        too_long)
