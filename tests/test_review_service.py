"""The annual review's use cases (usecases/review.py over services/review*.py) on a small
branch made for the purpose: who is reviewed (a member admitted mid-year yes, one admitted in
September, an exempted one, one transferred out, a candidate: no), the facts prefilled, the
grade at every points boundary, the conditions that cap it, the vote, the "excellent" cap at
the meeting, a quarter's campaign, and every refusal naming the rule and the member with
nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from sotay_core.domain.errors import DomainError
from sotay_core.domain.review import Grade
from sotay_core.domain.review_setting import Exclusion, Policy
from sotay_desktop.db.engine import Database
from sotay_desktop.db.tables import (
    AttendanceRow,
    MeetingRow,
    OutboxRow,
    ResolutionRow,
    TaskRow,
)
from sotay_desktop.db.year_tables import CandidateRow, ReviewDecisionRow, ReviewEntryRow
from sotay_desktop.services import dues, members
from sotay_desktop.services.review import Votes
from sotay_desktop.usecases import review
from sotay_desktop.usecases.workspace import Workspace

TODAY = dt.date(2026, 12, 10)
OFFICIALS = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em",
             "Vũ Thị Gấm")


def _member(session, unit_id: str, name: str, admitted: dt.date,  # type: ignore[no-untyped-def]
            official: dt.date | None = None, *events: tuple[str, dt.date]) -> str:
    data = {"full_name": name, "date_of_birth": dt.date(1940, 5, 5), "admitted_on": admitted}
    if official:
        data["official_on"] = official
    member_id, _ = members.add_member(session, unit_id=unit_id, data=data, today=TODAY)
    for kind, day in events:
        members.record_event(session, member_id=member_id, kind=kind, date=day, today=TODAY,
                             decision="Số 5-QĐ/UBKT" if kind == "disciplined" else "")
    return member_id


@pytest.fixture
def branch(branch_db: tuple[Database, str]) -> Iterator[tuple[Workspace, dict[str, str]]]:
    db, unit_id = branch_db
    ids: dict[str, str] = {}
    with db.sessions.begin() as s:
        for name in OFFICIALS:
            ids[name] = _member(s, unit_id, name, dt.date(2000, 3, 1), dt.date(2001, 3, 1))
        ids["disciplined"] = _member(s, unit_id, "Đỗ Văn Kỷ", dt.date(2001, 1, 1),
                                     dt.date(2002, 1, 1), ("disciplined", dt.date(2026, 3, 1)))
        ids["late"] = _member(s, unit_id, "Ngô Thị Muộn", dt.date(2001, 1, 1),
                              dt.date(2002, 1, 1))
        ids["exempted"] = _member(s, unit_id, "Bùi Văn Miễn", dt.date(1970, 1, 1),
                                  dt.date(1971, 1, 1), ("exempted", dt.date(2024, 5, 1)))
        ids["june"] = _member(s, unit_id, "Lý Thị Sáu", dt.date(2026, 6, 1))
        ids["september"] = _member(s, unit_id, "Lý Văn Chín", dt.date(2026, 9, 1))
        ids["gone"] = _member(s, unit_id, "Mai Văn Đi", dt.date(2000, 1, 1),
                              dt.date(2001, 1, 1), ("transferred_out", dt.date(2026, 4, 1)))
        s.add(CandidateRow(id="cand-1", unit_id=unit_id, full_name="Quần Chúng Ưu Tú"))
        for month, title in ((3, "tháng 3"), (7, "tháng 7")):
            meeting = MeetingRow(id=f"m{month}", unit_id=unit_id, title=f"Sinh hoạt {title}",
                                 date=dt.date(2026, month, 5))
            s.add(meeting)
            s.flush()
            for key, member_id in ids.items():
                mark = "present"
                if key == OFFICIALS[1]:
                    mark = "absent_excused"
                elif key == "exempted":
                    mark = "exempted"
                elif key == "june" and month == 3:
                    continue   # not yet admitted
                s.add(AttendanceRow(id=f"a{month}-{member_id}", meeting_id=meeting.id,
                                    member_id=member_id, status=mark,
                                    reason="Đi viện" if mark == "absent_excused" else ""))
        s.add(ResolutionRow(id="r3", unit_id=unit_id, meeting_id="m3", number="01-NQ/CB",
                            status="adopted", issued_on=dt.date(2026, 3, 5)))
        s.flush()
        s.add_all([
            TaskRow(id="t1", resolution_id="r3", description="Vận động làm đường",
                    responsible_id=ids[OFFICIALS[0]], due_on=dt.date(2026, 4, 30),
                    status="done", done=True, done_on=dt.date(2026, 4, 20)),
            TaskRow(id="t2", resolution_id="r3", description="Thu quỹ khuyến học",
                    responsible_id=ids["late"], due_on=dt.date(2026, 4, 30),
                    status="carried_over")])
        dues.set_basis(s, member_id=ids[OFFICIALS[0]], category="other", amount=0,
                       valid_from="2026-01")
        dues.record_payment(s, unit_id=unit_id, member_id=ids[OFFICIALS[0]], month="2026-01",
                            months=3, today=TODAY)
    yield Workspace(db, today=lambda: TODAY), ids


def _sheets(ws: Workspace, year: int = 2026, quarter: int | None = None) -> dict[str, object]:
    found = review.view(ws, year, quarter)
    return {sheet.member_id: sheet for sheet in found.sheets}


def test_opening_reviews_the_members_the_rules_say_with_their_year(branch) -> None:  # type: ignore[no-untyped-def]
    ws, ids = branch
    campaign_id, made, changes = review.open_campaign(ws, 2026)
    assert made and changes.touches("review_entries")
    view = review.view(ws, 2026)
    reviewed = {s.member_id for s in view.sheets}
    assert reviewed == {ids[n] for n in OFFICIALS} | {ids["disciplined"], ids["late"],
                                                       ids["june"]}
    assert view.branch is not None and view.branch.member_id is None
    left = {p.member_id: p.reason for p in review.left_out(ws, 2026)}
    # the one gone and the candidate are not even listed
    assert left == {ids["exempted"]: Exclusion.EXEMPTED,
                    ids["september"]: Exclusion.ADMITTED_LATE}
    sheets = {s.member_id: s for s in view.sheets}
    an, binh = sheets[ids[OFFICIALS[0]]], sheets[ids[OFFICIALS[1]]]
    assert (an.facts.meetings_held, an.facts.meetings_attended) == (2, 2)
    assert binh.facts.meetings_attended == 0
    assert [(m.day, m.excused, m.reason) for m in binh.facts.misses] == [
        (dt.date(2026, 3, 5), True, "Đi viện"), (dt.date(2026, 7, 5), True, "Đi viện")]
    assert [(t.description, t.on_time) for t in an.facts.tasks] == [("Vận động làm đường", True)]
    assert not sheets[ids["late"]].facts.tasks_on_time
    assert sheets[ids["disciplined"]].facts.disciplined
    assert "Kỷ luật" in sheets[ids["disciplined"]].facts.events[0].text
    assert sheets[ids["june"]].facts.meetings_held == 1   # only since admission
    assert (an.facts.dues_months_paid, an.facts.dues_paid_to) == (3, "2026-03")
    assert an.role == "Đảng viên chính thức" and sheets[ids["june"]].role == "Đảng viên dự bị"
    # opened again: the same campaign, read again, no second entry
    again, made, _ = review.open_campaign(ws, 2026)
    assert again == campaign_id and not made
    assert len(review.view(ws, 2026).sheets) == len(view.sheets)
    with ws.db.reads() as s:
        kinds = set(s.scalars(select(OutboxRow.entity)))
    assert {"review_campaigns", "review_entries"} <= kinds   # they go up with the next sync


@pytest.mark.parametrize(("points", "grade"), [
    ("49.9", Grade.NOT_FULFILLED), ("50", Grade.FULFILLED), ("69.9", Grade.FULFILLED),
    ("70", Grade.GOOD), ("89.9", Grade.GOOD), ("90", Grade.EXCELLENT), ("100", Grade.EXCELLENT),
    ("0", Grade.NOT_FULFILLED)])
def test_the_grade_at_each_boundary_through_the_service(branch, points: str, grade: Grade  # type: ignore[no-untyped-def]
                                                        ) -> None:
    ws, ids = branch
    review.open_campaign(ws, 2026)
    member = ids[OFFICIALS[0]]
    given, _ = review.propose(ws, 2026, None, member, points=points)
    assert given is grade
    assert review.propose(ws, 2026, None, member, points=points, grade=grade.value)[0] is grade
    assert _sheets(ws)[member].grade is grade   # type: ignore[attr-defined]
    for other in Grade:
        if other is grade:
            continue
        with pytest.raises(DomainError) as refused:
            review.propose(ws, 2026, None, member, points=points, grade=other)
        assert refused.value.code == "review.grade_contradicts_points"
        assert OFFICIALS[0] in refused.value.message()


def test_discipline_and_late_tasks_cap_the_grade(branch) -> None:  # type: ignore[no-untyped-def]
    ws, ids = branch
    review.open_campaign(ws, 2026)
    assert review.propose(ws, 2026, None, ids["disciplined"], points="95")[0] is Grade.FULFILLED
    with pytest.raises(DomainError) as refused:
        review.propose(ws, 2026, None, ids["disciplined"], points="95", grade="HTTNV")
    assert refused.value.code == "review.grade_disciplined"
    assert "Đỗ Văn Kỷ" in refused.value.message()
    with pytest.raises(DomainError) as refused:
        review.propose(ws, 2026, None, ids["late"], points="91", grade="excellent")
    assert refused.value.code == "review.grade_tasks_late"
    english = refused.value.message("en")
    assert "Fulfilled tasks excellently" in english and "Ngô Thị Muộn" in english
    assert "Hoàn thành" not in english
    assert _sheets(ws)[ids["late"]].grade is None   # type: ignore[attr-defined]


def test_the_vote_passes_with_more_than_half_of_the_voting_base(branch) -> None:  # type: ignore[no-untyped-def]
    ws, ids = branch
    review.open_campaign(ws, 2026)
    # official members on the roster, not exempted: the six, the disciplined, the late one
    # (not the probationary, the exempted, the one gone, the candidate)
    assert review.voting_base(ws, 2026) == 8
    member = ids[OFFICIALS[2]]
    for votes, code in ((Votes(4, 4), "review.tally_no_majority"),
                        (Votes(6, 1, invalid=1), "review.tally_invalid_open"),
                        (Votes(5, 5), "review.tally_over_base"),
                        (Votes(9, base=12), "review_app.base_over_roster")):
        with pytest.raises(DomainError) as refused:
            review.propose(ws, 2026, None, member, points="80", votes=votes)
        assert refused.value.code == code and OFFICIALS[2] in refused.value.message()
    assert _sheets(ws)[member].grade is None   # type: ignore[attr-defined]
    review.propose(ws, 2026, None, member, points="80",
                   votes=Votes(5, 1, 1, 1, secret=True))
    tally = _sheets(ws)[member].tally   # type: ignore[attr-defined]
    assert (tally.base, tally.yes, tally.invalid, tally.secret) == (8, 5, 1, True)
    review.propose(ws, 2026, None, member, points="80", votes=Votes(6, base=11))
    assert _sheets(ws)[member].tally.base == 11   # type: ignore[attr-defined]


def test_points_per_criterion_add_up(branch) -> None:  # type: ignore[no-untyped-def]
    ws, ids = branch
    review.open_campaign(ws, 2026)
    member = ids[OFFICIALS[3]]
    scores = {"politics": "9.5", "innovation": "9", "self_criticism": "8", "tasks": "60.5"}
    assert review.propose(ws, 2026, None, member, scores=scores)[0] is Grade.GOOD
    sheet = _sheets(ws)[member]
    assert sheet.points == Decimal("87")   # type: ignore[attr-defined]
    assert sheet.scores["tasks"] == Decimal("60.5")   # type: ignore[attr-defined]
    with ws.db.reads() as s:
        before = s.scalar(select(func.count()).select_from(OutboxRow))
    for bad, code in (({**scores, "tasks": "71"}, "review.criterion_over"),
                      ({**scores, "luck": "1"}, "review.unknown_criterion"),
                      ({**scores, "tasks": "6.25"}, "review.points")):
        with pytest.raises(DomainError) as refused:
            review.propose(ws, 2026, None, member, scores=bad)
        assert refused.value.code == code
    with pytest.raises(DomainError) as refused:
        review.propose(ws, 2026, None, member, scores=scores, points="85")
    assert refused.value.code == "review_app.points_not_sum"
    with pytest.raises(DomainError) as refused:
        review.propose(ws, 2026, None, member)
    assert refused.value.code == "review_app.points_missing"
    with ws.db.reads() as s:
        assert s.scalar(select(func.count()).select_from(OutboxRow)) == before
    assert _sheets(ws)[member].points == Decimal("87")   # type: ignore[attr-defined]


def test_self_review_and_its_refusals(branch) -> None:  # type: ignore[no-untyped-def]
    ws, ids = branch
    review.open_campaign(ws, 2026)
    member = ids[OFFICIALS[4]]
    review.record_self(ws, 2026, None, member, points="88.5", text="Tự nhận xét.")
    sheet = _sheets(ws)[member]
    assert (sheet.self_points, sheet.self_grade, sheet.self_text) == (  # type: ignore[attr-defined]
        Decimal("88.5"), Grade.GOOD, "Tự nhận xét.")
    for kwargs, code in (({"points": "88.5", "grade": "excellent"},
                          "review.grade_contradicts_points"),
                         ({"grade": "good"}, "review_app.grade_without_points"),
                         ({}, "review_app.nothing_given"),
                         ({"points": "101"}, "review.points"),
                         ({"points": "80", "grade": "superb"}, "review_app.bad_grade"),
                         ({"text": "x" * 50_001}, "review_app.text_too_long")):
        with pytest.raises(DomainError) as refused:
            review.record_self(ws, 2026, None, member, **kwargs)  # type: ignore[arg-type]
        assert refused.value.code == code
    with pytest.raises(DomainError) as refused:
        review.record_self(ws, 2026, None, ids["exempted"], points="80")
    assert refused.value.code == "review_app.not_reviewed"
    assert "Bùi Văn Miễn" in refused.value.message()
    review.record_self(ws, 2026, None, None, points="91", text="Chi bộ tự đánh giá.")
    # a task of the year was late (the branch answers for all): "good" at most "fulfilled"
    assert review.view(ws, 2026).branch.self_grade is Grade.FULFILLED   # type: ignore[union-attr]


def _propose_all(ws: Workspace, ids: dict[str, str], points: dict[str, str]) -> None:
    for sheet in review.view(ws, 2026).sheets:
        assert sheet.member_id is not None
        review.propose(ws, 2026, None, sheet.member_id,
                       points=points.get(sheet.member_id, "75"), votes=Votes(7, 1))


def test_holding_needs_every_proposal_and_the_excellent_cap(branch) -> None:  # type: ignore[no-untyped-def]
    ws, ids = branch
    review.open_campaign(ws, 2026)
    with pytest.raises(DomainError) as refused:
        review.hold(ws, 2026, None, dt.date(2026, 12, 8))
    assert refused.value.code == "review_app.hold_missing" and "Nguyễn Văn An" in \
        refused.value.message()
    # 9 members: 3 "excellent" of 7 good or better > 20 % (1 allowed, rounded down)
    _propose_all(ws, ids, {ids[OFFICIALS[0]]: "95", ids[OFFICIALS[1]]: "92",
                           ids[OFFICIALS[2]]: "90"})
    with pytest.raises(DomainError) as refused:
        review.hold(ws, 2026, None, dt.date(2026, 12, 8))
    assert refused.value.code == "review_app.hold_missing"   # the branch's own is missing
    review.propose(ws, 2026, None, None, points="85", votes=Votes(8))
    with pytest.raises(DomainError) as refused:
        review.hold(ws, 2026, None, dt.date(2026, 12, 8))
    assert refused.value.code == "review.excellent_over_cap"
    assert "Lê Văn Cường" in refused.value.message() and "Trần Thị Bình" in \
        refused.value.message() and "Nguyễn Văn An" not in refused.value.message()
    for member in (ids[OFFICIALS[1]], ids[OFFICIALS[2]]):
        review.propose(ws, 2026, None, member, points="88")
    for day in (dt.date(2026, 12, 11), dt.date(2025, 12, 31)):
        with pytest.raises(DomainError) as refused:
            review.hold(ws, 2026, None, day)
        assert refused.value.code == "review_app.held_on_range"
    review.hold(ws, 2026, None, dt.date(2026, 12, 8), meeting_id="m7")
    summary = review.summary(review.view(ws, 2026))
    assert summary.counts == {"excellent": 1, "good": 6, "fulfilled": 2, "not_fulfilled": 0}
    assert summary.branch == "fulfilled"   # a task of the year was late: capped
    with pytest.raises(DomainError) as refused:
        review.propose(ws, 2026, None, ids[OFFICIALS[3]], points="60")
    assert refused.value.code == "review_app.campaign_closed"
    with pytest.raises(DomainError):
        review.open_campaign(ws, 2026)
    review.reopen(ws, 2026)
    review.hold(ws, 2026, None, dt.date(2026, 12, 9))
    review.send(ws, 2026)
    for act in (review.send, review.reopen):
        with pytest.raises(DomainError):
            act(ws, 2026)
    assert review.campaigns(ws)[0].status.value == "sent"


def test_a_decision_that_came_down_is_shown_and_counted(branch) -> None:  # type: ignore[no-untyped-def]
    ws, ids = branch
    campaign_id, _, _ = review.open_campaign(ws, 2026)
    member = ids[OFFICIALS[0]]
    review.propose(ws, 2026, None, member, points="92")
    with ws.db.sessions.begin() as s:   # as the pull writes it
        entry = s.scalars(select(ReviewEntryRow).where(ReviewEntryRow.member_id == member)).one()
        s.add(ReviewDecisionRow(id="d1", entry_id=entry.id, campaign_id=campaign_id,
                                member_id=member, grade="good", number="Số 45-QĐ/ĐU",
                                decided_on=dt.date(2026, 12, 9)))
    sheet = _sheets(ws)[member]
    assert (sheet.grade, sheet.decided_grade, sheet.decision) == (  # type: ignore[attr-defined]
        Grade.EXCELLENT, Grade.GOOD, "Số 45-QĐ/ĐU")
    assert review.summary(review.view(ws, 2026)).decided["good"] == 1
    history = review.member_reviews(ws, member)
    assert [(r.year, r.grade, r.decided_grade) for r in history] == [
        (2026, Grade.EXCELLENT, Grade.GOOD)]


def test_a_quarter_when_the_setting_enables_it(branch) -> None:  # type: ignore[no-untyped-def]
    ws, ids = branch
    with pytest.raises(DomainError) as refused:
        review.open_campaign(ws, 2026, 1)
    assert refused.value.code == "review_app.quarters_off"
    review.set_policy(ws, Policy(quarters=True))
    review.open_campaign(ws, 2026, 1)
    sheets = _sheets(ws, 2026, 1)
    an = sheets[ids[OFFICIALS[0]]]
    assert an.facts.meetings_held == 1     # March only   # type: ignore[attr-defined]
    assert an.facts.dues_months_paid == 3  # type: ignore[attr-defined]
    assert ids["gone"] in sheets           # left on 1 April: on the roster at the quarter's end
    assert ids["june"] not in sheets       # not yet a member
    review.propose(ws, 2026, 1, ids[OFFICIALS[0]], points="91")
    assert _sheets(ws, 2026, 1)[ids[OFFICIALS[0]]].grade is Grade.EXCELLENT  # type: ignore[attr-defined]
    for quarter in (None, 2):   # the year's campaign and the next quarter's are others
        with pytest.raises(DomainError) as refused:
            review.view(ws, 2026, quarter)
        assert refused.value.code == "review_app.no_campaign"
    with pytest.raises(DomainError) as refused:
        review.open_campaign(ws, 2027, None)
    assert refused.value.code == "review_app.not_started"
    # the policy read back, and the exempted member reviewed once it says so
    review.set_policy(ws, Policy(quarters=True, exempted_reviewed=True))
    review.refresh(ws, 2026, 1)
    assert ids["exempted"] in _sheets(ws, 2026, 1)


def test_a_table_of_proposals_with_criteria_and_the_branch_row(branch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws, ids = branch
    review.open_campaign(ws, 2026)
    table = tmp_path / "bang.csv"
    table.write_text(
        "sep=;\nĐảng viên;politics;innovation;self_criticism;Kết quả thực hiện nhiệm vụ được "
        "giao;Xếp loại;Tán thành;Phiếu kín;Không hợp lệ\n"
        "nguyen van an;9,5;9;9;63;HTXSNV;6;x;1\n"
        "Chi bộ;8;8;8;60;;8;;\n"
        "Người ký;;;;;;;;\n", encoding="utf-8-sig")
    result, changes = review.import_proposals(ws, 2026, None, table)
    assert (result.proposed, result.skipped, result.branch) == (2, 1, Grade.FULFILLED)
    assert changes.touches("review_entries") and result.counts[Grade.EXCELLENT] == 1
    view = review.view(ws, 2026)
    an = next(s for s in view.sheets if s.member_id == ids[OFFICIALS[0]])
    assert (an.points, an.scores["tasks"], an.tally.secret, an.tally.invalid) == (  # type: ignore[union-attr]
        Decimal("90.5"), Decimal("63"), True, 1)
    assert view.branch is not None and view.branch.points == Decimal("84")
    for text, code, words in (
            ("member;points\nNguyễn Văn An;80\nnguyen van an;81\n",
             "review_app.import_refused", "dòng 3: nguyen van an đã có ở dòng 2"),
            ("ten;so\nNguyễn Văn An;80\n", "review_app.import_no_header", "cột điểm")):
        table.write_text(text, encoding="utf-8")
        with pytest.raises(DomainError) as refused:
            review.import_proposals(ws, 2026, None, table)
        assert refused.value.code == code and words in refused.value.message()
    assert next(s for s in review.view(ws, 2026).sheets
                if s.member_id == ids[OFFICIALS[0]]).points == Decimal("90.5")


def test_refresh_follows_the_roster_and_the_policy(branch) -> None:  # type: ignore[no-untyped-def]
    ws, ids = branch
    review.set_policy(ws, Policy(exempted_reviewed=True, min_months_admitted=3))
    review.open_campaign(ws, 2026)
    assert {ids["exempted"], ids["september"]} <= set(_sheets(ws))
    review.record_self(ws, 2026, None, ids["exempted"], points="80", text="Tự kiểm điểm.")
    review.propose(ws, 2026, None, ids["september"], points="80")
    review.set_policy(ws, None)              # back to the defaults
    review.refresh(ws, 2026)
    sheets = _sheets(ws)
    assert ids["exempted"] not in sheets     # no longer graded: its self-review goes with it
    assert ids["september"] in sheets        # the meeting graded them: kept
    assert review.policy(ws) == Policy()
