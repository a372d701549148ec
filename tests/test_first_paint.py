"""The plain-SQL first read agrees with the use cases, and steps aside when unsure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sotay_desktop.db.engine import make_engine, open_database, run_migrations
from sotay_desktop.services.first_paint import quick_read
from sotay_desktop.usecases import branch, members
from sotay_desktop.usecases.workspace import Workspace


def test_quick_read_matches_the_services(demo_dir: Path) -> None:
    quick = quick_read(demo_dir)
    assert quick is not None
    db = open_database(demo_dir)
    store = Workspace(db)
    try:
        assert quick.roster == members.roster(store)          # same rows, same order, same fields
        assert quick.counts == branch.counts(store)
        assert quick.pending == branch.pending_changes(store)
        assert quick.branch == branch.branch(store)
    finally:
        db.close()


def test_quick_read_steps_aside(tmp_path: Path, empty_dir: Path) -> None:
    assert quick_read(tmp_path / "nothing") is None
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "sotay.db").write_bytes(b"not a database" * 100)
    assert quick_read(corrupt) is None
    assert quick_read(empty_dir) is None                # no branch yet: the first-run path
    old = tmp_path / "old"
    old.mkdir()
    engine = make_engine(old / "sotay.db")
    run_migrations(engine, "0001")
    engine.dispose()
    assert quick_read(old) is None                      # needs a migration: the full path


def test_store_opens_the_database_only_when_first_used(demo_dir: Path) -> None:
    opened: list[Path] = []

    def opener():  # type: ignore[no-untyped-def]
        opened.append(demo_dir)
        return open_database(demo_dir)

    store = Workspace(opener, data_dir=demo_dir)
    assert opened == []
    assert branch.branch(store) is not None and members.roster(store)
    assert opened == [demo_dir]
    store.close()


def _start(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SOTAY_EXIT_AFTER_LOAD": "1",
           "SOTAY_CONFIG_DIR": str(tmp_path / "cfg")}
    return subprocess.run([sys.executable, "-m", "sotay_desktop", *args], env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_the_app_starts_on_an_existing_branch_and_on_a_new_demo(demo_dir: Path,
                                                               tmp_path: Path) -> None:
    for args in (["--data-dir", str(demo_dir)],
                 ["--data-dir", str(tmp_path / "new"), "--demo"]):
        proc = _start(args, tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert "SOTAY_PAINTED" in proc.stdout and "SOTAY_RSS_KIB" in proc.stdout
        assert "Traceback" not in proc.stderr


def test_a_damaged_database_is_refused_with_a_message(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6 import QtWidgets

    from sotay_desktop import app

    QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    shown: list[str] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "critical",
                        lambda _parent, _title, text: shown.append(text))
    folder = tmp_path / "branch"
    folder.mkdir()
    (folder / "sotay.db").write_bytes(b"\x00broken" * 1000)
    assert quick_read(folder) is None
    store, code = app._open_or_create(folder, demo=True)
    assert store is None and code == 1
    assert shown and "sotay.db" in shown[0] and "hỏng" in shown[0]
    assert (folder / "sotay.db").read_bytes() == b"\x00broken" * 1000


def test_what_the_first_paint_imports_leaves_sqlalchemy_out() -> None:
    """The window is drawn from plain SQL before SQLAlchemy (~0.3 s) is imported: nothing the
    start-up imports before its first paint may pull it in (a table module imported by a
    panel once made the built app's first paint 0.7 s instead of 0.3 s)."""
    code = (
        "import sys\n"
        "import sotay_desktop.app, sotay_desktop.services.first_paint\n"
        "import sotay_desktop.ui.main_window, sotay_desktop.ui.tasks\n"
        "import sotay_desktop.usecases.workspace, sotay_desktop.db.layout\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy')[:3])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == "[]"
