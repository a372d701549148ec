"""Reading the admission pipeline: the branch's candidates with their current step and next
deadline, one candidate's whole record (steps, sponsors, deadlines, dossier checklist), and
the voting base of a branch resolution on a day, counted from the roster.

A candidate is not a member: nothing here is read by the roster's counts, the monthly report
or the dues book, which read ``members`` only; a candidate becomes a member (a ``members``
row) at the ceremony. Writes are in ``candidates_edit`` and ``candidates_steps``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.admission import AdmissionRules, CandidateStatus, Step
from sotay_core.domain.entities import MemberEvent, MemberStatus, stored
from sotay_core.domain.errors import LifecycleError, NotFoundError
from sotay_core.domain.lifecycle import State, apply_event, ordered
from sotay_core.domain.text import fold, name_sort_key
from sotay_core.i18n import t
from sotay_desktop.db.mapping import event_from_row
from sotay_desktop.db.tables import MemberEventRow, MemberRow
from sotay_desktop.db.year_tables import CandidateRow, CandidateStepRow
from sotay_desktop.services import candidates_view as view
from sotay_desktop.services.admission_settings import current_rules
from sotay_desktop.services.members import histories

CANDIDATE_TABLES = ("candidates", "candidate_steps")


def live_candidate(session: Session, candidate_id: str) -> CandidateRow:
    row = session.get(CandidateRow, candidate_id)
    if row is None or row.deleted:
        raise NotFoundError("not_found", what=t("admission_app.candidate"), id=candidate_id)
    return row


def step_rows(session: Session, candidate_ids: list[str] | None = None,
              *, deleted: bool = False) -> list[CandidateStepRow]:
    query = select(CandidateStepRow).where(CandidateStepRow.deleted.is_(deleted))
    if candidate_ids is not None:
        query = query.where(CandidateStepRow.candidate_id.in_(candidate_ids))
    return list(session.scalars(query))


def as_record(row: CandidateStepRow) -> view.StepRecord | None:
    step = stored(Step, row.step)
    if step is None:      # a step a newer version knows: left out, never a crash
        return None
    return view.StepRecord(row.id, step, row.done_on, row.number, row.issuer, row.detail,
                           row.votes_for, row.votes_against, row.voting_base)


def steps_of(session: Session, candidate_id: str) -> tuple[view.StepRecord, ...]:
    records = [r for r in map(as_record, step_rows(session, [candidate_id])) if r]
    return tuple(sorted(records, key=lambda r: step_index(r.step)))


def step_index(step: Step) -> int:
    return list(Step).index(step)


def status_of(row: CandidateRow) -> CandidateStatus:
    return stored(CandidateStatus, row.status, CandidateStatus.ACTIVE)


def _summary(row: CandidateRow, steps: tuple[view.StepRecord, ...], rules: AdmissionRules,
             today: dt.date) -> view.CandidateSummary:
    return view.summary(id=row.id, full_name=row.full_name, date_of_birth=row.date_of_birth,
                        status=status_of(row), member_id=row.member_id,
                        sort_key=name_sort_key(row.full_name), steps=steps, rules=rules,
                        today=today)


def list_candidates(session: Session, *, unit_id: str, today: dt.date,
                    statuses: set[CandidateStatus] | None = None
                    ) -> list[view.CandidateSummary]:
    """The branch's candidates: those on the path first, then by name."""
    rows = list(session.scalars(select(CandidateRow).where(
        CandidateRow.unit_id == unit_id, CandidateRow.deleted.is_(False))))
    if statuses is not None:
        rows = [r for r in rows if status_of(r) in statuses]
    by_candidate: dict[str, list[view.StepRecord]] = {r.id: [] for r in rows}
    for step_row in step_rows(session, list(by_candidate)):
        record = as_record(step_row)
        if record is not None:
            by_candidate[step_row.candidate_id].append(record)
    rules = current_rules(session)
    order = {s: i for i, s in enumerate(CandidateStatus)}
    found = [_summary(r, tuple(sorted(by_candidate[r.id], key=lambda s: step_index(s.step))),
                      rules, today) for r in rows]
    return sorted(found, key=lambda s: (order[s.status], s.sort_key, s.id))


def member_name(session: Session, member_id: str | None) -> str:
    if member_id is None:
        return ""
    row = session.get(MemberRow, member_id)
    return row.full_name if row is not None else ""


def candidate_view(session: Session, candidate_id: str, *, today: dt.date) -> view.CandidateView:
    row = live_candidate(session, candidate_id)
    rules = current_rules(session)
    steps = steps_of(session, candidate_id)
    sponsors = tuple(view.Sponsor(member_id, member_name(session, member_id), since)
                     for member_id, since in ((row.sponsor1_id, row.sponsor1_since),
                                              (row.sponsor2_id, row.sponsor2_since))
                     if member_id is not None)
    return view.CandidateView(
        summary=_summary(row, steps, rules, today), gender=row.gender, residence=row.residence,
        occupation=row.occupation, phone=row.phone, note=row.note,
        over_limit_approved=row.over_limit_approved, sponsors=sponsors, steps=steps,
        deadlines=view.deadlines(steps, rules, today), checklist=view.checklist(steps),
        holidays_set=bool(rules.public_holidays))


def find_candidate(session: Session, *, unit_id: str, words: str) -> str:
    """A candidate by id or by exact name (folded); refused when none or several match."""
    words = words.strip()
    row = session.get(CandidateRow, words)
    if row is not None and not row.deleted:
        return row.id
    wanted = fold(words)
    found = [r.id for r in session.scalars(select(CandidateRow).where(
        CandidateRow.unit_id == unit_id, CandidateRow.deleted.is_(False)))
        if fold(r.full_name) == wanted]
    if len(found) == 1:
        return found[0]
    if found:
        raise NotFoundError("admission_app.several", words=words, count=len(found))
    raise NotFoundError("not_found", what=t("admission_app.candidate"), id=words)


def member_events(session: Session, member_id: str) -> list[MemberEvent]:
    rows = session.scalars(select(MemberEventRow).where(
        MemberEventRow.member_id == member_id, MemberEventRow.deleted.is_(False)))
    return [e for e in map(event_from_row, rows) if e is not None]


def tolerant_state(events: list[MemberEvent], on: dt.date | None = None) -> State:
    """The state at the end of ``on`` (all events when None); an event that does not fit a
    merged or hand-mended history is skipped, as the roster shows it."""
    state = State()
    for event in ordered(events):
        if on is not None and event.date > on:
            break
        try:
            state = apply_event(state, event)
        except LifecycleError:
            continue
    return state


def official_base(session: Session, *, unit_id: str, on: dt.date) -> int:
    """Official members on the branch's roster at the end of ``on``: the base a resolution
    on admission or full membership is measured against. Counted from the members' own
    histories (never from candidates); probationary, exempted, temporarily away and
    transferred-out members are not in it (the roster's status "official" on that day)."""
    return sum(1 for history in histories(session, unit_id=unit_id)
               if tolerant_state(list(history.events), on).status is MemberStatus.OFFICIAL)


def sponsor_choices(session: Session, *, unit_id: str) -> list[tuple[str, str]]:
    """(id, name) of the roster's official members, in roster order: who may sponsor."""
    rows = session.execute(select(MemberRow.id, MemberRow.full_name).where(
        MemberRow.unit_id == unit_id, MemberRow.deleted.is_(False),
        MemberRow.status == MemberStatus.OFFICIAL.value).order_by(MemberRow.sort_key))
    return [(member_id, name) for member_id, name in rows]
