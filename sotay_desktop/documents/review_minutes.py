"""The minutes of the branch's review meeting (issue 20): "BIÊN BẢN hội nghị kiểm điểm, đánh
giá, xếp loại chất lượng chi bộ và đảng viên năm …", in the HD 36 layout, in normal (14 pt)
or large type (18–24 pt).

API::

    render_minutes(view, fmt, *, info, large=False, size=20) -> bytes
    write_minutes(view, path, *, info, large=False, size=20) -> Path
    build_minutes(view, *, info, settings=None) -> PartyDocument

``view``: a ``CampaignView``; ``info``: a ``review_paper_common.PaperInfo`` (place, the
chair and the recorder who sign, the meeting's place and hours, its attendance). ``fmt``:
"pdf" or "docx"; ``write_minutes`` takes it from the file's suffix and refuses any other.
Refused (``DomainError``, a Vietnamese message naming the rule): a campaign whose meeting
has no date (``held_on``), one without members, minutes without the chair's or the
recorder's name, a tally that breaks the counting rules, a large size outside 18–24 pt.

What the minutes hold: the day (the meeting's), start time and place; I. attendance (the
branch's members, those reviewed, present, absent with reasons, the chair and the
recorder); II. the agenda of a review meeting; III. for each member (a table whose heading
row repeats on each page) the branch's points, the proposed grade and the vote, one count a
line (yes of the voting base with the share, no, abstentions, invalid ballots of a secret
vote, those not voting: the lines add up to the base; a vote without the majority is marked
not passed), then the count and share per grade; the branch's own points, grade and vote;
the closing sentence; THƯ KÝ and CHỦ TRÌ sign.

UNCONFIRMED: no national form of these minutes was found; the layout follows the meeting
minutes of party_docs and common practice (bnc.edu.vn sample minutes of a review meeting:
time, place, attendance, assessment of each member, result).
"""

from __future__ import annotations

from pathlib import Path

from sotay_core.domain.errors import DomainError
from sotay_core.domain.review import Grade, passes
from sotay_core.domain.review_sheet import CampaignView, ReviewSheet
from sotay_desktop.documents import review_paper_common as common
from sotay_desktop.documents.layout import (
    Block,
    Closing,
    FormatSettings,
    Heading,
    Para,
    PartyDocument,
    Signature,
    Table,
)
from sotay_desktop.documents.review_paper_common import (
    DOTS,
    LARGE_PT,
    PaperInfo,
    grade_text,
    percent,
    points_text,
)

__all__ = ["build_minutes", "grade_counts_text", "render_minutes", "write_minutes"]


def _attendance(view: CampaignView, info: PaperInfo) -> list[Block]:
    reviewed = len(view.sheets)
    total = info.members_total if info.members_total is not None else reviewed
    present = str(info.present) if info.present is not None else DOTS
    absent = info.absent
    blocks: list[Block] = [
        Para(f"Tổng số đảng viên của chi bộ: {total} đồng chí; số đảng viên được kiểm điểm, "
             f"đánh giá, xếp loại: {reviewed} đồng chí."),
        Para(f"Có mặt: {present} đồng chí."),
    ]
    if absent:
        names = "; ".join(f"{a.name} – {a.reason.strip()}" if a.reason.strip() else a.name
                          for a in absent)
        blocks.append(Para(f"Vắng mặt: {len(absent)} đồng chí ({names})."))
    elif info.present is not None:
        blocks.append(Para("Vắng mặt: không."))
    blocks.append(Para(f"Chủ trì: đồng chí {info.chair}. Thư ký: đồng chí {info.recorder}."))
    return blocks


def _vote_cell(view: CampaignView, sheet: ReviewSheet) -> str:
    """One line per count (they add up to the voting base), the verdict last if it failed."""
    tally = sheet.tally
    if tally is None:
        return "Chưa biểu quyết"
    passed = passes(tally, view.scheme, who=sheet.name)
    lines = [f"{tally.yes}/{tally.base} tán thành ({percent(tally.yes, tally.base)})",
             f"{tally.no} không tán thành"]
    if tally.abstain:
        lines.append(f"{tally.abstain} không biểu quyết")
    if tally.secret:
        lines.append(f"{tally.invalid} phiếu không hợp lệ")
    missing = tally.base - tally.yes - tally.no - tally.abstain - tally.invalid
    if missing:
        lines.append(f"{missing} không tham gia")
    if not passed:
        lines.append("Không thông qua (chưa quá "
                     f"{common.share_text(view.scheme.conditions.vote_more_than_percent)}%)")
    return "\n".join(lines)


def grade_counts_text(view: CampaignView) -> str:
    """"Hoàn thành xuất sắc nhiệm vụ: 2 đồng chí (16,7%); …": the members per proposed grade
    and their share of the members reviewed; those not yet graded last."""
    counts = view.counts()
    whole = len(view.sheets)
    parts = [f"{grade.label}: {counts[grade]} đồng chí ({percent(counts[grade], whole)})"
             for grade in Grade]
    ungraded = whole - sum(counts.values())
    if ungraded:
        parts.append(f"chưa xếp loại: {ungraded} đồng chí ({percent(ungraded, whole)})")
    return "; ".join(parts)


