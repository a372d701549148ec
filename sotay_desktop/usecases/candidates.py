"""The admission pipeline (issue 20): the branch's candidates, one candidate's record, each
write of the "Kết nạp đảng viên" screen and of ``sotay candidates``, the admission figures
as a setting, and the papers (6-KNĐ, 13-KNĐ, the dossier's checklist, the prefilled 1-KNĐ
and 3-KNĐ) saved or printed and audited once that succeeded. ``today`` is the workspace's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sotay_desktop.usecases.trace import leave_trace, write_trace

if TYPE_CHECKING:
    from sotay_core.domain.admission import AdmissionRules, CandidateStatus, Step
    from sotay_desktop.services.candidates_view import CandidateSummary, CandidateView
    from sotay_desktop.services.changes import Changes
    from sotay_desktop.usecases.workspace import Workspace

ENTITY = "candidates"


# --- reading ----------------------------------------------------------------------------


def candidates(ws: Workspace, *, statuses: set[CandidateStatus] | None = None
               ) -> list[CandidateSummary]:
    from sotay_desktop.services import candidates as service

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        return service.list_candidates(session, unit_id=unit_id, today=ws.today(),
                                       statuses=statuses)


def candidate(ws: Workspace, candidate_id: str) -> CandidateView:
    from sotay_desktop.services import candidates as service

    with ws.db.reads() as session:
        return service.candidate_view(session, candidate_id, today=ws.today())


def find_candidate(ws: Workspace, words: str) -> str:
    """A candidate by id or exact name (the command line's CANDIDATE)."""
    from sotay_desktop.services import candidates as service

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        return service.find_candidate(session, unit_id=unit_id, words=words)


def find_member(ws: Workspace, words: str) -> str:
    """A member of the branch by id, card number or exact name (a sponsor on the CLI)."""
    from sotay_desktop.usecases.dues import find_member as find

    return find(ws, words)


def sponsor_choices(ws: Workspace) -> list[tuple[str, str]]:
    from sotay_desktop.services import candidates as service

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        return service.sponsor_choices(session, unit_id=unit_id)


def voting_base(ws: Workspace, on: dt.date) -> tuple[int, int]:
    """Official members on the roster on ``on`` and the votes in favour a resolution needs."""
    from sotay_core.domain.admission import votes_needed
    from sotay_desktop.services import admission_settings
    from sotay_desktop.services import candidates as service

    unit_id = ws.branch_id()
    with ws.db.reads() as session:
        base = service.official_base(session, unit_id=unit_id, on=on)
        rules = admission_settings.current_rules(session)
    return base, votes_needed(base, rules)


def last_step(ws: Workspace, candidate_id: str) -> Step | None:
    from sotay_desktop.services import candidates_steps

    with ws.db.reads() as session:
        found = candidates_steps.last_step(session, candidate_id)
    return found.step if found else None


# --- writing ----------------------------------------------------------------------------


def add_candidate(ws: Workspace, data: Mapping[str, Any]) -> tuple[str, Changes]:
    from sotay_desktop.services import candidates_edit

    unit_id = ws.branch_id()
    with ws.db.sessions.begin() as session:
        return candidates_edit.add_candidate(session, unit_id=unit_id, data=data,
                                             today=ws.today())


def update_candidate(ws: Workspace, candidate_id: str, data: Mapping[str, Any]) -> Changes:
    from sotay_desktop.services import candidates_edit

    with ws.db.sessions.begin() as session:
        return candidates_edit.update_candidate(session, candidate_id=candidate_id, data=data,
                                                today=ws.today())


def set_sponsors(ws: Workspace, candidate_id: str,
                 sponsors: Sequence[tuple[str, dt.date | str | None]],
                 on: dt.date | str | None = None) -> Changes:
    from sotay_desktop.services import admission_settings, candidates_edit

    with ws.db.sessions.begin() as session:
        return candidates_edit.set_sponsors(
            session, candidate_id=candidate_id, sponsors=sponsors, on=on, today=ws.today(),
            rules=admission_settings.current_rules(session))


def record_step(ws: Workspace, candidate_id: str, step: Step | str, *,
                date: dt.date | str | None, number: str = "", issuer: str = "",
                detail: str = "", votes_for: int | None = None,
                votes_against: int | None = None,
                sponsors: Sequence[tuple[str, dt.date | str | None]] | None = None
                ) -> tuple[str, Changes]:
    from sotay_desktop.services import candidates_steps

    with ws.db.sessions.begin() as session:
        return candidates_steps.record_step(
            session, candidate_id=candidate_id, step=step, date=date, today=ws.today(),
            number=number, issuer=issuer, detail=detail, votes_for=votes_for,
            votes_against=votes_against, sponsors=sponsors)


def undo_last_step(ws: Workspace, candidate_id: str,
                   expected: Step | str | None = None) -> tuple[Step, Changes]:
    from sotay_desktop.services import candidates_steps

    with ws.db.sessions.begin() as session:
        return candidates_steps.undo_last_step(session, candidate_id=candidate_id,
                                               expected=expected)


def stop(ws: Workspace, candidate_id: str, reason: str = "") -> Changes:
    from sotay_desktop.services import candidates_edit

    with ws.db.sessions.begin() as session:
        return candidates_edit.stop(session, candidate_id=candidate_id, reason=reason)


def resume(ws: Workspace, candidate_id: str) -> Changes:
    from sotay_desktop.services import candidates_edit

    with ws.db.sessions.begin() as session:
        return candidates_edit.resume(session, candidate_id=candidate_id)


# --- the figures ------------------------------------------------------------------------


def rules(ws: Workspace) -> tuple[AdmissionRules, bool]:
    """The figures in force, and whether they were set here (False: the code's defaults)."""
    from sotay_desktop.services import admission_settings

    with ws.db.reads() as session:
        return (admission_settings.current_rules(session),
                admission_settings.is_recorded(session))


def set_rules(ws: Workspace, values: Mapping[str, Any] | None) -> Changes:
    from sotay_desktop.services import admission_settings

    with ws.db.sessions.begin() as session:
        return admission_settings.set_rules(session, values)


# --- papers -----------------------------------------------------------------------------


def paper_bytes(ws: Workspace, candidate_id: str, kind: str, fmt: str = "pdf") -> bytes:
    """A paper of the candidate's dossier (``admission_papers.KINDS``); a read, not audited."""
    from sotay_desktop.documents.admission_papers import render_paper
    from sotay_desktop.services import admission_papers

    with ws.db.reads() as session:
        data = admission_papers.paper_data(session, candidate_id, today=ws.today())
    return render_paper(data, kind, fmt)


def save_paper(ws: Workspace, candidate_id: str, kind: str, target: Path) -> Path:
    """The paper written to ``target`` (its suffix names the format), then audited."""
    from sotay_desktop.services.files import write_file_atomically

    fmt = target.suffix.lower().lstrip(".")
    write_file_atomically(target, paper_bytes(ws, candidate_id, kind,
                                              "docx" if fmt == "docx" else "pdf"))
    leave_trace(ws, "export", ENTITY, candidate_id, f"{kind}.{fmt}")
    return target


def paper_printed(ws: Workspace, candidate_id: str, kind: str) -> Changes:
    """The printer took the paper (the window's print dialog): its audit row, as a write."""
    return write_trace(ws, "print", ENTITY, candidate_id, kind)
