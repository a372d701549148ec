"""What the admission tests share: a branch with members of known histories (so the voting
base is known exactly), and a walk of a candidate's path up to a step with dates that obey
every rule unless a test says otherwise."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from sotay_core.domain.admission import Step
from sotay_core.domain.errors import DomainError
from sotay_desktop.usecases import candidates as cases
from sotay_desktop.usecases.workspace import Workspace

D = dt.date
TODAY = D(2026, 11, 22)
# The path's default days (a candidate of age, a certificate still valid, a ceremony within
# the 30 working days, probation over before TODAY).
PATH: dict[Step, dt.date] = {
    Step.OUTSTANDING: D(2024, 3, 1), Step.TRAINING: D(2024, 4, 1),
    Step.APPLICATION: D(2024, 5, 2), Step.BACKGROUND: D(2024, 5, 6),
    Step.SPONSORS: D(2024, 6, 3), Step.MASS_COMMENTS: D(2024, 6, 20),
    Step.BRANCH_RESOLUTION: D(2024, 7, 1), Step.DECISION: D(2024, 7, 22),
    Step.CEREMONY: D(2024, 8, 5), Step.SELF_REVIEW: D(2025, 7, 25),
    Step.OFFICIAL_RESOLUTION: D(2025, 8, 5),
}
ORDER: list[Step] = [s for s in Step if s is not Step.PROBATION]


class Refusal:
    """The refusal a ``refused`` block met, read after the block."""

    error: DomainError | None = None

    def message(self, lang: str) -> str:
        assert self.error is not None
        return self.error.message(lang)


@contextlib.contextmanager
def refused(code: str) -> Iterator[Refusal]:
    """The block is refused with ``code``, in words in both languages."""
    found = Refusal()
    with pytest.raises(DomainError) as caught:
        yield found
    found.error = caught.value
    assert caught.value.code == code, caught.value.message("vi")
    for lang in ("vi", "en"):
        text = caught.value.message(lang)
        assert text and "{" not in text


def add_members(ws: Workspace, people: list[tuple[str, dt.date, dt.date | None]]
                ) -> dict[str, str]:
    """Members by name: (name, admitted on, official on or None)."""
    from sotay_desktop.services.members import add_member

    ids = {}
    with ws.db.sessions.begin() as session:
        for name, admitted, official in people:
            data: dict[str, Any] = {"full_name": name, "date_of_birth": D(1970, 1, 1),
                                    "admitted_on": admitted}
            if official:
                data["official_on"] = official
            ids[name], _ = add_member(session, unit_id=ws.branch_id(), data=data, today=TODAY)
    return ids


def officials(ws: Workspace, count: int) -> list[str]:
    names = [f"Đảng Viên Số {i}" for i in range(1, count + 1)]
    found = add_members(ws, [(n, D(2000, 1, 10), D(2001, 1, 10)) for n in names])
    return [found[n] for n in names]


BORN = D(2000, 5, 4)


def new_candidate(ws: Workspace, name: str = "Lê Văn Cường", born: dt.date = BORN,
                  **more: Any) -> str:
    candidate_id, _ = cases.add_candidate(ws, {"full_name": name, "date_of_birth": born,
                                               **more})
    return candidate_id


def record(ws: Workspace, candidate_id: str, step: Step, day: dt.date | None = None,
           **kwargs: Any) -> None:
    if step in (Step.BRANCH_RESOLUTION, Step.OFFICIAL_RESOLUTION):
        kwargs.setdefault("votes_for", cases.voting_base(ws, day or PATH[step])[0])
    if step is Step.DECISION:
        kwargs.setdefault("number", "120-QĐ/ĐU")
    cases.record_step(ws, candidate_id, step, date=day or PATH[step], **kwargs)


def walk(ws: Workspace, candidate_id: str, sponsors: list[str], *, until: Step,
         days: dict[Step, dt.date] | None = None) -> None:
    """Record every step before ``until`` (not ``until`` itself)."""
    days = {**PATH, **(days or {})}
    for step in ORDER[:ORDER.index(until)]:
        extra: dict[str, Any] = {}
        if step is Step.SPONSORS:
            extra["sponsors"] = [(s, D(2015, 1, 1)) for s in sponsors[:2]]
        record(ws, candidate_id, step, days[step], **extra)
