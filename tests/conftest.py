"""Shared fixtures. Qt runs offscreen; no test can touch a real keyring.

Each test that needs a database gets a copy of a template data folder that
was migrated once per session (Anki's approach, tests/templates.py), not a fresh migration.
GUI tests build the main window with ``make_window``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
os.environ.setdefault("SOTAY_LANG", "vi")
# A missing text key or placeholder raises in the tests (it is only logged in use).
os.environ.setdefault("SOTAY_I18N_STRICT", "1")

import pytest

try:
    from sotay_desktop.db.engine import Database, open_database
except ImportError:
    # The server's own venv (`make server-alone`) has nothing of the desktop; only the tests
    # marked `server` run there, and they use none of the desktop fixtures below.
    if os.environ.get("SOTAY_SERVER_ONLY") != "1":
        raise

from tests import templates
from tests.templates import TODAY

if TYPE_CHECKING:
    from sotay_desktop.ui.main_window import MainWindow

__all__ = ["TODAY"]  # the tests' today, which tests import from here

# The demo branch of ``demo_dir`` / ``demo_db``.
DEMO = {"members": 120, "documents": 15, "meetings": 6}


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """In the server's own venv only the modules marked `server` are imported at all (the
    others import the desktop, which is not installed there)."""
    if (os.environ.get("SOTAY_SERVER_ONLY") == "1" and collection_path.suffix == ".py"
            and collection_path.name.startswith("test_")):
        return "pytest.mark.server" not in collection_path.read_text(encoding="utf-8")
    return None


@pytest.fixture(scope="session")
def _template_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    templates.set_root(tmp_path_factory.mktemp("templates"))
    return {"empty": templates.template(), "demo": templates.template(**DEMO)}


def _copy(template: Path, target: Path) -> Path:
    shutil.copytree(template, target)
    return target


@pytest.fixture
def empty_dir(_template_dirs: dict[str, Path], tmp_path: Path) -> Path:
    return _copy(_template_dirs["empty"], tmp_path / "empty")


@pytest.fixture
def demo_dir(_template_dirs: dict[str, Path], tmp_path: Path) -> Path:
    return _copy(_template_dirs["demo"], tmp_path / "demo")


@pytest.fixture
def demo_db(demo_dir: Path) -> Iterator[Database]:
    db = open_database(demo_dir)
    yield db
    db.close()


@pytest.fixture
def branch_db(empty_dir: Path) -> Iterator[tuple[Database, str]]:
    """An empty branch (no members) with its unit id."""
    from sotay_desktop.services.branch import create_branch

    db = open_database(empty_dir)
    with db.sessions.begin() as session:
        branch_id, _ = create_branch(session, branch_name="Chi bộ thôn Thượng",
                                     commune_name="Đảng bộ xã Tân Lập",
                                     province_name="Đảng bộ tỉnh Hưng Yên")
    yield db, branch_id
    db.close()


@pytest.fixture
def make_window(qtbot: Any) -> Iterator[Callable[..., MainWindow]]:
    """Builds the main window as the GUI tests need it.

    ``make_window(source, runner=None, *, show=False, refresh=False, **options)``: ``source``
    is a database (the window then gets a ``Workspace`` dated TODAY) or a workspace; the runner
    is an inline ``TaskRunner`` unless one is given; ``options`` go to ``MainWindow`` as they
    are (scale, settings…). The window is registered with qtbot (closed after the test), then
    shown and loaded (``refresh()``) when asked, in that order. After the test, each window's
    runner settles (its work and the work its results start) before the window closes, so no
    result reaches a deleted window during the next test.
    """
    from sotay_desktop.ui.main_window import MainWindow
    from sotay_desktop.ui.tasks import TaskRunner
    from sotay_desktop.usecases.workspace import Workspace

    def make(source: Any, runner: TaskRunner | None = None, *, show: bool = False,
             refresh: bool = False, **options: Any) -> MainWindow:
        workspace = Workspace(source, today=lambda: TODAY) if isinstance(source, Database) \
            else source
        win = MainWindow(workspace, TaskRunner(inline=True) if runner is None else runner,
                         **options)
        runners.append(win.runner)
        qtbot.addWidget(win)
        if show:
            win.show()
        if refresh:
            win.refresh()
        return win

    runners: list[TaskRunner] = []
    yield make
    for runner in runners:
        runner.settle()


@pytest.fixture
def window(make_window: Callable[..., MainWindow], demo_db: Database) -> MainWindow:
    """The main window on the demo branch, shown and loaded, with the inline runner."""
    return make_window(demo_db, show=True, refresh=True)


@pytest.fixture(autouse=True)
def _app_look_restored() -> Iterator[None]:
    """A test that changes the application's type size, palette or style sheet (the display
    controller, the login) leaves them as it found them for the next test."""
    import sys

    qt = sys.modules.get("PySide6.QtWidgets")
    app = qt.QApplication.instance() if qt is not None else None
    if app is None:
        yield
        return
    font, palette, sheet = app.font(), app.palette(), app.styleSheet()
    yield
    app.setStyleSheet(sheet)
    app.setPalette(palette)
    app.setFont(font)


@pytest.fixture
def meetings_screen(qtbot, demo_db: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The meetings screen on the demo branch, loaded, with the inline runner."""
    from sotay_desktop.settings import Settings
    from sotay_desktop.ui.meetings.screen import MeetingsScreen
    from sotay_desktop.ui.tasks import TaskRunner
    from sotay_desktop.usecases.workspace import Workspace

    store = Workspace(demo_db, today=lambda: TODAY)
    widget = MeetingsScreen(store, TaskRunner(inline=True), Settings(tmp_path / "s.json"))
    qtbot.addWidget(widget)
    widget.show()
    widget.load()
    return widget


# --- the reliability suite's report (make reliability) ---------------------------------
# Outcomes of the tests `make reliability` runs (tests/reliability and the R-tests that came
# with the sync and security issues) go into docs/reliability.md beside the figures;
# tests/reliability/write_report.py says which R-test each belongs to.


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    target = os.environ.get("SOTAY_RELIABILITY_RESULTS")
    if not target or not (report.when == "call" or report.outcome != "passed"):
        return
    import json

    with open(target, "a", encoding="utf-8") as out:
        out.write(json.dumps({"kind": "outcome", "test": report.nodeid,
                              "outcome": report.outcome,
                              "seconds": round(report.duration, 1)}) + "\n")
