"""The ``sotay`` command, in process (fast) and once as a real subprocess."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sotay_core.domain.text import fold
from sotay_desktop.cli import main


def run(*argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        code = main(list(argv), out=out, err=err)
    finally:
        sys.stdin = old_stdin
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def demo300(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("cli") / "branch"
    code, _, err = run("demo", "--data-dir", str(data), "--members", "300", "--as-of",
                       "2026-11-22")
    assert code == 0, err
    return data


def test_search_returns_exactly_the_matching_members_in_roster_order(demo300: Path) -> None:
    code, out, _ = run("members", "list", "--data-dir", str(demo300), "--json")
    assert code == 0
    everyone = json.loads(out)
    code, out, _ = run("members", "list", "--data-dir", str(demo300), "--search",
                       "nguyen thi hoa", "--json")
    assert code == 0
    found = json.loads(out)
    expected = [m["id"] for m in everyone
                if {"nguyen", "thi", "hoa"} <= set(fold(m["full_name"]).split())]
    assert expected, "the demo should contain a Nguyễn Thị Hoa/Hoà/Hòa"
    assert [m["id"] for m in found] == expected


def test_status_filter_and_show(demo300: Path) -> None:
    code, out, _ = run("members", "list", "--data-dir", str(demo300), "--status", "deceased",
                       "--json")
    assert code == 0
    dead = json.loads(out)
    assert dead and all(m["status"] == "deceased" for m in dead)
    code, out, _ = run("members", "show", dead[0]["id"], "--data-dir", str(demo300), "--json")
    shown = json.loads(out)
    assert shown["full_name"] == dead[0]["full_name"]
    assert shown["events"][-1]["kind"] == "deceased"
    code, out, _ = run("members", "show", dead[0]["id"], "--data-dir", str(demo300))
    assert "từ trần" in out


def test_add_update_event_round_trip(tmp_path: Path) -> None:
    data = str(tmp_path / "b")
    assert run("demo", "--data-dir", data, "--members", "5")[0] == 0
    member = {"full_name": "Đinh Thị Ngọc Ánh", "date_of_birth": "1985-04-30",
              "admitted_on": "2015-05-19", "gender": "nữ"}
    code, out, err = run("members", "add", "--data-dir", data, "--json",
                         stdin=json.dumps(member, ensure_ascii=False))
    assert code == 0, err
    member_id = json.loads(out)["id"]
    patch = tmp_path / "patch.json"
    patch.write_text(json.dumps({"phone": "0912 345 678"}), encoding="utf-8")
    assert run("members", "update", member_id, "--data-dir", data, "--file", str(patch))[0] == 0
    code, _, err = run("members", "event", member_id, "--data-dir", data, "--kind",
                       "made_official", "--date", "2016-05-19", "--decision", "Số 12-QĐ/ĐU")
    assert code == 0, err
    code, out, _ = run("members", "show", member_id, "--data-dir", data, "--json")
    shown = json.loads(out)
    assert shown["status"] == "official"
    assert shown["phone"] == "0912 345 678"
    assert shown["events"][-1]["decision"] == "Số 12-QĐ/ĐU"


@pytest.mark.parametrize(("args", "stdin", "needle"), [
    (("members", "add"), '{"full_name": "Lê Văn A", "date_of_birth": "1990-02-30"}',
     "Ngày sinh"),
    (("members", "add"), "{not json", "JSON"),
    (("members", "add"), '["a list"]', "JSON"),
    (("members", "show", "no-such-id"), None, "không tìm thấy"),
    (("members", "list", "--status", "happy"), None, "không hợp lệ"),
    (("members", "event", "x", "--kind", "admitted", "--date", "2020-01-01"), None,
     "không tìm thấy"),
])
def test_errors_go_to_stderr_in_plain_words(demo300: Path, args: tuple[str, ...],
                                            stdin: str | None, needle: str) -> None:
    before = run("members", "list", "--data-dir", str(demo300), "--json")[1]
    code, out, err = run(*args, "--data-dir", str(demo300), stdin=stdin)
    assert code != 0
    assert out == ""
    assert err.startswith("Lỗi: ") and needle in err
    assert "Traceback" not in err
    assert run("members", "list", "--data-dir", str(demo300), "--json")[1] == before


def test_demo_refuses_a_folder_that_already_has_a_branch(demo300: Path) -> None:
    code, _, err = run("demo", "--data-dir", str(demo300))
    assert code != 0 and "đã có dữ liệu" in err


def test_list_on_an_empty_folder_says_what_to_do(tmp_path: Path) -> None:
    code, _, err = run("members", "list", "--data-dir", str(tmp_path / "nothing"))
    assert code != 0 and "sotay demo" in err


def test_db_check(demo300: Path) -> None:
    code, out, _ = run("db", "check", "--data-dir", str(demo300), "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["schema_version"]


def test_db_check_on_a_corrupt_file(tmp_path: Path) -> None:
    (tmp_path / "sotay.db").write_bytes(b"\x00garbage" * 512)
    code, _, err = run("db", "check", "--data-dir", str(tmp_path))
    assert code != 0 and "bị hỏng" in err and "sotay.db" in err


def test_console_script_runs_as_a_real_process(demo300: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "sotay_desktop.cli", "members", "list", "--data-dir",
         str(demo300), "--search", "nguyen", "--json"],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=60, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert all("nguyen" in fold(m["full_name"]).split() for m in json.loads(proc.stdout))


def test_import_dry_run_then_import_and_export(tmp_path: Path) -> None:
    import openpyxl

    data = str(tmp_path / "b")
    assert run("demo", "--data-dir", data, "--members", "5")[0] == 0
    sheet_path = tmp_path / "ds.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Họ và tên", "Ngày sinh"])
    book.active.append(["Lò Văn Páo", "1980-01-01"])
    book.active.append(["Sai Ngày", "1980-02-31"])
    book.save(sheet_path)
    code, out, _ = run("members", "import", str(sheet_path), "--data-dir", data, "--dry-run",
                       "--json")
    report = json.loads(out)
    assert code == 0 and report["imported"] == 0 and report["valid"] == 1
    assert report["rejected"][0]["line"] == 3
    code, out, _ = run("members", "import", str(sheet_path), "--data-dir", data, "--json")
    assert json.loads(out)["imported"] == 1
    target = tmp_path / "mau7.xlsx"
    assert run("members", "export", "--data-dir", data, "-o", str(target))[0] == 0
    names = [c.value for c in openpyxl.load_workbook(target).active["B"]
             if isinstance(c.value, str)]
    assert any("Lò Văn Páo" in n for n in names)


def test_meeting_list_export_and_packet(demo300: Path, tmp_path: Path) -> None:
    import docx
    from pypdf import PdfReader

    code, out, _ = run("meeting", "list", "--data-dir", str(demo300), "--json")
    meetings = json.loads(out)
    assert code == 0 and len(meetings) == 12
    latest = meetings[0]["id"]
    for what in ("minutes", "resolution", "invitation", "attendance"):
        for fmt in ("docx", "pdf"):
            target = tmp_path / f"{what}.{fmt}"
            code, _, err = run("meeting", "export", latest, "--what", what, "--format", fmt,
                               "-o", str(target), "--data-dir", str(demo300))
            assert code == 0, err
            if fmt == "docx":
                text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
                assert text.strip()
            else:
                assert "ĐẢNG CỘNG SẢN VIỆT NAM" in PdfReader(target).pages[0].extract_text()
    code, out, _ = run("members", "list", "--data-dir", str(demo300), "--json",
                       "--status", "exempted")
    two = [m["id"] for m in json.loads(out)[:2]]
    target = tmp_path / "packet.pdf"
    code, out, err = run("packet", latest, "--members", ",".join(two), "--font-size", "24",
                         "--paper", "a5", "-o", str(target), "--data-dir", str(demo300))
    assert code == 0, err
    assert "2 bản" in out
    assert len(PdfReader(target).pages) % 2 == 0
    code, _, err = run("packet", latest, "--members", "khong-co", "-o", str(target),
                       "--data-dir", str(demo300))
    assert code != 0 and "không tìm thấy" in err
    code, _, err = run("meeting", "export", "khong-co", "--what", "minutes", "-o",
                       str(target), "--data-dir", str(demo300))
    assert code != 0 and "không tìm thấy" in err


def test_members_list_json_shows_no_internal_keys(demo300: Path) -> None:
    code, out, _ = run("members", "list", "--data-dir", str(demo300), "--json")
    assert code == 0
    first = json.loads(out)[0]
    assert set(first) == {"id", "full_name", "gender", "date_of_birth", "status",
                          "admitted_on", "official_on", "card_number", "residence"}


@pytest.mark.parametrize("console", ["cp1252", "ascii", ""])
def test_json_is_utf8_with_real_letters_whatever_the_console(demo300: Path,
                                                             console: str) -> None:
    """A Windows console's code page (cp1252 cannot even hold "ễ") or a bare C locale."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONIOENCODING", "PYTHONUTF8", "LC_ALL", "LANG")}
    env.update({"LC_ALL": "C", "PYTHONUTF8": "0"})
    if console:
        env["PYTHONIOENCODING"] = console
    proc = subprocess.run(
        [sys.executable, "-m", "sotay_desktop.cli", "members", "list", "--data-dir",
         str(demo300), "--search", "nguyen", "--json"],
        capture_output=True, env=env, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout.decode("utf-8")              # raises on anything but UTF-8
    assert "\\u" not in text and "Nguyễn" in text
    assert all("nguyen" in fold(m["full_name"]).split() for m in json.loads(text))


def test_a_closed_pipe_ends_quietly(demo300: Path) -> None:
    """`sotay members list | head`: no "Lỗi: … (Broken pipe)" when the reader has enough."""
    done = subprocess.run(f"{sys.executable} -m sotay_desktop.cli members list "
                          f"--data-dir '{demo300}' | head -1", shell=True, capture_output=True,
                          text=True, timeout=60, cwd=Path(__file__).parents[1])
    assert done.stdout.count("\n") == 1 and done.stderr == ""
