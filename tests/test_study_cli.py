"""``sotay study …`` and ``sotay quiz …`` end to end on the demo branch, driven only through
the command line: a plan added, its quiz typed in the text form, a session with members by
name and by card code, a scanner's codes on standard input (a card twice, another branch's
card, an unknown and a misread code), a grid of sheets with bad lines, the results and the
make-up list checked against what is computed here from what was typed; the points setting,
a member's record, survey counts. Refusals are said in words with nothing written."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from sotay_core import i18n
from sotay_core.domain.study_plan import member_code
from sotay_desktop.cli import common
from sotay_desktop.cli import main as sotay
from tests.conftest import TODAY
from tests.test_review_cli import cp1258

QUIZ = """Câu 1: Đại hội XIV của Đảng họp năm nào?
A. 2021
*B. 2026
C. 2031
Giải thích: tháng 1 năm 2026.
Câu 2: Chi bộ sinh hoạt thường kỳ
mấy tháng một lần?
A. Mỗi tháng một lần *
B. Ba tháng một lần
Câu 3: Ai chủ trì buổi học?
A. Trưởng thôn
B. Bí thư chi bộ
C. Chủ tịch xã
D. Bí thư Đoàn
Đáp án: B
"""
KEY = "BAB"


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "today", lambda: TODAY)     # the demo's day, 22/11/2026


def run(*argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        code = sotay(list(argv), out=out, err=err)
    finally:
        sys.stdin = old
        i18n.set_language("vi")
    return code, out.getvalue(), err.getvalue()


def ok(*argv: str, stdin: str | None = None) -> str:
    code, out, err = run(*argv, stdin=stdin)
    assert code == 0, f"sotay {' '.join(argv)}: {err}{out}"
    return out


def as_json(*argv: str) -> Any:
    return json.loads(ok(*argv, "--json"))


def refused(*argv: str, stdin: str | None = None) -> str:
    code, out, err = run(*argv, stdin=stdin)
    assert code == 1, f"sotay {' '.join(argv)} ended with {code}: {out}{err}"
    assert "Traceback" not in err and "bất ngờ" not in err
    return out + err


@pytest.fixture
def folder(demo_dir: Path) -> tuple[str, str]:
    return "--data-dir", str(demo_dir)


def _new_plan(folder: tuple[str, str]) -> str:
    said = ok("study", "add", *folder, "--title", "Học Nghị quyết số 57 về khoa học",
              "--due", "20/12/2026", "--number", "57-NQ/TW", "--issuer", "Bộ Chính trị",
              "--from-above")
    plan = next(p for p in as_json("study", "list", *folder)
                if p["title"] == "Học Nghị quyết số 57 về khoa học")
    assert plan["id"][-8:] in said and plan["from_above"] and plan["due_on"] == "2026-12-20"
    return str(plan["id"])


def test_plans_are_listed_added_changed_and_removed_in_words(folder: tuple[str, str]) -> None:
    before = as_json("study", "list", *folder)
    assert len(before) == 2                          # the demo's: one finished, one going
    plan = _new_plan(folder)
    assert len(as_json("study", "list", *folder)) == 3
    ok("study", "edit", plan[-8:], *folder, "--due", "31/12/2026", "--points", "20")
    shown = as_json("study", "show", plan, *folder)
    assert shown["due_on"] == "2026-12-31" and shown["points"] == 20
    assert shown["targeted"] > 0 and shown["studied"] == 0
    assert "Đã lưu" in ok("study", "edit", "Học Nghị quyết số 57 về khoa học", *folder,
                          "--note", "Học theo tổ")
    assert "không có gì thay đổi" in ok("study", "edit", plan, *folder).lower()
    said = refused("study", "edit", plan, *folder, "--due", "31/02/2026")
    assert "Lỗi:" in said
    assert as_json("study", "show", plan, *folder)["due_on"] == "2026-12-31"
    assert "Không có kế hoạch học tập “không-có”" in refused("study", "show", "không-có",
                                                             *folder)
    refused("study", "add", *folder, "--title", "  ")
    assert "Đã xoá" in ok("study", "remove", plan, *folder)
    assert len(as_json("study", "list", *folder)) == 2


def _member_lines(folder: tuple[str, str], plan: str) -> dict[str, dict[str, Any]]:
    return {m["id"]: m for m in as_json("study", "show", plan, *folder)["members"]}


def test_a_whole_plan_through_the_command_line(folder: tuple[str, str], tmp_path: Path) -> None:
    plan = _new_plan(folder)
    bank = tmp_path / "cau-hoi.txt"
    bank.write_bytes(cp1258(QUIZ))             # as Excel/Notepad on Vietnamese Windows saves
    assert "3 câu, mức đạt 60%" in ok("quiz", "set", plan, str(bank), *folder, "--pass", "60")
    shown = ok("quiz", "show", plan, *folder, "--key")
    assert "*B. 2026" in shown and "Giải thích: tháng 1 năm 2026." in shown
    assert "*" not in ok("quiz", "show", plan, *folder).split("\n", 1)[1]
    said = refused("quiz", "set", plan, "-", *folder,
                   stdin="1. Hỏi\nA. có\nB. không\n2. Hỏi nữa\n*A. x\nB. y\n")
    assert "Câu 1 chưa có đáp án đúng" in said
    assert as_json("quiz", "show", plan, *folder, "--key")["questions"][0]["correct"] == "B"

    members = _member_lines(folder, plan)
    ids = [m for m, line in members.items() if line["targeted"]]
    first, second, third, fourth = ids[:4]
    name = members[first]["full_name"]
    said = ok("study", "session", "add", plan, *folder, "--date", "20/11/2026", "--place",
              "Nhà văn hoá", "--present", name, "--present", members[second]["code"])
    session = next(s for s in as_json("study", "session", "list", plan, *folder)
                   if s["held_on"] == "2026-11-20")
    assert set(session["present"]) == {first, second} and "2 có mặt" in said

    unit_code = members[first]["code"][:5]
    other = member_code("another-branch", first)
    assert other[:5] != unit_code
    unit_id = as_json("members", "show", first, *folder)["unit_id"]
    assert member_code(unit_id, first) == members[first]["code"]
    unknown = member_code(unit_id, "a-member-removed-long-ago")   # this branch, no one
    code3, code4 = members[third]["code"], members[fourth]["code"]
    misread = code4[:-1] + str((int(code4[-1]) + 1) % 10)
    scanned = "\n".join([code3, code3, f"{code4[:5]}-{code4[5:]}", other, unknown, misread,
                         "", "12345"]) + "\n"
    code, out, _err = run("study", "scan", session["id"][-8:], *folder, stdin=scanned)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("Dòng 1:") and "có mặt" in lines[0]
    assert "chỉ tính một lần" in lines[1]
    assert "chi bộ khác" in lines[3] and "Dòng 4" in lines[3]
    assert "không có trong danh sách đảng viên" in lines[4]
    assert "đọc sai" in lines[5]
    assert "Dòng 8" in lines[6] and "14 chữ số" in lines[6]
    assert "Có mặt: 4; dòng không ghi được: 4." in lines[-1]
    present = next(s for s in as_json("study", "session", "list", plan, *folder)
                   if s["id"] == session["id"])["present"]
    assert sorted(present) == sorted([first, second, third, fourth])

    typed = {first: "BAB", second: "2-1", third: "ABD"}
    grid = tmp_path / "bai-lam.txt"
    grid.write_text("\n".join([
        f"{members[first]['full_name']}\tb a b",
        f"{members[second]['code']} {typed[second]}",
        "# a comment line",
        f"{members[third]['full_name']} ABE",                        # E: question 3 has A-D
        f"{members[third]['full_name']}; {typed[third]}",
        "Người Không Có Thật ABC",
        f"{members[first]['full_name']} AAA",                        # twice
        "ABC",
    ]), encoding="utf-8")
    code, out, _err = run("quiz", "grid", plan, str(grid), *folder)
    assert code == 1
    assert "Dòng 4" in out and "Câu 3: không có phương án E (chỉ có A–D)" in out
    assert "Dòng 6" in out and "Dòng 7" in out and "dòng 1" in out and "Dòng 8" in out
    assert "Đã ghi 3 bài; 4 dòng không ghi được." in out
    typed[second] = "B-A"

    results = as_json("quiz", "results", plan, *folder)
    right = {m: sum(a == k for a, k in zip(t, KEY, strict=True)) for m, t in typed.items()}
    assert {m["id"]: m["score"]["correct"] for m in results["members"]} == right
    assert results["sat"] == 3
    assert results["passed"] == sum(r * 100 >= 60 * 3 for r in right.values())
    assert results["question_correct"] == [sum(t[i] == KEY[i] for t in typed.values())
                                           for i in range(3)]
    assert sum(results["histogram"]) == 3
    said = ok("quiz", "answer", plan, members[fourth]["code"], "BA", *folder)
    assert "đúng 2/3 câu (67%), đạt" in said
    assert "Câu 2: không có phương án C" in refused("quiz", "answer", plan, first, "BC",
                                                   *folder)
    assert "bộ gõ tiếng Việt" in refused("quiz", "answer", plan, first, "ÂB", *folder)

    shown = as_json("study", "show", plan, *folder)
    studied = {m["id"] for m in shown["members"] if m["studied"] and m["targeted"]}
    targeted = [m["id"] for m in shown["members"] if m["targeted"]]
    makeup = [m["id"] for m in as_json("study", "makeup", plan, *folder)]
    assert makeup == [m for m in targeted if m not in studied]
    assert studied == {first, second, third, fourth}

    record = as_json("study", "member", first, *folder, "--year", "2026")
    line = next(x for x in record["lines"] if x["plan_id"] == plan)
    assert line["points"] == 10 + 5                 # studied, quiz passed (3/3)
    ok("study", "points", *folder, "--per-plan", "7", "--quiz-passed", "3")
    assert as_json("study", "points", *folder) == {"per_plan": 7, "per_session": 0,
                                                   "quiz_passed": 3}
    line = next(x for x in as_json("study", "member", first, *folder, "--year", "2026")
                ["lines"] if x["plan_id"] == plan)
    assert line["points"] == 7 + 3
    refused("study", "points", *folder, "--per-plan", "5000")
    ok("study", "points", *folder, "--default")
    assert as_json("study", "points", *folder)["per_plan"] == 10

    assert "Đã xoá buổi học" in ok("study", "session", "remove", session["id"], *folder)
    assert not as_json("study", "session", "list", plan, *folder)
    assert len(as_json("study", "makeup", plan, *folder)) == len(targeted)


def test_survey_counts_and_reminders(folder: tuple[str, str]) -> None:
    plans = as_json("study", "list", *folder)
    with_survey = next(p for p in plans if p["has_survey"])
    before = as_json("study", "survey", "list", with_survey["id"], *folder)
    assert before["total"]["present"] > 0
    said = refused("study", "survey", "enter", with_survey["id"], *folder, "--date",
                   "01/11/2026", "--present", "10", "--tally", "6,5,0", "--tally", "1 2 3",
                   "--tally", "")
    assert "Câu 1: tổng 11 phiếu, nhiều hơn số đảng viên có mặt (10)" in said
    assert as_json("study", "survey", "list", with_survey["id"], *folder) == before
    refused("study", "survey", "enter", with_survey["id"], *folder, "--date", "01/11/2026",
            "--present", "10", "--tally", "6,x", "--tally", "1", "--tally", "")
    ok("study", "survey", "enter", with_survey["id"], *folder, "--date", "01/11/2026",
       "--present", "10", "--tally", "6,4,0", "--tally", "10 9 10", "--tally", "",
       "--text", "", "--text", "", "--text", "Làm đường")
    after = as_json("study", "survey", "list", with_survey["id"], *folder)
    assert after["total"]["present"] == before["total"]["present"] + 10
    assert after["total"]["tallies"][0][0] == before["total"]["tallies"][0][0] + 6
    reminders = as_json("study", "reminders", *folder)
    going = next(p for p in plans if not p["has_survey"])
    assert [r["ref"] for r in reminders] == [going["id"]] or reminders == []


def _strings(value: Any) -> set[str]:
    """Every string in a JSON document (the branch's own words: names, titles, questions)."""
    if isinstance(value, str):
        return {value} if value else set()
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return set()


def test_every_study_and_quiz_command_speaks_english(folder: tuple[str, str],
                                                     tmp_path: Path) -> None:
    from tests.test_cli_english import en

    plans = as_json("study", "list", *folder)
    done = next(p for p in plans if p["has_survey"])["id"]
    going = next(p for p in plans if not p["has_survey"])["id"]
    data: set[str] = _strings(plans)
    for plan in (done, going):
        data |= _strings(as_json("study", "show", plan, *folder))
        data |= _strings(as_json("quiz", "show", plan, *folder, "--key"))
        data |= _strings(as_json("study", "survey", "list", plan, *folder))
    first = next(m for m in as_json("study", "show", going, *folder)["members"]
                 if m["targeted"])
    data |= {d["title"] for d in as_json("study", "show", done, *folder)["documents"]}
    data |= {text[3:].strip() for text in data if text.startswith("Số ")}  # "Số: 15-KH/ĐU"
    for argv in (("study", "list"), ("study", "show", done), ("study", "show", going),
                 ("study", "session", "list", done), ("study", "makeup", going),
                 ("study", "member", first["id"], "--year", "2026"), ("study", "points"),
                 ("study", "reminders"), ("study", "survey", "list", done),
                 ("quiz", "show", done, "--key"), ("quiz", "results", done)):
        en(*argv, *folder, data=data)
        en(*argv, *folder, "--json", data=data) if argv[1] not in ("points",) else None
    en("study", "show", "no-such-plan", *folder, code=1)
    en("study", "add", *folder, "--title", "x", "--due", "31/02/2026", code=1)
    en("study", "add", *folder, "--title", "Plan A", "--due", "30/12/2026")
    en("study", "edit", "Plan A", *folder, "--audience", "statuses", code=1)
    en("study", "points", *folder, "--per-plan", "5000", code=1)
    en("quiz", "set", "Plan A", "-", *folder, stdin="1. Q\nA. a\nB. b\n", code=1)
    en("quiz", "set", "Plan A", "-", *folder, stdin="1. Q\n*A. a\nB. b\n")
    en("quiz", "set", "Plan A", str(tmp_path / "missing.txt"), *folder, code=1)
    en("quiz", "answer", "Plan A", first["code"], "C", *folder, code=1)
    en("quiz", "answer", "Plan A", first["code"], "ÂB", *folder, code=1, data={"Â"})
    en("quiz", "answer", "Plan A", first["code"], "A", *folder, data=data)
    en("quiz", "grid", "Plan A", "-", *folder, stdin=f"{first['code']} B\nnobody A\n", code=1,
       data=data | {"nobody"})
    en("study", "session", "add", "Plan A", *folder, "--date", "20/11/2026", "--present",
       first["code"], data=data)
    session = as_json("study", "session", "list", "Plan A", *folder)[0]["id"]
    other = member_code("another-branch", "x")
    en("study", "scan", session, *folder, stdin=f"{first['code']}\n{other}\n123\n", code=1,
       data=data)
    en("study", "session", "remove", "no-such-session", *folder, code=1)
    en("study", "survey", "enter", "Plan A", *folder, "--date", "20/11/2026", "--tally", "1",
       code=1)
    en("study", "read", "no-such-document", *folder, "-o", str(tmp_path / "x.wav"), code=1)
    en("study", "remove", "Plan A", *folder)


@pytest.mark.skipif(__import__("shutil").which("espeak-ng") is None,
                    reason="espeak-ng is not installed")
def test_a_document_is_read_aloud_into_a_wav(folder: tuple[str, str], tmp_path: Path) -> None:
    import wave

    documents = as_json("study", "show", as_json("study", "list", *folder)[1]["id"],
                        *folder)["documents"]
    out = tmp_path / "doc.wav"
    said = ok("study", "read", documents[0]["number"], *folder, "-o", str(out))
    with wave.open(str(out)) as w:
        seconds = w.getnframes() / w.getframerate()
    assert seconds > 5 and str(out) in said
    assert "không tìm thấy văn bản" in refused("study", "read", "99-XX/YY", *folder, "-o",
                                               str(tmp_path / "no.wav")).lower()
    assert not (tmp_path / "no.wav").exists()
    entries = as_json("audit", "list", *folder)
    assert any(e.get("detail") == "read_aloud" for e in (entries if isinstance(entries, list)
                                                         else entries.get("entries", [])))
