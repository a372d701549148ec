"""Question banks and answer grids saved by other programs, through ``sotay quiz set`` and
``sotay quiz grid`` on the demo (issue 21, attack): Word's and Notepad's "Unicode" text is
UTF-16 with a byte-order mark and CRLF line ends (it was read as cp1258 and refused as a
line of mojibake), a bank with NUL bytes or a thousand questions is refused in words with
the plan's quiz untouched, and zero-width marks copied from the web do not matter."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_study_cli import QUIZ, _new_plan, as_json, folder, ok, refused, run

__all__ = ["folder"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-8-sig", "utf-32"])
def test_a_bank_saved_as_unicode_text_by_word_or_notepad_reads(
        folder: tuple[str, str], tmp_path: Path, codec: str) -> None:
    plan = _new_plan(folder)
    bank = tmp_path / "cau-hoi.txt"
    body = QUIZ.replace("\n", "\r\n")
    data = body.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    bank.write_bytes(data)
    assert "3 câu" in ok("quiz", "set", plan, str(bank), *folder)
    shown = as_json("quiz", "show", plan, *folder)
    assert shown["questions"][0]["text"] == "Đại hội XIV của Đảng họp năm nào?"
    assert shown["questions"][2]["choices"][3] == "Bí thư Đoàn"


def test_banks_that_cannot_be_a_quiz_are_refused_and_the_quiz_kept(
        folder: tuple[str, str], tmp_path: Path) -> None:
    plan = _new_plan(folder)
    ok("quiz", "set", plan, "-", *folder, stdin=QUIZ)
    bank = tmp_path / "nul.txt"
    bank.write_bytes(QUIZ.encode() + b"\x00\x00")
    said = refused("quiz", "set", plan, str(bank), *folder)
    assert "Dòng 16" in said and "U+0000" in said
    many = "".join(f"{n}. Câu {n}?\n*A. Có\nB. Không\n" for n in range(1, 1001))
    assert "100" in refused("quiz", "set", plan, "-", *folder, stdin=many)
    big = tmp_path / "big.txt"
    big.write_text("1. " + "rất dài " * 700_000 + "\n*A. có\nB. không\n", encoding="utf-8")
    assert "quá dài" in refused("quiz", "set", plan, str(big), *folder)
    assert len(as_json("quiz", "show", plan, *folder)["questions"]) == 3
    # a bank copied from a web page: zero-width spaces and a byte-order mark
    ok("quiz", "set", plan, "-", *folder,
       stdin="\ufeff1. Câu\u200b một?\n\u200bA. Có\n*B. Không\u200b\n")
    assert as_json("quiz", "show", plan, *folder)["questions"][0]["choices"] == ["Có", "Không"]


def test_a_grid_from_a_spreadsheet_keeps_each_answer_on_its_question(
        folder: tuple[str, str]) -> None:
    plan = _new_plan(folder)
    ok("quiz", "set", plan, "-", *folder, stdin=QUIZ)       # right answers: B A B
    members = as_json("study", "show", plan, *folder)["members"]
    first, second, third = (m["code"] for m in members[:3])
    grid = (f"{first}\tB\t\tB\n"          # cells copied from Excel, question 2 left blank
            f"{second};;A;B;\n"           # a CSV line, question 1 left blank
            f"{third},B,A,B\n")           # commas are not a column mark: refused in words
    code_said = refused("quiz", "grid", plan, "-", *folder, stdin=grid)
    assert "Dòng 3" in code_said
    sheets = {m["code"]: m for m in as_json("study", "show", plan, *folder)["members"]}
    assert sheets[first]["answers"] == "B-B" and sheets[first]["score"]["correct"] == 2
    assert sheets[second]["answers"] == "-AB" and sheets[second]["score"]["correct"] == 2
    assert sheets[third]["answers"] == ""


def test_a_survey_count_above_the_roster_is_refused_without_a_crash(
        folder: tuple[str, str]) -> None:
    plan = next(p["id"] for p in as_json("study", "list", *folder) if p["has_survey"])
    before = as_json("study", "show", plan, *folder)["survey"]
    roster = len(as_json("members", "list", *folder))
    tallies = ("--tally", "1,1,0", "--tally", "1,1,1", "--tally", "")
    for present in (str(roster * 10), "99999999999999999999999"):
        said = refused("study", "survey", "enter", plan, *folder, "--date", "20/11/2026",
                       "--present", present, *tallies)
        assert f"nhiều hơn số đảng viên trong danh sách của chi bộ ({roster})" in said, said
    assert as_json("study", "show", plan, *folder)["survey"] == before
    ok("study", "survey", "enter", plan, *folder, "--date", "20/11/2026",
       "--present", str(roster), *tallies)


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as ended:
        run(*argv, "--help")
    assert ended.value.code == 0
    return capsys.readouterr().out


def test_the_help_names_the_id_the_lists_print(folder: tuple[str, str],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """The lists print an id's last 8 characters in brackets; the help said 'the start of
    the id', which time-ordered ids share."""
    shown_help = _help(capsys, "study", "show")
    assert "8 ký tự cuối" in shown_help and "phần đầu" not in shown_help
    assert "8 ký tự cuối" in _help(capsys, "study", "scan")
    listed = ok("study", "list", *folder).splitlines()[0]
    shown = listed.rsplit("[", 1)[1].split("]")[0]
    assert len(shown) == 8 and shown in ok("study", "show", shown, *folder)


def test_points_out_of_range_are_named_once(folder: tuple[str, str]) -> None:
    said = refused("study", "add", *folder, "--title", "Kế hoạch thử", "--points", "5000")
    assert "Điểm tích lũy: phải là số nguyên từ 0 đến 1000" in said
    assert said.count("Điểm tích lũy") == 1, said


def test_a_tally_with_too_few_numbers_names_its_question(folder: tuple[str, str]) -> None:
    plan = next(p["id"] for p in as_json("study", "list", *folder) if p["has_survey"])
    said = refused("study", "survey", "enter", plan, *folder, "--date", "20/11/2026",
                   "--present", "30", "--tally", "20,10", "--tally", "1,1,1", "--tally", "")
    assert "Câu 1 của phiếu khảo sát có 3 phương án" in said and "đã gõ 2 số phiếu" in said
