"""The admission pipeline's use cases refuse each step that breaks a rule, naming it, and
leave everything as it was: the candidate's age to the day (29 February births too), the
training certificate, the sponsors (official, party age, time together, two of them, of this
branch), the branch's majority counted from the roster (exact 2/3 boundary; candidates and
probationary members never in it), the ceremony's deadline in working days, 12 months of
probation to the day (leap years), and the steps' order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from sotay_core.domain.admission import CandidateStatus, Step
from sotay_desktop.db.engine import Database
from sotay_desktop.services.outbox import pending_count
from sotay_desktop.usecases import candidates as cases
from sotay_desktop.usecases.workspace import Workspace
from tests.candidates_support import (
    PATH,
    TODAY,
    D,
    add_members,
    new_candidate,
    officials,
    record,
    refused,
    walk,
)


@pytest.fixture
def ws(branch_db: tuple[Database, str]) -> Iterator[Workspace]:
    db, _ = branch_db
    yield Workspace(db, today=lambda: TODAY)


def _pending(ws: Workspace) -> int:
    with ws.db.reads() as session:
        return pending_count(session)


# --- age --------------------------------------------------------------------------------


def test_eighteen_to_the_day_at_the_branch_resolution(ws: Workspace) -> None:
    sponsors = officials(ws, 3)
    day = PATH[Step.BRANCH_RESOLUTION]
    young = new_candidate(ws, "Trẻ Một Ngày", born=D(2006, 7, 2))   # 18 on 2 July 2024
    walk(ws, young, sponsors, until=Step.BRANCH_RESOLUTION)
    before = _pending(ws)
    with refused("admission.too_young") as error:
        record(ws, young, Step.BRANCH_RESOLUTION, day)
    assert "02/07/2024" in error.message("vi")
    assert _pending(ws) == before
    assert cases.candidate(ws, young).step(Step.BRANCH_RESOLUTION) is None
    of_age = new_candidate(ws, "Vừa Đủ Tuổi", born=D(2006, 7, 1))
    walk(ws, of_age, sponsors, until=Step.BRANCH_RESOLUTION)
    record(ws, of_age, Step.BRANCH_RESOLUTION, day)
    assert cases.candidate(ws, of_age).step(Step.BRANCH_RESOLUTION) is not None


def test_born_on_29_february_is_of_age_on_28_february_of_a_common_year(ws: Workspace) -> None:
    sponsors = officials(ws, 3)
    days = {Step.BRANCH_RESOLUTION: D(2026, 2, 28), Step.DECISION: D(2026, 3, 2)}
    leap = new_candidate(ws, "Sinh Ngày Nhuận", born=D(2008, 2, 29))
    walk(ws, leap, sponsors, until=Step.BRANCH_RESOLUTION)
    with refused("admission.too_young"):
        record(ws, leap, Step.BRANCH_RESOLUTION, D(2026, 2, 27))
    record(ws, leap, Step.BRANCH_RESOLUTION, days[Step.BRANCH_RESOLUTION])


def test_over_the_maximum_age_needs_the_approval_flag(ws: Workspace) -> None:
    sponsors = officials(ws, 3)
    old = new_candidate(ws, "Cao Tuổi Một", born=D(1960, 1, 1))
    walk(ws, old, sponsors, until=Step.BRANCH_RESOLUTION)
    with refused("admission.too_old"):
        record(ws, old, Step.BRANCH_RESOLUTION)
    cases.update_candidate(ws, old, {"over_limit_approved": True})
    record(ws, old, Step.BRANCH_RESOLUTION)


def test_no_birth_date_cannot_be_considered(ws: Workspace) -> None:
    sponsors = officials(ws, 3)
    nameless_age, _ = cases.add_candidate(ws, {"full_name": "Không Rõ Tuổi"})
    walk(ws, nameless_age, sponsors, until=Step.BRANCH_RESOLUTION)
    with refused("admission_app.no_birth_date"):
        record(ws, nameless_age, Step.BRANCH_RESOLUTION)


# --- certificate --------------------------------------------------------------------------


def test_the_certificate_counts_60_months_less_a_day(ws: Workspace) -> None:
    sponsors = officials(ws, 3)
    late = new_candidate(ws, "Chứng Nhận Cũ")
    walk(ws, late, sponsors, until=Step.BRANCH_RESOLUTION,
         days={Step.OUTSTANDING: D(2019, 1, 2), Step.TRAINING: D(2019, 7, 1)})
    with refused("admission.certificate_expired"):
        record(ws, late, Step.BRANCH_RESOLUTION, D(2024, 7, 1))
    record(ws, late, Step.BRANCH_RESOLUTION, D(2024, 6, 30))
    shown = cases.candidate(ws, late).deadlines[0]
    assert shown.due == D(2024, 6, 30) and shown.met


# --- sponsors -----------------------------------------------------------------------------


def test_a_probationary_sponsor_is_refused(ws: Workspace) -> None:
    [one] = officials(ws, 1)
    new = add_members(ws, [("Dự Bị Mới", D(2024, 1, 15), None)])["Dự Bị Mới"]
    cid = new_candidate(ws)
    walk(ws, cid, [], until=Step.SPONSORS)
    with refused("admission.sponsor_probationary") as error:
        record(ws, cid, Step.SPONSORS, sponsors=[(one, D(2015, 1, 1)), (new, D(2015, 1, 1))])
    assert "Dự Bị Mới" in error.message("vi")
    assert cases.candidate(ws, cid).sponsors == ()


def test_sponsor_party_age_boundary_to_the_day(ws: Workspace) -> None:
    cases.set_rules(ws, {"sponsor_min_party_years": 2})
    [one] = officials(ws, 1)
    fresh = add_members(ws, [("Tuổi Đảng Hai Năm", D(2022, 6, 3), D(2023, 6, 3))])
    pair = [(one, D(2015, 1, 1)), (fresh["Tuổi Đảng Hai Năm"], D(2015, 1, 1))]
    cid = new_candidate(ws)
    walk(ws, cid, [], until=Step.SPONSORS)
    with refused("admission.sponsor_party_age"):
        record(ws, cid, Step.SPONSORS, D(2024, 6, 2), sponsors=pair)
    record(ws, cid, Step.SPONSORS, D(2024, 6, 3), sponsors=pair)   # two years to the day


def test_sponsor_time_together_count_branch_and_sameness(ws: Workspace) -> None:
    one, two = officials(ws, 2)
    cid = new_candidate(ws)
    walk(ws, cid, [], until=Step.SPONSORS)
    day = PATH[Step.SPONSORS]
    with refused("admission.sponsor_together"):
        record(ws, cid, Step.SPONSORS, sponsors=[(one, D(2015, 1, 1)), (two, D(2023, 6, 4))])
    with refused("admission.too_few_sponsors"):
        record(ws, cid, Step.SPONSORS, sponsors=[(one, D(2015, 1, 1))])
    with refused("admission_app.same_sponsor"):
        record(ws, cid, Step.SPONSORS, sponsors=[(one, None), (one, None)])
    with refused("admission.sponsor_not_member"):
        record(ws, cid, Step.SPONSORS, sponsors=[(one, None), ("no-such-member", None)])
    record(ws, cid, Step.SPONSORS, sponsors=[(one, D(2015, 1, 1)), (two, D(2023, 6, 3))])
    assert [s.name for s in cases.candidate(ws, cid).sponsors] == [
        "Đảng Viên Số 1", "Đảng Viên Số 2"]
    assert cases.candidate(ws, cid).step(Step.SPONSORS).done_on == day  # type: ignore[union-attr]
    with refused("admission_app.sponsors_recorded"):
        cases.set_sponsors(ws, cid, [(two, None), (one, None)])


# --- the branch's majority ---------------------------------------------------------------


def test_two_thirds_of_the_official_members_on_the_roster_exactly(ws: Workspace) -> None:
    sponsors = officials(ws, 9)
    add_members(ws, [("Dự Bị A", D(2024, 3, 1), None), ("Dự Bị B", D(2024, 3, 1), None),
                     ("Kết Nạp Sau", D(2024, 8, 1), D(2025, 8, 1))])
    for i in range(4):   # other candidates are never in the voting base
        new_candidate(ws, f"Quần Chúng {i}", born=D(1999, 1, i + 1))
    cid = new_candidate(ws)
    walk(ws, cid, sponsors[:2], until=Step.BRANCH_RESOLUTION)
    assert cases.voting_base(ws, PATH[Step.BRANCH_RESOLUTION]) == (9, 6)
    with refused("admission.no_majority") as error:
        record(ws, cid, Step.BRANCH_RESOLUTION, votes_for=5)
    assert "5/9" in error.message("vi") and "2/3" in error.message("vi")
    with refused("admission.bad_votes"):
        record(ws, cid, Step.BRANCH_RESOLUTION, votes_for=10)
    with refused("admission_app.votes_over_base"):
        record(ws, cid, Step.BRANCH_RESOLUTION, votes_for=6, votes_against=4)
    with refused("admission_app.votes_required"):
        cases.record_step(ws, cid, Step.BRANCH_RESOLUTION, date=PATH[Step.BRANCH_RESOLUTION])
    record(ws, cid, Step.BRANCH_RESOLUTION, votes_for=6, votes_against=3)
    taken = cases.candidate(ws, cid).step(Step.BRANCH_RESOLUTION)
    assert taken is not None and (taken.votes_for, taken.voting_base) == (6, 9)


def test_a_strict_majority_setting_moves_the_boundary(ws: Workspace) -> None:
    cases.set_rules(ws, {"majority_numerator": 1, "majority_denominator": 2,
                         "majority_strict": True})
    sponsors = officials(ws, 4)
    cid = new_candidate(ws)
    walk(ws, cid, sponsors[:2], until=Step.BRANCH_RESOLUTION)
    with refused("admission.no_majority"):
        record(ws, cid, Step.BRANCH_RESOLUTION, votes_for=2)
    record(ws, cid, Step.BRANCH_RESOLUTION, votes_for=3)


# --- order, ceremony, probation ------------------------------------------------------------


def test_steps_go_in_order_and_never_back_in_time(ws: Workspace) -> None:
    cid = new_candidate(ws)
    with refused("admission_app.step_out_of_order"):
        record(ws, cid, Step.TRAINING)
    record(ws, cid, Step.OUTSTANDING)
    with refused("admission_app.step_done"):
        record(ws, cid, Step.OUTSTANDING)
    with refused("admission_app.step_before_previous"):
        record(ws, cid, Step.TRAINING, D(2024, 2, 29))
    with refused("admission_app.step_automatic"):
        record(ws, cid, Step.PROBATION, D(2024, 6, 1))
    with refused("date_in_future"):
        record(ws, cid, Step.TRAINING, TODAY + dt.timedelta(days=1))
    assert cases.candidate(ws, cid).summary.next_step is Step.TRAINING


def test_ceremony_within_30_working_days_of_the_decision(ws: Workspace) -> None:
    sponsors = officials(ws, 3)
    cid = new_candidate(ws)
    walk(ws, cid, sponsors, until=Step.CEREMONY)
    # decided Monday 22 July 2024: the 30th working day is Monday 2 September 2024
    with refused("admission.ceremony_late") as error:
        record(ws, cid, Step.CEREMONY, D(2024, 9, 3))
    assert "02/09/2024" in error.message("vi")
    with refused("admission_app.step_before_previous"):
        record(ws, cid, Step.CEREMONY, D(2024, 7, 21))
    assert cases.candidate(ws, cid).summary.member_id is None
    record(ws, cid, Step.CEREMONY, D(2024, 9, 2))
    assert cases.candidate(ws, cid).summary.status is CandidateStatus.ADMITTED


def test_public_holidays_move_the_ceremony_deadline(ws: Workspace) -> None:
    cases.set_rules(ws, {"public_holidays": ["2024-09-02"]})
    sponsors = officials(ws, 3)
    cid = new_candidate(ws)
    walk(ws, cid, sponsors, until=Step.CEREMONY)
    ceremony = next(d for d in cases.candidate(ws, cid).deadlines if d.kind == "ceremony")
    assert ceremony.due == D(2024, 9, 3)
    record(ws, cid, Step.CEREMONY, D(2024, 9, 3))


def test_full_membership_twelve_months_to_the_day_in_a_leap_year(ws: Workspace) -> None:
    sponsors = officials(ws, 3)
    cid = new_candidate(ws)
    days = {Step.BRANCH_RESOLUTION: D(2024, 2, 1), Step.DECISION: D(2024, 2, 15),
            Step.CEREMONY: D(2024, 2, 29), Step.SELF_REVIEW: D(2025, 2, 20)}
    walk(ws, cid, sponsors, until=Step.OFFICIAL_RESOLUTION,
         days={**days, Step.OUTSTANDING: D(2023, 9, 1), Step.TRAINING: D(2023, 10, 2),
               Step.APPLICATION: D(2023, 10, 9), Step.BACKGROUND: D(2023, 10, 10),
               Step.SPONSORS: D(2023, 11, 1), Step.MASS_COMMENTS: D(2023, 12, 1)})
    with refused("admission.probation_not_over") as error:
        record(ws, cid, Step.OFFICIAL_RESOLUTION, D(2025, 2, 27))
    assert "28/02/2025" in error.message("vi")
    record(ws, cid, Step.OFFICIAL_RESOLUTION, D(2025, 2, 28), number="7-NQ/CB")
    view = cases.candidate(ws, cid)
    assert view.summary.status is CandidateStatus.OFFICIAL and view.summary.next_step is None
    from sotay_desktop.usecases.members import member as show_member

    events = show_member(ws, view.summary.member_id).events  # type: ignore[arg-type]
    assert [(e.kind.value, e.date, e.decision) for e in events] == [
        ("admitted", D(2024, 2, 29), "120-QĐ/ĐU"), ("made_official", D(2025, 2, 28), "7-NQ/CB")]


def test_the_decision_needs_its_number_and_a_stopped_path_takes_no_step(ws: Workspace) -> None:
    sponsors = officials(ws, 3)
    cid = new_candidate(ws)
    walk(ws, cid, sponsors, until=Step.DECISION)
    with refused("admission_app.number_required"):
        cases.record_step(ws, cid, Step.DECISION, date=PATH[Step.DECISION])
    cases.stop(ws, cid, "Chuyển đi nơi khác")
    with refused("admission_app.closed_stopped"):
        record(ws, cid, Step.DECISION)
    assert cases.candidate(ws, cid).summary.next_deadline is None
    cases.resume(ws, cid)
    record(ws, cid, Step.DECISION)


def test_a_value_the_record_cannot_hold_is_refused_in_words(ws: Workspace) -> None:
    sponsors = officials(ws, 3)
    cid = new_candidate(ws)
    walk(ws, cid, sponsors, until=Step.DECISION)
    before = _pending(ws)
    with refused("admission_app.too_long") as error:
        record(ws, cid, Step.DECISION, number="9" * 61)
    assert "61" in error.message("vi") and "60" in error.message("vi")
    with refused("bad_phone"):
        cases.add_candidate(ws, {"full_name": "Số Điện Thoại Sai", "phone": "gọi tôi"})
    with refused("date_in_future"):
        cases.add_candidate(ws, {"full_name": "Sinh Mai", "date_of_birth": "2030-01-01"})
    with refused("admission_app.duplicate"):
        new_candidate(ws)
    assert _pending(ws) == before
