"""The score of a monthly meeting (chấm điểm chất lượng sinh hoạt chi bộ), issue 19.

A scheme is a setting (the province or the commune decides it): criteria with their most
points and how each is filled, and the grades with their lowest totals. Some criteria fill
themselves from the meeting's records (attendance rate, length, number of speakers), the
secretary scores the others. Pure: the service reads the records and stores the sheet.

DEFAULT_SCHEME, UNCONFIRMED (no national scoring sheet was found; provinces issue their own):
* the four parts and their points (preparation 15, attendance 20, conduct of the meeting 45,
  conclusion 20, out of 100) and the grades (Tốt from 90, Khá from 70, Trung bình from 50,
  Kém below) follow the monthly scoring of the Đảng ủy Khối các cơ quan tỉnh Phú Thọ
  (xaydungdang.org.vn, "Đảng ủy Khối Các cơ quan tỉnh Phú Thọ: Triển khai đánh giá, xếp loại
  chất lượng sinh hoạt chi bộ");
* what a good meeting is comes from HD 12-HD/BTCTW (06/7/2018) on improving meeting quality:
  over 85 % of members present and nobody absent without a reason, at least 90 minutes, many
  members speaking, the minutes written in full;
* "Tốt" also needs full marks for attendance, length, speakers and minutes, as Bình Thuận's
  bloc requires (shared/reference/domain.md §12);
* how the 45 points of the conduct are split, the bands of the filled criteria and the
  5 points off per unexcused absence are ours.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sotay_core.domain.errors import ValidationError

MAX_TOTAL = 1000        # record_rules: meeting_scores.total is 0..1000


class Source(enum.StrEnum):
    MANUAL = "manual"           # the secretary scores it
    ATTENDANCE = "attendance"   # percent of members called who were present
    LENGTH = "length"           # minutes from starts_at to ends_at
    SPEAKERS = "speakers"       # members who spoke (the minutes' speakers)


@dataclass(frozen=True, slots=True)
class Criterion:
    code: str
    label: str
    max_points: int
    source: Source = Source.MANUAL
    # (lowest measure, points), highest first: the first band the measure reaches
    bands: tuple[tuple[int, int], ...] = ()
    penalty: int = 0            # attendance: points off per member absent without reason


@dataclass(frozen=True, slots=True)
class Grade:
    code: str
    label: str
    min_points: int
    full: tuple[str, ...] = ()  # criteria that must have full marks for this grade


@dataclass(frozen=True, slots=True)
class Scheme:
    name: str
    criteria: tuple[Criterion, ...]
    grades: tuple[Grade, ...]   # highest first; the last one has min_points 0

    @property
    def max_total(self) -> int:
        return sum(c.max_points for c in self.criteria)


@dataclass(frozen=True, slots=True)
class MeetingFacts:
    """What the records say of one meeting."""

    present: int
    called: int                 # members expected (not exempted, not away)
    unexcused: int
    length_minutes: int | None  # None: the end time is not written
    speakers: int


@dataclass(frozen=True, slots=True)
class ScoredItem:
    code: str
    label: str
    max_points: int
    points: int
    source: Source
    measure: int | None = None  # the percent, minutes or speakers an automatic item used


@dataclass(frozen=True, slots=True)
class ScoreSheet:
    scheme: str
    items: tuple[ScoredItem, ...]
    total: int
    max_total: int
    grade: Grade


DEFAULT_SCHEME = Scheme(
    name="Mặc định (theo HD 12-HD/BTCTW và cách chấm của Phú Thọ) — CHƯA XÁC NHẬN",
    criteria=(
        Criterion("preparation", "Công tác chuẩn bị (chi ủy họp trước, nội dung, dự thảo "
                  "nghị quyết)", 15),
        Criterion("attendance", "Tỷ lệ đảng viên dự sinh hoạt (trên 85%, không ai vắng "
                  "không lý do)", 20, Source.ATTENDANCE,
                  ((85, 20), (70, 15), (50, 10), (0, 5)), penalty=5),
        Criterion("order", "Đúng thời gian, trình tự, đủ nội dung; biểu dương, phê bình", 15),
        Criterion("length", "Thời gian sinh hoạt từ 90 phút trở lên", 10, Source.LENGTH,
                  ((90, 10), (75, 7), (60, 5), (0, 0))),
        Criterion("speakers", "Nhiều đảng viên phát biểu ý kiến", 10, Source.SPEAKERS,
                  ((5, 10), (3, 7), (1, 4), (0, 0))),
        Criterion("minutes", "Biên bản ghi chép đầy đủ", 10),
        Criterion("conclusion", "Kết luận, nghị quyết rõ việc, rõ người; đúng nguyên tắc",
                  20),
    ),
    grades=(
        Grade("good", "Tốt", 90, ("attendance", "length", "speakers", "minutes")),
        Grade("fair", "Khá", 70),
        Grade("average", "Trung bình", 50),
        Grade("weak", "Kém", 0),
    ),
)


def meeting_length(starts_at: str, ends_at: str) -> int | None:
    """Minutes from "19:30" to "21:15" (past midnight too); None when either is missing."""
    try:
        start_h, start_m = (int(p) for p in starts_at.split(":"))
        end_h, end_m = (int(p) for p in ends_at.split(":"))
    except ValueError:
        return None
    minutes = (end_h * 60 + end_m) - (start_h * 60 + start_m)
    return minutes if minutes > 0 else minutes + 24 * 60


def measure(criterion: Criterion, facts: MeetingFacts) -> int | None:
    if criterion.source is Source.ATTENDANCE:
        return round(100 * facts.present / facts.called) if facts.called else None
    if criterion.source is Source.LENGTH:
        return facts.length_minutes
    if criterion.source is Source.SPEAKERS:
        return facts.speakers
    return None


def auto_points(criterion: Criterion, facts: MeetingFacts) -> tuple[int, int | None]:
    """(points, measure) of a criterion that fills itself; 0 when the records lack it."""
    value = measure(criterion, facts)
    if value is None:
        return 0, None
    points = next((p for low, p in criterion.bands if value >= low), 0)
    if criterion.source is Source.ATTENDANCE:
        points -= criterion.penalty * facts.unexcused
    return max(0, min(points, criterion.max_points)), value


def check_points(criterion: Criterion, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not (
            0 <= value <= criterion.max_points):
        raise ValidationError("score_points", label=criterion.label, value=value,
                              max=criterion.max_points)
    return value


def grade_for(scheme: Scheme, items: Sequence[ScoredItem], total: int) -> Grade:
    full = {i.code for i in items if i.points == i.max_points}
    for grade in scheme.grades:
        if total >= grade.min_points and all(code in full for code in grade.full):
            return grade
    return scheme.grades[-1]


def score(scheme: Scheme, facts: MeetingFacts, manual: Mapping[str, int]) -> ScoreSheet:
    """The sheet: filled criteria from ``facts``, the others from ``manual`` (missing: 0)."""
    items = []
    for criterion in scheme.criteria:
        if criterion.source is Source.MANUAL:
            points, value = check_points(criterion, manual.get(criterion.code, 0)), None
        else:
            points, value = auto_points(criterion, facts)
        items.append(ScoredItem(criterion.code, criterion.label, criterion.max_points, points,
                                criterion.source, value))
    total = sum(i.points for i in items)
    return ScoreSheet(scheme.name, tuple(items), total, scheme.max_total,
                      grade_for(scheme, items, total))


# --- the scheme as a setting (JSON) ---------------------------------------------------


def scheme_to_dict(scheme: Scheme) -> dict[str, Any]:
    return {"name": scheme.name,
            "criteria": [{"code": c.code, "label": c.label, "max": c.max_points,
                          "source": c.source.value, "bands": [list(b) for b in c.bands],
                          "penalty": c.penalty} for c in scheme.criteria],
            "grades": [{"code": g.code, "label": g.label, "min": g.min_points,
                        "full": list(g.full)} for g in scheme.grades]}


def scheme_to_json(scheme: Scheme) -> str:
    return json.dumps(scheme_to_dict(scheme), ensure_ascii=False, indent=2)


def _bad(problem: str, **params: Any) -> ValidationError:
    return ValidationError(f"scheme.{problem}", field="scheme", **params)


def _int(value: Any, where: str, low: int = 0, high: int = MAX_TOTAL) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _bad("number", where=where, value=value, low=low, high=high)
    return value


def _text(value: Any, where: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise _bad("text", where=where, limit=limit)
    return value.strip()


def _criterion(raw: Any, index: int) -> Criterion:
    if not isinstance(raw, dict):
        raise _bad("shape", where=f"criteria[{index}]")
    code = _text(raw.get("code"), f"criteria[{index}].code", 40)
    top = _int(raw.get("max"), f"{code}.max", 1)
    try:
        source = Source(raw.get("source", "manual"))
    except ValueError:
        raise _bad("source", where=code, value=raw.get("source"),
                   choices=", ".join(s.value for s in Source)) from None
    bands = []
    for band in raw.get("bands") or []:
        if not (isinstance(band, list | tuple) and len(band) == 2):
            raise _bad("shape", where=f"{code}.bands")
        bands.append((_int(band[0], f"{code}.bands", 0, 100_000),
                      _int(band[1], f"{code}.bands", 0, top)))
    if source is not Source.MANUAL and not bands:
        raise _bad("bands", where=code)
    return Criterion(code, _text(raw.get("label"), f"{code}.label", 300), top, source,
                     tuple(sorted(bands, reverse=True)),
                     _int(raw.get("penalty", 0), f"{code}.penalty", 0, top))


def scheme_from_dict(raw: Any) -> Scheme:
    """A scheme read from its setting; every fault raises ValidationError ("scheme.…")."""
    if not isinstance(raw, dict) or not isinstance(raw.get("criteria"), list) \
            or not isinstance(raw.get("grades"), list):
        raise _bad("shape", where="scheme")
    criteria = tuple(_criterion(c, i) for i, c in enumerate(raw["criteria"]))
    codes = [c.code for c in criteria]
    if not criteria or len(set(codes)) != len(codes):
        raise _bad("codes")
    grades = []
    for index, entry in enumerate(raw["grades"]):
        if not isinstance(entry, dict):
            raise _bad("shape", where=f"grades[{index}]")
        full = tuple(str(code) for code in entry.get("full") or [])
        if any(code not in codes for code in full):
            raise _bad("codes")
        grades.append(Grade(_text(entry.get("code"), f"grades[{index}].code", 40),
                            _text(entry.get("label"), f"grades[{index}].label", 40),
                            _int(entry.get("min"), f"grades[{index}].min"), full))
    grades.sort(key=lambda g: g.min_points, reverse=True)
    scheme = Scheme(_text(raw.get("name", "—"), "name", 120), criteria, tuple(grades))
    if not grades or grades[-1].min_points != 0 or scheme.max_total > MAX_TOTAL:
        raise _bad("grades", max=MAX_TOTAL)
    return scheme


def scheme_from_json(text: str) -> Scheme:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _bad("json", detail=str(exc)) from None
    return scheme_from_dict(raw)
