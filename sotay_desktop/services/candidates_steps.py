"""Recording a step of a candidate's path, and taking the last one back.

Steps are recorded in the order of ``admission.Step``, each dated no earlier than the one
before it, and each is checked by the core's rules before anything is written:

- the sponsors' step: each sponsor an official member of the roster with the party age and
  the time together the rules ask, two different people, as many as needed;
- the branch resolution proposing admission: the candidate's age on that day (the maximum
  only without the approval flag), the training certificate still valid, the sponsors still
  official members, and the votes in favour against the official members on the roster that
  day (``candidates.official_base``; never the candidates);
- the ceremony: not before the decision, within the working days after it; it makes the
  candidate a member (``candidates_admit``);
- the full-membership resolution: not before the end of probation, with the majority; it
  writes MADE_OFFICIAL from the end of probation.

A refusal names the rule and leaves everything as it was (one transaction).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain import admission
from sotay_core.domain.admission import AdmissionRules, CandidateStatus, Step
from sotay_core.domain.errors import ValidationError
from sotay_core.domain.ids import new_id
from sotay_core.domain.member_input import clean_date_field
from sotay_core.domain.text import clean_block, clean_line
from sotay_core.i18n import t
from sotay_desktop.db.year_tables import CandidateRow, CandidateStepRow
from sotay_desktop.services import candidates_admit
from sotay_desktop.services import candidates_view as view
from sotay_desktop.services.admission_settings import current_rules
from sotay_desktop.services.candidates import (
    live_candidate,
    official_base,
    status_of,
    steps_of,
)
from sotay_desktop.services.candidates_edit import (
    CANDIDATE_CHANGES,
    check_sponsors,
    check_values,
    set_sponsors,
    update_row,
)
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.members import MEMBER_CHANGES
from sotay_desktop.services.recording import record_change


def step_label(step: Step, lang: str | None = None) -> str:
    return t(f"admission_app.step_{step.value}", lang=lang)


def _day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _check_order(row: CandidateRow, step: Step, day: dt.date,
                 done: dict[Step, view.StepRecord]) -> None:
    if step in done:
        raise ValidationError("admission_app.step_done", field="step", name=row.full_name,
                              step=step_label(step), day=_day(done[step].done_on))
    if step in view.AUTOMATIC:
        raise ValidationError("admission_app.step_automatic", field="step",
                              step=step_label(step))
    expected = view.next_recordable(done)
    if expected is None or step is not expected:
        raise ValidationError("admission_app.step_out_of_order", field="step",
                              name=row.full_name, step=step_label(step),
                              expected=step_label(expected) if expected else "—")
    before = view.previous_recorded(done, step)
    if before is not None and day < before.done_on:
        raise ValidationError("admission_app.step_before_previous", field="date",
                              name=row.full_name, step=step_label(step), day=_day(day),
                              previous=step_label(before.step), previous_day=_day(before.done_on))


def _check_votes(name: str, votes_for: int | None, votes_against: int | None,
                 base: int, rules: AdmissionRules) -> None:
    if votes_for is None:
        raise ValidationError("admission_app.votes_required", field="votes_for", name=name)
    admission.check_resolution_votes(name, votes_for, base, rules)
    if votes_against is not None and (votes_against < 0 or votes_for + votes_against > base):
        raise ValidationError("admission_app.votes_over_base", field="votes_against",
                              name=name, votes=votes_for + votes_against, yes=votes_for,
                              no=votes_against, members=base)


def _check_branch_resolution(session: Session, row: CandidateRow, day: dt.date,
                             done: dict[Step, view.StepRecord], rules: AdmissionRules) -> None:
    if row.date_of_birth is None:
        raise ValidationError("admission_app.no_birth_date", field="date_of_birth",
                              name=row.full_name)
    admission.check_candidate_age(row.full_name, row.date_of_birth, day,
                                  over_limit_approved=row.over_limit_approved, rules=rules)
    admission.check_certificate(row.full_name, done[Step.TRAINING].done_on, day, rules)
    sponsors = [(s, None) for s in (row.sponsor1_id, row.sponsor2_id) if s is not None]
    check_sponsors(session, row, sponsors, day, rules)


def _store(session: Session, candidate_id: str, step: Step, values: dict[str, object]
           ) -> str:
    """The step's row: a new one, or the one taken back before (its natural key is the
    candidate and the step) written again."""
    old = session.scalars(select(CandidateStepRow).where(
        CandidateStepRow.candidate_id == candidate_id, CandidateStepRow.step == step.value,
        CandidateStepRow.deleted.is_(True))).first()
    if old is not None:
        update_row(session, entity="candidate_steps", row=old,
                     values={**values, "deleted": False})
        return old.id
    fields = {"candidate_id": candidate_id, "step": step.value, **values}
    new = CandidateStepRow(id=new_id(), **fields)
    session.add(new)
    session.flush()
    record_change(session, entity="candidate_steps", row_id=new.id, op="create",
                  base_version=0, fields=fields)
    return new.id


def record_step(session: Session, *, candidate_id: str, step: Step | str,
                date: dt.date | str | None, today: dt.date, number: str = "",
                issuer: str = "", detail: str = "", votes_for: int | None = None,
                votes_against: int | None = None,
                sponsors: Sequence[tuple[str, dt.date | str | None]] | None = None
                ) -> tuple[str, Changes]:
    """Record ``step`` done on ``date``; returns the step row's id. ``sponsors`` (with the
    sponsors' step) chooses them first, as ``candidates_edit.set_sponsors``."""
    row = live_candidate(session, candidate_id)
    try:
        step = Step(step)
    except ValueError:
        raise ValidationError("bad_choice", field="step", value=str(step),
                              choices=", ".join(s.value for s in Step)) from None
    status = status_of(row)
    if status in (CandidateStatus.STOPPED, CandidateStatus.OFFICIAL):
        raise ValidationError(f"admission_app.closed_{status.value}", name=row.full_name)
    day = clean_date_field("date", date, today=today)
    if day is None:
        raise ValidationError("required", field="date")
    rules = current_rules(session)
    done = view.by_step(steps_of(session, candidate_id))
    _check_order(row, step, day, done)
    values: dict[str, object] = {
        "done_on": day, "number": clean_line(number), "issuer": clean_line(issuer),
        "detail": clean_block(detail), "votes_for": None, "votes_against": None,
        "voting_base": None}
    check_values("candidate_steps", values, today=today)
    changes = CANDIDATE_CHANGES
    if step is Step.SPONSORS:
        if sponsors is not None:
            set_sponsors(session, candidate_id=candidate_id, sponsors=sponsors, on=day,
                         today=today, rules=rules)
        chosen = [(s, since) for s, since in ((row.sponsor1_id, row.sponsor1_since),
                                              (row.sponsor2_id, row.sponsor2_since))
                  if s is not None]
        check_sponsors(session, row, chosen, day, rules)
    elif step in view.RESOLUTIONS:
        base = official_base(session, unit_id=row.unit_id, on=day)
        if step is Step.BRANCH_RESOLUTION:
            _check_branch_resolution(session, row, day, done, rules)
        else:
            admission.check_official_resolution(row.full_name, done[Step.CEREMONY].done_on,
                                                day, rules)
        _check_votes(row.full_name, votes_for, votes_against, base, rules)
        values |= {"votes_for": votes_for, "votes_against": votes_against,
                   "voting_base": base}
    elif step is Step.DECISION and not values["number"]:
        raise ValidationError("admission_app.number_required", field="number",
                              step=step_label(step))
    elif step is Step.CEREMONY:
        admission.check_ceremony(row.full_name, done[Step.DECISION].done_on, day, rules)
    step_id = _store(session, candidate_id, step, values)
    if step is Step.CEREMONY:
        decision = done[Step.DECISION]
        candidates_admit.admit(session, row=row, ceremony_on=day, decision=decision.number,
                               today=today)
        _store(session, candidate_id, Step.PROBATION,
               {"done_on": day, "number": "", "issuer": "", "detail": "", "votes_for": None,
                "votes_against": None, "voting_base": None})
        changes |= MEMBER_CHANGES
    elif step is Step.OFFICIAL_RESOLUTION:
        candidates_admit.make_official(
            session, row=row, ceremony_on=done[Step.CEREMONY].done_on,
            number=str(values["number"]), today=today, rules=rules)
        changes |= MEMBER_CHANGES
    session.flush()
    return step_id, changes


