"""Political study at the branch (issue 21), through the use cases on a small branch made for
the purpose: who a plan is for against the members' lives (transferred out and deceased
not, exempted yes under "all", statuses), the make-up list, attendance by name and by the
card's code (a second scan counted once; another branch's card, an unknown code and a
misread code refused), answer sheets (outside the choices refused, no quiz refused), the
quiz and survey set (no correct answer refused, a tally above those present refused), the
report row kept in step with counts only, the level above's plan read-only, undo."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from sotay_core.domain.entities import MemberStatus
from sotay_core.domain.errors import DomainError, ValidationError
from sotay_core.domain.study_plan import member_code
from sotay_desktop.db.engine import Database
from sotay_desktop.db.study_tables import (
    QuizAnswerRow,
    StudyAttendanceRow,
    StudyPlanRow,
    StudyReportRow,
)
from sotay_desktop.db.tables import AuditRow, OutboxRow
from sotay_desktop.services import members
from sotay_desktop.usecases import study
from sotay_desktop.usecases.workspace import Workspace

TODAY = dt.date(2026, 11, 20)
QUIZ = """1. Đại hội XIV của Đảng họp năm nào?
A. 2021
*B. 2026
C. 2031
2. Nghị quyết được học ở đâu?
A. Nhà văn hoá thôn *
B. Ở nhà
3. Câu hỏi thứ ba?
A. Một
B. Hai
C. Ba
Đáp án: C
"""
SURVEY = """1. Nội dung nghị quyết có thiết thực không?
A. Rất thiết thực
B. Thiết thực
C. Chưa thiết thực
2. Đồng chí quan tâm điều gì? (nhiều lựa chọn)
A. Kinh tế
B. Xã hội
3. Đề xuất của đồng chí:
"""


def _member(session, unit_id: str, name: str, *events: tuple[str, dt.date],  # type: ignore[no-untyped-def]
            official: bool = True) -> str:
    data = {"full_name": name, "date_of_birth": dt.date(1950, 5, 5),
            "admitted_on": dt.date(1990, 3, 1)}
    if official:
        data["official_on"] = dt.date(1991, 3, 1)
    else:
        data["admitted_on"] = dt.date(2026, 6, 1)
    member_id, _ = members.add_member(session, unit_id=unit_id, data=data, today=TODAY)
    for kind, day in events:
        members.record_event(session, member_id=member_id, kind=kind, date=day, today=TODAY)
    return member_id


@pytest.fixture
def branch(branch_db: tuple[Database, str]) -> Iterator[tuple[Workspace, dict[str, str]]]:
    db, unit_id = branch_db
    with db.sessions.begin() as s:
        ids = {
            "an": _member(s, unit_id, "Nguyễn Văn An"),
            "binh": _member(s, unit_id, "Trần Thị Bình"),
            "cuong": _member(s, unit_id, "Lê Văn Cường"),
            "new": _member(s, unit_id, "Lý Thị Mới", official=False),
            "exempted": _member(s, unit_id, "Bùi Văn Miễn", ("exempted", dt.date(2024, 5, 1))),
            "gone": _member(s, unit_id, "Mai Văn Đi", ("transferred_out", dt.date(2026, 4, 1))),
            "dead": _member(s, unit_id, "Đào Văn Mất", ("deceased", dt.date(2025, 2, 1))),
        }
    yield Workspace(db, today=lambda: TODAY), ids


def _plan(ws: Workspace, **extra: object) -> str:
    plan_id, changes = study.add_plan(ws, title="Học tập Nghị quyết Đại hội XIV",
                                      due_on=dt.date(2026, 12, 15), **extra)  # type: ignore[arg-type]
    assert changes.touches("study_plans", "study_reports")
    return plan_id


def _report(ws: Workspace, plan_id: str) -> dict[str, object]:
    with ws.db.reads() as s:
        row = s.scalars(select(StudyReportRow).where(StudyReportRow.plan_id == plan_id)).one()
        return json.loads(row.figures)  # type: ignore[no-any-return]


def test_targeted_follow_the_lives_and_makeup_lists_who_missed(branch) -> None:  # type: ignore[no-untyped-def]
    ws, ids = branch
    plan_id = _plan(ws)
    view = study.view(ws, plan_id)
    targeted = set(view.progress.targeted)
    assert targeted == {ids[k] for k in ("an", "binh", "cuong", "new", "exempted")}
    # roster order: given name first (An, Bình, Cường, Miễn, Mới)
    assert [m.name for m in view.members] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường",
                                              "Bùi Văn Miễn", "Lý Thị Mới"]
    session_id, _ = study.record_session(ws, plan_id, held_on=dt.date(2026, 11, 5),
                                         place="Nhà văn hoá", member_ids=[ids["an"], ids["binh"]])
    view = study.view(ws, plan_id)
    assert [m.member_id for m in view.makeup] == [ids["cuong"], ids["exempted"], ids["new"]]
    makeup_id, _ = study.record_session(ws, plan_id, held_on=dt.date(2026, 11, 12),
                                        kind="makeup", member_ids=[ids["cuong"]])
    study.mark_present(ws, makeup_id, ids["exempted"])
    view = study.view(ws, plan_id)
    assert [m.member_id for m in view.makeup] == [ids["new"]]
    assert view.figures.studied == 4 and view.figures.targeted == 5
    assert view.figures.sessions == 2 and view.figures.makeup_sessions == 1
    assert _report(ws, plan_id)["studied"] == 4
    # only probationary members
    only_new = _plan(ws, audience="statuses", statuses=[MemberStatus.PROBATIONARY])
    assert study.view(ws, only_new).progress.targeted == (ids["new"],)
    summary = {p.id: p for p in study.plans(ws)}[plan_id]
    assert (summary.targeted, summary.studied, summary.sessions) == (5, 4, 2)
    # a member transferred out on that day cannot be marked present? they can attend as a
    # guest: not counted. A deceased member cannot attend at all.
    with pytest.raises(ValidationError) as err:
        study.mark_present(ws, session_id, ids["dead"])
    assert err.value.code == "study_app.cannot_attend"
    assert study.view(ws, plan_id).figures.studied == 4


def test_scans_count_once_and_refuse_other_cards(branch) -> None:  # type: ignore[no-untyped-def]
    ws, ids = branch
    plan_id = _plan(ws)
    session_id, _ = study.record_session(ws, plan_id, held_on=dt.date(2026, 11, 5))
    unit_id = ws.branch_id()
    code = member_code(unit_id, ids["binh"])
    first = study.scan(ws, session_id, code)
    assert (first.member_id, first.name, first.already) == (ids["binh"], "Trần Thị Bình", False)
    assert first.changes.touches("study_attendance")
    again = study.scan(ws, session_id, f" {code[:7]}-{code[7:]}\r\n")
    assert again.already and not again.changes
    with ws.db.reads() as s:
        assert s.scalar(select(func.count()).select_from(StudyAttendanceRow)) == 1
    other = member_code("another-branch", ids["binh"])
    bad = code[:-1] + str((int(code[-1]) + 1) % 10)
    for wrong, reason in ((other, "study.code_other_branch"),
                          (member_code(unit_id, "no-such-member"), "study.code_unknown"),
                          (bad, "study.code_misread"), ("12345", "study.code_unreadable")):
        with pytest.raises(ValidationError) as err:
            study.scan(ws, session_id, wrong)
        assert err.value.code == reason
    assert study.find_member_by_code(ws, code) == ids["binh"]
    assert study.view(ws, plan_id).figures.studied == 1
    study.unmark(ws, session_id, ids["binh"])
    assert study.view(ws, plan_id).figures.studied == 0
    act = study.last_undoable(ws)
    assert act is not None and act.kind == "attendance"
    study.undo_last(ws, act)
    assert study.view(ws, plan_id).figures.studied == 1
    with pytest.raises(DomainError):
        study.undo_last(ws)


def test_quiz_answers_and_refusals(branch) -> None:  # type: ignore[no-untyped-def]
    ws, ids = branch
    plan_id = _plan(ws)
    with pytest.raises(ValidationError) as err:
        study.enter_answers(ws, plan_id, ids["an"], "BAC")
    assert err.value.code == "study_app.no_quiz"
    with pytest.raises(ValidationError) as err:
        study.set_quiz(ws, plan_id, "1. Câu hỏi?\nA. Một\nB. Hai\n")
    assert err.value.code == "study.no_correct"
    study.set_quiz(ws, plan_id, QUIZ)
    got, changes = study.enter_answers(ws, plan_id, ids["an"], "bac")
    assert (got.correct, got.total) == (3, 3) and changes.touches("quiz_answers")
    with pytest.raises(ValidationError) as err:
        study.enter_answers(ws, plan_id, ids["binh"], "BCA")   # question 2 has A-B only
    assert err.value.code == "study.answer_outside"
    got, _ = study.enter_answers(ws, plan_id, ids["binh"], "2 1 -")
    assert (got.correct, got.answered) == (2, 2)
    figures = _report(ws, plan_id)
    assert figures["quiz_sat"] == 2 and figures["histogram"] == [0, 0, 1, 1]
    assert figures["question_correct"] == [2, 2, 1]
    with ws.db.reads() as s:
        stored = s.scalars(select(QuizAnswerRow).where(
            QuizAnswerRow.member_id == ids["binh"])).one()
        assert (stored.answers, stored.correct, stored.total) == ("BA-", 2, 3)
    # a changed quiz that the sheets no longer fit is refused
    with pytest.raises(ValidationError) as err:
        study.set_quiz(ws, plan_id, "1. Một câu?\n*A. Có\nB. Không\n")
    assert err.value.code == "study_app.sheets_do_not_fit"
    study.clear_answers(ws, plan_id, ids["binh"])
    assert _report(ws, plan_id)["quiz_sat"] == 1
    # JSON form too
    study.set_quiz(ws, plan_id, json.dumps({"questions": [
        {"text": f"Câu {n}", "choices": ["a", "b", "c"], "correct": 1} for n in range(3)]}))
    view = study.view(ws, plan_id)
    assert view.plan.quiz is not None and len(view.plan.quiz) == 3
    line = view.member(ids["an"])
    assert line is not None and line.score is not None and line.score.correct == 1


def test_survey_counts_refused_above_present(branch) -> None:  # type: ignore[no-untyped-def]
    ws, ids = branch
    plan_id = _plan(ws)
    study.set_survey(ws, plan_id, SURVEY)
    session_id, _ = study.record_session(ws, plan_id, held_on=dt.date(2026, 11, 5),
                                         member_ids=[ids["an"], ids["binh"], ids["cuong"]])
    with pytest.raises(ValidationError) as err:
        study.enter_survey(ws, plan_id, collected_on=dt.date(2026, 11, 5),
                           session_id=session_id, tallies=[[2, 1, 1], [3, 3], []])
    assert err.value.code == "study.tally_sum_over_present"
    with pytest.raises(ValidationError) as err:
        study.enter_survey(ws, plan_id, collected_on=dt.date(2026, 11, 5),
                           session_id=session_id, tallies=[[4, 0, 0], [1, 1], []])
    assert err.value.code == "study.tally_over_present"
    study.enter_survey(ws, plan_id, collected_on=dt.date(2026, 11, 5), session_id=session_id,
                       tallies=[[2, 1, 0], [3, 2]], texts=["Mở lớp buổi tối"])
    figures = _report(ws, plan_id)
    assert figures["survey_present"] == 3
    assert figures["survey_tallies"] == [[2, 1, 0], [3, 2], []]
    assert figures["survey_texts"] == ["", "", "Mở lớp buổi tối"]
    # outside a session, present must be said
    with pytest.raises(ValidationError):
        study.enter_survey(ws, plan_id, collected_on=dt.date(2026, 11, 6),
                           tallies=[[1, 0, 0], [0, 0], []])
    study.enter_survey(ws, plan_id, collected_on=dt.date(2026, 11, 6), present=2,
                       tallies=[[1, 1, 0], [0, 2], []])
    assert _report(ws, plan_id)["survey_present"] == 5
    counts = study.survey_counts(ws, plan_id)
    assert [c.present for c in counts] == [3, 2]
    study.remove_survey_count(ws, counts[1].id)
    assert _report(ws, plan_id)["survey_present"] == 3


def test_report_is_counts_only_and_changes_only_with_figures(branch) -> None:  # type: ignore[no-untyped-def]
    ws, ids = branch
    plan_id = _plan(ws)
    study.set_quiz(ws, plan_id, QUIZ)
    session_id, _ = study.record_session(ws, plan_id, held_on=dt.date(2026, 11, 5),
                                         member_ids=[ids["an"], ids["binh"]])
    study.enter_answers(ws, plan_id, ids["an"], "BAC")
    with ws.db.reads() as s:
        before = s.scalar(select(func.count()).select_from(OutboxRow).where(
            OutboxRow.entity == "study_reports"))
    study.mark_present(ws, session_id, ids["an"])            # already: nothing changes
    study.edit_session(ws, session_id, place="Hội trường")   # no count changes
    with ws.db.reads() as s:
        assert s.scalar(select(func.count()).select_from(OutboxRow).where(
            OutboxRow.entity == "study_reports")) == before
        outbox = " ".join(r.fields + r.row_id for r in s.scalars(select(OutboxRow))
                          if r.entity in study.STUDY_TABLES or (
                              r.entity == "audit_log"
                              and json.loads(r.fields)["entity"] in study.STUDY_TABLES))
        audit = " ".join(f"{r.entity} {r.row_id} {r.detail}" for r in s.scalars(
            select(AuditRow).where(AuditRow.entity.in_(study.STUDY_TABLES))))
    assert "study_attendance" in outbox and "quiz_answers" in audit   # they were looked at
    for key in ("an", "binh"):
        assert ids[key] not in outbox and ids[key] not in audit
    for name in ("Nguyễn Văn An", "Trần Thị Bình"):
        assert name not in outbox


def test_the_level_above_plan_is_read_only(branch) -> None:  # type: ignore[no-untyped-def]
    ws, ids = branch
    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as s:   # as the sync writes a pulled row: version 1
        s.add(StudyPlanRow(id="plan-above", unit_id=unit_id, origin="from_above",
                           title="Kế hoạch của Huyện ủy", version=1,
                           due_on=dt.date(2026, 11, 30)))
    assert study.is_read_only(ws, "plan-above")
    assert study.view(ws, "plan-above").plan.read_only
    for act in (lambda: study.edit_plan(ws, "plan-above", title="Đổi"),
                lambda: study.remove_plan(ws, "plan-above"),
                lambda: study.set_quiz(ws, "plan-above", QUIZ),
                lambda: study.set_survey(ws, "plan-above", SURVEY)):
        with pytest.raises(ValidationError) as err:
            act()
        assert err.value.code == "study_app.read_only"
    # the branch's own work on it is taken, and its report goes up
    study.record_session(ws, "plan-above", held_on=dt.date(2026, 11, 5),
                         member_ids=[ids["an"]])
    assert _report(ws, "plan-above")["studied"] == 1
    # a paper plan from above typed here is the branch's record: editable
    typed = _plan(ws, from_above=True, number="Số 12-KH/ĐU", issuer="Đảng ủy xã")
    study.edit_plan(ws, typed, title="Học tập chuyên đề năm 2026")
    assert not study.view(ws, typed).plan.read_only


def test_remove_plan_and_undo_restores_it_and_its_report(branch) -> None:  # type: ignore[no-untyped-def]
    ws, ids = branch
    plan_id = _plan(ws)
    study.record_session(ws, plan_id, held_on=dt.date(2026, 11, 5), member_ids=[ids["an"]])
    study.remove_plan(ws, plan_id)
    assert plan_id not in {p.id for p in study.plans(ws)}
    with ws.db.reads() as s:   # never sent: taken back from the outbox
        assert not s.scalar(select(func.count()).select_from(OutboxRow).where(
            OutboxRow.entity.in_(("study_plans", "study_reports"))))
    study.undo_last(ws)
    assert study.view(ws, plan_id).figures.studied == 1
    assert _report(ws, plan_id)["studied"] == 1


def test_points_and_member_record(branch) -> None:  # type: ignore[no-untyped-def]
    ws, ids = branch
    plan_id = _plan(ws)
    study.set_quiz(ws, plan_id, QUIZ)
    study.record_session(ws, plan_id, held_on=dt.date(2026, 11, 5),
                         member_ids=[ids["an"]])
    study.record_session(ws, plan_id, held_on=dt.date(2026, 11, 6),
                         member_ids=[ids["an"]])
    study.enter_answers(ws, plan_id, ids["an"], "BAC")
    assert study.view(ws, plan_id).member(ids["an"]).points == 15  # type: ignore[union-attr]
    study.set_points_rule(ws, '{"per_plan": 8, "per_session": 2, "quiz_passed": 4}')
    assert study.points_rule(ws).per_plan == 8
    record = study.member_study(ws, ids["an"], 2026)
    assert record.total_points == 8 + 2 + 4 and record.plans_studied == 1
    assert study.member_study(ws, ids["an"], 2025).lines == ()
    with pytest.raises(ValidationError):
        study.set_points_rule(ws, '{"per_plan": -1}')


def test_reminders_for_plans_due_with_members_not_studied(branch) -> None:  # type: ignore[no-untyped-def]
    from sotay_core.domain.reminders import ReminderKind
    from sotay_desktop.usecases import branch as branch_uc

    ws, ids = branch
    soon, _ = study.add_plan(ws, title="Sắp hết hạn", due_on=TODAY + dt.timedelta(days=5))
    late, _ = study.add_plan(ws, title="Quá hạn", starts_on=dt.date(2026, 10, 1),
                             due_on=TODAY - dt.timedelta(days=3))
    far, _ = study.add_plan(ws, title="Còn xa", due_on=TODAY + dt.timedelta(days=60))
    study.add_plan(ws, title="Chưa bắt đầu", starts_on=TODAY + dt.timedelta(days=10),
                   due_on=TODAY + dt.timedelta(days=40))
    found = {r.ref: r for r in study.reminders(ws)}
    # every plan under way shows on Home (the plan, its deadline, how many not studied);
    # one not begun yet does not
    assert set(found) == {soon, late, far}
    assert found[far].kind is ReminderKind.STUDY_OPEN and not found[far].overdue
    assert found[late].kind is ReminderKind.STUDY_OVERDUE and found[late].overdue
    assert found[soon].kind is ReminderKind.STUDY_DUE and found[soon].years == 5
    assert {r.ref for r in branch_uc.reminders(ws)} >= {soon, late}
    study.record_session(ws, soon, held_on=TODAY, member_ids=[
        ids[k] for k in ("an", "binh", "cuong", "new", "exempted")])
    assert soon not in {r.ref for r in study.reminders(ws)}


def test_a_contest_is_for_the_secretary_and_names_results(branch) -> None:  # type: ignore[no-untyped-def]
    from sotay_desktop.db.tables import CommitteeTermRow

    ws, ids = branch
    with ws.db.sessions.begin() as s:
        s.add(CommitteeTermRow(id="term", unit_id=ws.branch_id(), starts_on=dt.date(2025, 7, 1),
                               secretary_id=ids["cuong"]))
    contest = _plan(ws, kind="contest", audience="secretary")
    study.set_quiz(ws, contest, QUIZ)
    assert study.view(ws, contest).progress.targeted == (ids["cuong"],)
    study.enter_answers(ws, contest, ids["cuong"], "BAA")
    assert _report(ws, contest)["named"] == [{"name": "Lê Văn Cường", "correct": 2,
                                             "total": 3}]
    plain = _plan(ws)
    study.set_quiz(ws, plain, QUIZ)
    study.enter_answers(ws, plain, ids["cuong"], "BAA")
    assert _report(ws, plain)["named"] == []


def test_refresh_follows_the_roster_and_a_withdrawn_plan(branch) -> None:  # type: ignore[no-untyped-def]
    ws, ids = branch
    plan_id = _plan(ws)
    assert _report(ws, plan_id)["targeted"] == 5
    assert not study.refresh_reports(ws)                       # nothing moved
    with ws.db.sessions.begin() as s:
        members.record_event(s, member_id=ids["binh"], kind="transferred_out",
                             date=dt.date(2026, 11, 10), today=TODAY)
    assert study.refresh_reports(ws).touches("study_reports")
    assert _report(ws, plan_id)["targeted"] == 4
    with ws.db.sessions.begin() as s:   # the level above withdrew it (as a pull writes)
        row = s.get(StudyPlanRow, plan_id)
        assert row is not None
        row.deleted = True
    study.refresh_reports(ws)
    with ws.db.reads() as s:
        assert s.scalars(select(StudyReportRow.deleted).where(
            StudyReportRow.plan_id == plan_id)).one()
