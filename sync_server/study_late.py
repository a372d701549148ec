"""A branch added after a study plan was sent (issue 21; the 2025 reorganisation makes new
branches): ``admin.add_unit`` gives it a copy of every plan published to a unit above it
that is still open, as if it had been there when the plan was sent.

Open: not withdrawn, and its deadline not past (the deadline day itself still counts, in
Vietnam's day). A plan past its deadline is not given: the branch could only report late
on it, and the plan page would count it as a branch that sent nothing for a study it never
had the time to hold. The copy is the plan as it stands now (a later deadline or a
corrected title included: every copy is rewritten together), with the same id,
province-owned, written by ``write_copy`` as publishing writes its own copies; its
``stat_study`` row (reported: no) and the commune's sums follow from the record.

The documents the plan names: one published to a unit above the new branch (the grant of
the branches already holding it says via which unit) reaches the new branch too, its
record and the file's grant ("covered", via that unit), as ``admin.publish`` writes them.
A document that reached the plan's branches otherwise (sent to each branch by itself) is
not given: the plan still is, and the admin log's entry names the documents it lacks.
Moving a branch under another commune is not an operation the server has (units never
move: their path is fixed), so nothing here follows a move.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sotay_core.domain import study_plan
from sync_server import files
from sync_server.models import FileGrant, Record, StudyPublication, Unit, utcnow
from sync_server.records import put_record


def write_copy(session: Session, branch_id: str, plan_id: str, values: dict[str, Any], *,
               by: str) -> None:
    """The plan's read-only copy in one branch's scope (its statistics row follows from the
    record: ``study_facts``): every copy ``study_publish.publish_plan`` writes, and a late
    branch's. Here, not in ``study_publish``, which builds on ``admin`` (that calls this
    module when it adds a branch)."""
    put_record(session, scope_id=branch_id, entity="study_plans", row_id=plan_id,
               data=values | {"unit_id": branch_id}, by=by, province_owned=True)


@dataclass(frozen=True)
class LatePlans:
    plans: tuple[str, ...]              # the plans given
    documents: tuple[str, ...]          # the documents they name that the branch holds
    lacking: tuple[str, ...]            # documents a plan names that the branch lacks


def _day() -> dt.date:
    return (utcnow() + dt.timedelta(hours=7)).date()    # Vietnam's day, as publishing


def open_plans(session: Session, branch: Unit) -> list[StudyPublication]:
    """The plans published to a unit above ``branch`` (its path starts with theirs), not
    withdrawn and not past their deadline."""
    above = [branch.path[:i + 1] for i, c in enumerate(branch.path) if c == "/" and i > 0]
    above.remove(branch.path)
    if not above:
        return []
    return list(session.scalars(select(StudyPublication).where(
        StudyPublication.to_path.in_(above), StudyPublication.withdrawn_at.is_(None),
        StudyPublication.due_on >= _day()).order_by(StudyPublication.published_at,
                                                    StudyPublication.id)))


def _a_copy(session: Session, entity: str, row_id: str, path: str) -> Record | None:
    """A live province-owned copy of the record in some branch below ``path``."""
    return session.scalars(select(Record).join(Unit, Unit.id == Record.scope_id).where(
        Unit.path.startswith(path, autoescape=True), Record.entity == entity,
        Record.id == row_id, Record.province_owned.is_(True), Record.deleted.is_(False))
        .order_by(Record.scope_id).limit(1)).first()


def _document(session: Session, branch: Unit, doc_id: str, path: str,
              above: set[str]) -> bool:
    """Give the branch the document (record and file grant) if it was published to a unit
    above it; whether the branch holds it now."""
    held = session.get(Record, (branch.id, "documents", doc_id))
    if held is not None and not held.deleted:
        return True
    copy = _a_copy(session, "documents", doc_id, path)
    if copy is None:
        return False
    data = json.loads(copy.data)
    sha = str(data.get("file_sha256") or "")
    grant = session.get(FileGrant, (copy.scope_id, sha)) if sha else None
    if grant is None or grant.via not in above:
        return False
    put_record(session, scope_id=branch.id, entity="documents", row_id=doc_id,
               data=data | {"unit_id": branch.id}, by=copy.updated_by, province_owned=True)
    files.grant(session, branch.id, sha, how="covered", via=grant.via)
    return True


def give_open_plans(session: Session, branch: Unit) -> LatePlans:
    """Copy every open plan from above into the new branch's scope (``admin.add_unit``)."""
    given: list[str] = []
    docs: list[str] = []
    lacking: list[str] = []
    above = {u for u in branch.path.strip("/").split("/") if u != branch.id}
    for pub in open_plans(session, branch):
        copy = _a_copy(session, "study_plans", pub.id, pub.to_path)
        if copy is None:    # no branch holds it any more: nothing to copy from
            continue
        values = json.loads(copy.data)
        for doc_id in study_plan.documents_from_field(str(values.get("documents") or "")):
            if doc_id in docs or doc_id in lacking:
                continue
            (docs if _document(session, branch, doc_id, pub.to_path, above)
             else lacking).append(doc_id)
        write_copy(session, branch.id, pub.id, values, by=copy.updated_by)
        pub.branches += 1
        given.append(pub.id)
    return LatePlans(tuple(given), tuple(docs), tuple(lacking))
