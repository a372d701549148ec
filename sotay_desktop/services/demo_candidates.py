"""The demo branch's two candidates for admission (issue 20), made after its members:

- an outstanding citizen whose dossier is complete up to the mass organisations' comments,
  waiting for the branch's resolution proposing admission;
- a member admitted at a ceremony within the last year (one of the demo's probationary
  members), whose whole path up to the ceremony is on record: a member now, on probation.

Deterministic for (seed, as_of), local only (no outbox), like the rest of the demo. Each
step obeys the rules (age, certificate, sponsors, majority, ceremony deadline); a demo too
small to have sponsors or a probationary member gets fewer candidates, never a wrong one.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from sotay_core.domain import admission
from sotay_core.domain.admission import DEFAULT_ADMISSION_RULES, CandidateStatus, Step
from sotay_core.domain.dates import add_years
from sotay_core.domain.entities import EventKind, MemberStatus
from sotay_core.domain.errors import DomainError
from sotay_core.domain.reminders import MemberHistory
from sotay_desktop.db.tables import MemberRow
from sotay_desktop.db.year_tables import CandidateRow, CandidateStepRow
from sotay_desktop.services import demo_data as W
from sotay_desktop.services.candidates import official_base, tolerant_state
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.members import histories

RULES = DEFAULT_ADMISSION_RULES


def _sponsors(people: list[MemberHistory], on: dt.date, rng: random.Random
              ) -> list[tuple[str, dt.date]]:
    """Two members who may sponsor on ``on`` (official, party age), with a time together."""
    since = add_years(on, -3)
    fit = []
    for person in people:
        try:
            admission.check_sponsor(person.full_name, person.events, on, together_since=since)
        except DomainError:
            continue
        fit.append(person.member_id)
    if len(fit) < 2:
        return []
    return [(member_id, since) for member_id in rng.sample(fit, 2)]


def _steps(candidate_id: str, dates: dict[Step, dt.date], ids: Any, common: dict[str, Any],
           extra: dict[Step, dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**common, "id": ids(), "candidate_id": candidate_id, "step": step.value,
             "done_on": day, "number": "", "issuer": "", "detail": "", "votes_for": None,
             "votes_against": None, "voting_base": None, **extra.get(step, {})}
            for step, day in dates.items()]


def _path(ceremony: dt.date | None, as_of: dt.date) -> dict[Step, dt.date]:
    """The days of the steps up to the ceremony (or, without one, up to the comments)."""
    if ceremony is None:
        end = as_of - dt.timedelta(days=12)
        offsets = {Step.OUTSTANDING: 160, Step.TRAINING: 130, Step.APPLICATION: 100,
                   Step.BACKGROUND: 95, Step.SPONSORS: 60, Step.MASS_COMMENTS: 0}
    else:
        end = ceremony
        offsets = {Step.OUTSTANDING: 200, Step.TRAINING: 170, Step.APPLICATION: 140,
                   Step.BACKGROUND: 135, Step.SPONSORS: 100, Step.MASS_COMMENTS: 60,
                   Step.BRANCH_RESOLUTION: 45, Step.DECISION: 14, Step.CEREMONY: 0,
                   Step.PROBATION: 0}
    return {step: end - dt.timedelta(days=days) for step, days in offsets.items()}


def make_candidates(session: Session, *, unit_id: str, as_of: dt.date, seed: int,
                    common: dict[str, Any]) -> Changes:
    rng = random.Random(seed + 20)

    def ids() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    people = histories(session, unit_id=unit_id)
    candidates: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    # 1. waiting for the branch resolution
    dates = _path(None, as_of)
    chosen = _sponsors(people, dates[Step.SPONSORS], rng)
    if chosen:
        female = rng.random() < 0.5
        name = (f"{rng.choice(('Nguyễn', 'Trần', 'Lê', 'Phạm'))} "
                f"{rng.choice(W.MIDDLE_FEMALE if female else W.MIDDLE_MALE)} "
                f"{rng.choice(W.GIVEN_FEMALE if female else W.GIVEN_MALE)}")
        candidate_id = ids()
        candidates.append({
            **common, "id": candidate_id, "unit_id": unit_id, "full_name": name,
            "gender": "female" if female else "male",
            "date_of_birth": dt.date(as_of.year - rng.randint(22, 30), rng.randint(1, 12),
                                     rng.randint(1, 28)),
            "residence": f"Xóm {rng.randint(1, 9)}, thôn Đông Hòa", "occupation":
            rng.choice(("Giáo viên", "Bí thư chi đoàn", "Y sĩ trạm y tế")),
            "phone": f"09{rng.randint(10_000_000, 99_999_999)}", "status": "active",
            "over_limit_approved": False, "sponsor1_id": chosen[0][0],
            "sponsor1_since": chosen[0][1], "sponsor2_id": chosen[1][0],
            "sponsor2_since": chosen[1][1], "member_id": None,
            "note": "Đoàn viên ưu tú do Chi đoàn thôn giới thiệu."})
        steps += _steps(candidate_id, dates, ids, common, {
            Step.OUTSTANDING: {"number": "Nghị quyết chi bộ tháng 6"},
            Step.TRAINING: {"number": f"{rng.randint(100, 999)}/GCN",
                            "issuer": "Trung tâm chính trị huyện"}})
    # 2. admitted at a ceremony this year: one of the demo's probationary members
    for person in sorted(people, key=lambda p: p.member_id):
        state = tolerant_state(list(person.events), as_of)
        admitted = next((e for e in person.events if e.kind is EventKind.ADMITTED), None)
        if state.status is not MemberStatus.PROBATIONARY or admitted is None:
            continue
        member = session.get(MemberRow, person.member_id)
        dates = _path(admitted.date, as_of)
        resolved = dates[Step.BRANCH_RESOLUTION]
        if member is None or member.date_of_birth is None or \
                add_years(member.date_of_birth, RULES.minimum_age) > resolved:
            continue
        others = [p for p in people if p.member_id != person.member_id]
        chosen = _sponsors(others, dates[Step.SPONSORS], rng)
        base = official_base(session, unit_id=unit_id, on=resolved)
        if not chosen or base < 1:
            continue
        votes = max(admission.votes_needed(base, RULES), base - rng.randint(0, 2))
        candidate_id = ids()
        candidates.append({
            **common, "id": candidate_id, "unit_id": unit_id, "full_name": member.full_name,
            "gender": member.gender, "date_of_birth": member.date_of_birth,
            "residence": member.residence, "occupation": member.occupation_now,
            "phone": member.phone, "status": CandidateStatus.ADMITTED.value,
            "over_limit_approved": False, "sponsor1_id": chosen[0][0],
            "sponsor1_since": chosen[0][1], "sponsor2_id": chosen[1][0],
            "sponsor2_since": chosen[1][1], "member_id": member.id, "note": ""})
        steps += _steps(candidate_id, dates, ids, common, {
            Step.TRAINING: {"number": f"{rng.randint(100, 999)}/GCN",
                            "issuer": "Trung tâm chính trị huyện"},
            Step.BRANCH_RESOLUTION: {
                "number": f"{rng.randint(10, 40)}-NQ/CB", "votes_for": votes,
                "votes_against": base - votes, "voting_base": base,
                "detail": "Ưu điểm: có lập trường tư tưởng vững vàng, nhiệt tình với công "
                          "việc của thôn.\nKhuyết điểm: kinh nghiệm công tác còn ít."},
            Step.DECISION: {"number": admitted.decision.removeprefix("Số ")
                            or f"{rng.randint(10, 480)}-QĐ/ĐU",
                            "issuer": "Đảng ủy xã"}})
        break
    if candidates:
        session.execute(insert(CandidateRow), candidates)
        session.execute(insert(CandidateStepRow), steps)
    return Changes.of("candidates", "candidate_steps")
