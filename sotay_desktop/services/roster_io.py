"""Roster import (XLSX/CSV: preview with errors per row, valid rows only) and Mẫu 7 export."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain.entities import EventKind, MemberEvent
from sotay_core.domain.errors import DomainError, ValidationError
from sotay_core.domain.lifecycle import check_history, event_label
from sotay_core.domain.member_input import (
    clean_date_field,
    clean_member_input,
    clean_text_field,
)
from sotay_core.domain.spreadsheet import keep_as_text
from sotay_core.domain.text import fold
from sotay_core.i18n import field_label, t
from sotay_desktop.db.tables import MemberRow
from sotay_desktop.documents.roster_cells import loose_date
from sotay_desktop.documents.roster_headings import (
    DECEASED,
    LEFT,
    MAPPABLE_FIELDS,
    TRANSFERRED_IN,
    TRANSFERRED_OUT,
    Column,
)
from sotay_desktop.documents.roster_table import read_table
from sotay_desktop.documents.roster_xlsx import RosterBook, RosterLine, render_roster_xlsx
from sotay_desktop.services.branch import branch_info
from sotay_desktop.services.changes import Changes
from sotay_desktop.services.members import MEMBER_CHANGES, add_member, get_member, record_event

# A later event read from Mẫu 7 columns 10–13: (kind, date, place or form)
LaterEvent = tuple[EventKind, dt.date, str]
EVENT_FIELDS = (TRANSFERRED_OUT, TRANSFERRED_IN, DECEASED, LEFT)


@dataclass(frozen=True, slots=True)
class RowCheck:
    line: int
    data: dict[str, Any]
    full_name: str
    errors: tuple[str, ...]
    events: tuple[LaterEvent, ...] = ()   # transfer, death, leaving: recorded after the member

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True, slots=True)
class ImportPreview:
    file_name: str
    rows: tuple[RowCheck, ...]
    ignored_columns: tuple[str, ...]
    columns: tuple[Column, ...] = ()
    skipped: tuple[tuple[int, str], ...] = ()     # rows that are not members, with their text
    path: str = ""                                # to read the file again with a new mapping
    mapping: Mapping[int, str] = field(default_factory=dict)

    @property
    def valid(self) -> list[RowCheck]:
        return [r for r in self.rows if r.ok]

    @property
    def rejected(self) -> list[RowCheck]:
        return [r for r in self.rows if not r.ok]


def _identity(name: str, born: dt.date | None) -> str:
    return f"{fold(name)}|{born.isoformat() if born else ''}"


_LEADING_DATE = re.compile(r"^\s*(\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}|\d{4}-\d{2}-\d{2})"
                           r"\s*[,;:–—-]?\s*(.*)$", re.DOTALL)
_LEFT_FORMS = (("xoa ten", EventKind.STRUCK_OFF), ("khai tru", EventKind.EXPELLED),
               ("ra khoi dang", EventKind.LEFT), ("xin ra", EventKind.LEFT))


def _event_date(name: str, value: Any, today: dt.date) -> tuple[dt.date, str]:
    """The date at the start of a Mẫu 7 cell ("17/07/2026, từ Chi bộ …") and the rest."""
    rest = ""
    if isinstance(value, str):
        match = _LEADING_DATE.match(value)
        if match:
            value, rest = loose_date(match.group(1)), match.group(2).strip()
    day = clean_date_field(name, loose_date(value), today=today)
    if day is None:
        raise ValidationError("required", field=name)
    return day, rest


def later_events(raw: Mapping[str, Any], *, today: dt.date) -> tuple[LaterEvent, ...]:
    """Mẫu 7 columns 10–13 as events, so a member who died or moved away is not imported
    as one still on the roster."""
    found: list[LaterEvent] = []
    if raw.get(TRANSFERRED_IN) not in (None, ""):
        day, rest = _event_date(TRANSFERRED_IN, raw[TRANSFERRED_IN], today)
        place = re.sub(r"^(từ|tu)\s+", "", rest, flags=re.IGNORECASE)
        found.append((EventKind.TRANSFERRED_IN, day, clean_text_field("place", place)))
    if raw.get(TRANSFERRED_OUT) not in (None, ""):
        day, rest = _event_date(TRANSFERRED_OUT, raw[TRANSFERRED_OUT], today)
        place = re.sub(r"^(đến|den)\s+", "", rest, flags=re.IGNORECASE)
        found.append((EventKind.TRANSFERRED_OUT, day, clean_text_field("place", place)))
    if raw.get(DECEASED) not in (None, ""):
        day, _rest = _event_date(DECEASED, raw[DECEASED], today)
        found.append((EventKind.DECEASED, day, ""))
    if raw.get(LEFT) not in (None, ""):
        day, rest = _event_date(LEFT, raw[LEFT], today)
        folded = fold(rest)
        kind = next((k for word, k in _LEFT_FORMS if word in folded), None)
        if kind is None:
            raise ValidationError("import_bad_left_form", field=LEFT, value=rest)
        found.append((kind, day, ""))
    return tuple(sorted(found, key=lambda e: e[1]))


def _history(clean: Mapping[str, Any], later: tuple[LaterEvent, ...]) -> None:
    events = []
    if clean.get("admitted_on"):
        events.append(MemberEvent("a", "m", EventKind.ADMITTED, clean["admitted_on"]))
    if clean.get("official_on"):
        events.append(MemberEvent("o", "m", EventKind.MADE_OFFICIAL, clean["official_on"],
                                  seq=1))
    for seq, (kind, day, _place) in enumerate(later, start=2):
        events.append(MemberEvent(f"e{seq}", "m", kind, day, seq=seq))
    check_history(events, date_of_birth=clean.get("date_of_birth"))


def preview_import(session: Session, *, path: Path, today: dt.date,
                   mapping: Mapping[int, str] | None = None) -> ImportPreview:
    """Check every row as the member form would; nothing is written.

    ``mapping`` sets the field of a column by hand (column index -> field name, or "" to
    leave a column out), for a heading the reader does not recognise."""
    mapping = dict(mapping or {})
    for chosen in mapping.values():
        if chosen and chosen not in MAPPABLE_FIELDS:
            raise ValidationError("unknown_field", field=chosen)
    table = read_table(path, mapping)
    cards: dict[str, str] = {}
    people: dict[str, list[tuple[str, str]]] = {}
    for name, card, born in session.execute(select(
            MemberRow.full_name, MemberRow.card_number, MemberRow.date_of_birth).where(
            MemberRow.deleted.is_(False))):
        if card:
            cards[card] = name
        people.setdefault(_identity(name, born), []).append((name, card or ""))
    dates_of_admission = any("admitted_on" in column.fields for column in table.columns)
    seen_cards: dict[str, int] = {}
    seen_people: dict[str, list[tuple[int, str]]] = {}
    checks = []
    for line, raw in table.rows:
        errors: list[str] = []
        name = str(raw.get("full_name", "")).strip()
        data = {k: v for k, v in raw.items() if k not in EVENT_FIELDS}
        later: tuple[LaterEvent, ...] = ()
        try:
            clean = clean_member_input(data, today=today, creating=True)
            later = later_events(raw, today=today)
            _history(clean, later)
        except DomainError as exc:
            errors.append(exc.message())
            clean = {}
        if clean and dates_of_admission and clean.get("admitted_on") is None:
            # in a roster with dates of admission, a row without one is not a member's row
            # (a continuation line, a name written alone): never imported as "not admitted"
            errors.append(t("import_no_admission"))
        if clean:
            card = clean.get("card_number", "")
            identity = _identity(clean["full_name"], clean.get("date_of_birth"))
            if card and card in cards:
                errors.append(f"{field_label('card_number')}: "
                              + t("duplicate_in_branch", name=cards[card]))
            elif card and card in seen_cards:
                errors.append(f"{field_label('card_number')}: "
                              + t("duplicate_in_file", line=seen_cards[card]))
            # The same name and birth date is the same person, unless both have a card
            # and the cards differ (two members of one name, their birth dates unknown).
            same = [n for n, c in people.get(identity, []) if not (card and c and c != card)]
            earlier = [n for n, c in seen_people.get(identity, [])
                       if not (card and c and c != card)]
            if same:
                errors.append(t("duplicate_in_branch", name=same[0]))
            elif earlier:
                errors.append(t("duplicate_in_file", line=earlier[0]))
            if card:
                seen_cards.setdefault(card, line)
            seen_people.setdefault(identity, []).append((line, card))
        checks.append(RowCheck(line, data, name, tuple(errors), later))
    return ImportPreview(path.name, tuple(checks), tuple(table.ignored_columns),
                         columns=table.columns, skipped=tuple(table.skipped),
                         path=str(path), mapping=mapping)


def import_valid(session: Session, *, preview: ImportPreview, unit_id: str,
                 today: dt.date) -> tuple[int, Changes]:
    """Add the valid rows of a preview, all in the caller's one transaction."""
    for row in preview.valid:
        member_id, _ = add_member(session, unit_id=unit_id, data=row.data, today=today)
        for kind, day, place in row.events:
            record_event(session, member_id=member_id, kind=kind, date=day, today=today,
                         place=place if kind in (EventKind.TRANSFERRED_IN,
                                                 EventKind.TRANSFERRED_OUT) else "")
    return len(preview.valid), MEMBER_CHANGES if preview.valid else Changes()


def rejected_report_xlsx(preview: ImportPreview) -> bytes:
    """The rows left out, with their reasons, for the secretary to correct and re-import."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([t("roster.rejected_column_line"), t("roster.rejected_column_name"),
                  t("roster.rejected_column_reason")])
    for row in preview.rejected:
        sheet.append([row.line, row.full_name, "\n".join(row.errors)])
    keep_as_text(workbook)   # the file's own text, e.g. "=cmd|…", stays text
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _education(member: Any) -> str:
    """One per line in the heading's order (an empty one keeps its line), so it reads back."""
    return "\n".join((member.education_general, member.education_professional,
                      member.political_theory, member.languages)).rstrip("\n")


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
            deceased_on=record.deceased_on, left=state_left, notes=m.notes,
            date_of_birth=m.date_of_birth))
    superior = info.superior.name if info.superior else ""
    return RosterBook(superior=superior, branch=info.branch.name, made_on=today, lines=lines)


def export_roster_xlsx(session: Session, *, today: dt.date) -> bytes:
    return render_roster_xlsx(roster_book(session, today=today))
