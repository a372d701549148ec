"""A transfer letter's text that its record cannot hold (found by attacking issue 20: a
5,000-character number was kept as its first 60 characters, a long place went into the
outbox for the province to refuse at the next sync): refused in words naming the field,
on recording and on changing a letter, with nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from sotay_core.domain.errors import DomainError
from sotay_desktop.db.engine import Database
from sotay_desktop.db.tables import OutboxRow
from sotay_desktop.db.year_tables import TransferRow
from sotay_desktop.services import members as member_service
from sotay_desktop.usecases import transfers
from sotay_desktop.usecases.workspace import Workspace

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def ws(branch_db: tuple[Database, str]) -> Iterator[Workspace]:
    db, unit_id = branch_db
    with db.sessions.begin() as session:
        member_service.add_member(session, unit_id=unit_id, today=TODAY, data={
            "full_name": "Nguyễn Văn Đi", "admitted_on": "2010-05-19",
            "official_on": "2011-05-19"})
    yield Workspace(db, today=lambda: TODAY)


def _rows(ws: Workspace) -> tuple[int, int]:
    with ws.db.reads() as s:
        return (s.scalar(select(func.count()).select_from(TransferRow)) or 0,
                s.scalar(select(func.count()).select_from(OutboxRow)) or 0)


def _letter(ws: Workspace, **given: str) -> str:
    fields = {"direction": "out", "kind": "official_within", "number": "35-GGT/ĐU",
              "issued_on": "2026-11-02", "to_place": "Chi bộ thôn Tây",
              "member_id": transfers.people(ws)[0].id} | given
    return transfers.record_letter(ws, **fields)[0]  # type: ignore[arg-type]


@pytest.mark.parametrize(("field", "words"), [("number", "Số, ký hiệu"),
                                              ("to_place", "Nơi chuyển đến"),
                                              ("from_place", "Nơi chuyển đi"),
                                              ("note", "Ghi chú")])
def test_text_too_long_for_the_record_is_refused_not_cut(ws: Workspace, field: str,
                                                         words: str) -> None:
    before = _rows(ws)
    too_long = "A" * 20_001 if field == "note" else "Á" * 301
    with pytest.raises(DomainError) as refused:
        _letter(ws, **{field: too_long})
    assert refused.value.message().startswith(words) and "quá" in refused.value.message()
    assert _rows(ws) == before
    letter_id = _letter(ws)
    before = _rows(ws)
    with pytest.raises(DomainError) as refused:
        transfers.update_letter(ws, letter_id, {field: too_long})
    assert refused.value.message().startswith(words)
    assert _rows(ws) == before
    assert transfers.letter(ws, letter_id).number == "35-GGT/ĐU"
