"""The meeting's score (issue 19): the pure rules (bands, the unexcused penalty, grades
that need full marks, the scheme as JSON and its faults), the service (facts from the
records, the sheet kept as a meeting_scores row and sent up, the year's list, the scheme as
a setting) and the command line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from sotay_core.domain.errors import ValidationError
from sotay_core.domain.meeting_score import (
    DEFAULT_SCHEME,
    MeetingFacts,
    auto_points,
    meeting_length,
    scheme_from_json,
    scheme_to_json,
    score,
)
from sotay_desktop.cli import main
from sotay_desktop.db.month_tables import MeetingScoreRow
from sotay_desktop.db.tables import OutboxRow
from sotay_desktop.services import meeting_scores as S
from sotay_desktop.services.meetings import list_meetings, meeting_data

FULL = {"preparation": 15, "order": 15, "minutes": 10, "conclusion": 20}
GOOD = MeetingFacts(present=40, called=45, unexcused=0, length_minutes=100, speakers=6)


def _criterion(code: str):  # type: ignore[no-untyped-def]
    return next(c for c in DEFAULT_SCHEME.criteria if c.code == code)


def test_default_scheme_is_100_points_in_four_grades() -> None:
    assert DEFAULT_SCHEME.max_total == 100
    assert [(g.label, g.min_points) for g in DEFAULT_SCHEME.grades] == [
        ("Tốt", 90), ("Khá", 70), ("Trung bình", 50), ("Kém", 0)]
    assert "CHƯA XÁC NHẬN" in DEFAULT_SCHEME.name


def test_filled_criteria_follow_their_bands() -> None:
    attendance, length, speakers = (_criterion(c) for c in ("attendance", "length", "speakers"))
    assert auto_points(attendance, GOOD) == (20, 89)
    assert auto_points(attendance, dataclasses.replace(GOOD, unexcused=1)) == (15, 89)
    assert auto_points(attendance, dataclasses.replace(GOOD, present=30)) == (10, 67)
    assert auto_points(attendance, dataclasses.replace(GOOD, present=0, unexcused=9)) == (0, 0)
    assert auto_points(attendance, dataclasses.replace(GOOD, called=0)) == (0, None)
    assert auto_points(length, GOOD) == (10, 100)
    assert auto_points(length, dataclasses.replace(GOOD, length_minutes=80)) == (7, 80)
    assert auto_points(length, dataclasses.replace(GOOD, length_minutes=None)) == (0, None)
    assert auto_points(speakers, dataclasses.replace(GOOD, speakers=3)) == (7, 3)
    assert meeting_length("19:30", "21:15") == 105
    assert meeting_length("23:30", "00:45") == 75          # past midnight
    assert meeting_length("19:30", "") is None


def test_totals_and_grades_need_full_marks_for_tot() -> None:
    sheet = score(DEFAULT_SCHEME, GOOD, FULL)
    assert (sheet.total, sheet.grade.label) == (100, "Tốt")
    # 97 points but only 3 speakers: not full marks on speakers, so "Khá"
    sheet = score(DEFAULT_SCHEME, dataclasses.replace(GOOD, speakers=3), FULL)
    assert (sheet.total, sheet.grade.label) == (97, "Khá")
    sheet = score(DEFAULT_SCHEME, GOOD, {**FULL, "conclusion": 0, "order": 5})
    assert (sheet.total, sheet.grade.label) == (70, "Khá")
    sheet = score(DEFAULT_SCHEME, dataclasses.replace(GOOD, length_minutes=None), {})
    assert (sheet.total, sheet.grade.label) == (30, "Kém")   # attendance 20, speakers 10
    with pytest.raises(ValidationError, match="from 0 to 15"):
        score(DEFAULT_SCHEME, GOOD, {**FULL, "preparation": 16})
    with pytest.raises(ValidationError):
        score(DEFAULT_SCHEME, GOOD, {**FULL, "order": -1})


def test_scheme_round_trips_and_faults_are_named() -> None:
    assert scheme_from_json(scheme_to_json(DEFAULT_SCHEME)) == DEFAULT_SCHEME
    raw = json.loads(scheme_to_json(DEFAULT_SCHEME))
    bad_cases = {
        "json": "{not json",
        "codes": json.dumps({**raw, "criteria": raw["criteria"] + raw["criteria"][:1]}),
        "grades": json.dumps({**raw, "grades": raw["grades"][:1]}),   # none from 0
        "source": json.dumps({**raw, "criteria": [{**raw["criteria"][0], "source": "vibe"}]}),
        "bands": json.dumps({**raw, "criteria": [{**raw["criteria"][1], "bands": []}]}),
        "number": json.dumps({**raw, "criteria": [{**raw["criteria"][0], "max": 0}]}),
        "shape": json.dumps([1, 2]),
    }
    for problem, text in bad_cases.items():
        with pytest.raises(ValidationError) as caught:
            scheme_from_json(text)
        assert caught.value.code == f"scheme.{problem}", problem
        assert caught.value.message("vi").startswith("Bộ tiêu chí chấm điểm: ")


def _latest(db) -> str:  # type: ignore[no-untyped-def]
    with db.reads() as session:
        return list_meetings(session)[0].id


def test_service_scores_from_the_records_and_keeps_the_sheet(demo_db) -> None:  # type: ignore[no-untyped-def]
    meeting_id = _latest(demo_db)
    with demo_db.reads() as session:
        form = S.score_form(session, meeting_id)
        data = meeting_data(session, meeting_id)
    assert not form.saved and data.score is None
    present = sum(1 for a in data.attendees if a.attendance.value == "present")
    assert (form.facts.present, form.facts.length_minutes, form.facts.speakers) == (
        present, 105, len(data.speakers))
    with demo_db.sessions.begin() as session:
        sheet, changes = S.save_score(session, meeting_id=meeting_id, points=FULL, note="Tốt")
    assert changes.touches("meeting_scores")
    with demo_db.reads() as session:
        row = session.scalars(select(MeetingScoreRow).where(
            MeetingScoreRow.meeting_id == meeting_id)).one()
        sent = session.scalars(select(OutboxRow).where(
            OutboxRow.entity == "meeting_scores", OutboxRow.row_id == row.id)).all()
        printed = meeting_data(session, meeting_id).score
        year = S.year_scores(session, 2026)
    assert (row.total, row.grade, row.note) == (sheet.total, sheet.grade.label, "Tốt")
    assert [i["code"] for i in json.loads(row.items)] == [c.code for c in DEFAULT_SCHEME.criteria]
    assert len(sent) == 1 and printed is not None
    assert (printed.total, printed.max_total, printed.grade) == (sheet.total, 100,
                                                                 sheet.grade.label)
    assert year[-1].meeting_id == meeting_id and len(year) == 6   # the demo's five, and this
    with demo_db.sessions.begin() as session:   # scored again: one row, updated
        S.save_score(session, meeting_id=meeting_id, points={**FULL, "order": 10})
    with demo_db.reads() as session:
        assert len(session.scalars(select(MeetingScoreRow).where(
            MeetingScoreRow.meeting_id == meeting_id)).all()) == 1
        assert S.score_form(session, meeting_id).manual["order"] == 10


def test_scheme_setting_is_checked_kept_and_reset(demo_db) -> None:  # type: ignore[no-untyped-def]
    text = json.dumps({"name": "Xã Tân Lập 2027", "criteria": [
        {"code": "attendance", "label": "Dự họp", "max": 50, "source": "attendance",
         "bands": [[90, 50], [0, 20]]},
        {"code": "rest", "label": "Còn lại", "max": 50}],
        "grades": [{"code": "good", "label": "Tốt", "min": 80}, {"code": "x", "label": "Chưa tốt",
                                                                  "min": 0}]})
    with demo_db.sessions.begin() as session:
        S.set_scheme(session, text)
    with pytest.raises(ValidationError), demo_db.sessions.begin() as session:
        S.set_scheme(session, "{}")
    meeting_id = _latest(demo_db)
    with demo_db.reads() as session:
        form = S.score_form(session, meeting_id)
    assert form.scheme.name == "Xã Tân Lập 2027" and list(form.manual) == ["rest"]
    with demo_db.sessions.begin() as session:
        S.set_scheme(session, None)
        assert S.current_scheme(session) == DEFAULT_SCHEME


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_command_line_scores_and_lists(demo_dir: Path, tmp_path: Path) -> None:
    where = ("--data-dir", str(demo_dir))
    code, out, _ = _run("meeting", "list", "--json", *where)
    meeting_id = json.loads(out)[0]["id"]
    code, out, err = _run("score", "set", meeting_id, *where, "--points", "preparation=15",
                          "order=15", "minutes=10", "conclusion=20")
    assert code == 0, err
    assert "preparation     15/15" in out and "xếp loại" in out
    code, out, _ = _run("score", "list", "--year", "2026", "--json", *where)
    assert json.loads(out)[-1]["meeting_id"] == meeting_id
    code, _out, err = _run("score", "set", meeting_id, *where, "--points", "nope=1")
    assert code == 1 and "nope" in err
    code, _out, err = _run("--lang", "en", "score", "set", meeting_id, *where, "--points",
                           "minutes=11")
    assert code == 1 and "from 0 to 10" in err
    scheme = tmp_path / "scheme.json"
    scheme.write_text('{"name": "x"}', encoding="utf-8")
    code, _out, err = _run("score", "scheme", "--set", str(scheme), *where)
    assert code == 1 and "Bộ tiêu chí" in err
    code, out, _ = _run("score", "scheme", "--reset", *where)
    assert code == 0 and json.loads(out)["name"] == DEFAULT_SCHEME.name
    assert dt.date.today().year >= 2026
