"""Pictures of the admission pipeline (issue 20) for docs/: the papers (6-KNĐ, 13-KNĐ, the
dossier's checklist) through pdftoppm, and the "Kết nạp đảng viên" screen with its step and
figures dialogs at 100, 150 and 200 % type on the 1366×768 screen.

Run under Xvfb: ``xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python
docs/admission_screenshots.py``. A demo branch is made in a temporary folder, and one more
candidate is taken through the whole path to full membership so every paper has a record.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from sotay_core.domain.admission import CandidateStatus, Step
from sotay_desktop.db.engine import open_database
from sotay_desktop.services.demo import create_demo
from sotay_desktop.usecases import candidates as cases
from sotay_desktop.usecases.workspace import Workspace

OUT = Path(__file__).parent / "screenshots"
TODAY = dt.date(2026, 11, 22)
SCALES = ((1.0, "100"), (1.5, "150"), (2.0, "200"))
D = dt.date


def full_path(ws: Workspace) -> str:
    """A candidate taken from outstanding citizen to full membership."""
    cid, _ = cases.add_candidate(ws, {"full_name": "Đỗ Thị Lan Anh", "gender": "nữ",
                                      "date_of_birth": D(1999, 3, 15),
                                      "residence": "Xóm 4, thôn Đông Hòa",
                                      "occupation": "Giáo viên"})
    sponsors = [m for m, _n in cases.sponsor_choices(ws)][:2]
    days = {Step.OUTSTANDING: D(2025, 7, 21), Step.TRAINING: D(2025, 7, 28),
            Step.APPLICATION: D(2025, 8, 4), Step.BACKGROUND: D(2025, 8, 6),
            Step.SPONSORS: D(2025, 8, 11), Step.MASS_COMMENTS: D(2025, 8, 20),
            Step.BRANCH_RESOLUTION: D(2025, 9, 3), Step.DECISION: D(2025, 9, 15),
            Step.CEREMONY: D(2025, 9, 26), Step.SELF_REVIEW: D(2026, 9, 10),
            Step.OFFICIAL_RESOLUTION: D(2026, 9, 28)}
    for step, day in days.items():
        extra: dict[str, object] = {}
        if step is Step.SPONSORS:
            extra["sponsors"] = [(s, D(2020, 1, 1)) for s in sponsors]
        if step is Step.BRANCH_RESOLUTION:
            base, _needed = cases.voting_base(ws, day)
            extra |= {"votes_for": base - 2, "votes_against": 1, "number": "08-NQ/CB",
                      "detail": "Ưu điểm: có lập trường tư tưởng vững vàng, gương mẫu trong "
                                "công tác giảng dạy và phong trào của thôn.\n"
                                "Khuyết điểm: kinh nghiệm công tác quần chúng còn ít."}
        if step is Step.DECISION:
            extra |= {"number": "155-QĐ/ĐU", "issuer": "Đảng ủy xã Tân Lập"}
        if step is Step.OFFICIAL_RESOLUTION:
            base, _needed = cases.voting_base(ws, day)
            extra |= {"votes_for": base, "number": "21-NQ/CB",
                      "detail": "Trong thời gian dự bị, đồng chí chấp hành tốt Điều lệ Đảng, "
                                "hoàn thành tốt nhiệm vụ được giao."}
        cases.record_step(ws, cid, step, date=day, **extra)  # type: ignore[arg-type]
    return cid


def papers(ws: Workspace, official: str, tmp: Path) -> None:
    admitted = next(c for c in cases.candidates(ws) if c.status is CandidateStatus.ADMITTED)
    for name, cid, kind in (("proposal", admitted.id, "proposal"),
                            ("official", official, "official"),
                            ("checklist", admitted.id, "checklist")):
        path = tmp / f"{name}.pdf"
        path.write_bytes(cases.paper_bytes(ws, cid, kind))
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "2", str(path),
                        str(OUT / f"doc-admission-{name}")], check=True)


def _settle(app: QtWidgets.QApplication) -> None:
    for _ in range(6):
        app.processEvents()
        QtCore.QThread.msleep(40)


def screens(app: QtWidgets.QApplication, ws: Workspace) -> None:
    from sotay_desktop.ui.candidates.rules_dialog import RulesDialog
    from sotay_desktop.ui.candidates.step_dialog import StepDialog
    from sotay_desktop.ui.display import apply_ui_scale, fit_to_screen
    from sotay_desktop.ui.main_window import MainWindow
    from sotay_desktop.ui.tasks import TaskRunner

    base = app.font().pointSizeF()
    for scale, suffix in SCALES:
        apply_ui_scale(app, scale, base)
        window = MainWindow(ws, TaskRunner(inline=True), scale=scale)
        window.resize(1366, 768)
        window.show()
        fit_to_screen(window)
        window.refresh()
        screen = window.lazy.named("CandidatesScreen")
        _settle(app)
        admitted = next(r for r in screen.rows if r.status is CandidateStatus.ADMITTED)
        screen.select(admitted.id)
        _settle(app)
        window.grab().save(str(OUT / f"candidates-{suffix}.png"))
        if scale == 2.0:
            waiting = next(r for r in screen.rows if r.status is CandidateStatus.ACTIVE)
            screen.select(waiting.id)
            _settle(app)
            view = screen.panel.view
            dialog = StepDialog(ws, window.runner, view, Step.BRANCH_RESOLUTION, window)
            dialog.show()
            _settle(app)
            dialog.grab().save(str(OUT / "candidates-step-200.png"))
            dialog.close()
            rules = RulesDialog(ws, window.runner, window)
            rules.show()
            _settle(app)
            rules.grab().save(str(OUT / "candidates-rules-200.png"))
            rules.close()
        window.close()
    apply_ui_scale(app, 1.0, base)


def main() -> int:
    app = QtWidgets.QApplication(sys.argv[:1])
    from sotay_desktop.ui import qt_vi

    qt_vi.install(app, "vi")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        db = open_database(tmp / "branch")
        with db.sessions.begin() as session:
            create_demo(session, members=60, as_of=TODAY)
        ws = Workspace(db, today=lambda: TODAY)
        official = full_path(ws)
        papers(ws, official, tmp)
        screens(app, ws)
        db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
