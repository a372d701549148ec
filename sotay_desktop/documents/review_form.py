"""Each member's self-review form for the annual review (issue 20): "BẢN KIỂM ĐIỂM CÁ NHÂN",
Mẫu 2C-HD KĐ.ĐG of HD 43-HD/BTCTW (31/10/2025), the form of members who do not work in the
political system (most village members), in the HD 36 layout, prefilled from the year's
records, in normal (14 pt) or large type (18–24 pt) for elderly members.

API::

    render_forms(view, fmt, *, info, large=False, size=20, member_id=None) -> bytes
    write_forms(view, path, *, info, large=False, size=20, member_id=None) -> Path
    build_form(view, sheet, *, info, settings=None) -> PartyDocument

``view`` is a ``CampaignView`` (sotay_core/domain/review_sheet.py), ``info`` a
``review_paper_common.PaperInfo`` (place, date, the bí thư who signs the branch's part).
``fmt`` is "pdf" or "docx"; ``write_forms`` takes it from the file's suffix and refuses
any other. All members of the campaign, one form each, each form starting on a new page
and numbering its own pages; or only ``member_id``'s form. Refusals (``DomainError``, a
Vietnamese message naming the rule): a campaign without members, a member not in it, a
large type size outside 18–24 pt, an unknown format.

What the form holds, in order: the Party header (the commune's committee, the branch, place
and date); the title with the period; the member's details (name, birth date, Party role,
branch); I. the year's record prefilled from the books (meetings held and attended, each
miss with its reason, the tasks from resolutions and their outcome, dues months paid of
those due and the paid-up month, the study plans studied of those meant for the member and
the points earned (issue 21), life events, discipline, exemption); II. the self-review
text, or blank ruled lines under the form's prompts when it is empty; III. the points the
member gives per criterion of the scheme (each with its maximum), the total, the scheme's
thresholds and the self-assessed grade (or a blank with the four grades to choose from);
IV. the branch's comments, its points, proposed grade and vote, and the level above's
decision when it came down; the signatures: T/M CHI BỘ / BÍ THƯ (left) and the member,
NGƯỜI TỰ KIỂM ĐIỂM (right).

Research (searched 12/2026): thuviennhadat.vn names "Mẫu 2C-HD KĐ.ĐG 2025" as the
self-review of members not working in the political system, annexed to HD 43, which
replaced HD 25-HD/BTCTW (2023); encovietnam.com: individuals self-review on Mẫu 2A/2B/2C.
UNCONFIRMED (the form's own text was not found; these follow Mẫu 02A of HD 25 and common
practice): the section headings and prompts of part II; a points table on the form itself;
the branch's comments on the same sheet (rather than a separate sheet); the placing of the
two signatures side by side at the end; the prefilled part I is this app's addition, printed
as "chi bộ điền sẵn theo sổ sách".
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sotay_core.domain.entities import TaskStatus
from sotay_core.domain.errors import DomainError
from sotay_core.domain.review import Grade
from sotay_core.domain.review_sheet import CampaignView, ReviewSheet, TaskLine, YearFacts
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
    day_text,
    grade_text,
    percent,
    points_text,
)

__all__ = ["build_form", "render_forms", "write_forms"]

TITLE = "BẢN KIỂM ĐIỂM CÁ NHÂN"
FORM_NOTE = "(Mẫu 2C-HD KĐ.ĐG – dùng cho đảng viên không làm việc trong hệ thống chính trị)"
PROMPTS = (
    ("1. Ưu điểm, kết quả đạt được (về tư tưởng chính trị; phẩm chất đạo đức, lối sống; ý "
     "thức tổ chức kỷ luật; thực hiện nhiệm vụ được giao và nhiệm vụ đảng viên nơi cư trú):",
     6),
    ("2. Hạn chế, khuyết điểm và nguyên nhân:", 4),
    ("3. Kết quả khắc phục hạn chế, khuyết điểm đã được chỉ ra ở các kỳ kiểm điểm trước:", 3),
    ("4. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm:", 3),
)
TASK_WORDS = {TaskStatus.NOT_STARTED: "Chưa thực hiện", TaskStatus.IN_PROGRESS: "Đang thực hiện",
              TaskStatus.CARRIED_OVER: "Chuyển sang tháng sau"}


def _task_outcome(task: TaskLine) -> str:
    status = TaskStatus(task.status)
    if status is TaskStatus.DONE:
        when = f" ngày {day_text(task.done_on)}" if task.done_on else ""
        return f"Hoàn thành{when}, " + ("đúng hạn" if task.on_time else "quá hạn")
    words = TASK_WORDS[status]
    return words + ("" if task.on_time else " (quá hạn)")


def _meetings(facts: YearFacts, span: str) -> list[Block]:
    held, attended = facts.meetings_held, facts.meetings_attended
    excused = sum(1 for miss in facts.misses if miss.excused)
    unexcused = len(facts.misses) - excused
    if not held:
        return [Para(f"1. Sinh hoạt chi bộ: {span} chưa ghi nhận buổi sinh hoạt nào.",
                     indent=False)]
    text = (f"1. Sinh hoạt chi bộ: chi bộ tổ chức {held} buổi; đồng chí dự {attended} buổi "
            f"({percent(attended, held)})")
    if facts.misses:
        text += (f", vắng {len(facts.misses)} buổi (có lý do {excused}, không có lý do "
                 f"{unexcused}), cụ thể:")
    else:
        text += ", không vắng buổi nào."
    blocks: list[Block] = [Para(text, indent=False)]
    if facts.misses:
        rows = []
        for n, miss in enumerate(facts.misses, start=1):
            reason = miss.reason.strip().strip("()").strip()
            kind = "Có lý do" if miss.excused else "Không có lý do"
            rows.append((str(n), day_text(miss.day), miss.title,
                         f"{kind}: {reason}" if reason else kind))
        blocks.append(Table(("STT", "Ngày", "Buổi sinh hoạt", "Lý do vắng"), tuple(rows),
                            widths=(1, 2.6, 6.4, 5), align=("center", "center", "left", "left"),
                            nowrap=(True, True, False, False)))
    return blocks


def _tasks(facts: YearFacts) -> list[Block]:
    tasks = facts.tasks
    if not tasks:
        return [Para("2. Nhiệm vụ được giao trong nghị quyết của chi bộ: không có.",
                     indent=False)]
    done = [t for t in tasks if TaskStatus(t.status) is TaskStatus.DONE]
    on_time = sum(1 for t in done if t.on_time)
    return [
        Para(f"2. Nhiệm vụ được giao trong nghị quyết của chi bộ: {len(tasks)} nhiệm vụ; hoàn "
             f"thành đúng hạn {on_time}, hoàn thành quá hạn {len(done) - on_time}, chưa hoàn "
             f"thành {len(tasks) - len(done)}.", indent=False),
        Table(("STT", "Nhiệm vụ", "Thời hạn", "Kết quả"),
              tuple((str(n), t.description, day_text(t.due_on), _task_outcome(t))
                    for n, t in enumerate(tasks, start=1)),
              widths=(1, 7, 2.6, 4.4), align=("center", "left", "center", "left"),
              nowrap=(True, False, True, False)),
    ]


def _dues(facts: YearFacts, span: str) -> Para:
    if not facts.dues_months_due and not facts.dues_months_paid:
        text = f"3. Đảng phí: {span} không có tháng phải đóng."
    else:
        amount = f"{facts.dues_amount_paid:,}".replace(",", ".")
        text = (f"3. Đảng phí: đã đóng {facts.dues_months_paid}/{facts.dues_months_due} tháng "
                f"phải đóng, tổng số {amount} đồng")
        if facts.dues_paid_to:
            year, _, month = facts.dues_paid_to.partition("-")
            text += f"; đã đóng đến hết tháng {month}/{year}"
        text += "."
    return Para(text, indent=False)


def _study(facts: YearFacts, span: str) -> Para:
    if not facts.study_plans and not facts.study_plans_studied:
        text = f"4. Học tập nghị quyết: {span} không có kế hoạch học tập nào."
    else:
        text = (f"4. Học tập nghị quyết: đã học {facts.study_plans_studied}/"
                f"{facts.study_plans} kế hoạch học tập, {facts.study_points} điểm tích lũy.")
    return Para(text, indent=False)


def _events(facts: YearFacts, span: str) -> Para:
    items = [f"ngày {day_text(e.day)}: {e.text.strip().rstrip('.')}" for e in facts.events]
    if facts.disciplined and not any("kỷ luật" in e.text.lower() for e in facts.events):
        items.append(f"bị kỷ luật {span}")
    if facts.exempted:
        items.append(f"được miễn công tác và sinh hoạt đảng một thời gian {span}")
    return Para(f"5. Những việc khác {span}: {'; '.join(items) if items else 'không có'}.",
                indent=False)


def _self_review(sheet: ReviewSheet, settings: FormatSettings) -> list[Block]:
    paragraphs = [line.strip() for line in sheet.self_text.split("\n") if line.strip()]
    if paragraphs:
        return [Para(line) for line in paragraphs]
    blocks: list[Block] = []
    for prompt, lines in PROMPTS:
        blocks += [Para(prompt, indent=False), *common.ruled_lines(lines, settings)]
    return blocks


def _self_points(view: CampaignView, sheet: ReviewSheet) -> list[Block]:
    scheme = view.scheme
    rows = [(str(n), c.label, points_text(c.max_points), points_text(sheet.scores.get(c.code)))
            for n, c in enumerate(scheme.criteria, start=1)]
    total = sheet.self_points
    if total is None and sheet.scores:
        total = sum(sheet.scores.values(), Decimal(0))
    rows.append(("", "Tổng cộng", points_text(sum((c.max_points for c in scheme.criteria),
                                                  Decimal(0))), points_text(total)))
    grade = grade_text(sheet.self_grade)
    choices = "; ".join(g.label for g in Grade)
    return [
        Table(("STT", "Tiêu chí", "Điểm tối đa", "Tự chấm"), tuple(rows),
              widths=(1, 9, 2.4, 2.4), align=("center", "left", "center", "center"),
              nowrap=(True, False, True, True)),
        Para("Điểm chấm lẻ đến một chữ số thập phân. Mức xếp loại theo số điểm: "
             f"{common.thresholds_text(scheme)}", italic=True, indent=False),
        Para(f"Tự nhận mức xếp loại chất lượng: {grade}." if grade else
             f"Tự nhận mức xếp loại chất lượng: {DOTS * 12} ({choices}).", bold=bool(grade),
             indent=False),
    ]


def _branch_part(view: CampaignView, sheet: ReviewSheet,
                 settings: FormatSettings) -> list[Block]:
    comments = [line.strip() for line in sheet.comments.split("\n") if line.strip()]
    blocks: list[Block] = [Para(line) for line in comments]
    if not comments:
        blocks += common.ruled_lines(4, settings)
    if sheet.points is not None or sheet.grade is not None:
        blocks.append(Para(f"Chi bộ chấm: {points_text(sheet.points) or DOTS} điểm; đề nghị "
                           f"mức xếp loại: {grade_text(sheet.grade) or DOTS * 6}.", bold=True,
                           indent=False))
    else:
        blocks.append(Para(f"Chi bộ chấm: {DOTS * 4} điểm; đề nghị mức xếp loại: {DOTS * 10}",
                           indent=False))
    if sheet.tally is not None:
        blocks.append(Para(f"Kết quả biểu quyết ({common.vote_kind([sheet.tally])}): "
                           f"{common.tally_text(sheet.tally, view.scheme, who=sheet.name)}.",
                           indent=False))
    if sheet.decided_grade is not None:
        decision = f" ({sheet.decision})" if sheet.decision.strip() else ""
        blocks.append(Para(f"Cấp ủy cấp trên quyết định xếp loại: "
                           f"{sheet.decided_grade.label}{decision}.", bold=True, indent=False))
    return blocks


def _person(sheet: ReviewSheet, view: CampaignView) -> list[Block]:
    born = day_text(sheet.born_on) or DOTS * 6
    return [Para(f"Họ và tên: {sheet.name}", bold=True, indent=False),
            Para(f"Ngày sinh: {born}", indent=False),
            Para(f"Chức vụ đảng: {sheet.role.strip() or DOTS * 10}", indent=False),
            Para(f"Chi bộ: {view.unit_name}", indent=False)]


def build_form(view: CampaignView, sheet: ReviewSheet, *, info: PaperInfo,
               settings: FormatSettings | None = None) -> PartyDocument:
    settings = settings or FormatSettings()
    span = common.period_span(view)
    facts = sheet.facts
    blocks: list[Block] = [
        Para(FORM_NOTE, italic=True, align="center", indent=False),
        *_person(sheet, view),
        Heading(f"I. TÓM TẮT KẾT QUẢ {span.upper()} (chi bộ điền sẵn theo sổ sách)"),
        *_meetings(facts, span), *_tasks(facts), _dues(facts, span), _study(facts, span),
        _events(facts, span),
        Heading("II. TỰ KIỂM ĐIỂM"),
        *_self_review(sheet, settings),
        Heading("III. TỰ CHẤM ĐIỂM, TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG"),
        *_self_points(view, sheet),
        Heading("IV. NHẬN XÉT, ĐÁNH GIÁ CỦA CHI BỘ"),
        *_branch_part(view, sheet, settings),
    ]
    return PartyDocument(
        header=common.header(view, info), kind=TITLE,
        summary=common.period_words(view)[0].upper() + common.period_words(view)[1:],
        blocks=tuple(blocks),
        closing=Closing(signatures=(Signature("T/M CHI BỘ", "BÍ THƯ", info.secretary),
                                    Signature("", "NGƯỜI TỰ KIỂM ĐIỂM", sheet.name))),
        settings=settings)


def chosen_sheets(view: CampaignView, member_id: str | None) -> list[ReviewSheet]:
    sheets = [sheet for sheet in view.sheets if sheet.member_id is not None]
    if not sheets:
        raise DomainError("review_papers.no_sheets", period=common.period_label(view))
    if member_id is None:
        return sheets
    chosen = [sheet for sheet in sheets if sheet.member_id == member_id]
    if not chosen:
        raise DomainError("review_papers.no_member", member=member_id,
                          period=common.period_label(view))
    return chosen


def render_forms(view: CampaignView, fmt: str, *, info: PaperInfo, large: bool = False,
                 size: int = LARGE_PT, member_id: str | None = None) -> bytes:
    settings = common.settings_for(large, size)
    documents = [build_form(view, sheet, info=info, settings=settings)
                 for sheet in chosen_sheets(view, member_id)]
    return common.render(documents, fmt)


def write_forms(view: CampaignView, path: Path, *, info: PaperInfo, large: bool = False,
                size: int = LARGE_PT, member_id: str | None = None) -> Path:
    fmt = common.output_format(path)
    return common.write(path, render_forms(view, fmt, info=info, large=large, size=size,
                                           member_id=member_id))
