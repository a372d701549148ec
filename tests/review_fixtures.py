"""Review campaigns built directly as ``CampaignView`` objects (no database, no services), for
the tests of the review's papers and the screenshots in docs/make_document_pages.py.

Also the readers the tests use to read the papers back (pypdf, pypdfium2, python-docx).

Every sheet is consistent with the rules: the branch's points give its proposed grade under
``review.grade_for`` (discipline and late tasks included), each tally passes
``review.check_tally``, points have one decimal place.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from decimal import Decimal
from typing import Any

import docx
import pypdfium2
from pypdf import PdfReader

from sotay_core.domain.entities import TaskStatus
from sotay_core.domain.review import DEFAULT_SCHEME, Grade, Period, Scheme, Tally, grade_for
from sotay_core.domain.review_sheet import (
    CampaignView,
    LifeEvent,
    MeetingMiss,
    ReviewSheet,
    TaskLine,
    YearFacts,
)
from sotay_desktop.documents.review_paper_common import Absence, PaperInfo

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
MIDDLE = ("Văn", "Thị", "Đình", "Ngọc", "Xuân", "Hữu", "Minh", "Thanh")
GIVEN = ("An", "Bích", "Cường", "Dung", "Giang", "Hà", "Hùng", "Lan", "Mạnh", "Nga", "Phúc",
         "Quế", "Sơn", "Tâm", "Uyên", "Vinh", "Xuân", "Yến")
LONG_NAME = "Tôn Nữ Hoàng Thị Phương Thảo Nguyễn Ngọc Bích Trâm"
YEAR = 2026

# the branch meeting's points, cycling: every grade and the boundaries of each
POINTS = ("95.5", "90.0", "89.9", "85.0", "72.5", "70.0", "69.9", "60.0", "50.0", "49.9",
          "78.0", "81.5")
SELF_TEXT = ("Luôn giữ vững lập trường tư tưởng chính trị, chấp hành nghiêm chủ trương của "
             "Đảng, chính sách, pháp luật của Nhà nước.\nTham gia đầy đủ các buổi sinh hoạt "
             "chi bộ, gương mẫu thực hiện các phong trào ở thôn.\nHạn chế: có lúc chưa "
             "mạnh dạn phê bình.")


def name(index: int) -> str:
    return (f"{FAMILY[index % len(FAMILY)]} {MIDDLE[index // len(FAMILY) % len(MIDDLE)]} "
            f"{GIVEN[index % len(GIVEN)]}")


def facts(index: int) -> YearFacts:
    """A year's record; index 1 has many misses, tasks and events, index 2 is disciplined."""
    held = 12
    misses = tuple(
        MeetingMiss(dt.date(YEAR, month, 5), f"Sinh hoạt chi bộ tháng {month}",
                    excused=month % 2 == 1, reason="ốm" if month % 2 == 1 else "")
        for month in range(3, 3 + (index % 3 if index != 1 else 4)))
    tasks: tuple[TaskLine, ...] = ()
    if index % 2 == 1:
        tasks = (
            TaskLine("Vận động các hộ gia đình tham gia làm đường bê tông liên xóm",
                     dt.date(YEAR, 4, 30), TaskStatus.DONE.value, dt.date(YEAR, 4, 20), True),
            TaskLine("Thu quỹ khuyến học của chi hội", dt.date(YEAR, 9, 30),
                     TaskStatus.DONE.value, dt.date(YEAR, 10, 3), index != 1),
        )
        if index == 1:
            tasks += (TaskLine("Hòa giải tranh chấp ranh giới đất giữa hai hộ xóm Đông",
                               dt.date(YEAR, 11, 30), TaskStatus.IN_PROGRESS.value, None,
                               False),)
    events: tuple[LifeEvent, ...] = ()
    if index == 1:
        events = (LifeEvent(dt.date(YEAR, 5, 19), "Được tặng Huy hiệu 40 năm tuổi Đảng"),)
    if index == 2:
        events = (LifeEvent(dt.date(YEAR, 6, 1), "Kỷ luật khiển trách"),)
    paid = 12 - (1 if index % 5 == 4 else 0)
    return YearFacts(meetings_held=held, meetings_attended=held - len(misses), misses=misses,
                     tasks=tasks, dues_months_due=12, dues_months_paid=paid,
                     dues_amount_paid=paid * 10_000, dues_paid_to=f"{YEAR}-{paid:02d}",
                     events=events, disciplined=index == 2, exempted=index == 7)


def scores_for(total: Decimal, scheme: Scheme) -> dict[str, Decimal]:
    """Criterion points adding up to ``total``, each within its maximum."""
    out = {c.code: (c.max_points * total / 100).quantize(Decimal("0.1"))
           for c in scheme.criteria}
    largest = max(scheme.criteria, key=lambda c: c.max_points)
    out[largest.code] += total - sum(out.values())
    return out


