"""Desktop figures (issue 3): start-up, filter per keystroke, full-text search, memory.

The data: a demo of 5,000 members and 10,000 documents. Qt runs offscreen (no
display on the benchmark machine), which is the platform the figures describe.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sotay_desktop.usecases import branch
from sotay_desktop.usecases import documents as uc_documents
from sotay_desktop.usecases import members as uc_members

AS_OF = dt.date(2026, 11, 22)
BARE = """
import sys, time
from PySide6 import QtWidgets
app = QtWidgets.QApplication(sys.argv[:1])
window = QtWidgets.QMainWindow()
window.setCentralWidget(QtWidgets.QLabel("Sổ tay"))
window.resize(1280, 720)
window.show()
window.repaint()
print(f"SOTAY_PAINTED {time.time():.6f}", flush=True)
print("SOTAY_RSS_KIB 0", flush=True)
"""


def _log_tail(argv: list[str]) -> str:
    """The end of the app's error log in the data folder it was given (why it stopped)."""
    if "--data-dir" not in argv:
        return ""
    log = Path(argv[argv.index("--data-dir") + 1]) / "logs" / "sotay.log"
    return log.read_text(encoding="utf-8", errors="replace")[-4000:] if log.exists() else ""


def _spawn(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    start = time.time()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120,
                          check=False)
    painted = rss = None
    for line in proc.stdout.splitlines():
        if line.startswith("SOTAY_PAINTED"):
            painted = float(line.split()[1]) - start
        elif line.startswith("SOTAY_RSS_KIB"):
            rss = int(line.split()[1])
    if proc.returncode != 0 or painted is None or rss is None:
        raise RuntimeError(f"the app exited {proc.returncode} before its load was reported: "
                           f"{proc.stdout} {proc.stderr} {_log_tail(argv)}")
    return painted, rss


def run() -> list[dict[str, str]]:
    from sotay_desktop.db.engine import open_database
    from sotay_desktop.usecases.workspace import Workspace

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "branch"
        db = open_database(data)
        store = Workspace(db, today=lambda: AS_OF)
        start = time.perf_counter()
        branch.create_demo(store, members=5000, documents=10_000, meetings=12)
        created = time.perf_counter() - start
        db.close()

        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SOTAY_EXIT_AFTER_LOAD": "1",
               "SOTAY_CONFIG_DIR": str(Path(tmp) / "cfg")}
        app_runs, bare_runs, rss = [], [], []
        for _ in range(7):
            seconds, kib = _spawn([sys.executable, "-m", "sotay_desktop", "--data-dir",
                                   str(data)], env)
            app_runs.append(seconds)
            rss.append(kib)
            bare_runs.append(_spawn([sys.executable, "-c", BARE], env)[0])
        app_median, bare_median = statistics.median(app_runs), statistics.median(bare_runs)
        results.append({
            "what": "Process start to the first painted main window with the roster and the "
                    "party numbers loaded (5,000 members, 10,000 documents; warm cache; "
                    "offscreen); read with plain SQL, SQLAlchemy, reminders and documents "
                    "load after this paint",
            "figure": f"{app_median:.2f} s median of 7 (bare PySide6 window "
                      f"{bare_median:.2f} s; ratio {app_median / bare_median:.1f}×)",
            "target": "≤ 0.8 s",
            "ok": str(app_median <= 0.8),
        })
        results.append({
            "what": "Resident memory after start, once the reminders have loaded in the "
                    "background (VmRSS, same runs)",
            "figure": f"{statistics.median(rss) / 1024:.0f} MB median",
            "target": "≤ 250 MB",
            "ok": str(statistics.median(rss) / 1024 <= 250),
        })
        results += _in_process(data)
        results.append({"what": "(setup) demo of 5,000 members and 10,000 documents",
                        "figure": f"{created:.1f} s", "target": "—", "ok": ""})
    return results


def _in_process(data: Path) -> list[dict[str, str]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import QtWidgets

    from sotay_desktop.db.engine import open_database
    from sotay_desktop.ui.roster.model import ALL
    from sotay_desktop.ui.roster.screen import RosterScreen
    from sotay_desktop.usecases.workspace import Workspace

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    db = open_database(data)
    store = Workspace(db, today=lambda: AS_OF)
    screen = RosterScreen()
    screen.set_rows(uc_members.roster(store))
    screen.status.setCurrentIndex(screen.status.findData(ALL))
    times = []
    for query in ("nguyen thi hoa", "tran van nam", "le thi thuy", "pham duc minh"):
        screen.search.clear()
        typed = ""
        for ch in query:
            typed += ch
            start = time.perf_counter()
            screen.search.setText(typed)   # textChanged -> model filter -> count label
            app.processEvents()
            times.append((time.perf_counter() - start) * 1000)
    filter_median = statistics.median(times)
    filter_max = max(times)

    queries = ("thien tai", "dang vien", "nghi quyet nong thon moi", "dai hoi chi bo",
               "phong chong", "thu nop dang phi", "huy hieu", "ve sinh moi truong")
    search_times = []
    for _ in range(5):
        for query in queries:
            start = time.perf_counter()
            uc_documents.search_documents(store, query)
            search_times.append((time.perf_counter() - start) * 1000)
    db.close()
    search_median = statistics.median(search_times)
    return [
        {"what": "Roster filter per keystroke over 5,000 members (setText → model filter "
                 "→ count), 4 names typed letter by letter",
         "figure": f"{filter_median:.1f} ms median, {filter_max:.1f} ms worst",
         "target": "≤ 16 ms", "ok": str(filter_median <= 16)},
        {"what": "Full-text search over 10,000 documents (FTS5 on folded text, up to 200 "
                 "hits with passages)",
         "figure": f"{search_median:.1f} ms median, {max(search_times):.1f} ms worst "
                   f"({len(search_times)} searches)",
         "target": "≤ 50 ms", "ok": str(search_median <= 50)},
    ]
