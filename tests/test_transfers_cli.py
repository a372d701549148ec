"""``sotay transfer …`` on the demo branch: out, in (a new person), present, end, list (--json,
--late), show, cancel and restore, the deadline setting; refusals in plain words with exit 1;
English under --lang en with no Vietnamese word of the program's own."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from sotay_core import i18n
from sotay_desktop.cli import main
from tests.vietnamese import vietnamese_letters


def run(*argv: str, lang: str = "vi") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main(["--lang", lang, *argv], out=out, err=err)
    finally:
        i18n.set_language("vi")
    return code, out.getvalue(), err.getvalue()


def listed(folder: tuple[str, ...], *extra: str) -> list[dict[str, Any]]:
    code, out, err = run("transfer", "list", *folder, "--json", *extra)
    assert code == 0, err
    found: list[dict[str, Any]] = json.loads(out)
    return found


def someone(folder: tuple[str, ...], status: str = "official") -> str:
    code, out, _ = run("members", "list", *folder, "--json")
    assert code == 0, out
    return str(next(m["id"] for m in json.loads(out) if m["status"] == status))


def test_a_year_of_letters_through_the_command_line(demo_dir: Path) -> None:
    folder = ("--data-dir", str(demo_dir))
    before = {letter["id"] for letter in listed(folder)}
    member = someone(folder)
    code, out, err = run("transfer", "out", member, "--kind", "official_within", "--number",
                         "77-GGT/ĐU", "--issued", "02/11/2026", "--to", "Chi bộ thôn Bắc",
                         *folder)
    assert code == 0, err
    assert "77-GGT/ĐU" in out and "Chờ xuất trình (hạn 14/12/2026)" in out
    code, out, err = run("transfer", "in", "--kind", "temporary_outside", "--number", "5/GGT",
                         "--issued", "2026-11-03", "--from", "Đảng bộ xã Vũ Lạc, tỉnh Thái Bình",
                         "--name", "Phạm Thị Mai", "--admitted", "01/06/2012", "--official",
                         "01/06/2013", "--presented", "21/11/2026", "--dues", "10/2026", *folder)
    assert code == 0, err
    new = {letter["number"]: letter for letter in listed(folder)
           if letter["id"] not in before}
    assert new["77-GGT/ĐU"]["event_kind"] == "transferred_out"
    assert new["77-GGT/ĐU"]["status"] == "waiting" and new["77-GGT/ĐU"]["direction"] == "out"
    assert new["5/GGT"]["event_kind"] == "temp_in" and new["5/GGT"]["dues_paid_to"] == "2026-10"
    code, out, _ = run("members", "show", new["5/GGT"]["member_id"], *folder, "--json")
    assert json.loads(out)["status"] == "temporary"
    assert run("transfer", "present", "77-GGT/ĐU", "20/11/2026", *folder)[0] == 0
    assert run("transfer", "end", "5/GGT", "22/11/2026", *folder)[0] == 0
    code, out, _ = run("transfer", "show", "5/GGT", *folder)
    assert "Kết thúc sinh hoạt tạm thời ngày 22/11/2026" in out
    shown = json.loads(run("transfer", "show", "77-GGT/ĐU", *folder, "--json")[1])
    assert shown["presented_on"] == "2026-11-20" and not shown["late"]
    # the late filter holds only letters past their deadline
    assert all(letter["late"] for letter in listed(folder, "--late"))
    # cancel and restore
    code, out, _ = run("transfer", "cancel", "77-GGT/ĐU", *folder)
    assert code == 0 and "sotay transfer restore" in out
    assert all(letter["number"] != "77-GGT/ĐU" for letter in listed(folder))
    assert run("transfer", "restore", *folder)[0] == 0
    assert any(letter["number"] == "77-GGT/ĐU" for letter in listed(folder))


def test_refusals_name_the_rule_and_change_nothing(demo_dir: Path) -> None:
    folder = ("--data-dir", str(demo_dir))
    before = listed(folder)
    gone = someone(folder, "transferred_out")
    code, _, err = run("transfer", "out", gone, "--kind", "official_within", "--number", "1",
                       "--issued", "02/11/2026", "--to", "X", *folder)
    assert code == 1 and "không còn sinh hoạt ở chi bộ" in err and "Đảng viên:" in err
    code, _, err = run("transfer", "out", someone(folder), "--kind", "official_within",
                       "--number", "1", "--issued", "02/11/2026", "--deadline", "01/11/2026",
                       "--to", "X", *folder)
    assert code == 1 and "trước ngày cấp" in err
    code, _, err = run("transfer", "in", "--kind", "official_within", "--number", "2",
                       "--issued", "02/11/2026", "--from", "Y", "--name", "Lê Văn Mới",
                       "--admitted", "05/11/2026", "--presented", "20/11/2026", *folder)
    assert code == 1 and "trước ngày kết nạp" in err
    code, _, err = run("transfer", "present", "no-such-letter", "20/11/2026", *folder)
    assert code == 1
    assert listed(folder) == before


def test_english_end_to_end(demo_dir: Path) -> None:
    folder = ("--data-dir", str(demo_dir))
    data = set()
    for letter in listed(folder):
        data |= {letter["full_name"], letter["from_place"], letter["to_place"], letter["number"]}
    for argv in (("transfer", "list", *folder), ("transfer", "list", "--late", *folder),
                 ("transfer", "rules", *folder)):
        code, out, err = run(*argv, lang="en")
        text = out + err
        for word in sorted(data, key=len, reverse=True):
            text = text.replace(word, "")
        assert code == 0 and not vietnamese_letters(text), text
    code, out, err = run("transfer", "present", "nothing", "01/01/2026", *folder, lang="en")
    assert code == 1 and err.startswith("Error: ") and not vietnamese_letters(err)


def test_the_deadline_setting(demo_dir: Path) -> None:
    folder = ("--data-dir", str(demo_dir))
    code, out, _ = run("transfer", "rules", *folder, "--json")
    assert json.loads(out) == {"present_within_days": 30, "working_days": True, "holidays": []}
    code, out, _ = run("transfer", "rules", "--days", "45", "--calendar", "--holiday",
                       "02/09/2026", *folder, "--json")
    assert json.loads(out) == {"present_within_days": 45, "working_days": False,
                               "holidays": ["2026-09-02"]}
    code, _, err = run("transfer", "rules", "--days", "0", *folder)
    assert code == 1 and "từ 1 đến 365" in err
    assert run("transfer", "rules", "--default", *folder)[0] == 0
