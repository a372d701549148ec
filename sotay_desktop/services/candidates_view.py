"""What the screen, the command line and the papers show of a candidate, worked out from
the stored steps and the admission figures: the step to do next, the deadlines that follow
from the dates (the certificate's last valid day, the ceremony within N working days of the
decision, the end of probation and the deadline to consider full membership), and the
dossier's checklist of forms (HD 12-HD/BTCTW 2022, numbering UNCONFIRMED).

Pure: no session, no clock (``today`` is passed). The rules themselves are in
``sotay_core.domain.admission``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from sotay_core.domain import admission
from sotay_core.domain.admission import AdmissionRules, CandidateStatus, Step

# Written with the ceremony (the probation starts that day), never recorded by hand.
AUTOMATIC = frozenset({Step.PROBATION})
RESOLUTIONS = frozenset({Step.BRANCH_RESOLUTION, Step.OFFICIAL_RESOLUTION})


@dataclass(frozen=True, slots=True)
class StepRecord:
    id: str
    step: Step
    done_on: dt.date
    number: str = ""
    issuer: str = ""
    detail: str = ""
    votes_for: int | None = None
    votes_against: int | None = None
    voting_base: int | None = None


class DeadlineKind(StrEnum):
    CERTIFICATE = "certificate"          # the last day the course certificate counts
    CEREMONY = "ceremony"                # within N working days of the decision
    PROBATION_END = "probation_end"      # full membership counts from this day
    OFFICIAL_REVIEW = "official_review"  # the chi bộ considers full membership by then


@dataclass(frozen=True, slots=True)
class Deadline:
    kind: DeadlineKind
    due: dt.date
    days_left: int            # negative: overdue by that many days
    met: bool = False         # the step it asks for is done

    @property
    def overdue(self) -> bool:
        return not self.met and self.days_left < 0


@dataclass(frozen=True, slots=True)
class Form:
    """One paper of the dossier: its form number (blank for papers without one) and the
    step that produces it."""

    code: str
    key: str                  # admission_app.form_<key>
    step: Step


FORMS: tuple[Form, ...] = (
    Form("1-KNĐ", "application", Step.APPLICATION),
    Form("2-KNĐ", "background", Step.BACKGROUND),
    Form("", "certificate", Step.TRAINING),
    Form("3-KNĐ", "sponsor", Step.SPONSORS),
    Form("5-KNĐ", "mass_comments", Step.MASS_COMMENTS),
    Form("6-KNĐ", "branch_resolution", Step.BRANCH_RESOLUTION),
    Form("", "decision", Step.DECISION),
    Form("10-KNĐ", "self_review", Step.SELF_REVIEW),
    Form("13-KNĐ", "official_resolution", Step.OFFICIAL_RESOLUTION),
)


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    form: Form
    done: StepRecord | None

    @property
    def is_done(self) -> bool:
        return self.done is not None


@dataclass(frozen=True, slots=True)
class Sponsor:
    member_id: str
    name: str
    since: dt.date | None


@dataclass(frozen=True, slots=True)
class CandidateSummary:
    id: str
    full_name: str
    date_of_birth: dt.date | None
    status: CandidateStatus
    last_step: Step | None
    last_on: dt.date | None
    next_step: Step | None
    next_deadline: Deadline | None
    member_id: str | None
    sort_key: str = field(default="", metadata={"internal": True})


@dataclass(frozen=True, slots=True)
class CandidateView:
    summary: CandidateSummary
    gender: str | None
    residence: str
    occupation: str
    phone: str
    note: str
    over_limit_approved: bool
    sponsors: tuple[Sponsor, ...]
    steps: tuple[StepRecord, ...]
    deadlines: tuple[Deadline, ...]
    checklist: tuple[ChecklistItem, ...]
    holidays_set: bool        # False: working days are counted Monday to Friday only

    @property
    def id(self) -> str:
        return self.summary.id

    @property
    def full_name(self) -> str:
        return self.summary.full_name

    def step(self, step: Step) -> StepRecord | None:
        return next((s for s in self.steps if s.step is step), None)


def by_step(steps: Iterable[StepRecord]) -> dict[Step, StepRecord]:
    return {s.step: s for s in steps}


def next_recordable(done: Iterable[Step]) -> Step | None:
    """The step the secretary records next (the probation is written by the ceremony)."""
    step = admission.next_step(done)
    if step in AUTOMATIC:
        return admission.next_step({*done, step})
    return step


def previous_recorded(done: dict[Step, StepRecord], step: Step) -> StepRecord | None:
    """The latest step before ``step`` in the path's order that is recorded."""
    earlier = admission.STEPS[:admission.STEPS.index(step)]
    return next((done[s] for s in reversed(earlier) if s in done), None)


