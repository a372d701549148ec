"""Entities of a branch's records as frozen dataclasses, and their enums.

Field sets follow the roster form (Mẫu 7-HSĐV) and the personal record (lý lịch);
see shared/reference/domain.md §3. Card and record numbers are text: the 2025
card format is not confirmed.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import TypeVar, overload


class OrgLevel(enum.StrEnum):
    CENTRAL = "central"        # Trung ương
    PROVINCE = "province"      # Đảng bộ tỉnh / thành phố
    DISTRICT = "district"      # Đảng bộ huyện (abolished 2025; old documents name it)
    COMMUNE = "commune"        # Đảng bộ xã / phường / đặc khu
    PART = "part"              # Đảng bộ bộ phận
    BRANCH = "branch"          # Chi bộ
    GROUP = "group"            # Tổ đảng


class Gender(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"


class EventKind(enum.StrEnum):
    ADMITTED = "admitted"                      # kết nạp
    MADE_OFFICIAL = "made_official"            # công nhận chính thức
    EXEMPTED = "exempted"                      # miễn công tác và sinh hoạt
    EXEMPTION_ENDED = "exemption_ended"        # thôi miễn sinh hoạt
    TRANSFERRED_IN = "transferred_in"          # chuyển đến (official)
    TRANSFERRED_OUT = "transferred_out"        # chuyển đi (official)
    TEMP_IN = "temp_in"                        # chuyển sinh hoạt tạm thời đến
    TEMP_IN_ENDED = "temp_in_ended"            # hết sinh hoạt tạm thời ở chi bộ
    TEMP_OUT = "temp_out"                      # chuyển sinh hoạt tạm thời đi
    RETURNED = "returned"                      # trở về sau sinh hoạt tạm thời
    RESIDENCE_CONTACT = "residence_contact"    # giữ mối liên hệ nơi cư trú
    DISCIPLINED = "disciplined"                # kỷ luật
    DECEASED = "deceased"                      # từ trần
    STRUCK_OFF = "struck_off"                  # xoá tên
    EXPELLED = "expelled"                      # khai trừ
    LEFT = "left"                              # ra khỏi Đảng (xin ra)


class MemberStatus(enum.StrEnum):
    """The one status shown in the roster, derived from the events."""

    PROBATIONARY = "probationary"        # dự bị
    OFFICIAL = "official"                # chính thức
    EXEMPTED = "exempted"                # miễn sinh hoạt
    AWAY = "away"                        # chuyển sinh hoạt tạm thời đi
    TEMPORARY = "temporary"              # sinh hoạt tạm thời tại chi bộ
    TRANSFERRED_OUT = "transferred_out"  # đã chuyển đi
    DECEASED = "deceased"                # từ trần
    REMOVED = "removed"                  # xoá tên / khai trừ / ra khỏi Đảng
    NONE = "none"                        # no admission recorded yet

    @property
    def on_roster(self) -> bool:
        """Counted in the branch's party numbers (đảng số)."""
        return self in {
            MemberStatus.PROBATIONARY,
            MemberStatus.OFFICIAL,
            MemberStatus.EXEMPTED,
            MemberStatus.AWAY,
        }


class DocumentOrigin(enum.StrEnum):
    FROM_ABOVE = "from_above"   # văn bản cấp trên
    OWN = "own"                 # văn bản của chi bộ


class MeetingKind(enum.StrEnum):
    MONTHLY = "monthly"         # thường kỳ
    THEMATIC = "thematic"       # chuyên đề


class Attendance(enum.StrEnum):
    PRESENT = "present"
    ABSENT_EXCUSED = "absent_excused"        # vắng có lý do
    ABSENT_UNEXCUSED = "absent_unexcused"    # vắng không lý do
    EXEMPTED = "exempted"                    # miễn sinh hoạt (not attending)
    AWAY = "away"                            # chuyển sinh hoạt tạm thời đi


class ResolutionStatus(enum.StrEnum):
    DRAFT = "draft"
    CIRCULATED = "circulated"
    ADOPTED = "adopted"


class TaskStatus(enum.StrEnum):
    """A resolution's task as the next meeting reviews it."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CARRIED_OVER = "carried_over"   # chuyển sang tháng sau


class ReportStatus(enum.StrEnum):
    DRAFT = "draft"
    SENT = "sent"


E = TypeVar("E", bound=enum.StrEnum)


@overload
def stored(kind: type[E], value: object, default: E) -> E: ...
@overload
def stored(kind: type[E], value: object, default: None = None) -> E | None: ...
def stored(kind: type[E], value: object, default: E | None = None) -> E | None:
    """A stored text as its enum, or ``default`` when it is not one of the enum's values: a
    bad value already in a database (an old server, a manual edit) must not stop a list."""
    if not isinstance(value, str):
        return default
    try:
        return kind(value)
    except ValueError:
        return default


@dataclass(frozen=True, slots=True)
class OrgUnit:
    id: str
    level: OrgLevel
    name: str
    parent_id: str | None = None
    symbol: str = ""                 # "CB", "ĐU" … used in document numbers
    is_grassroots: bool = False
    has_chi_uy: bool = False


@dataclass(frozen=True, slots=True)
class MemberEvent:
    id: str
    member_id: str
    kind: EventKind
    date: dt.date
    decision: str = ""               # decision number and body, e.g. "Số 123-QĐ/ĐU"
    place: str = ""                  # where from / to (transfers), the residence branch …
    detail: str = ""                 # reason, form of discipline …
    seq: int = 0                     # order among events on the same date


MEMBER_TEXT_FIELDS: tuple[str, ...] = (
    "full_name",
    "birth_name",
    "alias",
    "place_of_birth",
    "hometown",
    "residence",
    "ethnicity",
    "religion",
    "education_general",
    "education_professional",
    "political_theory",
    "languages",
    "occupation_before",
    "occupation_now",
    "card_number",
    "record_number",
    "badge_numbers",
    "service_background",
    "phone",
)
MEMBER_BLOCK_FIELDS: tuple[str, ...] = ("notes",)


@dataclass(frozen=True, slots=True)
class Member:
    """The personal record. Dates of admission etc. are events, not fields."""

    id: str
    unit_id: str
    full_name: str
    gender: Gender | None = None
    date_of_birth: dt.date | None = None
    birth_name: str = ""
    alias: str = ""
    place_of_birth: str = ""
    hometown: str = ""
    residence: str = ""
    ethnicity: str = "Kinh"
    religion: str = "Không"
    education_general: str = ""
    education_professional: str = ""
    political_theory: str = ""
    languages: str = ""
    occupation_before: str = ""
    occupation_now: str = ""
    card_number: str = ""
    record_number: str = ""
    badge_numbers: str = ""
    service_background: str = ""
    phone: str = ""
    notes: str = ""
    version: int = 0


@dataclass(frozen=True, slots=True)
class MemberRecord:
    """A member with the facts derived from the history, as screens and exports need."""

    member: Member
    events: tuple[MemberEvent, ...]
    status: MemberStatus
    admitted_on: dt.date | None
    official_on: dt.date | None
    left_on: dt.date | None = None
    deceased_on: dt.date | None = None
    transferred_in_on: dt.date | None = None
    transferred_in_from: str = ""
    transferred_out_on: dt.date | None = None
    extras: dict[str, str] = field(default_factory=dict)
