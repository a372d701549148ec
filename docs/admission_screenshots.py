"""Pictures of the admission pipeline (issue 20) for docs/: the papers (6-KNĐ, 13-KNĐ, the
dossier's checklist) through pdftoppm (doc-admission-*.png), and the "Kết nạp đảng viên"
screen at 100, 150 and 200 % type on the 1366×768 screen (candidates-100/150/200.png) with
its step and figures dialogs at 200 % (candidates-step-200.png, candidates-rules-200.png).
One more candidate is first taken through the whole path to full membership so every paper
has a record. Modal dialogs are grabbed in place of running them.

Called by docs/make_screenshots.py, or on its own under Xvfb on a fresh demo:
``xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python -m docs.admission_screenshots``.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtWidgets

from docs.shots import SCALES, grab, open_window, reset, run_alone, settle, show_dialog
from sotay_core.domain.admission import CandidateStatus, Step
from sotay_desktop.usecases import candidates as cases

if TYPE_CHECKING:
    from sotay_desktop.usecases.workspace import Workspace

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


def papers(ws: Workspace, official: str, tmp: Path, out: Path) -> list[Path]:
    admitted = next(c for c in cases.candidates(ws) if c.status is CandidateStatus.ADMITTED)
    made: list[Path] = []
    for name, cid, kind in (("proposal", admitted.id, "proposal"),
                            ("official", official, "official"),
                            ("checklist", admitted.id, "checklist")):
        path = tmp / f"{name}.pdf"
        path.write_bytes(cases.paper_bytes(ws, cid, kind))
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "2", str(path),
                        str(out / f"doc-admission-{name}")], check=True)
        made += sorted(out.glob(f"doc-admission-{name}-*.png"))
    return made


def admission_screenshots(app: QtWidgets.QApplication, ws: Workspace, base: float,
                          out: Path) -> list[Path]:
    from sotay_desktop.ui.candidates.rules_dialog import RulesDialog
    from sotay_desktop.ui.candidates.screen import CandidatesScreen
    from sotay_desktop.ui.candidates.step_dialog import StepDialog

    official = full_path(ws)
    with tempfile.TemporaryDirectory() as tmp:
        made = papers(ws, official, Path(tmp), out)
    for scale, suffix in SCALES:
        window = open_window(app, ws, scale, base)
        screen = window.lazy.named("CandidatesScreen")
        assert isinstance(screen, CandidatesScreen)
        settle(app)
        admitted = next(r for r in screen.rows if r.status is CandidateStatus.ADMITTED)
        screen.select(admitted.id)
        made.append(grab(window, app, out / f"candidates-{suffix}.png"))
        if scale == 2.0:
            waiting = next(r for r in screen.rows if r.status is CandidateStatus.ACTIVE)
            screen.select(waiting.id)
            settle(app)
            dialog = StepDialog(ws, window.runner, screen.panel.view, Step.BRANCH_RESOLUTION,
                                window)
            made.append(show_dialog(dialog, app, out / "candidates-step-200.png"))
            made.append(show_dialog(RulesDialog(ws, window.runner, window), app,
                                    out / "candidates-rules-200.png"))
        window.close()
    reset(app, base)
    return made


if __name__ == "__main__":
    raise SystemExit(run_alone(admission_screenshots))
