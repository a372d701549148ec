"""What the meeting documents are made from: plain data, no Session (built by services)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sotay_core import i18n
from sotay_core.domain.entities import Attendance
from sotay_core.domain.errors import DomainError


@dataclass(frozen=True, slots=True)
class Attendee:
    name: str
    official: bool               # full member (votes); False: probationary
    attendance: Attendance
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    gist: str


@dataclass(frozen=True, slots=True)
class Task:
    text: str
    responsible: str = ""


@dataclass(frozen=True, slots=True)
class ResolutionData:
    number: str                  # "05-NQ/CB"
    summary: str                 # về lãnh đạo thực hiện nhiệm vụ tháng 12 năm 2026
    results: str                 # I. results of the month
    tasks: tuple[Task, ...]      # II. tasks and measures
    implementation: str          # III. implementation
    votes_for: int | None = None
    votes_against: int | None = None
    adopted: bool = False


@dataclass(frozen=True, slots=True)
class ScoreLine:
    """The meeting's score as the minutes state it (issue 19)."""

    total: int
    max_total: int
    grade: str                   # "Tốt"


@dataclass(frozen=True, slots=True)
class MeetingData:
    superior: str                # Đảng bộ xã Tân Lập
    branch: str                  # Chi bộ thôn Đông Hòa
    place_name: str              # Tân Lập (for "Tân Lập, ngày …")
    date: dt.date
    title: str                   # Sinh hoạt chi bộ tháng 11 năm 2026
    starts_at: str               # "19:30"
    ends_at: str
    location: str
    chair: str
    recorder: str
    secretary: str               # bí thư of the committee term, who signs for the branch
    guests: str
    agenda: tuple[str, ...]
    attendees: tuple[Attendee, ...]
    speakers: tuple[Speaker, ...] = ()
    conclusion: str = ""
    votes_for: int | None = None
    votes_against: int | None = None
    resolution: ResolutionData | None = None
    # "Kiểm điểm việc thực hiện nghị quyết tháng trước": one paragraph per line (issue 19)
    review: tuple[str, ...] = ()
    score: ScoreLine | None = None
    extra: dict[str, str] = field(default_factory=dict)


# Who must be named on every meeting paper, in the order the message lists them.
ROLES = ("chair", "recorder", "signer")


def missing_names(data: MeetingData) -> tuple[str, ...]:
    """The roles (``ROLES``) still without a name: a paper with blank names is never issued."""
    given = {"chair": data.chair, "recorder": data.recorder, "signer": data.secretary}
    return tuple(role for role in ROLES if not given[role].strip())


class MissingNamesError(DomainError):
    """The chair, the recorder or the signer is not chosen; the message lists which."""

    def __init__(self, roles: tuple[str, ...]) -> None:
        self.roles = roles
        super().__init__("names_missing", roles=roles)

    def message(self, lang: str | None = None) -> str:
        names = ", ".join(i18n.t(f"role.{role}", lang=lang) for role in self.roles)
        return i18n.t("names_missing", lang=lang, missing=names)


def require_names(data: MeetingData) -> None:
    """Raise ``MissingNamesError`` unless the chair, recorder and signer all have names."""
    missing = missing_names(data)
    if missing:
        raise MissingNamesError(missing)
