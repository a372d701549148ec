"""The province pages (issue 7): the membership and meeting reports in XLSX and PDF, and the
same province tasks from the server's command line."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest

from tests.province.support import THIS_MONTH, login, text_of

# Needs only the server and the core: also runs in the server's own venv (make server-alone).
pytestmark = pytest.mark.server


def test_reports_in_xlsx_and_pdf(env) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    c, ids = env["client"], env["ids"]
    login(c)
    page = text_of(c.get("/province/reports").text)
    assert "Tổng số đảng viên: 4" in page
    assert "Kinh 2" in page and "Tày 1" in page and "Thái 1" in page
    r = c.get(f"/province/reports?unit={ids['c1']}&format=xlsx")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    book = load_workbook(io.BytesIO(r.content))
    cells = {row[0]: row[1] for row in book["Đảng số"].iter_rows(values_only=True) if row}
    assert cells["Tổng số đảng viên"] == 3
    assert cells["Chính thức"] == 2 and cells["Dự bị"] == 1 and cells["Nữ"] == 1
    months = list(book["Sinh hoạt chi bộ"].iter_rows(values_only=True))
    assert months[-1][:2] == (THIS_MONTH.strftime("%m/%Y"), "1/2")
    r = c.get(f"/province/reports?unit={ids['c1']}&format=pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "Đảng số của Đảng ủy xã An Hòa" in text and "Dự bị" in text
    assert c.get("/province/reports?format=doc").status_code == 400


def test_province_tasks_from_the_command_line(env, tmp_path: Path, capsys,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # ``publish`` stores the file: in this test's folder, not the server user's data folder
    monkeypatch.setenv("SOTAY_SERVER_FILES_DIR", str(tmp_path / "cli-files"))
    from openpyxl import load_workbook

    from sync_server import cli

    url = env["settings"].db
    ids = env["ids"]
    secret = tmp_path / "pw.txt"
    secret.write_text("mật khẩu xã hai 2026\n", encoding="utf-8")
    assert cli.main(["--db", url, "user", "add", "--username", "Xa2", "--unit", ids["c2"],
                     "--password-file", str(secret), "--name", "Vũ Văn Hai"]) == 0
    login_ok = login(env["client"], "xa2", "mật khẩu xã hai 2026")
    assert login_ok.status_code == 303
    short = tmp_path / "short.txt"
    short.write_text("ngắn\n", encoding="utf-8")
    assert cli.main(["--db", url, "user", "add", "--username", "xa3", "--unit", ids["c2"],
                     "--password-file", str(short)]) == 1
    assert cli.main(["--db", url, "user", "add", "--username", "xa4", "--unit", ids["b1"],
                     "--password-file", str(secret)]) == 1
    err = capsys.readouterr().err
    assert "ít nhất 10 ký tự" in err and "không thuộc chi bộ" in err
    assert cli.main(["--db", url, "stats", "tree", "--unit", ids["p"], "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[-1]["branches"] == 3 and rows[-1]["members"] == 4 and rows[-1]["held"] == 1
    out = tmp_path / "bao-cao.xlsx"
    assert cli.main(["--db", url, "report", "--unit", ids["p"], "-o", str(out)]) == 0
    assert load_workbook(out)["Đảng số"]["B2"].value == 4
    assert cli.main(["--db", url, "comment", "--branch", ids["b1"], "--resolution",
                     env["draft"], "--text", "Góp ý từ dòng lệnh", "--author", "Ban Tổ chức"]) == 0
    newer = tmp_path / "pw2.txt"
    newer.write_text("mật khẩu mới của xã hai\n", encoding="utf-8")
    assert cli.main(["--db", url, "user", "passwd", "xa2", "--password-file", str(newer)]) == 0
    assert login(env["client"], "xa2", "mật khẩu xã hai 2026").status_code == 401
    assert login(env["client"], "xa2", "mật khẩu mới của xã hai").status_code == 303
    assert cli.main(["--db", url, "user", "disable", "xa2"]) == 0
    assert login(env["client"], "xa2", "mật khẩu xã hai 2026").status_code == 401
    assert cli.main(["--db", url, "stats", "rebuild"]) == 0
    capsys.readouterr()
    doc = tmp_path / "cv.pdf"
    doc.write_bytes(b"%PDF-1.4 cong van")
    assert cli.main(["--db", url, "publish", str(doc), "--to", ids["c1"], "--number",
                     "12-CV/TU", "--json"]) == 0
    document_id = json.loads(capsys.readouterr().out)["document_id"]
    assert [p.name for p in (tmp_path / "cli-files").rglob("*") if p.is_file()] == [
        hashlib.sha256(doc.read_bytes()).hexdigest()]
    assert cli.main(["--db", url, "downloads", document_id]) == 0
    assert "0/2 chi bộ đã tải về" in capsys.readouterr().out
