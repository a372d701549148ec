"""``sotay-server study publish|list|show|edit|withdraw`` (issue 21) on the database the
branch PCs push to: the plan reaches the branches below the unit (the same as the page's),
the figures per unit and the quiz and survey totals come back as counts, the refusals are in
words; in Vietnamese, and in English with no Vietnamese of the program's own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server.cli import main
from sync_server.models import Record, StudyPublication
from tests.province.study_support import B1, B2, DUE, QUIZ, SURVEY, document, report
from tests.vietnamese import vietnamese_letters

pytestmark = pytest.mark.server


def _run(db: str, capsys: pytest.CaptureFixture[str], *argv: str | Path, code: int = 0
         ) -> str:
    got = main(["--db", db, *map(str, argv)])
    out, err = capsys.readouterr()
    assert got == code, out + err
    return out + err


def test_publish_list_show_edit_withdraw(env, capsys, tmp_path: Path) -> None:
    ids, engine, branches, db = env["ids"], env["app"].state.engine, env["branches"], \
        env["settings"].db
    quiz, survey = tmp_path / "quiz.txt", tmp_path / "survey.txt"
    quiz.write_text("\ufeff" + QUIZ, encoding="utf-8")      # as Notepad saves it
    survey.write_text(SURVEY, encoding="utf-8")
    doc = document(env, ids["p"])
    done = json.loads(_run(db, capsys, "study", "publish", "--to", ids["p"], "--title",
                           "Học tập Nghị quyết Đại hội XIV", "--due", DUE.strftime("%d/%m/%Y"),
                           "--number", "12-KH/TU", "--document", doc, "--quiz", quiz,
                           "--survey", survey, "--json"))
    plan_id = done["plan_id"]
    assert done["branches"] == 3
    assert report(branches[ids["b1"]], plan_id, B1)["status"] == "applied"
    assert report(branches[ids["b2"]], plan_id, B2)["status"] == "applied"
    listed = _run(db, capsys, "study", "list", "--unit", ids["c1"])
    assert (f"{plan_id}\tHọc tập Nghị quyết Đại hội XIV\thạn {DUE:%d/%m/%Y}\t2/2 chi bộ đã "
            "báo cáo\t7/8 đảng viên đã học (88 %)") in listed
    shown = _run(db, capsys, "study", "show", plan_id)
    assert "2/3 chi bộ đã báo cáo, 1 chưa gửi gì; 7/8 đảng viên đã học (88 %), 1 chưa " \
        "được học." in shown
    assert "Đảng ủy xã An Hòa\t2/2 đã báo cáo\t7/8 đã học (88 %)\t1 chưa được học" in shown
    assert "Trắc nghiệm: 6 bài, 4 đạt; số bài theo số câu đúng: 0:1, 1:1, 2:2, 3:2" in shown
    assert "Câu 2: 2/6 bài đúng (33 %)" in shown
    assert "Khảo sát câu 1 (Đồng chí đánh giá việc học tập thế nào?): A 4, B 3, C 0" in shown
    assert "Nguyễn Văn An" not in shown
    data = json.loads(_run(db, capsys, "study", "show", plan_id, "--unit", ids["c2"],
                           "--json"))
    assert (data["total"]["branches"], data["total"]["silent"]) == (1, 1)
    later = DUE.replace(year=DUE.year + 1)
    assert "trên 3 bản" in _run(db, capsys, "study", "edit", plan_id, "--due",
                                 later.isoformat())
    with Session(engine) as s:
        dues = {json.loads(d)["due_on"] for d in s.scalars(select(Record.data).where(
            Record.entity == "study_plans", Record.id == plan_id))}
        assert dues == {later.isoformat()}
    assert "khỏi 3 chi bộ" in _run(db, capsys, "study", "withdraw", plan_id)
    assert "đã thu hồi" in _run(db, capsys, "study", "list", "--unit", ids["p"])
    out = _run(db, capsys, "study", "withdraw", plan_id, code=1)
    assert out.startswith("Lỗi: kế hoạch «Học tập Nghị quyết Đại hội XIV» đã được thu hồi")


@pytest.mark.parametrize(("extra", "words"), [
    (("--due", "31/02/2027"), "Lỗi: hạn hoàn thành «31/02/2027» không phải là một ngày"),
    (("--due", "2027-01-01", "--quiz", "QUIZ_NO_ANSWER"),
     "Lỗi: Câu 1 chưa có đáp án đúng"),
    (("--due", "2027-01-01", "--survey", "MISSING"), "Lỗi: không đọc được tệp"),
    (("--due", "2027-01-01", "--audience", "statuses"), "Lỗi: "),
])
def test_refusals_in_words_and_nothing_written(env, capsys, tmp_path: Path, extra,
                                               words) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("1. Không có đáp án\nA. Có\nB. Không", encoding="utf-8")
    argv = [str(bad) if a == "QUIZ_NO_ANSWER" else str(tmp_path / "none.txt")
            if a == "MISSING" else a for a in extra]
    out = _run(env["settings"].db, capsys, "study", "publish", "--to", env["ids"]["c1"],
               "--title", "Học tập", *argv, code=1)
    assert out.startswith(words), out
    with Session(env["app"].state.engine) as s:
        assert not list(s.scalars(select(StudyPublication)))


def test_english_end_to_end(capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ASCII names: any Vietnamese letter in the English output is the program's own."""
    from sync_server.db import make_engine

    monkeypatch.setenv("SOTAY_SERVER_FILES_DIR", str(tmp_path / "files"))
    db = f"sqlite:///{tmp_path / 'server.db'}"

    def en(*argv: str | Path, code: int = 0) -> str:
        return _run(db, capsys, "--lang", "en", *argv, code=code)

    p = en("org", "add", "--name", "Province One", "--level", "province").strip()
    c = en("org", "add", "--name", "Commune A", "--level", "commune", "--parent", p).strip()
    b = en("org", "add", "--name", "Branch 1", "--level", "branch", "--parent", c).strip()
    quiz = tmp_path / "quiz.txt"
    quiz.write_text("1. Which year?\nA. 2021\n*B. 2026\n2. How often?\n*A. Monthly\nB. Never",
                    encoding="utf-8")
    survey = tmp_path / "survey.txt"
    survey.write_text("1. Useful?\nA. Yes\nB. No\n2. Suggestions?", encoding="utf-8")
    outputs: list[str] = []
    outputs.append(en("study", "publish", "--to", c, "--title", "Resolution XIV",
                      "--due", "2027-03-31", "--quiz", quiz, "--survey", survey))
    plan_id = json.loads(en("study", "list", "--unit", p, "--json"))["plans"][0]["plan_id"]
    engine = make_engine(db)
    with Session(engine) as s:
        assert s.get(Record, (b, "study_plans", plan_id)) is not None
    engine.dispose()
    outputs.append(en("study", "list", "--unit", p))
    outputs.append(en("study", "show", plan_id))
    outputs.append(en("study", "edit", plan_id, "--due", "2027-04-30"))
    outputs.append(en("study", "edit", plan_id, code=1))
    outputs.append(en("study", "publish", "--to", c, "--title", "X", "--due", "2027-02-30",
                      code=1))
    bad = tmp_path / "bad.txt"
    bad.write_text("1. No answer\nA. Yes\nB. No", encoding="utf-8")
    outputs.append(en("study", "publish", "--to", c, "--title", "X", "--due", "2027-02-01",
                      "--quiz", bad, code=1))
    outputs.append(en("study", "withdraw", plan_id))
    outputs.append(en("study", "show", "nope", code=1))
    for out in outputs:
        assert not vietnamese_letters(out), out
    assert outputs[0].startswith("Sent study plan ") and "to 1 branch(es)" in outputs[0]
    assert "0/1 branches reported, 1 sent nothing" in outputs[2]
    assert outputs[6].startswith("Error: Question 1 has no correct answer")
