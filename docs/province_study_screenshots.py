"""Screenshots of the province's study pages (issue 21): docs/screenshots/province-study-*.png.
A server on a temporary SQLite database (the province page tests' tree of two communes and
three branches), a plan with a quiz and a survey published to the province, two branches'
counts pushed through ``/api/v1/sync``; the pages saved as HTML with their style sheet and
photographed by Debian's headless Chromium at 1366 pixels wide; the PDF's first page through
pdftoppm. Run by hand: ``.venv/bin/python docs/province_study_screenshots.py``."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from sync_server.app import create_app  # noqa: E402
from sync_server.settings import ServerSettings  # noqa: E402
from tests.province import study_support  # noqa: E402
from tests.province.support import Branch, login, make_tree  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
CSS = ROOT / "sync_server" / "templates" / "style.css"


def shoot(folder: Path, name: str, html: str, height: int) -> None:
    page = folder / f"{name}.html"
    page.write_text(html.replace("/province/static/style.css", "style.css"), "utf-8")
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--hide-scrollbars", f"--window-size=1366,{height}",
                    f"--screenshot={OUT / f'province-study-{name}.png'}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "style.css").write_bytes(CSS.read_bytes())
        settings = ServerSettings(db=f"sqlite:///{tmp / 'server.db'}",
                                  files_dir=str(tmp / "files"))
        app = create_app(settings)
        with TestClient(app) as c:
            with Session(app.state.engine) as s, s.begin():
                ids, codes = make_tree(s)
            branches = {}
            for unit_id, code in codes.items():
                token = c.post("/api/v1/enroll", json={"code": code}).json()["token"]
                branches[unit_id] = Branch(c, unit_id, token)
            branches[ids["b1"]].member("Nguyễn Văn An")
            env = {"app": app, "ids": ids, "tmp": tmp, "settings": settings}
            doc = study_support.document(env, ids["p"])
            plan_id = study_support.plan(env, ids["p"], document_ids=[doc])
            study_support.report(branches[ids["b1"]], plan_id, study_support.B1)
            study_support.report(branches[ids["b2"]], plan_id, study_support.B2)
            login(c)
            shoot(tmp, "list", c.get("/province/study").text, 500)
            shoot(tmp, "plan", c.get(f"/province/study/{plan_id}").text, 2000)
            shoot(tmp, "form", c.get("/province/study/new").text, 1500)
            token = re.search(r'name="form_token" value="([^"]+)"',
                              c.get("/province/study/new").text)
            assert token is not None
            refused = c.post("/province/study/new", data={
                "form_token": token.group(1), "to": ids["c1"], "title": "Học tập",
                "due_on": "31/03/2027", "quiz": "1. Câu hỏi không có đáp án\nA. Có\nB. Không"})
            shoot(tmp, "refused", refused.text, 700)
            pdf = tmp / "plan.pdf"
            pdf.write_bytes(c.get(f"/province/study/{plan_id}/download?format=pdf").content)
            subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1",
                            "-singlefile", str(pdf), str(OUT / "province-study-pdf")],
                           check=True, timeout=120)
    print("wrote", ", ".join(sorted(p.name for p in OUT.glob("province-study-*.png"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
