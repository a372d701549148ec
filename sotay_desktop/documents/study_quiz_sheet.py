"""The quiz on paper (issue 21): each member's answer sheet in large type and the answer key
for the secretary.

API::

    quiz_forms(view, info, *, member_ids=None, blank=0) -> list[Form]
    render_sheets(view, fmt, *, info, size=20, member_ids=None, blank=0) -> bytes
    key_document(view, info, *, large=False, size=20) -> PartyDocument
    render_key(view, fmt, *, info, large=False, size=20) -> bytes

A sheet (``study_form.Form``) carries the branch, the plan's title and number, the
sheet's number ("Phiếu số 3/25"), the member's name, birth year, code and the QR of the
code (what the scanner reads when the answers are typed in), then every question with its
choices as big boxes A–F, and a line for the branch's marking. ``member_ids`` None prints
a sheet for each member the plan is for, in roster order; ``blank`` adds sheets with no
name (for a member who came without one, or a guest). The body is 18–24 pt (``size``).

The answer key is an HD 36 paper (``PartyDocument``: the Party header, "ĐÁP ÁN", a table of
question, letter, the correct choice's words and the explanation), 14 pt or large type.

Refusals (``DomainError``, words in catalogues/study_papers.toml): a plan without a quiz,
a member asked for who is not in the plan, no sheet at all, a size outside 18–24 pt.
The marking instructions are this app's own (UNCONFIRMED: no national form of a quiz sheet
was found).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sotay_core.domain.errors import DomainError
from sotay_core.domain.study import Quiz
from sotay_core.domain.study_view import MemberLine, PlanInfo, PlanView
from sotay_desktop.documents import review_paper_common as party
from sotay_desktop.documents.layout import Header, Para, PartyDocument, Table
from sotay_desktop.documents.study_form import Form, Item, Who
from sotay_desktop.documents.study_paper_common import (
    LARGE_PT,
    StudyPaperInfo,
    born_year,
    check_format,
    check_size,
    clean,
)

SHEET_TITLE = "PHIẾU TRẢ LỜI CÂU HỎI"
KEY_TITLE = "ĐÁP ÁN"
INSTRUCTIONS = ("Đánh dấu X vào một ô trước câu trả lời đúng nhất của mỗi câu. "
                "Muốn sửa: tô kín ô đã đánh dấu rồi đánh dấu X vào ô khác.")
MAX_BLANK = 500


def quiz_of(view: PlanView) -> Quiz:
    if view.plan.quiz is None or not view.plan.quiz.questions:
        raise DomainError("study_papers.no_quiz", plan=clean(view.plan.title))
    return view.plan.quiz


def plan_line(plan: PlanInfo) -> str:
    """"Theo Kế hoạch số 12-KH/ĐU của Đảng ủy xã Tân Lập" (the parts known), or ""."""
    number = clean(plan.number)
    if number[:3].lower() == "số ":          # typed as "Số 15-KH/ĐU"
        number = number[3:].strip()
    if not number:
        return ""
    text = f"Theo Kế hoạch số {number}"
    return f"{text} của {clean(plan.issuer)}" if plan.issuer else text


def chosen_members(view: PlanView, member_ids: Sequence[str] | None) -> list[MemberLine]:
    """The members asked for, in the order asked; None: the plan's targeted members in
    roster order. A member not in the plan is refused by id (the caller knows the name)."""
    if member_ids is None:
        return [m for m in view.members if m.targeted]
    chosen = []
    for member_id in dict.fromkeys(member_ids):
        line = view.member(member_id)
        if line is None:
            raise DomainError("study_papers.member_not_in_plan", member=member_id,
                              plan=clean(view.plan.title))
        chosen.append(line)
    return chosen


def pass_mark(quiz: Quiz) -> int:
    """The fewest right answers that pass (``Score.passed``: correct·100 ≥ percent·total)."""
    total = len(quiz.questions)
    return -(-quiz.pass_percent * total // 100)


def quiz_forms(view: PlanView, info: StudyPaperInfo, *,
               member_ids: Sequence[str] | None = None, blank: int = 0) -> list[Form]:
    quiz = quiz_of(view)
    if isinstance(blank, bool) or not isinstance(blank, int) or not 0 <= blank <= MAX_BLANK:
        raise DomainError("study_papers.bad_blank", value=blank, most=MAX_BLANK)
    members = chosen_members(view, member_ids)
    if not members and not blank:
        raise DomainError("study_papers.no_sheets", plan=clean(view.plan.title))
    items = tuple(Item(n, q.text, q.choices) for n, q in enumerate(quiz.questions, 1))
    total = len(quiz.questions)
    tail = (f"Phần chi bộ ghi: trả lời đúng ........ / {total} câu "
            f"(đạt khi đúng từ {pass_mark(quiz)} câu).",)
    base = Form(branch=info.branch, superior=info.superior, title=SHEET_TITLE,
                subtitle=clean(view.plan.title), items=items, plan_line=plan_line(view.plan),
                instructions=INSTRUCTIONS, tail=tail)
    forms = [replace(base, who=Who(m.name, m.code, born_year(m.born_on)),
                     number=f"Phiếu số {n}/{len(members)}")
             for n, m in enumerate(members, 1)]
    forms += [replace(base, who=Who(), number="Phiếu số ......",
                      foot="Phiếu trả lời (chưa ghi tên)") for _ in range(blank)]
    return forms


def render_sheets(view: PlanView, fmt: str, *, info: StudyPaperInfo, size: int = LARGE_PT,
                  member_ids: Sequence[str] | None = None, blank: int = 0) -> bytes:
    """The members' sheets (and ``blank`` unnamed ones) in one file, each on a new page."""
    check_format(fmt)
    check_size(size)
    forms = quiz_forms(view, info, member_ids=member_ids, blank=blank)
    if fmt == "docx":
        from sotay_desktop.documents.study_form_docx import render_forms_docx

        return render_forms_docx(forms, size=size)
    from sotay_desktop.documents.study_form_pdf import render_forms_pdf

    return render_forms_pdf(forms, size=size, title=f"{SHEET_TITLE} – {view.plan.title}",
                            author=info.branch)