def _deadline(kind: DeadlineKind, due: dt.date, today: dt.date, met: bool) -> Deadline:
    return Deadline(kind, due, (due - today).days, met)


def deadlines(steps: Iterable[StepRecord], rules: AdmissionRules,
              today: dt.date) -> tuple[Deadline, ...]:
    """The dates that follow from what is recorded, in the order they fall due."""
    done = by_step(steps)
    found: list[Deadline] = []
    training = done.get(Step.TRAINING)
    if training is not None:
        last_valid = admission.certificate_expires(training.done_on, rules) - dt.timedelta(1)
        found.append(_deadline(DeadlineKind.CERTIFICATE, last_valid, today,
                               Step.BRANCH_RESOLUTION in done))
    decision = done.get(Step.DECISION)
    if decision is not None:
        found.append(_deadline(DeadlineKind.CEREMONY,
                               admission.ceremony_deadline(decision.done_on, rules), today,
                               Step.CEREMONY in done))
    ceremony = done.get(Step.CEREMONY)
    if ceremony is not None:
        end = admission.official_from(ceremony.done_on, rules)
        found.append(_deadline(DeadlineKind.PROBATION_END, end, today, today >= end))
        found.append(_deadline(DeadlineKind.OFFICIAL_REVIEW,
                               admission.official_review_deadline(ceremony.done_on, rules),
                               today, Step.OFFICIAL_RESOLUTION in done))
    return tuple(found)


def next_deadline(found: Iterable[Deadline]) -> Deadline | None:
    """The deadline to act on: the earliest not met yet (the end of probation is a date
    to wait for, not one to act by, so it never comes first while the review's is there)."""
    open_ = [d for d in found if not d.met and d.kind is not DeadlineKind.PROBATION_END]
    return min(open_, key=lambda d: d.due, default=None)


def checklist(steps: Iterable[StepRecord]) -> tuple[ChecklistItem, ...]:
    done = by_step(steps)
    return tuple(ChecklistItem(form, done.get(form.step)) for form in FORMS)


def summary(*, id: str, full_name: str, date_of_birth: dt.date | None, status: CandidateStatus,
            member_id: str | None, sort_key: str, steps: tuple[StepRecord, ...],
            rules: AdmissionRules, today: dt.date) -> CandidateSummary:
    done = by_step(steps)
    ordered = [s for s in admission.STEPS if s in done and s not in AUTOMATIC]
    last = ordered[-1] if ordered else None
    upcoming = None if status is CandidateStatus.STOPPED else next_recordable(done)
    found = deadlines(steps, rules, today)
    return CandidateSummary(
        id=id, full_name=full_name, date_of_birth=date_of_birth, status=status,
        last_step=last, last_on=done[last].done_on if last else None, next_step=upcoming,
        next_deadline=None if status is CandidateStatus.STOPPED else next_deadline(found),
        member_id=member_id, sort_key=sort_key)


def deadline_text(deadline: Deadline, lang: str | None = None) -> str:
    """The deadline in words: what, the day, and how far (overdue said, not only coloured)."""
    from sotay_core.i18n import t

    what = t(f"admission_app.deadline_{deadline.kind.value}", lang=lang)
    day = deadline.due.strftime("%d/%m/%Y")
    if deadline.met:
        return t("admission_app.deadline_met", lang=lang, what=what, day=day)
    if deadline.days_left < 0:
        return t("admission_app.deadline_overdue", lang=lang, what=what, day=day,
                 days=-deadline.days_left)
    if deadline.days_left == 0:
        return t("admission_app.deadline_today", lang=lang, what=what, day=day)
    return t("admission_app.deadline_left", lang=lang, what=what, day=day,
             days=deadline.days_left)
