"""Roster import (XLSX/CSV: preview with errors per row, valid rows only) and Mẫu 7 export."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_desktop.db.tables import MemberRow
from sotay_desktop.documents.roster_xlsx import RosterBook, RosterLine, render_roster_xlsx
from sotay_desktop.documents.tables import read_table
from sotay_desktop.domain.entities import EventKind, MemberEvent
from sotay_desktop.domain.errors import DomainError
from sotay_desktop.domain.lifecycle import check_history, event_label
from sotay_desktop.domain.member_input import clean_member_input
from sotay_desktop.domain.text import fold
from sotay_desktop.i18n import field_label, t
from sotay_desktop.services.branch import branch_info
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.members import MEMBER_CHANGES, add_member, get_member


@dataclass(frozen=True, slots=True)
class RowCheck:
    line: int
    data: dict[str, Any]
    full_name: str
    errors: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True, slots=True)
class ImportPreview:
    file_name: str
    rows: tuple[RowCheck, ...]
    ignored_columns: tuple[str, ...]

    @property
    def valid(self) -> list[RowCheck]:
        return [r for r in self.rows if r.ok]

    @property
    def rejected(self) -> list[RowCheck]:
        return [r for r in self.rows if not r.ok]


def _identity(name: str, born: dt.date | None) -> str:
    return f"{fold(name)}|{born.isoformat() if born else ''}"


def preview_import(session: Session, *, path: Path, today: dt.date) -> ImportPreview:
    """Check every row as the member form would; nothing is written."""
    table = read_table(path)
    cards: dict[str, str] = {}
    people: dict[str, str] = {}
    for name, card, born in session.execute(select(
            MemberRow.full_name, MemberRow.card_number, MemberRow.date_of_birth).where(
            MemberRow.deleted.is_(False))):
        if card:
            cards[card] = name
        people[_identity(name, born)] = name
    seen_cards: dict[str, int] = {}
    seen_people: dict[str, int] = {}
    checks = []
    for line, raw in table.rows:
        errors: list[str] = []
        name = str(raw.get("full_name", "")).strip()
        try:
            clean = clean_member_input(raw, today=today, creating=True)
            events = []
            if clean.get("admitted_on"):
                events.append(MemberEvent("a", "m", EventKind.ADMITTED, clean["admitted_on"]))
            if clean.get("official_on"):
                events.append(MemberEvent("o", "m", EventKind.MADE_OFFICIAL,
                                          clean["official_on"], seq=1))
            check_history(events, date_of_birth=clean.get("date_of_birth"))
        except DomainError as exc:
            errors.append(exc.message())
            clean = {}
        if clean:
            card = clean.get("card_number", "")
            identity = _identity(clean["full_name"], clean.get("date_of_birth"))
            if card and card in cards:
                errors.append(f"{field_label('card_number')}: "
                              + t("duplicate_in_branch", name=cards[card]))
            elif card and card in seen_cards:
                errors.append(f"{field_label('card_number')}: "
                              + t("duplicate_in_file", line=seen_cards[card]))
            if identity in people:
                errors.append(t("duplicate_in_branch", name=people[identity]))
            elif identity in seen_people:
                errors.append(t("duplicate_in_file", line=seen_people[identity]))
            if card:
                seen_cards.setdefault(card, line)
            seen_people.setdefault(identity, line)
        checks.append(RowCheck(line, dict(raw), name, tuple(errors)))
    return ImportPreview(path.name, tuple(checks), tuple(table.ignored_columns))


def import_valid(session: Session, *, preview: ImportPreview, unit_id: str,
                 today: dt.date) -> tuple[int, Changes]:
    """Add the valid rows of a preview, all in the caller's one transaction."""
    for row in preview.valid:
        add_member(session, unit_id=unit_id, data=row.data, today=today)
    return len(preview.valid), MEMBER_CHANGES if preview.valid else Changes()


def rejected_report_xlsx(preview: ImportPreview) -> bytes:
    """The rows left out, with their reasons, for the secretary to correct and re-import."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Dòng", "Họ và tên", "Lý do không nhập"])
    for row in preview.rejected:
        sheet.append([row.line, row.full_name, "\n".join(row.errors)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _education(member: Any) -> str:
    return "; ".join(x for x in (member.education_general, member.education_professional,
                                 member.political_theory, member.languages) if x)


def roster_book(session: Session, *, today: dt.date) -> RosterBook:
    """Every member ever on the roster, in roster order, with the dates of columns 10–13."""
    info = branch_info(session)
    if info is None:
        raise DomainError("no_branch", path="")
    ids = session.scalars(select(MemberRow.id).where(
        MemberRow.unit_id == info.branch.id, MemberRow.deleted.is_(False)).order_by(
        MemberRow.sort_key, MemberRow.id)).all()
    lines = []
    for member_id in ids:
        record = get_member(session, member_id)
        m = record.member
        state_left = ""
        if record.left_on:
            kind = next(e.kind for e in reversed(record.events)
                        if e.kind in (EventKind.STRUCK_OFF, EventKind.EXPELLED, EventKind.LEFT))
            state_left = f"{record.left_on.strftime('%d/%m/%Y')} – {event_label(kind)}"
        transferred_in = ""
        if record.transferred_in_on:
            transferred_in = f"{record.transferred_in_on.strftime('%d/%m/%Y')}"
            if record.transferred_in_from:
                transferred_in += f", từ {record.transferred_in_from}"
        lines.append(RosterLine(
            full_name=m.full_name, birth_name=m.birth_name,
            gender=t(f"gender.{m.gender.value}") if m.gender else "",
            ethnicity=m.ethnicity, religion=m.religion, hometown=m.hometown,
            education=_education(m), occupation_before=m.occupation_before,
            occupation_now=m.occupation_now, admitted_on=record.admitted_on,
            official_on=record.official_on, card_number=m.card_number,
            record_number=m.record_number, badge_numbers=m.badge_numbers,
            service_background=m.service_background,
            transferred_out_on=record.transferred_out_on, transferred_in=transferred_in,
            deceased_on=record.deceased_on, left=state_left, notes=m.notes))
    superior = info.superior.name if info.superior else ""
    return RosterBook(superior=superior, branch=info.branch.name, made_on=today, lines=lines)


def export_roster_xlsx(session: Session, *, today: dt.date) -> bytes:
    return render_roster_xlsx(roster_book(session, today=today))
