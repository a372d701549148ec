"""What the annual review's papers and screens show, as plain data (issue 20).

The use cases build these from the branch's records (``sotay_desktop.usecases.review``);
the papers (``sotay_desktop.documents.review_*``) and the screens only read them. No
storage, no Qt, no clock. Points are ``Decimal`` with one place, or None when not given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sotay_core.domain.review import Grade, Period, Scheme, Tally


@dataclass(frozen=True, slots=True)
class MeetingMiss:
    """A meeting of the year the member did not attend."""

    day: dt.date
    title: str
    excused: bool
    reason: str = ""


@dataclass(frozen=True, slots=True)
class TaskLine:
    """A task from a resolution assigned to the member, as it stood at the review."""

    description: str
    due_on: dt.date | None
    status: str                 # entities.TaskStatus value
    done_on: dt.date | None
    on_time: bool               # done by its due day (a task with no due day: done at all)


@dataclass(frozen=True, slots=True)
class LifeEvent:
    day: dt.date
    text: str                   # e.g. "Được tặng Huy hiệu 40 năm tuổi Đảng", "Kỷ luật khiển trách"


@dataclass(frozen=True, slots=True)
class YearFacts:
    """The year's record as prefilled on the self-review form."""

    meetings_held: int = 0
    meetings_attended: int = 0
    misses: tuple[MeetingMiss, ...] = ()
    tasks: tuple[TaskLine, ...] = ()
    dues_months_due: int = 0
    dues_months_paid: int = 0
    dues_amount_paid: int = 0   # đồng
    dues_paid_to: str = ""      # "2026-11" or ""
    events: tuple[LifeEvent, ...] = ()
    disciplined: bool = False   # a discipline event in the period
    exempted: bool = False      # miễn sinh hoạt for some of the period
    # political study (issue 21): the plans of the period meant for the member, those they
    # studied (present at a session), and the points earned from them (điểm tích lũy)
    study_plans: int = 0
    study_plans_studied: int = 0
    study_points: int = 0

    @property
    def tasks_on_time(self) -> bool:
        return all(t.on_time for t in self.tasks)


@dataclass(frozen=True, slots=True)
class ReviewSheet:
    """One member's review (or the branch's own, ``member_id`` None) as the papers print it."""

    entry_id: str
    member_id: str | None
    name: str                               # the member's name, or the branch's
    born_on: dt.date | None = None
    role: str = ""                          # "Đảng viên chính thức", "Bí thư chi bộ" …
    facts: YearFacts = field(default_factory=YearFacts)
    self_text: str = ""
    self_points: Decimal | None = None
    self_grade: Grade | None = None
    scores: dict[str, Decimal] = field(default_factory=dict)   # criterion code -> points
    points: Decimal | None = None           # the branch meeting's total
    grade: Grade | None = None              # proposed by the branch meeting
    comments: str = ""
    tally: Tally | None = None
    decided_grade: Grade | None = None      # the level above's decision, when it came down
    decision: str = ""                      # its number, e.g. "Số 45-QĐ/ĐU"


@dataclass(frozen=True, slots=True)
class CampaignView:
    """A review campaign with every sheet, as the screen, the CLI and the papers see it."""

    campaign_id: str
    unit_name: str
    parent_name: str                        # the commune committee, for the paper's header
    year: int
    period: Period
    status: str                             # review.CampaignStatus value
    scheme: Scheme
    held_on: dt.date | None
    sheets: tuple[ReviewSheet, ...]         # members, in roster order
    branch: ReviewSheet | None = None       # the branch's own self-grade

    def counts(self) -> dict[Grade, int]:
        """Members per proposed grade (the branch's own entry not counted)."""
        out = {grade: 0 for grade in Grade}
        for sheet in self.sheets:
            if sheet.grade is not None:
                out[sheet.grade] += 1
        return out
