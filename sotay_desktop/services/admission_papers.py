"""The plain data of a candidate's papers (``documents.admission_papers``): the branch and the
commune above it, the candidate's details and steps, the members on each resolution's day
(counted from the roster's histories) and the bí thư in office that day, who signs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from sotay_core.domain import admission
from sotay_core.domain.admission import Step
from sotay_core.domain.errors import DomainError
from sotay_core.domain.lifecycle import Stage
from sotay_core.i18n import t
from sotay_desktop.documents.admission_papers import (
    AdmissionPaper,
    ChecklistLine,
    Numbers,
    PaperStep,
)
from sotay_desktop.services.admission_settings import current_rules
from sotay_desktop.services.branch import branch_info
from sotay_desktop.services.candidates import candidate_view, live_candidate, tolerant_state
from sotay_desktop.services.candidates_view import RESOLUTIONS
from sotay_desktop.services.meetings import committee_secretary, place_name
from sotay_desktop.services.members import histories


def numbers_on(session: Session, unit_id: str, day: dt.date) -> Numbers:
    """Members on the roster at the end of ``day``: all, official, probationary."""
    official = probationary = 0
    for history in histories(session, unit_id=unit_id):
        state = tolerant_state(list(history.events), day)
        if not state.here or state.transferred_out:
            continue
        if state.stage is Stage.OFFICIAL:
            official += 1
        elif state.stage is Stage.PROBATIONARY:
            probationary += 1
    return Numbers(official + probationary, official, probationary)


def paper_data(session: Session, candidate_id: str, *, today: dt.date) -> AdmissionPaper:
    info = branch_info(session)
    if info is None:
        raise DomainError("no_branch", path="")
    row = live_candidate(session, candidate_id)
    record = candidate_view(session, candidate_id, today=today)
    steps = {s.step: PaperStep(s.done_on, s.number, s.issuer, s.detail, s.votes_for,
                               s.votes_against, s.voting_base) for s in record.steps}
    unit_id = info.branch.id
    numbers, signers = {}, {}
    for step in RESOLUTIONS:
        if step in steps:
            day = steps[step].done_on
            numbers[step] = numbers_on(session, unit_id, day)
            found = committee_secretary(session, unit_id, day)
            signers[step] = found[1] if found else ""
    secretary = committee_secretary(session, unit_id, today)
    ceremony = steps.get(Step.CEREMONY)
    superior = info.superior.name if info.superior else ""
    return AdmissionPaper(
        superior=superior, branch=info.branch.name,
        place_name=place_name(superior or info.branch.name), made_on=today,
        full_name=row.full_name, gender=row.gender, date_of_birth=row.date_of_birth,
        residence=row.residence, occupation=row.occupation,
        sponsors=tuple(s.name for s in record.sponsors), steps=steps, numbers=numbers,
        signers=signers, secretary=secretary[1] if secretary else "",
        official_from=(admission.official_from(ceremony.done_on, current_rules(session))
                       if ceremony else None),
        checklist=tuple(ChecklistLine(
            item.form.code, t(f"admission_app.form_{item.form.key}", lang="vi"),
            item.done.done_on if item.done else None, item.done.number if item.done else "")
            for item in record.checklist))
