"""What the meeting documents are made from: plain data, no Session (built by services)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sotay_desktop.domain.entities import Attendance


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
    secretary: str               # bí thư, who signs for the branch
    guests: str
    agenda: tuple[str, ...]
    attendees: tuple[Attendee, ...]
    speakers: tuple[Speaker, ...] = ()
    conclusion: str = ""
    votes_for: int | None = None
    votes_against: int | None = None
    resolution: ResolutionData | None = None
    extra: dict[str, str] = field(default_factory=dict)
