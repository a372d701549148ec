"""The admission resolution's vote in words that match what was typed (found by attacking
issue 20): 25 for and 13 against on 37 official members was refused as "38 votes in
favour"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sotay_core.domain.admission import Step
from sotay_desktop.db.engine import Database
from sotay_desktop.usecases.workspace import Workspace
from tests.candidates_support import TODAY, new_candidate, officials, record, refused, walk


@pytest.fixture
def ws(branch_db: tuple[Database, str]) -> Iterator[Workspace]:
    db, _ = branch_db
    yield Workspace(db, today=lambda: TODAY)


def test_votes_over_the_base_are_counted_as_typed(ws: Workspace) -> None:
    sponsors = officials(ws, 9)
    cid = new_candidate(ws)
    walk(ws, cid, sponsors[:2], until=Step.BRANCH_RESOLUTION)
    with refused("admission_app.votes_over_base") as error:
        record(ws, cid, Step.BRANCH_RESOLUTION, votes_for=6, votes_against=4)
    vi, en = error.message("vi"), error.message("en")
    assert "10 phiếu" in vi and "6 tán thành" in vi and "4 không tán thành" in vi
    assert "9 đảng viên chính thức" in vi and "10 phiếu tán thành" not in vi
    assert "10 votes" in en and "6 in favour" in en and "4 against" in en