def last_step(session: Session, candidate_id: str) -> view.StepRecord | None:
    """The step ``undo_last_step`` would take back (the ceremony with its probation)."""
    steps = [s for s in steps_of(session, candidate_id) if s.step not in view.AUTOMATIC]
    return steps[-1] if steps else None


def undo_last_step(session: Session, *, candidate_id: str,
                   expected: Step | str | None = None) -> tuple[Step, Changes]:
    """Take back the last step recorded (after the person confirmed ``expected``). Taking
    back the ceremony removes the member it made, if nothing else was recorded for them
    since; taking back the full-membership resolution removes its MADE_OFFICIAL."""
    row = live_candidate(session, candidate_id)
    last = last_step(session, candidate_id)
    if last is None:
        raise ValidationError("admission_app.nothing_to_undo", name=row.full_name)
    if expected is not None and Step(expected) is not last.step:
        raise ValidationError("admission_app.undo_changed", name=row.full_name)
    changes = CANDIDATE_CHANGES
    if last.step is Step.OFFICIAL_RESOLUTION:
        candidates_admit.unmake_official(session, row=row)
        changes |= MEMBER_CHANGES
    elif last.step is Step.CEREMONY:
        candidates_admit.unadmit(session, row=row)
        changes |= MEMBER_CHANGES
    taken = [last.step, Step.PROBATION] if last.step is Step.CEREMONY else [last.step]
    for step_row in session.scalars(select(CandidateStepRow).where(
            CandidateStepRow.candidate_id == candidate_id,
            CandidateStepRow.step.in_([s.value for s in taken]),
            CandidateStepRow.deleted.is_(False))):
        update_row(session, entity="candidate_steps", row=step_row, values={"deleted": True})
    session.flush()
    return last.step, changes

