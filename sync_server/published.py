"""Documents the province published down to the branches, and which branches' PCs have
downloaded their files (the publishing pages and ``sotay-server downloads``). The caller
has checked the staff account may see ``unit``'s subtree.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from sync_server.models import Device, FileDownload, Record, Unit
from sync_server.queries import in_subtree


@dataclass
class Publication:
    document_id: str
    title: str
    number: str
    issued_on: str
    file_name: str
    sha256: str
    branches: int
    downloaded: int
    published_at: dt.datetime


def publications(session: Session, unit: Unit, limit: int = 100) -> list[Publication]:
    """Documents published to branches of this subtree (newest first) with download counts."""
    under = in_subtree(unit)
    rows = session.execute(
        select(Record.id, func.min(Record.data), func.count(), func.min(Record.updated_at))
        .join(Unit, Unit.id == Record.scope_id)
        .where(Record.entity == "documents", Record.province_owned.is_(True),
               Record.deleted.is_(False), under)
        .group_by(Record.id).order_by(func.min(Record.updated_at).desc()).limit(limit)).all()
    out = []
    for doc_id, data_text, branches, at in rows:
        data = json.loads(data_text)
        sha = str(data.get("file_sha256") or "")
        out.append(Publication(doc_id, str(data.get("title") or ""),
                               str(data.get("number") or ""), str(data.get("issued_on") or ""),
                               str(data.get("file_name") or ""), sha, branches,
                               len(downloaded_by(session, unit, doc_id, sha)), at))
    return out


def downloaded_by(session: Session, unit: Unit, document_id: str, sha256: str
                  ) -> dict[str, dt.datetime]:
    """Branch id → when a PC of that branch finished downloading the document's file."""
    under = in_subtree(unit)
    out: dict[str, dt.datetime] = {}
    for branch_id, at in session.execute(
            select(Device.unit_id, FileDownload.completed_at)
            .join(Device, Device.id == FileDownload.device_id)
            .join(Unit, Unit.id == Device.unit_id)
            .join(Record, and_(Record.scope_id == Device.unit_id,
                               Record.entity == "documents", Record.id == document_id))
            .where(FileDownload.sha256 == sha256, under)):
        if branch_id not in out or at < out[branch_id]:
            out[branch_id] = at
    return out


def publication_targets(session: Session, unit: Unit, document_id: str) -> list[Unit]:
    under = in_subtree(unit)
    return list(session.scalars(
        select(Unit).join(Record, and_(Record.scope_id == Unit.id,
                                       Record.entity == "documents", Record.id == document_id))
        .where(under).order_by(Unit.path)))
