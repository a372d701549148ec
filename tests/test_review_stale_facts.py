"""The annual review graded on the records as they are, not as they were when the campaign
was last read (found by attacking issue 20 from the command line): a member disciplined, or
a task of theirs gone late, after the campaign was opened. A proposal made then must be
capped like any other, and the meeting cannot be closed on a grade the records no longer
allow (the counts sent up would be wrong)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from sotay_core.domain.errors import DomainError
from sotay_core.domain.review import Grade
from sotay_desktop.db.engine import Database
from sotay_desktop.db.tables import MeetingRow, ResolutionRow, TaskRow
from sotay_desktop.db.year_tables import ReviewCampaignRow
from sotay_desktop.services import members
from sotay_desktop.usecases import review
from sotay_desktop.usecases.workspace import Workspace

TODAY = dt.date(2026, 12, 10)
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em",
         "Vũ Thị Gấm", "Đỗ Văn Hải", "Ngô Thị Lan", "Bùi Văn Long", "Đặng Thị Mai")


@pytest.fixture
def branch(branch_db: tuple[Database, str]) -> Iterator[tuple[Workspace, list[str], str]]:
    db, unit_id = branch_db
    with db.sessions.begin() as s:
        ids = [members.add_member(s, unit_id=unit_id, data={
            "full_name": name, "date_of_birth": dt.date(1960, 5, 5),
            "admitted_on": dt.date(2000, 3, 1), "official_on": dt.date(2001, 3, 1)},
            today=TODAY)[0] for name in NAMES]
        s.add(MeetingRow(id="m3", unit_id=unit_id, title="Sinh hoạt tháng 3",
                         date=dt.date(2026, 3, 5)))
        s.flush()
        s.add(ResolutionRow(id="r3", unit_id=unit_id, meeting_id="m3", number="01-NQ/CB",
                            status="adopted", issued_on=dt.date(2026, 3, 5)))
        s.flush()
        # due after the proposals are made, before the meeting is closed; never done
        s.add(TaskRow(id="t1", resolution_id="r3", description="Thu quỹ khuyến học",
                      responsible_id=ids[2], due_on=dt.date(2026, 12, 5),
                      status="in_progress"))
    yield Workspace(db, today=lambda: TODAY), ids, unit_id


def _discipline(ws: Workspace, member_id: str) -> None:
    with ws.db.sessions.begin() as s:
        members.record_event(s, member_id=member_id, kind="disciplined",
                             date=dt.date(2026, 11, 2), today=TODAY, decision="Số 7-QĐ/UBKT")


def test_a_discipline_recorded_after_the_opening_caps_the_proposal(branch) -> None:  # type: ignore[no-untyped-def]
    ws, ids, _unit = branch
    review.open_campaign(ws, 2026)
    _discipline(ws, ids[1])          # no refresh between: the proposal reads the records
    assert review.propose(ws, 2026, None, ids[1], points="95")[0] is Grade.FULFILLED
    with pytest.raises(DomainError) as refused:
        review.propose(ws, 2026, None, ids[1], points="95", grade="excellent")
    assert refused.value.code == "review.grade_disciplined"
    sheet = next(s for s in review.view(ws, 2026).sheets if s.member_id == ids[1])
    assert sheet.grade is Grade.FULFILLED and sheet.facts.disciplined
    with pytest.raises(DomainError) as refused:   # the self-review too
        review.record_self(ws, 2026, None, ids[1], points="95", grade="excellent")
    assert refused.value.code == "review.grade_disciplined"


def test_the_meeting_is_not_closed_on_a_grade_the_records_no_longer_allow(branch) -> None:  # type: ignore[no-untyped-def]
    ws, ids, unit_id = branch
    early = Workspace(ws.db, today=lambda: dt.date(2026, 12, 1))
    review.open_campaign(early, 2026)
    points = {ids[0]: "95", ids[1]: "80", ids[2]: "85"}
    for member_id in ids:
        review.propose(early, 2026, None, member_id, points=points.get(member_id, "75"))
    review.propose(early, 2026, None, None, points="80")
    # then: one disciplined, and the task of another passes its due day undone
    _discipline(ws, ids[1])
    with pytest.raises(DomainError) as refused:
        review.hold(ws, 2026, None, dt.date(2026, 12, 10))
    message = refused.value.message()
    assert refused.value.code == "review_app.hold_stale"
    assert NAMES[1] in message and NAMES[2] in message and NAMES[0] not in message
    english = refused.value.message("en")
    assert NAMES[1] in english and "Fulfilled tasks well" in english
    with ws.db.reads() as s:     # nothing written: still open
        row = s.scalars(select(ReviewCampaignRow).where(
            ReviewCampaignRow.unit_id == unit_id, ReviewCampaignRow.year == 2026)).one()
        assert row.status == "open"
    for member_id in (ids[1], ids[2]):     # proposed again, the records' caps apply
        assert review.propose(ws, 2026, None, member_id,
                              points=points[member_id])[0] is Grade.FULFILLED
    review.propose(ws, 2026, None, None, points="80")   # the branch: a task of its year late
    review.hold(ws, 2026, None, dt.date(2026, 12, 10))
    summary = review.summary(review.view(ws, 2026))
    assert summary.counts == {"excellent": 1, "good": 7, "fulfilled": 2, "not_fulfilled": 0}
    assert summary.branch == "fulfilled"


def test_show_and_summary_read_an_open_campaign_again(demo_dir) -> None:  # type: ignore[no-untyped-def]
    """What ``sotay review show --json`` says of a member (disciplined, tasks_on_time) is
    what the next proposal is checked against."""
    import io
    import json

    from sotay_core import i18n
    from sotay_desktop.cli import main as sotay

    def ok(*argv: str) -> str:
        out, err = io.StringIO(), io.StringIO()
        try:
            assert sotay([*argv, "--data-dir", str(demo_dir)], out=out, err=err) == 0, \
                err.getvalue()
        finally:
            i18n.set_language("vi")
        return out.getvalue()

    ok("review", "open", str(dt.date.today().year))
    year = str(dt.date.today().year)
    shown = json.loads(ok("review", "show", year, "--json"))
    member = next(m for m in shown["members"] if not m["disciplined"])
    ok("members", "event", member["member_id"], "--kind", "disciplined", "--date",
       dt.date.today().isoformat(), "--detail", "Khiển trách")
    again = json.loads(ok("review", "show", year, "--json"))
    assert next(m for m in again["members"]
                if m["member_id"] == member["member_id"])["disciplined"]


def test_a_busy_year_still_fits_the_record_the_province_accepts(branch) -> None:  # type: ignore[no-untyped-def]
    """The facts kept with each entry (the branch's own lists every task of the year) stay
    within what the province accepts for the field, so the review is not refused at sync;
    long task texts are shortened in the summary, the late tasks are kept."""
    from sotay_core.domain import record_rules
    from sotay_desktop.db.year_tables import ReviewEntryRow

    ws, ids, _unit = branch
    with ws.db.sessions.begin() as s:
        for n in range(120):
            s.add(TaskRow(id=f"long{n}", resolution_id="r3", responsible_id=ids[n % 3],
                          description=f"Nhiệm vụ {n}: " + "vận động bà con " * 120,
                          due_on=dt.date(2026, 4, 30), status="done", done=True,
                          done_on=dt.date(2026, 4, 20) if n else dt.date(2026, 5, 5)))
    review.open_campaign(ws, 2026)
    limit = record_rules.rule("review_entries", "facts").max_length
    with ws.db.reads() as s:
        kept = list(s.scalars(select(ReviewEntryRow)))
    for entry in kept:
        record_rules.check_fields("review_entries", {"facts": entry.facts}, today=TODAY)
        assert len(entry.facts) <= limit
    view = review.view(ws, 2026)
    assert view.branch is not None and not view.branch.facts.tasks_on_time
    first = next(s for s in view.sheets if s.member_id == ids[0])
    assert not first.facts.tasks_on_time      # its late task (done 5/5, due 30/4) kept
    assert any(t.description.startswith("Nhiệm vụ 0:") for t in first.facts.tasks)
