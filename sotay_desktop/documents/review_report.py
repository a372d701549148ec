"""The branch's collective review report (issue 20): "BÁO CÁO kiểm điểm, đánh giá, xếp loại
chất lượng chi bộ và đảng viên năm …" after Mẫu 01-HD KĐ.ĐG of HD 43-HD/BTCTW, numbered
"Số …-BC/CB", in the HD 36 layout, in normal (14 pt) or large type (18–24 pt).

API::

    render_report(view, fmt, *, info, large=False, size=20) -> bytes
    write_report(view, path, *, info, large=False, size=20) -> Path
    build_report(view, *, info, settings=None) -> PartyDocument

``view``: a ``CampaignView``; ``info``: a ``review_paper_common.PaperInfo`` (place, date,
number, the bí thư who signs T/M CHI BỘ). ``fmt``: "pdf" or "docx"; ``write_report`` takes
it from the file's suffix and refuses any other. Refused (``DomainError``, a Vietnamese
message naming the rule): a campaign without members, a report without the signer's name,
a tally that breaks the counting rules, a large size outside 18–24 pt.

What the report holds: I. the branch's own review (its text, or blank lines under Mẫu 01's
prompts), its points per criterion, total, self-assessed grade and vote; II. the members: a
table of the count and share per proposed grade (adding up to the members reviewed), the
note on the cap of "excellent" when the scheme sets one, with the number allowed and the
proposals over it, and the list of members with the branch's points, the proposed grade
and (a column only once some came down) the level above's decision; III. the proposal to the
commune's committee; "Nơi nhận" and T/M CHI BỘ / BÍ THƯ.

Sources: tintuc.thuvienphapluat.com (9/11/2025): the collective report is Mẫu 01-HD KĐ.ĐG,
annexed to HD 43. UNCONFIRMED: the form's own headings (these follow Mẫu 01 of HD 25:
strengths and results, limits and causes, remedies, self-assessed grade); the cap on
"excellent" (a setting of the scheme, see sotay_core/domain/review.py), which the paper
says is the branch's setting.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sotay_core.domain.errors import DomainError
from sotay_core.domain.review import CapBase, Grade, Proposal, Scheme, excellent_cap
from sotay_core.domain.review_sheet import CampaignView, ReviewSheet
from sotay_desktop.documents import review_paper_common as common
from sotay_desktop.documents.layout import (
    Align,
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

__all__ = ["build_report", "render_report", "write_report"]

RECIPIENTS = ("Đảng ủy xã (b/c)", "Lưu chi bộ")
BLANK_NUMBER = "Số" + "\u00a0" * 8 + "-BC/CB"     # for the hand; non-breaking, kept by the PDF
PROMPTS = (("1. Ưu điểm, kết quả đạt được:", 5), ("2. Hạn chế, khuyết điểm và nguyên nhân:", 4),
           ("3. Phương hướng, biện pháp khắc phục:", 3))
CAP_BASE_WORDS = {CapBase.GOOD_OR_BETTER: "số đảng viên được đề nghị xếp loại từ "
                                          "“Hoàn thành tốt nhiệm vụ” trở lên",
                  CapBase.GOOD_ONLY: "số đảng viên được đề nghị xếp loại "
                                     "“Hoàn thành tốt nhiệm vụ”",
                  CapBase.ALL: "số đảng viên được xếp loại"}


def _criteria_table(scheme: Scheme, sheet: ReviewSheet) -> Table:
    rows = [(str(n), c.label, points_text(c.max_points), points_text(sheet.scores.get(c.code)))
            for n, c in enumerate(scheme.criteria, start=1)]
    rows.append(("", "Tổng cộng", points_text(sum((c.max_points for c in scheme.criteria),
                                                  Decimal(0))),
                 points_text(sheet.self_points if sheet.self_points is not None
                             else sheet.points)))
    return Table(("STT", "Tiêu chí", "Điểm tối đa", "Chi bộ tự chấm"), tuple(rows),
                 widths=(1, 9, 2.4, 2.6), align=("center", "left", "center", "center"),
                 nowrap=(True, False, True, False))


def _branch(view: CampaignView, settings: FormatSettings) -> list[Block]:
    period = common.period_words(view)
    blocks: list[Block] = [
        Heading(f"I. KIỂM ĐIỂM, TỰ ĐÁNH GIÁ CỦA TẬP THỂ CHI BỘ {period.upper()}")]
    branch = view.branch
    paragraphs = ([line.strip() for line in branch.self_text.split("\n") if line.strip()]
                  if branch is not None else [])
    if paragraphs:
        blocks += [Para(line) for line in paragraphs]
    else:
        for prompt, lines in PROMPTS:
            blocks += [Para(prompt, indent=False), *common.ruled_lines(lines, settings)]
    if branch is None:
        blocks.append(Para(f"Chi bộ tự chấm: {DOTS * 3} điểm; tự nhận mức xếp loại: "
                           f"{DOTS * 8}.", indent=False))
        return blocks
    if branch.scores:
        blocks.append(_criteria_table(view.scheme, branch))
    points = branch.points if branch.points is not None else branch.self_points
    grade = branch.grade or branch.self_grade
    text = (f"Chi bộ tự chấm: {points_text(points) or DOTS * 3} điểm; tự nhận mức xếp loại: "
            f"{grade_text(grade) or DOTS * 8}.")
    if branch.tally is not None:
        text += (f" Kết quả biểu quyết ({common.vote_kind([branch.tally])}): "
                 f"{common.tally_text(branch.tally, view.scheme, who=branch.name)}.")
    blocks.append(Para(text, bold=grade is not None, indent=False))
    return blocks


def _counts_table(view: CampaignView) -> Table:
    counts = view.counts()
    whole = len(view.sheets)
    rows = [(str(n), grade.label, str(counts[grade]), percent(counts[grade], whole))
            for n, grade in enumerate(Grade, start=1)]
    ungraded = whole - sum(counts.values())
    if ungraded:
        rows.append((str(len(rows) + 1), "Chưa xếp loại", str(ungraded),
                     percent(ungraded, whole)))
    rows.append(("", "Cộng", str(whole), percent(whole, whole)))
    return Table(("STT", "Mức xếp loại (chi bộ đề nghị)", "Số đảng viên", "Tỷ lệ"),
                 tuple(rows), widths=(1, 8, 2.6, 2.4),
                 align=("center", "left", "center", "center"), nowrap=(True, False, True, True))


def _cap_note(view: CampaignView) -> list[Block]:
    c = view.scheme.conditions
    if c.excellent_cap_percent is None:
        return []
    proposals = [Proposal(sheet.name, sheet.points, sheet.grade) for sheet in view.sheets
                 if sheet.grade is not None and sheet.points is not None]
    check = excellent_cap(proposals, view.scheme)
    rounding = "làm tròn lên" if c.excellent_cap_round_up else "làm tròn xuống"
    # The cap is a setting marked UNCONFIRMED (review.py); an official paper states it as
    # the rule applied, never as a doubt.
    text = (f"Tỷ lệ “{Grade.EXCELLENT.label}”: không quá "
            f"{common.share_text(c.excellent_cap_percent)}% {CAP_BASE_WORDS[c.excellent_cap_base]} "
            f"({check.base} đồng chí), {rounding}: tối đa {check.allowed} đồng chí; chi bộ đề "
            f"nghị {check.proposed} đồng chí.")
    blocks: list[Block] = [Para(text, italic=True)]
    if check.over:
        names = ", ".join(p.who for p in check.over)
        blocks.append(Para(f"Vượt mức trần {len(check.over)} đồng chí (điểm thấp nhất trong số "
                           f"được đề nghị): {names}. Đề nghị cấp ủy cấp trên xem xét.",
                           bold=True))
    return blocks


def _decided(sheet: ReviewSheet) -> str:
    if sheet.decided_grade is None:
        return ""
    decision = f" ({sheet.decision.strip()})" if sheet.decision.strip() else ""
    return f"{sheet.decided_grade.label}{decision}"


def _members(view: CampaignView) -> list[Block]:
    graded = sum(view.counts().values())
    decided = any(sheet.decided_grade is not None for sheet in view.sheets)
    header: tuple[str, ...] = ("STT", "Họ và tên", "Chi bộ chấm (điểm)", "Đề nghị xếp loại")
    rows: list[tuple[str, ...]] = [
        (str(n), sheet.name, points_text(sheet.points), grade_text(sheet.grade) or "Chưa xếp loại")
        for n, sheet in enumerate(view.sheets, start=1)]
    widths: tuple[float, ...] = (1, 5, 1.8, 4)
    align: tuple[Align, ...] = ("center", "left", "center", "left", "left")
    if decided:       # the level above's decisions came down: a column for them
        header += ("Cấp trên quyết định",)
        rows = [(*row, _decided(sheet)) for row, sheet in zip(rows, view.sheets, strict=True)]
        widths += (4,)
    return [
        Heading("II. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN"),
        Para(f"Tổng số đảng viên được kiểm điểm, đánh giá, xếp loại: {len(view.sheets)} đồng "
             f"chí; chi bộ đã đề nghị mức xếp loại: {graded} đồng chí. Cụ thể:"),
        _counts_table(view),
        *_cap_note(view),
        Para("Danh sách đảng viên và mức xếp loại chi bộ đề nghị:", indent=False),
        Table(header, tuple(rows), widths=widths,
              align=align[:len(header)],
              nowrap=(True, False, False, False, False)[:len(header)]),
    ]


def build_report(view: CampaignView, *, info: PaperInfo,
                 settings: FormatSettings | None = None) -> PartyDocument:
    if not view.sheets:
        raise DomainError("review_papers.no_sheets", period=common.period_label(view))
    common.require_names({"signer": info.secretary})
    settings = settings or FormatSettings()
    period = common.period_words(view)
    blocks: list[Block] = [
        *_branch(view, settings),
        *_members(view),
        Heading("III. ĐỀ NGHỊ"),
        Para(f"{view.unit_name} đề nghị {view.parent_name} xem xét, quyết định xếp loại chất "
             f"lượng {period} đối với chi bộ và các đồng chí đảng viên nêu trên."),
    ]
    number = f"Số {info.number.strip()}" if info.number.strip() else BLANK_NUMBER
    return PartyDocument(
        header=common.header(view, info, number=number), kind="BÁO CÁO",
        summary=f"kiểm điểm, đánh giá, xếp loại chất lượng chi bộ và đảng viên {period}",
        blocks=tuple(blocks),
        closing=Closing(recipients=RECIPIENTS,
                        signatures=(Signature("T/M CHI BỘ", "BÍ THƯ", info.secretary),)),
        settings=settings)


def render_report(view: CampaignView, fmt: str, *, info: PaperInfo, large: bool = False,
                  size: int = LARGE_PT) -> bytes:
    settings = common.settings_for(large, size)
    return common.render([build_report(view, info=info, settings=settings)], fmt)


def write_report(view: CampaignView, path: Path, *, info: PaperInfo, large: bool = False,
                 size: int = LARGE_PT) -> Path:
    fmt = common.output_format(path)
    return common.write(path, render_report(view, fmt, info=info, large=large, size=size))
