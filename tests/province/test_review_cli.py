"""``sotay-server review list|show|decide`` (issue 20) on the database the branch PCs pushed
to: the year's grades per unit, a branch's review, the decision written for the branch (the
same as the page's), and its refusals in words, in Vietnamese and in English."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server.cli import main
from sync_server.models import Record, StatReview
from tests.province.month_support import members_of
from tests.province.review_support import YEAR, review_data

pytestmark = pytest.mark.server


def _run(env: dict[str, Any], capsys: pytest.CaptureFixture[str], *argv: str,
         code: int = 0) -> str:
    got = main(["--db", env["settings"].db, *argv])
    out, err = capsys.readouterr()
    assert got == code, out + err
    return out + err


def test_list_show_and_decide(env, capsys) -> None:
    ids, engine = env["ids"], env["app"].state.engine
    data = review_data(env, members_of(engine, ids["b1"]))
    listed = json.loads(_run(env, capsys, "review", "list", "--unit", ids["p"], "--year",
                             str(YEAR), "--json"))
    assert listed["total"]["grades"] == {"excellent": 1, "good": 2, "fulfilled": 1,
                                         "not_fulfilled": 0}
    assert (listed["total"]["sent"], listed["total"]["not_sent"]) == (1, 2)
    text = _run(env, capsys, "review", "list", "--unit", ids["c1"], "--year", str(YEAR))
    assert "Chi bộ thôn Tây\tđã họp, chưa gửi\t" in text
    assert text.rstrip().endswith("Hoàn thành nhiệm vụ 1, Không hoàn thành nhiệm vụ 0.")
    text = _run(env, capsys, "review", "list", "--unit", ids["b1"], "--year", str(YEAR))
    assert text.startswith("Chi bộ thôn Đông\tđã gửi, chờ quyết định\tHoàn thành xuất sắc "
                           "nhiệm vụ 1, Hoàn thành tốt nhiệm vụ 1,")
    shown = _run(env, capsys, "review", "show", "--branch", ids["b1"], "--year", str(YEAR))
    assert shown.startswith("Chi bộ thôn Đông, năm 2025: đã gửi, chờ quyết định\n")
    assert "Hoàng Văn Cường\t60\tđề nghị: Hoàn thành nhiệm vụ\tquyết định: —" in shown
    # Cường named without accents, the branch graded otherwise; the issuer by default the
    # commune above the branch; "Số" is not kept in the number
    done = _run(env, capsys, "review", "decide", "--branch", ids["b1"], "--year", str(YEAR),
                "--number", "Số 12-QĐ/ĐU", "--date", "20/01/2026",
                "--grade", "Hoang Van Cuong=tốt", "--branch-grade", "xuat sac")
    assert done.startswith("Đã ghi quyết định Số 12-QĐ/ĐU ngày 20/01/2026: 4 mức xếp loại")
    assert ("Khác mức chi bộ đề nghị: Hoàng Văn Cường: Hoàn thành nhiệm vụ → Hoàn thành tốt "
            "nhiệm vụ") in done
    with Session(engine) as s:
        decided = {json.loads(d)["entry_id"]: json.loads(d) for d in s.scalars(
            select(Record.data).where(Record.scope_id == ids["b1"],
                                      Record.entity == "review_decisions"))}
        stat = s.get(StatReview, (ids["b1"], data["c1"]))
        assert stat is not None and (stat.branch_decided, stat.changed) == ("excellent", 1)
    assert decided[data["cuong"]]["grade"] == "good"
    assert decided[data["own"]]["grade"] == "excellent"
    assert {d["number"] for d in decided.values()} == {"12-QĐ/ĐU"}
    assert {d["issuer"] for d in decided.values()} == {"Đảng ủy xã An Hòa"}
    shown = json.loads(_run(env, capsys, "review", "show", "--branch", ids["b1"], "--year",
                            str(YEAR), "--json"))
    assert shown["decided"] == {"excellent": 1, "good": 2, "fulfilled": 0, "not_fulfilled": 0}
    assert shown["decision"] == {"number": "12-QĐ/ĐU", "issuer": "Đảng ủy xã An Hòa",
                                 "decided_on": "2026-01-20"}
    # the same decision again changes nothing
    again = _run(env, capsys, "review", "decide", "--branch", ids["b1"], "--year", str(YEAR),
                 "--number", "12-QĐ/ĐU", "--date", "2026-01-20", "--grade",
                 f"{members_of(engine, ids['b1'])['Hoàng Văn Cường']}=good",
                 "--branch-grade", "excellent")
    assert ": 0 mức xếp loại mới ghi (0 thay quyết định trước), 4 không đổi;" in again


@pytest.mark.parametrize(("argv", "words"), [
    (("--branch", "b2"), "Lỗi: chi bộ «Chi bộ thôn Tây» chưa gửi đề nghị xếp loại năm 2025"),
    (("--branch", "b3"), "Lỗi: chi bộ «Chi bộ thôn Nam» chưa gửi đợt kiểm điểm năm 2025"),
    (("--grade", "Nguyễn Văn An=rất tốt"), "Lỗi: «rất tốt» không phải một mức xếp loại; "
                                           "chọn một trong: excellent (Hoàn thành xuất sắc"),
    (("--grade", "Lò Văn Sáu=good"), "Lỗi: đảng viên «Lò Văn Sáu» không có trong đợt"),
    (("--grade", "good"), "Lỗi: «good» không đúng dạng MÃ_ĐẢNG_VIÊN=mức"),
    (("--date", "2026-02-30"), "Lỗi: ngày «2026-02-30» không hợp lệ"),
    (("--date", "2024-12-31"), "Lỗi: ngày quyết định 31/12/2024 trước kỳ được kiểm điểm"),
    (("--date", "2025-12-19"), "Lỗi: ngày quyết định 19/12/2025 trước ngày chi bộ họp xét, "
                               "đề nghị (20/12/2025)"),
    (("--number", ""), "Lỗi: cần số quyết định"),
    (("--number", "1" * 61), "Lỗi: số, ký hiệu dài quá 60 ký tự"),
    (("--period", "q5"), "Lỗi: «q5» không phải một kỳ kiểm điểm; chọn một trong: year, q1"),
    (("--year", "1066"), "Lỗi: năm «1066» không hợp lệ"),
])
def test_decide_refuses_in_words_and_writes_nothing(env, capsys, argv, words) -> None:
    ids, engine = env["ids"], env["app"].state.engine
    review_data(env, members_of(engine, ids["b1"]))
    args = {"--branch": "b1", "--year": str(YEAR), "--number": "12-QĐ/ĐU",
            "--date": "2026-01-20"}
    extra: list[str] = []
    for name, value in zip(argv[::2], argv[1::2], strict=True):
        if name in args:
            args[name] = value
        else:
            extra += [name, value]
    args["--branch"] = ids.get(args["--branch"], args["--branch"])
    out = _run(env, capsys, "review", "decide", *[x for kv in args.items() for x in kv],
               *extra, code=1)
    assert out.startswith(words), out
    with Session(engine) as s:
        assert not s.scalars(select(Record).where(Record.entity == "review_decisions")).all()


def test_the_review_commands_speak_english(env, capsys) -> None:
    ids, engine = env["ids"], env["app"].state.engine
    review_data(env, members_of(engine, ids["b1"]))
    text = _run(env, capsys, "--lang", "en", "review", "list", "--unit", ids["c1"], "--year",
                str(YEAR))
    assert "\tmeeting held, not sent\t" in text and "Fulfilled tasks well 1" in text
    assert text.rstrip().endswith("Fulfilled tasks 1, Did not fulfil tasks 0.")
    out = _run(env, capsys, "--lang", "en", "review", "decide", "--branch", ids["b2"],
               "--year", str(YEAR), "--number", "1-QD", "--date", "2026-01-20", code=1)
    assert out == ("Error: the branch «Chi bộ thôn Tây» has not sent its proposed grades of "
                   "2025: the level above decides only once the branch has met and sent "
                   "them\n")
    out = _run(env, capsys, "--lang", "en", "review", "decide", "--branch", ids["b1"],
               "--year", str(YEAR), "--number", "1-QD", "--date", "2026-01-20")
    assert out.startswith("Recorded decision No. 1-QD of 20/01/2026: 4 grades written")
