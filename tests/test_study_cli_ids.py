"""Every ``sotay study``/``sotay quiz`` command takes a plan or a session as the lists print it
(issue 21): the last 8 characters in brackets, with or without the brackets, or 6 characters
or more of the start of the id; a start that two records share (ids are time-ordered, so
records made the same day share it) is refused in words and nothing is written; the help says
so. ``study show`` prints the plan's number once ("Số: 21-KH/ĐU", not "Số: Số 21-KH/ĐU")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sotay_desktop.cli import common
from tests.conftest import TODAY
from tests.test_study_cli import as_json, ok, refused, run


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "today", lambda: TODAY)


@pytest.fixture
def folder(demo_dir: Path) -> tuple[str, str]:
    return "--data-dir", str(demo_dir)


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as ended:
        run(*argv, "--help")
    assert ended.value.code == 0
    return " ".join(capsys.readouterr().out.split())


def _printed(text: str) -> list[str]:
    return re.findall(r"\[([0-9a-f]{8})\]", text)


def test_what_the_lists_print_is_taken_by_every_command(folder: tuple[str, str],
                                                         tmp_path: Path) -> None:
    listed = ok("study", "list", *folder)
    plans = {p["id"][-8:]: p for p in as_json("study", "list", *folder)}
    assert sorted(_printed(listed)) == sorted(plans)
    done = next(short for short, p in plans.items() if p["has_survey"])
    for typed in (done, f"[{done}]", f" [{done}] ", plans[done]["id"][:8]):
        assert as_json("study", "show", typed, *folder)["id"] == plans[done]["id"]
    assert "8 câu" in ok("quiz", "show", f"[{done}]", *folder)
    ok("study", "sheets", f"[{done}]", *folder, "-o", str(tmp_path / "phieu.pdf"))
    sessions = ok("study", "session", "list", f"[{done}]", *folder)
    makeup = next(line for line in sessions.splitlines() if "học bù" in line)
    short = _printed(makeup)[0]
    ok("study", "attendance", done, *folder, "--session", f"[{short}]",
       "-o", str(tmp_path / "ky.pdf"))
    before = as_json("study", "show", done, *folder)["sessions"]
    present = next(len(s["present"]) for s in before if s["id"].endswith(short))
    said = ok("study", "scan", f"[{short}]", *folder, stdin="")
    assert f"Có mặt: {present};" in said
    assert as_json("study", "show", done, *folder)["sessions"] == before


def test_a_start_two_records_share_is_refused_in_words(folder: tuple[str, str]) -> None:
    for title in ("Học Nghị quyết số 57", "Học Nghị quyết số 66"):
        ok("study", "add", *folder, "--title", title, "--due", "20/12/2026")
    new = [p["id"] for p in as_json("study", "list", *folder) if "số 57" in p["title"]
           or "số 66" in p["title"]]
    start = new[0][:6]
    assert new[1].startswith(start)                  # made the same minute: same start
    said = refused("study", "show", start, *folder)
    assert f"Có 2 kế hoạch khớp với “{start}”" in said
    assert as_json("study", "show", new[0][-8:], *folder)["id"] == new[0]
    for day in ("10/11/2026", "12/11/2026"):
        ok("study", "session", "add", new[0], *folder, "--date", day)
    held = as_json("study", "show", new[0], *folder)["sessions"]
    assert held[0]["id"][:6] == held[1]["id"][:6]
    said = refused("study", "scan", held[0]["id"][:6], *folder, stdin="")
    assert "Có nhiều buổi học khớp với" in said and "8 ký tự cuối" in said
    said = refused("study", "session", "remove", held[0]["id"][:6], *folder)
    assert "Có nhiều buổi học khớp với" in said
    assert len(as_json("study", "show", new[0], *folder)["sessions"]) == 2   # none removed
    ok("study", "session", "remove", f"[{held[0]['id'][-8:]}]", *folder)
    assert len(as_json("study", "show", new[0], *folder)["sessions"]) == 1


def test_the_number_is_printed_once_and_the_help_says_what_is_taken(
        folder: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    going = next(p["id"] for p in as_json("study", "list", *folder) if not p["has_survey"])
    shown = ok("study", "show", going, *folder)
    assert "Số: 21-KH/ĐU;" in shown and "Số: Số" not in shown
    for argv in (("study", "show"), ("study", "sheets"), ("quiz", "grid")):
        words = _help(capsys, *argv)
        assert "6 ký tự đầu hay cuối của mã" in words and "8 ký tự cuối" in words
    for argv in (("study", "scan"), ("study", "attendance"), ("study", "session", "remove")):
        assert "6 ký tự đầu hay cuối của mã" in _help(capsys, *argv)
