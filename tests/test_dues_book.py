"""The year's dues book on a generated branch, checked against a straightforward computation
written here (no call to the dues rules): each member-month's due, the unpaid months and
their 2/3-month flag, the monthly and yearly totals (which equal the sum of the payments);
and the two dated facts: the counts restart on 1 January, and January 2026 is under QĐ 342
while February is under QĐ 01-QĐ/TW."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

import pytest

from sotay_core.domain.dues import Month
from sotay_core.domain.dues_book import DuesBook
from sotay_desktop.db.engine import Database
from sotay_desktop.services import dues as service
from sotay_desktop.services.members import add_member, record_event
from sotay_desktop.usecases import dues
from sotay_desktop.usecases.workspace import Workspace

YEAR = 2026
THROUGH = 11          # the tests' today is 22/11/2026
TODAY = dt.date(YEAR, THROUGH, 22)


@dataclass
class Person:
    name: str
    admitted: dt.date
    left: dt.date | None = None
    bases: list[tuple[int, str, int]] = field(default_factory=list)   # (from month, cat, amt)
    cuts: list[tuple[int, int, int]] = field(default_factory=list)    # (first, last, percent)
    paid: dict[int, int] = field(default_factory=dict)                # month -> amount
    id: str = ""


def _half_up(amount: int, numerator: int, denominator: int) -> int:
    """amount × numerator / denominator, to the đồng, half up (non-negative amounts)."""
    return (2 * amount * numerator + denominator) // (2 * denominator)


def expected_due(person: Person, month: int) -> int:
    first = dt.date(YEAR, month, 1)
    if (person.admitted.year, person.admitted.month) > (YEAR, month):
        return 0
    if person.left is not None and (person.left.year, person.left.month) < (YEAR, month):
        return 0
    fifty = person.admitted.replace(year=person.admitted.year + 50)
    if first >= fifty:   # the first month whose 1st day is on or after the anniversary
        return 0
    new_rule = first >= dt.date(2026, 2, 1)
    basis = [b for b in person.bases if b[0] <= month]
    category, amount = (basis[-1][1], basis[-1][2]) if basis else ("other", 0)
    if category == "insured_salary":
        due = _half_up(amount, 1, 100)
    elif category == "pension":
        due = _half_up(amount, 5, 1000)
    elif category == "student":
        due = 5_000 if new_rule else 2_000
    else:
        due = amount or 2_000
    for start, end, percent in person.cuts:
        if start <= month <= end:
            due -= _half_up(due, percent, 100)
    return due


def generate(seed: int, count: int = 24) -> list[Person]:
    rng = random.Random(seed)
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
    given = ["An", "Bình", "Cúc", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga"]
    people: list[Person] = []
    for index in range(count):
        roll = rng.random()
        if roll < 0.15:     # 50 years' membership reached before or during the year
            admitted = dt.date(rng.randint(1966, 1976), rng.randint(1, 12), rng.randint(1, 28))
        elif roll < 0.25:   # admitted during the year
            admitted = dt.date(YEAR, rng.randint(1, 10), rng.randint(1, 28))
        else:
            admitted = dt.date(rng.randint(1980, 2024), rng.randint(1, 12), rng.randint(1, 28))
        person = Person(f"{rng.choice(family)} Văn {rng.choice(given)} {index}", admitted)
        if rng.random() < 0.1:
            person.left = dt.date(YEAR, rng.randint(max(admitted.month, 3) if
                                                    admitted.year == YEAR else 3, 10), 15)
        category = rng.choices(["other", "pension", "insured_salary", "student"],
                               [6, 3, 2, 1])[0]
        amount = {"other": rng.choice([0, 3_000, 10_000, 20_000]),
                  "pension": rng.randrange(2_000_000, 9_000_000, 1_111),
                  "insured_salary": rng.randrange(4_000_000, 15_000_000, 1_001),
                  "student": 0}[category]
        if rng.random() < 0.9:
            person.bases.append((1, category, amount))
            if category != "student" and rng.random() < 0.3:
                person.bases.append((rng.randint(2, 11), category, amount + 1_003))
        if rng.random() < 0.25:
            start = rng.randint(1, 9)
            person.cuts.append((start, min(12, start + rng.randint(0, 5)),
                                rng.choice([30, 50, 70, 100])))
        for month in range(1, THROUGH + 1):
            due = expected_due(person, month)
            if due > 0 and rng.random() < 0.82:
                person.paid[month] = due if rng.random() < 0.9 else due + 1_000
        people.append(person)
    return people


def record(db: Database, unit_id: str, people: list[Person]) -> None:
    with db.sessions.begin() as session:
        for person in people:
            person.id, _ = add_member(session, unit_id=unit_id, today=TODAY, data={
                "full_name": person.name, "admitted_on": person.admitted})
            if person.left is not None:
                record_event(session, member_id=person.id, kind="deceased", date=person.left,
                             today=TODAY)
            for month, category, amount in person.bases:
                service.set_basis(session, member_id=person.id, category=category,
                                  amount=amount, valid_from=Month(YEAR, month))
            for start, end, percent in person.cuts:
                service.add_exemption(
                    session, member_id=person.id, start=Month(YEAR, start),
                    end=Month(YEAR, end), percent=percent,
                    kind="reduction" if percent < 100 else "hardship_waiver")
            for month, amount in person.paid.items():
                service.record_payment(session, unit_id=unit_id, member_id=person.id,
                                       month=Month(YEAR, month), amount=amount,
                                       today=TODAY, paid_on=dt.date(YEAR, month, 5))


@pytest.mark.parametrize("seed", [3, 19, 2026])
def test_a_generated_year_matches_an_independent_computation(
        branch_db: tuple[Database, str], seed: int) -> None:
    db, unit_id = branch_db
    people = generate(seed)
    record(db, unit_id, people)
    book: DuesBook = dues.book(Workspace(db, today=lambda: TODAY), YEAR)
    lines = {line.member_id: line for line in book.lines}
    assert set(lines) == {p.id for p in people}   # those who left during the year too
    flags: dict[str, str | None] = {}
    for person in people:
        line = lines[person.id]
        assert [cell.due for cell in line.cells] == [
            expected_due(person, m) for m in range(1, 13)], person
        assert [cell.paid for cell in line.cells] == [
            person.paid.get(m, 0) for m in range(1, 13)]
        unpaid = [m for m in range(1, THROUGH + 1)
                  if expected_due(person, m) > 0 and m not in person.paid]
        assert [month.month for month in line.unpaid] == unpaid
        expected_flag = "strike_off" if len(unpaid) >= 3 else "warn" if len(unpaid) == 2 \
            else None
        flags[person.id] = expected_flag
        assert (line.flag.value if line.flag else None) == expected_flag, person
    assert any(flags.values())   # the generator does make flagged members
    by_month: dict[int, int] = defaultdict(int)
    for person in people:
        for month, amount in person.paid.items():
            by_month[month] += amount
    for month in range(1, 13):
        totals = book.month_totals(Month(YEAR, month))
        assert totals.collected == by_month[month]
        assert totals.retained == _half_up(by_month[month], 30, 100)
        assert totals.retained + totals.sent_up == totals.collected
    assert book.collected == sum(sum(p.paid.values()) for p in people)
    assert book.collected == sum(line.paid_total for line in book.lines)


def test_unpaid_months_restart_on_the_first_of_january(branch_db: tuple[Database, str]) -> None:
    db, unit_id = branch_db
    ws = Workspace(db, today=lambda: dt.date(2027, 1, 25))
    with db.sessions.begin() as session:
        member_id, _ = add_member(session, unit_id=unit_id, today=TODAY, data={
            "full_name": "Đinh Văn Giao", "admitted_on": "1999-09-09"})
    dues.record_payment(ws, member_id=member_id, month="2026-01", months=11)
    # December 2026 and January 2027 unpaid: one month in each year, no flag in either
    [december] = dues.book(ws, 2026).lines
    [january] = dues.book(ws, 2027).lines
    assert december.unpaid == (Month(2026, 12),) and december.flag is None
    assert january.unpaid == (Month(2027, 1),) and january.flag is None
    assert december.paid_up_to == Month(2026, 11)


def test_january_2026_under_qd_342_february_under_qd_01(branch_db: tuple[Database, str]) -> None:
    db, unit_id = branch_db
    ws = Workspace(db, today=lambda: TODAY)
    with db.sessions.begin() as session:
        student, _ = add_member(session, unit_id=unit_id, today=TODAY, data={
            "full_name": "Mai Thị Sinh", "admitted_on": "2025-03-26"})
    dues.set_basis(ws, member_id=student, category="student", amount=0, valid_from="2025-03")
    dues.record_payment(ws, member_id=student, month="2026-01", months=2)
    [line] = dues.book(ws, YEAR).lines
    assert [line.cell(Month(YEAR, m)).paid for m in (1, 2)] == [2_000, 5_000]
    totals = dues.book(ws, YEAR).totals
    assert totals[Month(YEAR, 1)].collected == 2_000
    assert totals[Month(YEAR, 2)].collected == 5_000


def test_a_book_begun_late_in_the_year_counts_unpaid_months_from_its_start(
        branch_db: tuple[Database, str]) -> None:
    """A secretary who starts the book in the app in October is not told that every member
    missed January to September; copying the paper book's March in moves the start back."""
    db, unit_id = branch_db
    ws = Workspace(db, today=lambda: TODAY)   # 22/11/2026
    with db.sessions.begin() as session:
        payer, other = (add_member(session, unit_id=unit_id, today=TODAY, data={
            "full_name": name, "admitted_on": "1990-05-05"})[0]
            for name in ("Lò Văn Một", "Lò Văn Hai"))
    dues.record_payment(ws, member_id=payer, month="2026-10", months=2)
    book = dues.book(ws, YEAR)
    lines = {line.member_id: line for line in book.lines}
    assert book.starts == Month(YEAR, 10)
    assert lines[payer].unpaid == () and lines[payer].flag is None
    assert lines[other].unpaid == (Month(YEAR, 10), Month(YEAR, 11))
    assert lines[other].flag is not None and lines[other].flag.value == "warn"
    dues.record_payment(ws, member_id=payer, month="2026-03")   # copied from the paper book
    lines = {line.member_id: line for line in dues.book(ws, YEAR).lines}
    assert [m.month for m in lines[payer].unpaid] == [4, 5, 6, 7, 8, 9]
    assert len(lines[other].unpaid) == 9 and lines[other].flag is not None
    assert lines[other].flag.value == "strike_off"
