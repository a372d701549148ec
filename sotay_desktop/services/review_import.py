"""The branch meeting's proposals for many members at once, from a table (CSV as Excel on
Vietnamese Windows writes it: UTF-8 or cp1258, ',' or ';'; or XLSX/XLS): one row per
member, with the columns found by their heading in English or Vietnamese:

  member (or name, họ và tên, số thẻ) · points (điểm) · grade (xếp loại, optional) ·
  yes (tán thành) · no (không tán thành) · abstain (không biểu quyết) · invalid (không hợp
  lệ) · base (số được biểu quyết) · secret (phiếu kín) · comments (nhận xét); and a column
  headed by a criterion's code or label holds that criterion's points.

A member is found as ``sotay dues`` finds one (id, card number, exact name with or without
accents); the branch's own row is the one naming the branch (or "chi bộ"). Each row is one
``services.review.propose``; any refused row refuses the whole file (every such row named),
so nothing is half-imported. A row with no points at all (a total, a signature) is skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from sotay_core.domain.errors import DomainError, ValidationError
from sotay_core.domain.review import Grade, Period
from sotay_core.domain.text import fold
from sotay_core.i18n import t
from sotay_desktop.documents.roster_table import is_footer_text
from sotay_desktop.services import review_read as read
from sotay_desktop.services.branch import branch_info
from sotay_desktop.services.dues_read import find_member
from sotay_desktop.services.review import Votes, propose

HEADINGS: dict[str, tuple[str, ...]] = {
    "member": ("member", "name", "full name", "ho va ten", "ho ten", "dang vien", "so the",
               "so the dang", "ma", "id"),
    "points": ("points", "total", "diem", "tong diem", "tong so diem", "diem de nghi"),
    "grade": ("grade", "xep loai", "muc xep loai", "de nghi xep loai", "muc de nghi"),
    "yes": ("yes", "tan thanh", "dong y", "so phieu tan thanh"),
    "no": ("no", "khong tan thanh", "khong dong y", "so phieu khong tan thanh"),
    "abstain": ("abstain", "khong bieu quyet", "khong y kien"),
    "invalid": ("invalid", "khong hop le", "phieu khong hop le"),
    "base": ("base", "voting base", "so duoc bieu quyet", "so dang vien duoc bieu quyet"),
    "secret": ("secret", "phieu kin", "bo phieu kin"),
    "comments": ("comments", "nhan xet", "y kien nhan xet"),
}
TRUE_WORDS = {"1", "x", "yes", "y", "true", "co", "kin"}
MAX_ROWS = 5_000


@dataclass(frozen=True, slots=True)
class ImportResult:
    proposed: int
    skipped: int
    counts: dict[Grade, int]
    branch: Grade | None


class LinesRefusal(ValidationError):
    """The rows of the file refused, each with its line and reason, in the language the
    message is read in."""

    def __init__(self, name: str, problems: Sequence[tuple[int, DomainError]]) -> None:
        self.name, self.problems = name, list(problems)
        super().__init__("review_app.import_refused", name=name, count=len(problems),
                         lines="")

    def message(self, lang: str | None = None) -> str:
        shown = [t("review_app.import_line", lang=lang, line=line, reason=exc.message(lang))
                 for line, exc in self.problems[:20]]
        more = ["…"] if len(self.problems) > 20 else []
        return t("review_app.import_refused", lang=lang, name=self.name,
                 count=len(self.problems), lines="\n".join(["", *shown, *more]))


def _columns(row: Sequence[Any], criteria: dict[str, str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        word = fold(str(cell or ""))
        if not word:
            continue
        for key, names in HEADINGS.items():
            if word in names and key not in found:
                found[key] = index
        if word in criteria and f"score:{criteria[word]}" not in found:
            found[f"score:{criteria[word]}"] = index
    return found


def _header(grid: Sequence[Sequence[Any]], criteria: dict[str, str]) -> tuple[int, dict[str, int]]:
    for number, row in enumerate(grid[:30]):
        columns = _columns(row, criteria)
        if "member" in columns and ("points" in columns or any(
                key.startswith("score:") for key in columns)):
            return number, columns
    raise ValidationError("review_app.import_no_header")


def _cell(row: Sequence[Any], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    if index is None or index >= len(row) or row[index] is None:
        return ""
    value = row[index]
    if isinstance(value, float):
        # a spreadsheet's arithmetic: 9.9 + 9.8 + 9.7 + 60.5 is 89.89999999999999 in binary,
        # 89,9 on the screen; what lies past the 6th decimal is the binary's, not the person's
        value = Decimal(repr(round(value, 6))).normalize()
        value = format(value, "f")
    return str(value).strip()


def _number(text: str) -> str:
    """Points as typed in Vietnamese ("85,5") or English ("85.5")."""
    return text.replace(",", ".") if "." not in text else text


def _count(text: str, name: str, who: str) -> int | None:
    if not text:
        return None
    try:
        value = Decimal(_number(text))
    except InvalidOperation:
        value = Decimal(-1)
    if value != value.to_integral_value() or value < 0:
        raise ValidationError("review.tally_count", who=who, name=name, value=text)
    return int(value)


def _votes(row: Sequence[Any], columns: dict[str, int], who: str) -> Votes | None:
    counts = {k: _count(_cell(row, columns, k), k, who)
              for k in ("yes", "no", "abstain", "invalid", "base")}
    if all(counts[k] is None for k in ("yes", "no", "abstain", "invalid")):
        return None
    secret = fold(_cell(row, columns, "secret")) in TRUE_WORDS or bool(counts["invalid"])
    return Votes(counts["yes"] or 0, counts["no"] or 0, counts["abstain"] or 0,
                 counts["invalid"] or 0, counts["base"], secret)


def _finder(session: Session, unit_id: str) -> Any:
    """``dues_read.find_member`` with the branch's members read once: a unique id, card
    number, exact or folded name is found here; anything else (two of a name, no one) is
    asked of ``find_member`` itself, which refuses it in its words."""
    from sqlalchemy import select

    from sotay_desktop.db.tables import MemberRow

    tables: list[dict[str, list[str]]] = [{}, {}, {}, {}]
    for member_id, name, card in session.execute(
            select(MemberRow.id, MemberRow.full_name, MemberRow.card_number).where(
                MemberRow.unit_id == unit_id, MemberRow.deleted.is_(False))):
        for table, key in zip(tables, (member_id, card, name, fold(name)), strict=True):
            if key:
                table.setdefault(key, []).append(member_id)

    def find(words: str) -> str:
        wanted = words.strip()
        for table, key in zip(tables, (wanted, wanted, wanted, fold(wanted)), strict=True):
            found = table.get(key)
            if found and len(found) == 1:
                return found[0]
            if found:
                break
        return find_member(session, unit_id=unit_id, words=words)

    return find


def import_proposals(session: Session, *, unit_id: str, year: int, period: Period,
                     path: Path, today: dt.date) -> ImportResult:
    from sotay_desktop.documents.sheets import read_grid

    row = read.campaign(session, unit_id=unit_id, year=year, period=period)
    scheme = read.scheme_of(row)
    criteria = {fold(c.code): c.code for c in scheme.criteria} | \
        {fold(c.label): c.code for c in scheme.criteria}
    grid = read_grid(path, has_header=lambda g: _header_found(g, criteria), scan_rows=30,
                     max_rows=MAX_ROWS)
    start, columns = _header(grid, criteria)
    info = branch_info(session)
    branch_words = {"chi bo", "branch", fold(info.branch.name) if info else "chi bo"}
    find = _finder(session, unit_id)
    problems: list[tuple[int, DomainError]] = []
    seen: dict[str | None, int] = {}
    counts = {grade: 0 for grade in Grade}
    branch: Grade | None = None
    proposed = skipped = 0
    ended = False
    for number, cells in enumerate(grid[start + 1:], start=start + 2):
        words = _cell(cells, columns, "member")
        given = _number(_cell(cells, columns, "points"))
        scores = {key.removeprefix("score:"): _number(value) for key in columns
                  if key.startswith("score:") and (value := _cell(cells, columns, key))}
        if not words or not (given or scores) or _signature(words, cells, ended) or (
                ended and not _has_digit(given, *scores.values())):
            # a total, a signature block under the table (its words may sit under the
            # points or a criterion), the signers' names below it
            ended = ended or _signature(words, cells, ended)
            skipped += 1
            continue
        try:
            member_id = None if fold(words) in branch_words else find(words)
            if member_id in seen:
                raise ValidationError("review_app.import_twice", member=words,
                                      line=seen[member_id])
            seen[member_id] = number
            grade, _changes = propose(
                session, unit_id=unit_id, year=year, period=period, member_id=member_id,
                today=today, points_given=given or None, scores=scores or None,
                grade=_cell(cells, columns, "grade") or None,
                votes=_votes(cells, columns, words),
                comments=_cell(cells, columns, "comments") or None)
        except DomainError as exc:
            problems.append((number, exc))
            continue
        proposed += 1
        if member_id is None:
            branch = grade
        else:
            counts[grade] += 1
    if problems:
        raise LinesRefusal(path.name, problems)
    if not proposed:
        raise ValidationError("review_app.import_empty", name=path.name)
    return ImportResult(proposed, skipped, counts, branch)


def _signature(words: str, cells: Sequence[Any], ended: bool) -> bool:
    """The row starts what follows the table: "Tổng cộng", "Người lập biểu", "T/M chi ủy",
    "Bí thư", the place and date (the roster's own test of a footer)."""
    return is_footer_text(words) or (not ended and any(is_footer_text(c) for c in cells)
                                     and not _has_digit(*(str(c) for c in cells
                                                          if c is not None)))


def _has_digit(*texts: str) -> bool:
    return any(ch.isdigit() for text in texts for ch in text)


def _header_found(grid: Sequence[Sequence[Any]], criteria: dict[str, str]) -> bool:
    try:
        _header(grid, criteria)
    except ValidationError:
        return False
    return True