def sheet(index: int, *, scheme: Scheme = DEFAULT_SCHEME, voting_base: int = 12,
          secret: bool = True, graded: bool = True, member_name: str | None = None,
          self_text: str | None = None) -> ReviewSheet:
    record = facts(index)
    points = Decimal(POINTS[index % len(POINTS)])
    grade = grade_for(points, scheme, disciplined=record.disciplined,
                      tasks_on_time=record.tasks_on_time)
    self_points = min(Decimal(100), points + Decimal("2.0"))
    invalid = 1 if secret and index % 4 == 0 else 0
    no = index % 3
    tally = Tally(base=voting_base, yes=voting_base - no - invalid - (index % 2), no=no,
                  abstain=0, invalid=invalid, secret=secret)
    return ReviewSheet(
        entry_id=f"e{index}", member_id=f"m{index}",
        name=member_name or name(index), born_on=dt.date(1940 + index % 50, 1 + index % 12,
                                                         1 + index % 28),
        role="Bí thư chi bộ" if index == 0 else "Đảng viên chính thức",
        facts=record,
        self_text=(SELF_TEXT if index % 2 == 0 else "") if self_text is None else self_text,
        self_points=self_points,
        self_grade=grade_for(self_points, scheme),
        scores=scores_for(self_points, scheme),
        points=points if graded else None, grade=grade if graded else None,
        comments="Chi bộ nhất trí với bản tự kiểm điểm của đồng chí." if graded else "",
        tally=tally if graded else None,
        decided_grade=grade if graded and index % 6 == 0 else None,
        decision="Số 45-QĐ/ĐU" if graded and index % 6 == 0 else "")


def branch_sheet(*, secret: bool = True) -> ReviewSheet:
    points = Decimal("86.5")
    return ReviewSheet(
        entry_id="branch", member_id=None, name="Chi bộ thôn Đông Hòa",
        self_text="Chi bộ lãnh đạo hoàn thành các chỉ tiêu của thôn năm 2026.\n"
                  "Hạn chế: sinh hoạt chuyên đề chưa đều.",
        self_points=points, self_grade=Grade.GOOD,
        scores=scores_for(points, DEFAULT_SCHEME), points=points, grade=Grade.GOOD,
        tally=Tally(base=12, yes=11, no=0, invalid=1 if secret else 0, secret=secret))


def campaign(members: int = 12, *, period: Period = Period.YEAR, secret: bool = True,
             graded: int | None = None, long_name_at: int | None = 5,
             scheme: Scheme = DEFAULT_SCHEME, held: bool = True,
             with_branch: bool = True) -> CampaignView:
    """``members`` sheets; the first ``graded`` (all by default) carry the branch's vote."""
    graded = members if graded is None else graded
    sheets = tuple(
        sheet(i, scheme=scheme, voting_base=max(members, 3), secret=secret, graded=i < graded,
              member_name=LONG_NAME if i == long_name_at else None)
        for i in range(members))
    return CampaignView(
        campaign_id="c2026", unit_name="Chi bộ thôn Đông Hòa",
        parent_name="Đảng bộ xã Tân Lập", year=YEAR, period=period, status="held",
        scheme=scheme, held_on=dt.date(YEAR, 12, 18) if held else None, sheets=sheets,
        branch=branch_sheet(secret=secret) if with_branch else None)


def info(**overrides: object) -> PaperInfo:
    base: dict[str, object] = dict(
        place="Tân Lập", made_on=dt.date(YEAR, 12, 20), secretary="Nguyễn Văn An",
        chair="Nguyễn Văn An", recorder="Trần Thị Bích", location="Nhà văn hoá thôn Đông Hòa",
        starts_at="08:00", ends_at="11:15", members_total=14, present=12,
        absent=(Absence("Lê Văn Cường", "ốm"), Absence("Phạm Thị Dung")), number="12-BC/CB")
    base.update(overrides)
    return PaperInfo(**base)  # type: ignore[arg-type]


# --- reading the papers back ----------------------------------------------------------


def pages(pdf: bytes) -> list[str]:
    return [" ".join(unicodedata.normalize("NFC", page.extract_text()).split())
            for page in PdfReader(io.BytesIO(pdf)).pages]


def text(pdf: bytes) -> str:
    return " ".join(pages(pdf))


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return unicodedata.normalize("NFC", " ".join(" ".join(parts).split()))


def sizes(pdf: bytes) -> list[float]:
    found: list[float] = []

    def visit(operator: bytes, args: list[Any], _cm: Any, _tm: Any) -> None:
        if operator == b"Tf":
            found.append(float(args[1]))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_operand_before=visit)
    return found


def texts_by_size(pdf: bytes) -> list[tuple[str, float]]:
    found: list[tuple[str, float]] = []

    def visit(text: str, _cm: Any, _tm: Any, _font: Any, size: float) -> None:
        if text.strip():
            found.append((unicodedata.normalize("NFC", text.strip()), float(size)))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return found


def overflow(pdf: bytes, *, left_mm: float, right_mm: float) -> list[str]:
    """Characters drawn outside the text column (the margins, less a point of slack)."""
    points = 72 / 25.4
    document = pypdfium2.PdfDocument(pdf)
    out = []
    try:
        for number, page in enumerate(document, start=1):
            width, _ = page.get_size()
            text = page.get_textpage()
            for index in range(text.count_chars()):
                x0, _, x1, _ = text.get_charbox(index)
                if x1 > x0 and (x0 < left_mm * points - 1 or x1 > width - right_mm * points + 1):
                    out.append(f"page {number}: {text.get_text_range(index, 1)!r} at {x0:.0f}")
    finally:
        document.close()
    return out