def _members(view: CampaignView) -> list[Block]:
    tallies = [sheet.tally for sheet in view.sheets if sheet.tally is not None]
    rows = tuple((str(n), sheet.name, points_text(sheet.points),
                  grade_text(sheet.grade) or "Chưa xếp loại", _vote_cell(view, sheet))
                 for n, sheet in enumerate(view.sheets, start=1))
    blocks: list[Block] = [Heading("1. Đề nghị xếp loại chất lượng đảng viên")]
    if tallies:
        blocks.append(Para(f"Hình thức biểu quyết: {common.vote_kind(tallies)}. Kết quả đối "
                           "với từng đồng chí như sau:"))
    blocks += [
        Table(("STT", "Họ và tên", "Chi bộ chấm (điểm)", "Đề nghị xếp loại",
               "Kết quả biểu quyết"), rows,
              widths=(1, 4.4, 1.8, 3.6, 5.2),
              align=("center", "left", "center", "left", "left"),
              nowrap=(True, False, False, False, False)),
        Para(f"Tổng hợp: {grade_counts_text(view)}."),
    ]
    return blocks


def _branch(view: CampaignView) -> list[Block]:
    blocks: list[Block] = [Heading("2. Chi bộ tự đánh giá, xếp loại chất lượng")]
    branch = view.branch
    if branch is None or (branch.points is None and branch.grade is None):
        blocks.append(Para(f"Chi bộ tự chấm {DOTS * 3} điểm, đề nghị mức xếp loại "
                           f"{DOTS * 8}."))
        return blocks
    text = (f"Chi bộ tự chấm {points_text(branch.points) or DOTS} điểm, đề nghị mức xếp loại "
            f"“{grade_text(branch.grade) or DOTS}”.")
    if branch.tally is not None:
        text += (f" Kết quả biểu quyết ({common.vote_kind([branch.tally])}): "
                 f"{common.tally_text(branch.tally, view.scheme, who=branch.name)}.")
    blocks.append(Para(text))
    return blocks


def build_minutes(view: CampaignView, *, info: PaperInfo,
                  settings: FormatSettings | None = None) -> PartyDocument:
    if view.held_on is None:
        raise DomainError("review_papers.not_held", period=common.period_label(view))
    if not view.sheets:
        raise DomainError("review_papers.no_sheets", period=common.period_label(view))
    common.require_names({"chair": info.chair, "recorder": info.recorder})
    period = common.period_words(view)
    blocks: list[Block] = [
        Para(f"Thời gian: bắt đầu lúc {common.clock(info.starts_at)}, "
             f"{common.date_words(view.held_on)}."),
        Para(f"Địa điểm: {info.location.strip() or DOTS * 20}."),
        Heading("I. THÀNH PHẦN"),
        *_attendance(view, info),
        Heading("II. NỘI DUNG"),
        Para(f"1. Chi bộ nghe báo cáo kiểm điểm tập thể chi bộ {period}; các đồng chí đảng "
             "viên thảo luận, góp ý."),
        Para("2. Từng đồng chí đảng viên trình bày bản tự kiểm điểm, tự chấm điểm và tự nhận "
             "mức xếp loại; chi bộ nhận xét, góp ý, chấm điểm."),
        Para("3. Chi bộ biểu quyết đề nghị mức xếp loại chất lượng đối với từng đồng chí "
             "đảng viên và tự đánh giá, xếp loại chất lượng chi bộ."),
        Heading("III. KẾT QUẢ"),
        *_members(view),
        *_branch(view),
        Para(f"Hội nghị kết thúc lúc {common.clock(info.ends_at)} cùng ngày. Biên bản đã được "
             "đọc lại trước hội nghị và được thông qua."),
    ]
    return PartyDocument(
        header=common.header(view, info, day=view.held_on), kind="BIÊN BẢN",
        summary=f"hội nghị kiểm điểm, đánh giá, xếp loại chất lượng chi bộ và đảng viên "
                f"{period}",
        blocks=tuple(blocks),
        closing=Closing(signatures=(Signature("", "THƯ KÝ", info.recorder),
                                    Signature("", "CHỦ TRÌ", info.chair))),
        settings=settings or FormatSettings())


def render_minutes(view: CampaignView, fmt: str, *, info: PaperInfo, large: bool = False,
                   size: int = LARGE_PT) -> bytes:
    settings = common.settings_for(large, size)
    return common.render([build_minutes(view, info=info, settings=settings)], fmt)


def write_minutes(view: CampaignView, path: Path, *, info: PaperInfo, large: bool = False,
                  size: int = LARGE_PT) -> Path:
    fmt = common.output_format(path)
    return common.write(path, render_minutes(view, fmt, info=info, large=large, size=size))
