"""The province pages in a real browser (Debian's headless Chromium through Selenium and
Debian's chromedriver), against a real server, with a real desktop branch on the other side:
log in, open the tree, comment on a draft resolution, publish a document; then the desktop's
next sync brings both down, and the publication page shows the download.

Chromium is installed by ``make setup-test`` (Debian packages chromium, chromium-driver).
Without it the test is skipped outside CI and fails in CI.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from sotay_desktop.db.tables import DocumentRow, FileRow, ResolutionRow
from sotay_desktop.services import meeting_records
from sotay_desktop.services.sync import client as sync_client
from sync_server.cli import main as sotay_server
from sync_server.models import Unit
from tests.sync_support import BACKENDS, Server, server_fixture
from tests.templates import open_copy

pytestmark = pytest.mark.slow  # a real Chromium driven by Selenium: `make check` leaves it out

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
PASSWORD = "Mật khẩu Ban Tổ chức 2026"


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        if os.environ.get("CI"):
            pytest.fail("Chromium/chromedriver missing in CI (make setup-test installs them)")
        pytest.skip("Debian chromium and chromium-driver are not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--lang=vi", f"--user-data-dir={tmp_path / 'chr'}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.implicitly_wait(10)  # find_element waits for the next page to arrive
    try:
        yield driver
    finally:
        driver.quit()


server = server_fixture(backends=BACKENDS)


def test_staff_comment_and_publish_in_a_browser_reach_the_desktop(
        browser: Any, server: Server, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    [branch] = server.tree()
    with server.session() as s:
        province = s.scalars(select(Unit).where(Unit.parent_id.is_(None))).one().id
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    assert sotay_server(["--db", server.db_url, "user", "add", "--username", "bantochuc",
                         "--unit", province, "--password-file", str(secret),
                         "--name", "Ban Tổ chức Tỉnh ủy"]) == 0
    # The branch's PC: a demo branch, enrolled and synced up.
    pc = open_copy(tmp_path / "pc", members=25, documents=2, meetings=3, seed=11)
    sync_client.enroll(pc, server.url, server.code(branch), label="PC thôn")
    sync_client.run_sync(pc)
    with pc.reads() as s:
        draft = s.scalars(select(ResolutionRow).where(ResolutionRow.status == "draft")).one()
        draft_id, meeting_id = draft.id, draft.meeting_id

    b = browser
    b.get(server.url + "/province/")
    assert "Đăng nhập" in b.title
    b.find_element(By.ID, "username").send_keys("bantochuc")
    b.find_element(By.ID, "password").send_keys("sai mật khẩu rồi")
    b.find_element(By.ID, "login").click()
    WebDriverWait(b, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".error"))
    assert "không đúng" in b.find_element(By.CSS_SELECTOR, ".error").text
    b.find_element(By.ID, "password").send_keys(PASSWORD)
    b.find_element(By.ID, "login").click()
    wait = WebDriverWait(b, 20)
    wait.until(lambda d: "/units/" in d.current_url)
    # The tree: the province, its commune, one branch with the month's meeting.
    assert b.find_element(By.TAG_NAME, "h1").text == "Tỉnh Thử Nghiệm"
    assert "1 chi bộ · " in b.find_element(By.CSS_SELECTOR, ".summary").text
    b.find_element(By.LINK_TEXT, "Đảng ủy xã Hòa Bình").click()
    b.find_element(By.LINK_TEXT, "Chi bộ thôn 1").click()
    assert "Tóm tắt danh sách đảng viên" in b.page_source
    b.find_element(By.CSS_SELECTOR,
                   f"a[href='/province/branches/{branch}/meetings/{meeting_id}']").click()
    comment = "Chi bộ cần bổ sung chỉ tiêu kết nạp đảng viên mới trong quý I."
    b.find_element(By.ID, f"body-{draft_id}").send_keys(comment)
    b.find_element(By.CSS_SELECTOR, f"#res-{draft_id} button[type=submit]").click()
    wait.until(lambda d: "saved=1" in d.current_url)
    assert "Đã ghi góp ý" in b.find_element(By.CSS_SELECTOR, ".ok").text
    assert comment in b.page_source
    b.save_screenshot(str(tmp_path / "meeting.png"))
    # Publish a document to the whole province.
    document = tmp_path / "Hướng dẫn 12-HD-BTCTU.pdf"
    document.write_bytes(b"%PDF-1.4\n" + os.urandom(150_000))
    b.find_element(By.LINK_TEXT, "Gửi văn bản").click()
    b.find_element(By.ID, "file").send_keys(str(document))
    Select(b.find_element(By.ID, "doc_type")).select_by_visible_text("HD")
    b.find_element(By.ID, "number").send_keys("12-HD/BTCTU")
    b.find_element(By.ID, "issued_on").send_keys("25/11/2026")
    b.find_element(By.ID, "title").send_keys("Hướng dẫn kiểm điểm cuối năm")
    Select(b.find_element(By.ID, "to")).select_by_value(province)
    b.find_element(By.ID, "send").click()
    wait.until(lambda d: "sent=1" in d.current_url)
    assert "Đã gửi văn bản tới 1 chi bộ" in b.find_element(By.CSS_SELECTOR, ".ok").text
    publication_url = b.current_url.split("?")[0]
    assert "0/1 chi bộ đã tải về" in b.find_element(By.ID, "main").text

    # The desktop's next sync brings the comment and the document (with its file).
    report = sync_client.run_sync(pc)
    assert report.files_down == 1
    with pc.reads() as s:
        notes = meeting_records.comments(s, draft_id)
        assert [(n.author, n.body) for n in notes if n.body == comment] == [
            ("Ban Tổ chức Tỉnh ủy (Tỉnh Thử Nghiệm)", comment)]
        doc = s.scalars(select(DocumentRow).where(DocumentRow.number == "12-HD/BTCTU")).one()
        assert doc.title == "Hướng dẫn kiểm điểm cuối năm" and doc.origin == "from_above"
        assert doc.file_sha256 is not None
        file_row = s.get(FileRow, doc.file_sha256)
        assert file_row is not None and file_row.present
    pc.close()
    b.get(publication_url)
    assert "1/1 chi bộ đã tải về" in b.find_element(By.ID, "main").text
    b.save_screenshot(str(tmp_path / "publication.png"))
