"""The study plan's papers from the branch's records (issue 21): members' study cards, the
quiz sheets and their answer key, a session's sign-in sheet, the make-up list, the results
and the survey form (``documents.study_card``, ``study_quiz_sheet``, ``study_lists``).
Saved, printed and audited as the other papers are (``usecases.review_papers``): a file is
audited once it is on disk, a print once the printer took it.

API::

    KINDS = ("cards", "sheets", "key", "attendance", "makeup", "results", "survey")
    Options(size=20, large=False, member_ids=None, blank=0, per_page=8, session_id=None,
            held_on=None, place="", makeup=False, named=True, copies=1)
    paper_info(ws) -> StudyPaperInfo              # the branch, the commune, place, today, bí thư
    roster_members(ws) -> list[MemberSummary]     # who gets a card: the roster, its order
    cards_bytes(ws, fmt="pdf", *, member_ids=None, per_page=8) -> bytes   # the roster's cards
    paper_bytes(ws, plan_id, kind, fmt="pdf", options=Options(), *, info=None) -> bytes
    save_paper(ws, plan_id, kind, target, options=Options(), *, info=None) -> Path
    paper_printed(ws, plan_id, kind) -> Changes   # the printer took it: its audit row

``plan_id`` None with "cards": every member on the roster (a card serves every plan: the
code depends on the branch and the member only). ``options``: ``size`` the large type
(18–24) of the cards' companions (sheets, sign-in sheet, survey form, and the 14 pt papers
when ``large``); ``member_ids`` whose cards or sheets (None: the plan's members);
``blank`` unnamed quiz sheets added; ``session_id`` the session whose sign-in sheet (its
day, place and, for a make-up session, only the make-up list), else ``held_on``/``place``
as typed and ``makeup``; ``named`` the results with each member's score (the branch's copy;
False: counts only, the copy for the level above); ``copies`` of the survey form.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sotay_desktop.usecases.trace import leave_trace, write_trace

if TYPE_CHECKING:
    from sotay_core.domain.study_view import PlanView
    from sotay_desktop.documents.study_paper_common import StudyPaperInfo
    from sotay_desktop.services.changes import Changes
    from sotay_desktop.services.read_models import MemberSummary
    from sotay_desktop.usecases.workspace import Workspace

KINDS = ("cards", "sheets", "key", "attendance", "makeup", "results", "survey")


@dataclasses.dataclass(frozen=True, slots=True)
class Options:
    size: int = 20
    large: bool = False
    member_ids: tuple[str, ...] | None = None
    blank: int = 0
    per_page: int = 8
    session_id: str | None = None
    held_on: dt.date | None = None
    place: str = ""
    makeup: bool = False
    named: bool = True
    copies: int = 1


def paper_info(ws: Workspace) -> StudyPaperInfo:
    """The branch, the commune above it, its place name, today and the bí thư in office."""
    from sotay_core.domain.errors import DomainError
    from sotay_desktop.documents.study_paper_common import StudyPaperInfo
    from sotay_desktop.services.branch import branch_info
    from sotay_desktop.services.meetings import committee_secretary, place_name

    today = ws.today()
    with ws.db.reads() as session:
        info = branch_info(session)
        if info is None:
            raise DomainError("no_branch", path="")
        secretary = committee_secretary(session, info.branch.id, today)
    superior = info.superior.name if info.superior else ""
    return StudyPaperInfo(branch=info.branch.name, superior=superior,
                          place=place_name(superior or info.branch.name), made_on=today,
                          secretary=secretary[1] if secretary else "")


def roster_members(ws: Workspace) -> list[MemberSummary]:
    """The members on the roster, roster order: who gets a study card."""
    from sotay_desktop.usecases.members import roster

    return [m for m in roster(ws) if m.status.on_roster]


def cards_bytes(ws: Workspace, fmt: str = "pdf", *, member_ids: Sequence[str] | None = None,
                per_page: int = 8, info: StudyPaperInfo | None = None) -> bytes:
    """The study cards of the members on the roster (roster order), or of those asked."""
    from sotay_core.domain.errors import NotFoundError
    from sotay_core.domain.study_plan import member_code
    from sotay_core.i18n import t
    from sotay_desktop.documents.study_card import Card, render_cards
    from sotay_desktop.usecases.members import roster

    unit_id = ws.branch_id()
    if member_ids is None:
        chosen = roster_members(ws)
    else:
        everyone = roster(ws)
        by_id = {m.id: m for m in everyone}
        for member_id in dict.fromkeys(member_ids):
            if member_id not in by_id:
                raise NotFoundError("not_found", what=t("member"), id=member_id)
        chosen = [by_id[member_id] for member_id in dict.fromkeys(member_ids)]
    cards = [Card(m.full_name, member_code(unit_id, m.id),
                  str(m.date_of_birth.year) if m.date_of_birth else "") for m in chosen]
    branch = (info or paper_info(ws)).branch
    return render_cards(cards, fmt, branch=branch, per_page=per_page)


def _in_plan(ws: Workspace, view: PlanView, member_ids: Sequence[str] | None
             ) -> tuple[str, ...] | None:
    """The members asked for; one not in the plan is refused by name, not by id."""
    from sotay_core.domain.errors import DomainError
    from sotay_desktop.usecases.members import roster

    if member_ids is None:
        return None
    for member_id in member_ids:
        if view.member(member_id) is None:
            names = {m.id: m.full_name for m in roster(ws)}
            raise DomainError("study_papers.member_not_in_plan",
                              member=names.get(member_id, member_id), plan=view.plan.title)
    return tuple(member_ids)


def paper_bytes(ws: Workspace, plan_id: str | None, kind: str, fmt: str = "pdf",
                options: Options | None = None, *,
                info: StudyPaperInfo | None = None) -> bytes:
    """The paper's bytes; a read, not audited as an export (nothing left the PC yet)."""
    from sotay_core.domain.errors import DomainError
    from sotay_desktop.documents import study_lists, study_quiz_sheet
    from sotay_desktop.documents.study_card import cards_from, render_cards
    from sotay_desktop.usecases import study

    o = options or Options()
    if kind not in KINDS:
        raise DomainError("bad_choice", value=kind, choices=", ".join(KINDS))
    info = info or paper_info(ws)
    if plan_id is None:
        if kind != "cards":
            raise DomainError("study_papers.plan_needed", kind=kind)
        return cards_bytes(ws, fmt, member_ids=o.member_ids, per_page=o.per_page, info=info)
    view = study.view(ws, plan_id)
    member_ids = _in_plan(ws, view, o.member_ids)
    if kind == "cards":
        return render_cards(cards_from(view, member_ids), fmt, branch=info.branch,
                            per_page=o.per_page)
    if kind == "sheets":
        return study_quiz_sheet.render_sheets(view, fmt, info=info, size=o.size,
                                              member_ids=member_ids, blank=o.blank)
    if kind == "key":
        return study_quiz_sheet.render_key(view, fmt, info=info, large=o.large, size=o.size)
    if kind == "survey":
        return study_lists.render_survey_form(view, fmt, info=info, size=o.size,
                                              copies=o.copies)
    if kind == "attendance":
        held_on, place, makeup = o.held_on, o.place, o.makeup
        listed: list[str] | None = None
        if o.session_id is not None:
            found = next((s for s in view.sessions if s.id == o.session_id), None)
            if found is None:
                raise DomainError("study_papers.no_session", plan=view.plan.title)
            held_on, place = found.held_on, place or found.place
            makeup = makeup or found.kind in ("makeup", "home")
            if makeup:
                # who had to make up on that day: at no session before it, or present at it
                before = {m for s in view.sessions if s.held_on < found.held_on
                          for m in s.present}
                listed = [m.member_id for m in view.members
                          if (m.targeted and m.member_id not in before)
                          or m.member_id in found.present]
        document = study_lists.attendance_document(view, info, held_on=held_on, place=place,
                                                   makeup=makeup, size=o.size,
                                                   member_ids=listed)
    elif kind == "makeup":
        document = study_lists.makeup_document(view, info, large=o.large, size=o.size)
    else:
        document = study_lists.results_document(view, info, named=o.named, large=o.large,
                                                size=o.size)
    return study_lists.render_list(document, fmt)


def _detail(plan_id: str | None, kind: str) -> str:
    return f"study-{kind}" + (f"-{plan_id}" if plan_id else "")


def save_paper(ws: Workspace, plan_id: str | None, kind: str, target: Path,
               options: Options | None = None, *, info: StudyPaperInfo | None = None) -> Path:
    """The paper written to ``target`` (its suffix names the format: .pdf or .docx), then
    audited."""
    from sotay_desktop.documents.study_paper_common import output_format
    from sotay_desktop.services.files import write_file_atomically

    fmt = output_format(target)
    write_file_atomically(target, paper_bytes(ws, plan_id, kind, fmt, options, info=info))
    leave_trace(ws, "export", "study_plans", plan_id or "", _detail(plan_id, kind))
    return target


def paper_printed(ws: Workspace, plan_id: str | None, kind: str) -> Changes:
    """The printer took the paper (the window's print dialog): its audit row, as a write."""
    return write_trace(ws, "print", "study_plans", plan_id or "", _detail(plan_id, kind))
