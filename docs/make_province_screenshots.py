"""Screenshots of the province pages (docs/screenshots/province-*.png): a real server with
two communes and three branches, one of them a demo branch synced from a desktop data
folder, seen in Debian's headless Chromium. Run by ``make screenshots``."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402
from sqlalchemy import select  # noqa: E402

from sotay_desktop.db.engine import open_database  # noqa: E402
from sotay_desktop.db.tables import ResolutionRow  # noqa: E402
from sotay_desktop.services.demo import create_demo  # noqa: E402
from sotay_desktop.services.sync import client as sync_client  # noqa: E402
from sotay_desktop.usecases import report  # noqa: E402
from sotay_desktop.usecases.workspace import Workspace  # noqa: E402
from sync_server import admin, staff  # noqa: E402
from sync_server.models import Record  # noqa: E402
from tests.sync_support import running_server  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PASSWORD = "Mật khẩu Ban Tổ chức 2026"


def main() -> int:
    today = dt.date.today()
    with tempfile.TemporaryDirectory() as tmp_name, running_server(Path(tmp_name)) as server:
        tmp = Path(tmp_name)
        with server.session() as s:
            p = admin.add_unit(s, name="Đảng bộ tỉnh Hưng Yên", level="province",
                               parent_id=None)
            c1 = admin.add_unit(s, name="Đảng ủy xã Tân Lập", level="commune", parent_id=p.id)
            c2 = admin.add_unit(s, name="Đảng ủy xã Hòa Bình", level="commune", parent_id=p.id)
            b1 = admin.add_unit(s, name="Chi bộ thôn Thượng", level="branch", parent_id=c1.id)
            for name, parent in (("Chi bộ thôn Hạ", c1), ("Chi bộ thôn Đông", c2)):
                admin.add_unit(s, name=name, level="branch", parent_id=parent.id)
            staff.add_user(s, username="bantochuc", unit_id=p.id, password=PASSWORD,
                           display_name="Ban Tổ chức Tỉnh ủy")
            ids = {"p": p.id, "c1": c1.id, "b1": b1.id}
        pc = open_database(tmp / "pc")
        with pc.sessions.begin() as s:
            create_demo(s, members=40, documents=3, meetings=4, as_of=today, seed=3)
        sync_client.enroll(pc, server.url, server.code(ids["b1"]), label="PC thôn Thượng")
        last = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
        ws = Workspace(pc, today=lambda: today)
        report.save_report(ws, last, remarks="Chi bộ duy trì sinh hoạt đều; còn 2 đồng chí "
                           "chưa đóng đảng phí, chi ủy đã nhắc.")
        report.mark_sent(ws, last)
        sync_client.run_sync(pc)
        with server.session() as s:
            report_id = s.scalars(select(Record.id).where(
                Record.entity == "monthly_reports")).one()
        with pc.reads() as s:
            draft = s.scalars(select(ResolutionRow).order_by(
                ResolutionRow.status != "draft", ResolutionRow.issued_on.desc())).first()
            assert draft is not None
            meeting_id, draft_id = draft.meeting_id, draft.id
        pc.close()
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,860",
                    f"--user-data-dir={tmp / 'chr'}"):
            options.add_argument(arg)
        b = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            b.get(server.url + "/province/login")
            b.save_screenshot(str(OUT / "province-login.png"))
            b.find_element(By.ID, "username").send_keys("bantochuc")
            b.find_element(By.ID, "password").send_keys(PASSWORD)
            b.find_element(By.ID, "login").click()
            WebDriverWait(b, 20).until(lambda d: "/units/" in d.current_url)
            b.save_screenshot(str(OUT / "province-tree.png"))
            b.get(f"{server.url}/province/units/{ids['c1']}")
            b.save_screenshot(str(OUT / "province-commune.png"))
            b.get(f"{server.url}/province/branches/{ids['b1']}")
            b.save_screenshot(str(OUT / "province-branch.png"))
            b.get(f"{server.url}/province/branches/{ids['b1']}/meetings/{meeting_id}")
            b.execute_script(f"document.getElementById('res-{draft_id}').scrollIntoView()")
            b.save_screenshot(str(OUT / "province-meeting.png"))
            b.get(f"{server.url}/province/publish")
            b.save_screenshot(str(OUT / "province-publish.png"))
            b.get(f"{server.url}/province/reports")
            b.save_screenshot(str(OUT / "province-reports.png"))
            # the secretary's month (issue 19), at 1366×768
            b.set_window_size(1366, 768)
            b.get(f"{server.url}/province/units/{ids['c1']}")
            b.execute_script("document.getElementById('month-heading').scrollIntoView()")
            b.save_screenshot(str(OUT / "province-month.png"))
            b.execute_script("document.getElementById('chart-heading').scrollIntoView()")
            b.save_screenshot(str(OUT / "province-chart.png"))
            b.get(f"{server.url}/province/branches/{ids['b1']}/reports/{report_id}")
            b.save_screenshot(str(OUT / "province-report.png"))
            b.set_window_size(1280, 860)
            b.get(f"{server.url}/province/lang/en?next=/province/units/{ids['p']}")
            b.save_screenshot(str(OUT / "province-tree-en.png"))
        finally:
            b.quit()
    print("wrote", ", ".join(sorted(p.name for p in OUT.glob("province-*.png"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
