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
