"""A whole admission recorded on one PC reaches the province and the branch's other PC: the
candidate, every step with its vote, the member the ceremony made and their ADMITTED and
MADE_OFFICIAL events; the server's rule checks refuse none of it. Taking the ceremony back
goes across too. A real server (uvicorn subprocess), SQLite always and PostgreSQL when
reachable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sotay_core.domain.admission import CandidateStatus, Step
from sotay_core.domain.entities import EventKind, MemberStatus
from sotay_desktop.db.engine import Database
from sotay_desktop.services.sync import client as sync_client
from sotay_desktop.usecases import candidates as cases
from sotay_desktop.usecases import members
from sotay_desktop.usecases.workspace import Workspace
from tests.conftest import TODAY
from tests.sync_support import BACKENDS, Server, digest, server_fixture
from tests.templates import enrolled_pair

server = server_fixture(scope="module", backends=BACKENDS)
D = dt.date
DAYS = {Step.OUTSTANDING: D(2025, 7, 21), Step.TRAINING: D(2025, 7, 28),
        Step.APPLICATION: D(2025, 8, 4), Step.BACKGROUND: D(2025, 8, 6),
        Step.SPONSORS: D(2025, 8, 11), Step.MASS_COMMENTS: D(2025, 8, 20),
        Step.BRANCH_RESOLUTION: D(2025, 9, 3), Step.DECISION: D(2025, 9, 15),
        Step.CEREMONY: D(2025, 9, 26), Step.SELF_REVIEW: D(2026, 9, 10),
        Step.OFFICIAL_RESOLUTION: D(2026, 9, 28)}


@pytest.fixture
def pair(server: Server, tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    [branch] = server.tree()
    a, b = enrolled_pair(server.url, lambda: server.code(branch), tmp_path,
                         members=20, documents=2, meetings=2, seed=5)
    yield a, b
    a.close()
    b.close()


def _admit(ws: Workspace, until: Step) -> str:
    cid, _ = cases.add_candidate(ws, {"full_name": "Vi Thị Hằng", "gender": "nữ",
                                      "date_of_birth": D(2001, 2, 28)})
    sponsors = [m for m, _n in cases.sponsor_choices(ws)][:2]
    for step, day in DAYS.items():
        if step is until:
            break
        extra: dict[str, Any] = {}
        if step is Step.SPONSORS:
            extra["sponsors"] = [(s, D(2020, 1, 1)) for s in sponsors]
        if step in (Step.BRANCH_RESOLUTION, Step.OFFICIAL_RESOLUTION):
            extra |= {"votes_for": cases.voting_base(ws, day)[0], "number": "3-NQ/CB"}
        if step is Step.DECISION:
            extra["number"] = "77-QĐ/ĐU"
        cases.record_step(ws, cid, step, date=day, **extra)
    return cid


def test_a_whole_admission_reaches_the_other_pc(pair: tuple[Database, Database]) -> None:
    a, b = pair
    ws_a, ws_b = Workspace(a, today=lambda: TODAY), Workspace(b, today=lambda: TODAY)
    cid = _admit(ws_a, until=Step.PROBATION)     # the whole path
    report = sync_client.run_sync(a)
    assert (report.rejected, report.conflicts) == (0, 0)
    sync_client.run_sync(b)
    assert digest(a) == digest(b)          # before any view on b leaves its audit row
    there = cases.candidate(ws_b, cid)
    here = cases.candidate(ws_a, cid)
    assert there.summary.status is CandidateStatus.OFFICIAL
    assert [(s.step, s.done_on, s.votes_for, s.voting_base) for s in there.steps] == [
        (s.step, s.done_on, s.votes_for, s.voting_base) for s in here.steps]
    member = members.member(ws_b, there.summary.member_id)  # type: ignore[arg-type]
    assert member.status is MemberStatus.OFFICIAL
    assert [(e.kind, e.date) for e in member.events] == [
        (EventKind.ADMITTED, DAYS[Step.CEREMONY]), (EventKind.MADE_OFFICIAL, D(2026, 9, 26))]


def test_a_ceremony_taken_back_goes_across(pair: tuple[Database, Database]) -> None:
    a, b = pair
    ws_a, ws_b = Workspace(a, today=lambda: TODAY), Workspace(b, today=lambda: TODAY)
    cid = _admit(ws_a, until=Step.SELF_REVIEW)
    sync_client.run_sync(a)
    sync_client.run_sync(b)
    member_id = cases.candidate(ws_b, cid).summary.member_id
    assert member_id in {m.id for m in members.roster(ws_b)}
    cases.undo_last_step(ws_a, cid, expected=Step.CEREMONY)
    assert sync_client.run_sync(a).rejected == 0
    sync_client.run_sync(b)
    view = cases.candidate(ws_b, cid)
    assert view.summary.member_id is None and view.summary.next_step is Step.CEREMONY
    assert member_id not in {m.id for m in members.roster(ws_b)}
    cases.record_step(ws_b, cid, Step.CEREMONY, date=D(2025, 9, 29))   # on the other PC
    assert sync_client.run_sync(b).rejected == 0
    sync_client.run_sync(a)
    assert cases.candidate(ws_a, cid).summary.status is CandidateStatus.ADMITTED
    assert digest(a) == digest(b)
