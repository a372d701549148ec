"""What the study screens and papers show, as plain data (issue 21).

The use cases (``sotay_desktop.usecases.study``) build these from the branch's records; the
screens (``ui/study/``), the papers (``documents/study_*``) and the command line only read
them. No storage, no Qt, no clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sotay_core.domain.entities import MemberStatus
from sotay_core.domain.study import PlanKind, Quiz, Score, Survey
from sotay_core.domain.study_figures import StudyFigures
from sotay_core.domain.study_plan import Progress, Target


@dataclass(frozen=True, slots=True)
class DocRef:
    """A document the plan names; ``missing`` when this PC does not hold it (yet)."""

    id: str
    title: str
    number: str = ""
    has_file: bool = False
    missing: bool = False


@dataclass(frozen=True, slots=True)
class PlanInfo:
    id: str
    title: str
    kind: PlanKind = PlanKind.STUDY
    from_above: bool = True
    read_only: bool = False          # published by the level above: not changed here
    number: str = ""
    issuer: str = ""
    issued_on: dt.date | None = None
    starts_on: dt.date | None = None
    due_on: dt.date | None = None
    documents: tuple[DocRef, ...] = ()
    target: Target = field(default_factory=Target)
    quiz: Quiz | None = None
    survey: Survey | None = None
    points: int | None = None         # None: the points setting's figure
    note: str = ""


@dataclass(frozen=True, slots=True)
class SessionLine:
    id: str
    held_on: dt.date
    kind: str                         # "session", "makeup", "home"
    place: str = ""
    present: tuple[str, ...] = ()     # member ids
    documents: tuple[str, ...] = ()   # document ids studied
    note: str = ""


@dataclass(frozen=True, slots=True)
class MemberLine:
    """One member as the plan sees them, in roster order."""

    member_id: str
    name: str
    code: str                         # the 14-digit card code (study_plan.member_code)
    status: MemberStatus
    born_on: dt.date | None = None
    targeted: bool = True
    sessions: tuple[dt.date, ...] = ()    # days of the sessions attended
    answers: str = ""                 # letters, "" when no sheet entered
    score: Score | None = None
    points: int = 0

    @property
    def studied(self) -> bool:
        return bool(self.sessions)


@dataclass(frozen=True, slots=True)
class SurveyTotal:
    present: int = 0
    tallies: tuple[tuple[int, ...], ...] = ()
    texts: tuple[str, ...] = ()
    sheets: int = 0                   # collections counted


@dataclass(frozen=True, slots=True)
class PlanView:
    plan: PlanInfo
    members: tuple[MemberLine, ...]   # the targeted, then others present, roster order
    sessions: tuple[SessionLine, ...]
    progress: Progress
    figures: StudyFigures             # what goes up (counts only)
    survey: SurveyTotal | None = None
    overdue: bool = False
    report_sent: bool = False         # the figures as they stand have gone up

    def member(self, member_id: str) -> MemberLine | None:
        return next((m for m in self.members if m.member_id == member_id), None)

    @property
    def makeup(self) -> tuple[MemberLine, ...]:
        """Targeted members at no session: the make-up list, roster order."""
        wanted = set(self.progress.makeup)
        return tuple(m for m in self.members if m.member_id in wanted)


@dataclass(frozen=True, slots=True)
class PlanSummary:
    """A plan in a list (the study screen, Home, ``sotay study list``)."""

    id: str
    title: str
    kind: PlanKind
    from_above: bool
    due_on: dt.date | None
    targeted: int
    studied: int
    sessions: int
    has_quiz: bool
    quiz_sat: int
    has_survey: bool
    overdue: bool
    starts_on: dt.date | None = None

    @property
    def not_studied(self) -> int:
        return max(0, self.targeted - self.studied)


@dataclass(frozen=True, slots=True)
class MemberStudyLine:
    plan_id: str
    title: str
    due_on: dt.date | None
    sessions: tuple[dt.date, ...]
    score: Score | None
    points: int


@dataclass(frozen=True, slots=True)
class MemberStudy:
    """A member's record of study for a year: which plans, sessions, scores and points;
    ``total_points`` feeds the annual review's facts."""

    member_id: str
    year: int
    lines: tuple[MemberStudyLine, ...] = ()

    @property
    def total_points(self) -> int:
        return sum(line.points for line in self.lines)

    @property
    def plans_studied(self) -> int:
        return sum(1 for line in self.lines if line.sessions)