def header(info: StudyPaperInfo) -> Header:
    return Header(superior=info.superior, issuer=info.branch, number="", place=info.place,
                  date=info.made_on)


def key_document(view: PlanView, info: StudyPaperInfo, *, large: bool = False,
                 size: int = LARGE_PT) -> PartyDocument:
    quiz = quiz_of(view)
    total = len(quiz.questions)
    explained = any(q.explanation.strip() for q in quiz.questions)
    rows = tuple((str(n), q.correct_letter, clean(q.choices[q.correct]))
                 + ((clean(q.explanation),) if explained else ())
                 for n, q in enumerate(quiz.questions, 1))
    lead = (f"Bộ câu hỏi gồm {total} câu; mỗi câu có một đáp án đúng. Đảng viên đạt khi trả "
            f"lời đúng từ {pass_mark(quiz)}/{total} câu ({quiz.pass_percent}%) trở lên.")
    letters = " ".join(f"{n}{q.correct_letter}" for n, q in enumerate(quiz.questions, 1))
    table = (Table(header=("Câu", "Đáp án", "Nội dung đáp án đúng", "Giải thích"), rows=rows,
                   widths=(0.9, 1.1, 3, 4), align=("center", "center", "left", "left"),
                   nowrap=(True, True, False, False)) if explained else
             Table(header=("Câu", "Đáp án", "Nội dung đáp án đúng"), rows=rows,
                   widths=(0.9, 1.1, 7), align=("center", "center", "left"),
                   nowrap=(True, True, False)))
    blocks = (Para(lead),
              Para(f"Đáp án nhanh: {letters}.", bold=True, indent=False, align="left"),
              table,
              Para("Phiếu này dành cho bí thư chi bộ chấm bài; không phát cho đảng viên.",
                   italic=True, indent=False))
    return PartyDocument(header=header(info), kind=KEY_TITLE,
                         summary=f"câu hỏi tìm hiểu {clean(view.plan.title)}",
                         blocks=blocks, settings=party.settings_for(large, size))


def render_key(view: PlanView, fmt: str, *, info: StudyPaperInfo, large: bool = False,
               size: int = LARGE_PT) -> bytes:
    check_format(fmt)
    if large:
        check_size(size)
    return party.render([key_document(view, info, large=large, size=size)], fmt)
