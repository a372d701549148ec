"""A paper form to tick, in large type (issue 21): the quiz sheet and the survey form are
both one of these. The model (``Form``: a heading, who fills it in with the member code and
its QR, questions each with big boxes A–F or lines to write on); the PDF is drawn by
``study_form_pdf``, the DOCX by ``study_form_docx``.

Every piece of text is at least 18 pt: the body at the chosen size (18–24 pt), the heading
block and the running foot at 18 pt. Several forms go into one file, each starting on a new
page; each page's foot names whose form it is and "Trang 2/3" counted within that form, so
a loose page finds its owner. A question stays on one page with its choices unless it is
longer than a page.
"""

from __future__ import annotations

from dataclasses import dataclass

from sotay_core.domain.study import LETTERS
from sotay_desktop.documents.study_paper_common import clean, grouped_code

MIN_PT = 18                    # the heading block and the foot: the smallest large size
MARGINS_MM = (15, 22, 18, 14)  # top, bottom (room for the foot), left, right
QR_MM = 26


@dataclass(frozen=True, slots=True)
class Who:
    """Who fills the form in: ``name`` "" prints a line to write the name on; ``code`` ""
    prints neither code nor QR."""

    name: str = ""
    code: str = ""
    born: str = ""


@dataclass(frozen=True, slots=True)
class Item:
    number: int
    text: str
    choices: tuple[str, ...] = ()     # none: a question answered in writing
    multiple: bool = False            # several boxes may be ticked
    lines: int = 3                    # lines to write on, for a written answer


@dataclass(frozen=True, slots=True)
class Form:
    branch: str
    superior: str
    title: str                        # PHIẾU TRẢ LỜI CÂU HỎI
    subtitle: str                     # the plan's title
    items: tuple[Item, ...]
    who: Who | None = None            # None: no name line (an anonymous survey)
    plan_line: str = ""               # "Theo Kế hoạch số 12-KH/ĐU"
    number: str = ""                  # "Phiếu số 3/25"
    instructions: str = ""
    tail: tuple[str, ...] = ()        # lines after the questions (the branch's marking)
    foot: str = ""                    # the running foot's left part


def foot_label(form: Form) -> str:
    """Whose form a page is: the name and code, or what the form is."""
    if form.foot:
        return form.foot
    if form.who is not None and form.who.name:
        parts = [clean(form.who.name)]
        if form.who.code:
            parts.append(grouped_code(form.who.code))
        return " · ".join(parts)
    return clean(form.title.capitalize())


def choice_text(index: int, text: str) -> str:
    return f"{LETTERS[index]}. {clean(text)}"


def hint(item: Item) -> str:
    if not item.choices:
        return ""
    return "(có thể chọn nhiều ý)" if item.multiple else ""
