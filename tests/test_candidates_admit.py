"""A candidate is never a member until the ceremony: not in the roster's numbers, the voting
base, the monthly report or the dues book. The ceremony makes them a member (ADMITTED, with
the decision's number) through the roster's own services, so the probation reminder follows;
the full-membership resolution writes MADE_OFFICIAL from the end of probation. Both can be
taken back while nothing else happened to the member; the writes reach the outbox; the
admission figures are a checked setting; the papers carry the record; the demo holds two
candidates at different steps."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy import func, select

from sotay_core.domain.admission import CandidateStatus, Step
from sotay_core.domain.entities import EventKind, MemberStatus
from sotay_core.domain.reminders import ReminderKind
from sotay_desktop.db.engine import Database
from sotay_desktop.db.tables import OutboxRow
from sotay_desktop.db.year_tables import CandidateStepRow
from sotay_desktop.usecases import branch, members, report
from sotay_desktop.usecases import candidates as cases
from sotay_desktop.usecases.dues import book
from sotay_desktop.usecases.workspace import Workspace
from tests.candidates_support import (
    PATH,
    TODAY,
    D,
    new_candidate,
    officials,
    record,
    refused,
    walk,
)


@pytest.fixture
def ws(branch_db: tuple[Database, str]) -> Iterator[Workspace]:
    yield Workspace(branch_db[0], today=lambda: TODAY)


@pytest.fixture
def demo(demo_db: Database) -> Workspace:
    return Workspace(demo_db, today=lambda: TODAY)


def _numbers(ws: Workspace) -> tuple[dict[MemberStatus, int], int, int, int]:
    with ws.db.reads() as session:
        from sotay_desktop.services.members import count_by_status

        counts = count_by_status(session, unit_id=ws.branch_id())
    figures = report.month_report(ws, "2026-11").figures
    return (counts, len(members.roster(ws)), figures.total_members,
            len(book(ws, 2026).lines))


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_candidates_are_in_no_count_until_the_ceremony(demo: Workspace) -> None:
    before = _numbers(demo)
    day = D(2026, 11, 12)
    base, needed = cases.voting_base(demo, day)
    waiting = next(c for c in cases.candidates(demo) if c.status is CandidateStatus.ACTIVE)
    for i in range(3):
        new_candidate(demo, f"Quần Chúng Ưu Tú {i}", born=D(1995, 3, i + 1))
    assert _numbers(demo) == before
    roster_names = {m.full_name for m in members.roster(demo)}
    assert not roster_names & {c.full_name for c in cases.candidates(demo)
                               if c.status is CandidateStatus.ACTIVE}
    assert cases.voting_base(demo, day) == (base, needed)      # candidates are not in it
    assert needed == -(-2 * base // 3)
    record(demo, waiting.id, Step.BRANCH_RESOLUTION, day, votes_for=needed, number="15-NQ/CB")
    record(demo, waiting.id, Step.DECISION, D(2026, 11, 16), number="201-QĐ/ĐU")
    assert _numbers(demo) == before
    record(demo, waiting.id, Step.CEREMONY, D(2026, 11, 20))
    counts, roster, total, dues_lines = _numbers(demo)
    assert counts[MemberStatus.PROBATIONARY] == before[0][MemberStatus.PROBATIONARY] + 1
    assert (roster, total, dues_lines) == (before[1] + 1, before[2] + 1, before[3] + 1)
    figures = report.month_report(demo, "2026-11").figures
    assert any(c.name == waiting.full_name and c.kind is EventKind.ADMITTED
               for c in figures.changes)


def test_the_ceremony_makes_a_member_with_the_probation_reminder(ws: Workspace) -> None:
    sponsors = officials(ws, 3)
    cid = new_candidate(ws, "Hoàng Thị Mai", gender="nữ", residence="Xóm 2",
                        occupation="Giáo viên", phone="0912345678")
    walk(ws, cid, sponsors, until=Step.SELF_REVIEW)
    view = cases.candidate(ws, cid)
    assert view.summary.status is CandidateStatus.ADMITTED
    assert [s.step for s in view.steps][-2:] == [Step.CEREMONY, Step.PROBATION]
    record_ = members.member(ws, view.summary.member_id)  # type: ignore[arg-type]
    assert record_.status is MemberStatus.PROBATIONARY
    assert (record_.member.full_name, record_.member.residence, record_.member.phone,
            record_.member.occupation_now) == ("Hoàng Thị Mai", "Xóm 2", "0912345678",
                                               "Giáo viên")
    assert [(e.kind, e.date, e.decision) for e in record_.events] == [
        (EventKind.ADMITTED, PATH[Step.CEREMONY], "120-QĐ/ĐU")]
    due = [r for r in branch.reminders(ws) if r.kind is ReminderKind.PROBATION
           and r.member_id == view.summary.member_id]
    assert due and due[0].due == D(2025, 8, 5) and due[0].overdue
    # the probationary member is not in the voting base of the next resolution
    assert cases.voting_base(ws, D(2025, 8, 4))[0] == 3
    with ws.db.reads() as session:
        queued = [(r.entity, r.op, r.row_id) for r in session.scalars(
            select(OutboxRow).where(OutboxRow.entity != "audit_log")
            .order_by(OutboxRow.mutation_id))]
    # not sent yet: the candidate's creation carries its present state (no update behind
    # it to meet as a conflict) and goes up after the member it names
    assert ("candidates", "update", cid) not in queued
    made = queued.index(("members", "create", view.summary.member_id))
    assert made < queued.index(("candidates", "create", cid))
    assert queued.index(("candidates", "create", cid)) < min(
        i for i, q in enumerate(queued) if q[0] == "candidate_steps")


def test_the_last_step_taken_back_and_recorded_again(ws: Workspace) -> None:
    sponsors = officials(ws, 3)
    cid = new_candidate(ws)
    walk(ws, cid, sponsors, until=Step.SELF_REVIEW)
    record(ws, cid, Step.SELF_REVIEW)
    record(ws, cid, Step.OFFICIAL_RESOLUTION, number="9-NQ/CB")
    member_id = cases.candidate(ws, cid).summary.member_id
    assert members.member(ws, member_id).status is MemberStatus.OFFICIAL  # type: ignore[arg-type]
    with refused("admission_app.undo_changed"):
        cases.undo_last_step(ws, cid, expected=Step.SELF_REVIEW)
    assert cases.undo_last_step(ws, cid, expected=Step.OFFICIAL_RESOLUTION)[0] \
        is Step.OFFICIAL_RESOLUTION
    assert members.member(ws, member_id).status is MemberStatus.PROBATIONARY  # type: ignore[arg-type]
    assert cases.candidate(ws, cid).summary.status is CandidateStatus.ADMITTED
    cases.undo_last_step(ws, cid)                       # the self-review
    before = len(members.roster(ws))
    assert cases.undo_last_step(ws, cid)[0] is Step.CEREMONY
    view = cases.candidate(ws, cid)
    assert view.summary.member_id is None and view.summary.status is CandidateStatus.ACTIVE
    assert view.summary.next_step is Step.CEREMONY
    assert len(members.roster(ws)) == before - 1
    record(ws, cid, Step.CEREMONY, D(2024, 8, 6))
    with ws.db.reads() as session:
        rows = session.scalar(select(func.count()).select_from(CandidateStepRow).where(
            CandidateStepRow.candidate_id == cid, CandidateStepRow.step == "ceremony"))
    assert rows == 1          # the row taken back is written again: one per step
    assert len(members.roster(ws)) == before


def test_a_member_with_a_later_history_is_not_taken_back(ws: Workspace) -> None:
    sponsors = officials(ws, 3)
    cid = new_candidate(ws)
    walk(ws, cid, sponsors, until=Step.SELF_REVIEW)
    member_id = cases.candidate(ws, cid).summary.member_id
    members.record_event(ws, member_id=member_id, kind="temp_out",  # type: ignore[arg-type]
                         date=D(2025, 1, 10))
    with refused("admission_app.member_has_history"):
        cases.undo_last_step(ws, cid)
    assert cases.candidate(ws, cid).summary.member_id == member_id
    with refused("admission_app.nothing_to_undo"):
        cases.undo_last_step(ws, new_candidate(ws, "Chưa Có Bước"))


def test_the_figures_are_a_checked_setting(ws: Workspace) -> None:
    rules, recorded = cases.rules(ws)
    assert rules.minimum_age == 18 and rules.maximum_age == 60 and not recorded
    for values, code in (({"minimum_age": 5}, "admission_app.bad_setting"),
                         ({"minimum_age": "18"}, "admission_app.bad_setting"),
                         ({"majority_numerator": 4}, "admission_app.bad_majority"),
                         ({"majority_strict": "yes"}, "admission_app.bad_flag"),
                         ({"public_holidays": ["2026-13-01"]}, "admission_app.bad_holiday"),
                         ({"quorum": 3}, "unknown_field")):
        with refused(code):
            cases.set_rules(ws, values)
    cases.set_rules(ws, {"maximum_age": None, "certificate_valid_months": 24})
    rules, recorded = cases.rules(ws)
    assert rules.maximum_age is None and rules.certificate_valid_months == 24 and recorded
    cases.set_rules(ws, None)
    assert cases.rules(ws) == (type(rules)(), False)


def test_papers_carry_the_record_and_refuse_what_is_missing(demo: Workspace) -> None:
    admitted = next(c for c in cases.candidates(demo) if c.status is CandidateStatus.ADMITTED)
    view = cases.candidate(demo, admitted.id)
    taken = view.step(Step.BRANCH_RESOLUTION)
    assert taken is not None
    text = _pdf_text(cases.paper_bytes(demo, admitted.id, "proposal"))
    assert "NGHỊ QUYẾT" in text and "Đề nghị kết nạp đảng viên" in text
    assert admitted.full_name in text and f"Số {taken.number}" in text
    assert f"{taken.votes_for}/{taken.voting_base}" in text
    assert "Đảng ủy xã Tân Lập" in text
    docx = Document(io.BytesIO(cases.paper_bytes(demo, admitted.id, "proposal", "docx")))
    assert admitted.full_name in "\n".join(p.text for p in docx.paragraphs)
    checklist = _pdf_text(cases.paper_bytes(demo, admitted.id, "checklist"))
    assert "DANH MỤC HỒ SƠ" in checklist and "6-KNĐ" in checklist
    assert checklist.count("Đã có") == 7 and checklist.count("Còn thiếu") == 2
    with refused("admission_app.paper_no_step"):
        cases.paper_bytes(demo, admitted.id, "official")
    with refused("bad_choice"):
        cases.paper_bytes(demo, admitted.id, "nonsense")


def test_a_resolution_without_a_secretary_in_office_is_not_printed(ws: Workspace) -> None:
    sponsors = officials(ws, 3)
    cid = new_candidate(ws)
    walk(ws, cid, sponsors, until=Step.DECISION)
    with refused("admission_app.no_signer"):
        cases.paper_bytes(ws, cid, "proposal")
    assert "Còn thiếu" in _pdf_text(cases.paper_bytes(ws, cid, "checklist"))


def test_the_demo_holds_two_candidates_at_different_steps(demo: Workspace) -> None:
    found = cases.candidates(demo)
    assert [c.status for c in found] == [CandidateStatus.ACTIVE, CandidateStatus.ADMITTED]
    waiting, admitted = found
    assert waiting.next_step is Step.BRANCH_RESOLUTION and waiting.member_id is None
    assert len(cases.candidate(demo, waiting.id).sponsors) == 2
    assert admitted.member_id is not None
    assert members.member(demo, admitted.member_id).status is MemberStatus.PROBATIONARY
    assert admitted.next_step is Step.SELF_REVIEW
    assert admitted.next_deadline is not None and admitted.next_deadline.kind == "official_review"
