"""First pages of the study papers (issue 21) for the docs, through pdftoppm at 50 dpi: the
study cards (doc-study-cards.png), a member's quiz sheet (doc-study-sheet.png), the answer
key, the sign-in sheet of the demo's make-up session, the results (the branch's copy) and
the survey form (doc-study-key/attendance/results/survey.png), all from the demo's
finished plan through ``usecases.study_papers`` as the papers dialog makes them. Nothing is
saved in the branch's folder; the files pass through a temporary folder.

Called by docs/make_screenshots.py, or on its own on a fresh demo:
``xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python -m docs.study_paper_pages``.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from docs.shots import run_alone

if TYPE_CHECKING:
    from PySide6 import QtWidgets

    from sotay_desktop.usecases.workspace import Workspace


def study_paper_pages(app: QtWidgets.QApplication, ws: Workspace, base: float,
                      out: Path) -> list[Path]:
    from sotay_desktop.usecases import study, study_papers

    del app, base                       # papers, not screens
    plans = study.plans(ws)
    done = next((p for p in plans if p.has_survey and p.has_quiz), plans[0])
    view = study.view(ws, done.id)
    first = next(m.member_id for m in view.members if m.targeted)
    makeup = next((s.id for s in view.sessions if s.kind == "makeup"), None)
    papers = {
        "cards": (None, "cards", study_papers.Options()),
        "sheet": (done.id, "sheets", study_papers.Options(member_ids=(first,))),
        "key": (done.id, "key", study_papers.Options()),
        "attendance": (done.id, "attendance", study_papers.Options(session_id=makeup)),
        "results": (done.id, "results", study_papers.Options()),
        "survey": (done.id, "survey", study_papers.Options()),
    }
    made: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, (plan_id, kind, options) in papers.items():
            path = Path(tmp) / f"{name}.pdf"
            path.write_bytes(study_papers.paper_bytes(ws, plan_id, kind, "pdf", options))
            subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", str(path),
                            str(out / f"doc-study-{name}")], check=True)
            made.append(out / f"doc-study-{name}.png")
    return made


if __name__ == "__main__":
    raise SystemExit(run_alone(study_paper_pages))
